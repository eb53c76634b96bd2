package ui

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"titledesk/app"
	"titledesk/server/demo"
)

// The search benchmarks run over a Scale-10 demo world (50,000
// applications on the server; the demo department's cache holds its
// subtree). The server's data is kept in the temp dir between runs; the
// client syncs it once per process.

func bigDesk(b *testing.B) *Desk {
	b.Helper()
	ctx := context.Background()
	dir := filepath.Join(os.TempDir(), "titledesk-bench-scale10")
	srv, err := app.StartDemo(ctx, app.DemoOptions{DataDir: dir, Scale: 10})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	a, err := app.Open(app.Config{CacheDir: b.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	start := time.Now()
	if err := a.Session.Login(ctx, app.Credentials{ServerURL: srv.URL, Username: demo.DemoUsername, Password: demo.DemoPassword}); err != nil {
		b.Fatal(err)
	}
	st := a.Session.Status()
	b.Logf("login + initial sync of the Scale-10 world: %v (%d changes, pending %d, error %q)",
		time.Since(start).Round(time.Millisecond), st.Done, st.Pending, st.LastError)
	d := testDesk(b, a)
	d.win.Resize(fyne.NewSize(1200, 740))
	d.showMain()
	return d
}

var searches = []string{"王", "王建", "工程", "1201", "天津市农业科学院", "农业经济", "无此人"}

// BenchmarkSearchQueryApply: one search as typed into 已审核列表 and
// 下级单位人员审核 — the store query (count + first page) and applying the
// rows to the table, on the goroutine that calls it.
func BenchmarkSearchQueryApply(b *testing.B) {
	d := bigDesk(b)
	for _, nav := range []string{navReviewed, navSubordinate} {
		d.main.goTo(nav)
		l := d.main.content.Objects[0].(*reviewList)
		b.Run(nav, func(b *testing.B) {
			l.search.SetText("")
			all := l.total
			i := 0
			for b.Loop() {
				l.search.SetText(searches[i%len(searches)])
				i++
			}
			b.ReportMetric(float64(all), "rows")
		})
	}
}

// BenchmarkSearchTyping types a name key by key with the production
// debounce, the query on a worker goroutine and the results applied on a
// "UI goroutine" (this one): it reports the longest time the UI goroutine
// was busy per key and the time from the last key to the rows shown.
func BenchmarkSearchTyping(b *testing.B) {
	d := bigDesk(b)
	ui := make(chan func(), 64)
	d.post = func(f func()) { ui <- f }
	d.run = func(work func() func()) { go func() { ui <- work() }() }
	keep := searchDebounce
	searchDebounce = 60 * time.Millisecond
	defer func() { searchDebounce = keep }()
	d.main.goTo(navReviewed)
	l := d.main.content.Objects[0].(*reviewList)
	for len(l.rows) == 0 {
		(<-ui)()
	}
	loaded := make(chan struct{}, 1)
	l.onLoaded = func() { loaded <- struct{}{} }
	var keyBusy, toResults []time.Duration
	for b.Loop() {
		if l.search.Text != "" {
			l.search.SetText("")
			waitLoaded(ui, loaded)
		}
		var last time.Time
		for _, key := range []string{"天", "津", "市", "王"} {
			last = time.Now()
			test.Type(l.search, key)
			keyBusy = append(keyBusy, time.Since(last))
			time.Sleep(40 * time.Millisecond) // a fast typist: each key within the debounce
		}
		waitLoaded(ui, loaded)
		toResults = append(toResults, time.Since(last))
	}
	b.ReportMetric(ms(pct(keyBusy, 100)), "max-key-ms")
	b.ReportMetric(ms(pct(toResults, 50)), "p50-last-key-to-rows-ms")
	b.ReportMetric(ms(pct(toResults, 100)), "max-last-key-to-rows-ms")
	b.ReportMetric(ms(pct(toResults, 50)-searchDebounce), "p50-after-debounce-ms")
}

// waitLoaded runs UI work until a query's rows are shown.
func waitLoaded(ui chan func(), loaded chan struct{}) {
	for {
		select {
		case f := <-ui:
			f()
		case <-loaded:
			return
		}
	}
}

func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
