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

// BenchmarkStartToDashboard: from opening the app over an existing cache of
// 50,000 applications to a usable 首页 — app.Open, online login with its
// (empty) incremental sync, the main window built and the dashboard loaded
// and drawn. The world puts all of Scale 10's applicants under the demo
// department (DemoShare 0.999), so its cache really holds 50,000.
func BenchmarkStartToDashboard(b *testing.B) {
	ctx := context.Background()
	hs := serve50k(b)
	cache := b.TempDir()
	creds := app.Credentials{ServerURL: hs.URL, Username: demo.DemoUsername, Password: demo.DemoPassword}
	first := time.Now()
	start := func() *Desk {
		a, err := app.Open(app.Config{CacheDir: cache, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Session.Login(ctx, creds); err != nil {
			b.Fatal(err)
		}
		d := testDesk(b, a)
		d.win.Resize(fyne.NewSize(1200, 740))
		d.showMain()
		return d
	}
	d := start()
	b.Logf("first login + initial sync of 50,000 applications: %v", time.Since(first).Round(time.Millisecond))
	if n := d.app.Session.Status().Done; n < 50000 {
		b.Logf("changes synced: %d", n)
	}
	d.app.Close()
	b.ResetTimer()
	for b.Loop() {
		d := start()
		b.StopTimer()
		d.app.Close()
		b.StartTimer()
	}
}

// serve50k serves the 50,000-application world of the start benchmarks
// (seeded once into the temp dir and kept between runs) on loopback.
func serve50k(b *testing.B) *httptest.Server {
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
	return hs
}
