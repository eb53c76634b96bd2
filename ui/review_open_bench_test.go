package ui

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"titledesk/app"
	"titledesk/server"
	"titledesk/server/demo"
)

// bigCacheDesk is the demo department logged in over a cache of 50,000
// applications (the world of BenchmarkStartToDashboard, kept in the temp
// dir between runs), its main window at 1366×768.
func bigCacheDesk(b *testing.B) *Desk {
	b.Helper()
	ctx := context.Background()
	dir := filepath.Join(os.TempDir(), "titledesk-bench-start50k")
	srv, err := server.Open(ctx, server.Config{DataDir: filepath.Join(dir, "server"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	if _, err := os.Stat(filepath.Join(dir, "seeded")); err != nil {
		w, err := demo.Generate(demo.Options{Scale: 10, Seed: 1, DemoShare: 0.999})
		if err != nil {
			b.Fatal(err)
		}
		if err := srv.ImportWorld(ctx, w); err != nil {
			b.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "seeded"), nil, 0o600)
	}
	hs := httptest.NewServer(srv.Handler())
	b.Cleanup(hs.Close)
	a, err := app.Open(app.Config{CacheDir: filepath.Join(dir, "client"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	if err := a.Session.Login(ctx, app.Credentials{ServerURL: hs.URL, Username: demo.DemoUsername, Password: demo.DemoPassword}); err != nil {
		b.Fatal(err)
	}
	d := testDesk(b, a)
	d.win.Resize(fyne.NewSize(1366, 768))
	d.showMain()
	return d
}

// BenchmarkReviewOpen is 【审核】 to the applicant's details shown, over a
// cache of 50,000 applications: the review view built in the list's
// place, the application, applicant, unit, flow names, draft, stock
// comments and queued actions read, and every section laid out. Each
// iteration opens the next row of 下级单位人员审核.
func BenchmarkReviewOpen(b *testing.B) {
	d := bigCacheDesk(b)
	d.main.goTo(navSubordinate)
	l := d.main.content.Objects[0].(*reviewList)
	if l.total < 100 {
		b.Fatalf("下级单位人员审核 holds %d", l.total)
	}
	b.ReportMetric(float64(l.total), "rows")
	var cpu time.Duration
	i := 0
	for b.Loop() {
		r := l.rows[i%listPage]
		c0 := cpuTime()
		l.openView(i%listPage, r, nil)
		cpu += cpuTime() - c0
		if l.view.detail.Application.ID != r.ID || len(l.view.left.Objects) == 0 || l.root.Objects[0] != l.view.content {
			b.Fatal("the details are not shown")
		}
		b.StopTimer()
		l.showList()
		b.StartTimer()
		i++
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
