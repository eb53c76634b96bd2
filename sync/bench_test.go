package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
	"titledesk/server/demo"
)

// The benchmarks run against a server seeded at Scale 10 (about 50,000
// applications, the demo department's subtree about a fifth of them), over
// loopback HTTP, into a real store. The world is generated once per process.
const benchScale = 10

// cpuMeter sums the process CPU time spent while the benchmark timer runs.
type cpuMeter struct {
	total, since time.Duration
}

func (m *cpuMeter) start() { m.since = processCPU() }
func (m *cpuMeter) stop()  { m.total += processCPU() - m.since }
func (m *cpuMeter) report(b *testing.B) {
	b.ReportMetric(float64(m.total.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkInitialSync: login and the first sync into an empty cache.
func BenchmarkInitialSync(b *testing.B) {
	srv := newTestServer(b, benchScale)
	var (
		changes int64
		cpu     cpuMeter
	)
	for b.Loop() {
		b.StopTimer()
		d := openDeviceWith(b, filepath.Join(b.TempDir(), "c.db"), ClientOptions{}, Options{})
		b.StartTimer()
		cpu.start()
		d.login(srv.URL())
		cpu.stop()
		b.StopTimer()
		changes = d.engine.Status().Done
		d.store.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(changes), "changes/op")
	cpu.report(b)
}

// BenchmarkIncrementalSync1000: another device of the department changes
// 1,000 applications; this device's sync pulls them.
func BenchmarkIncrementalSync1000(b *testing.B) {
	srv := newTestServer(b, benchScale)
	reader := openDeviceWith(b, filepath.Join(b.TempDir(), "r.db"), ClientOptions{}, Options{})
	writer := openDeviceWith(b, filepath.Join(b.TempDir(), "w.db"), ClientOptions{}, Options{})
	reader.login(srv.URL())
	writer.login(srv.URL())
	flip := newFlipper(b, writer, 1000)
	ctx := context.Background()
	var cpu cpuMeter
	for b.Loop() {
		b.StopTimer()
		flip.queue()
		if err := writer.engine.SyncNow(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu.start()
		if err := reader.engine.SyncNow(ctx); err != nil {
			b.Fatal(err)
		}
		cpu.stop()
	}
	b.ReportMetric(float64(reader.engine.Status().Done), "changes/op")
	cpu.report(b)
}

// BenchmarkPush1000: push 1,000 queued reviews (upload, push in batches of
// api.MaxCommandsPerPush, settle); the pull that follows is not timed.
func BenchmarkPush1000(b *testing.B) {
	srv := newTestServer(b, benchScale)
	d := openDeviceWith(b, filepath.Join(b.TempDir(), "c.db"), ClientOptions{}, Options{})
	d.login(srv.URL())
	flip := newFlipper(b, d, 1000)
	ctx := context.Background()
	var cpu cpuMeter
	defer cpu.report(b)
	for b.Loop() {
		b.StopTimer()
		flip.queue()
		b.StartTimer()
		cpu.start()
		if err := d.engine.push(ctx); err != nil {
			b.Fatal(err)
		}
		cpu.stop()
		b.StopTimer()
		if n, _ := d.store.PendingCount(ctx); n != 0 {
			b.Fatalf("%d left after the push", n)
		}
		if c, _ := d.store.ConflictCount(ctx); c != 0 {
			b.Fatalf("%d conflicts", c)
		}
		if err := d.engine.SyncNow(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// flipper queues n reviews that can be repeated forever: 通过 of n
// applications in 下级单位人员审核 (they move to the department's
// second-review queue), then 撤回 of the same n (they come back).
type flipper struct {
	tb     testing.TB
	d      *device
	ids    []string
	passed bool
}

func newFlipper(tb testing.TB, d *device, n int) *flipper {
	apps := d.inQueue(model.StageSubordinate)
	if len(apps) < n {
		tb.Fatalf("only %d applications in 下级单位人员审核, need %d", len(apps), n)
	}
	f := &flipper{tb: tb, d: d}
	for _, a := range apps[:n] {
		f.ids = append(f.ids, a.ID)
	}
	return f
}

func (f *flipper) queue() {
	f.tb.Helper()
	ctx := context.Background()
	start := time.Now()
	versions := f.d.versions(f.ids)
	refs := make([]AppRef, len(f.ids))
	for i, id := range f.ids {
		refs[i] = AppRef{id, versions[id]}
	}
	var err error
	if f.passed {
		for _, r := range refs {
			if err = f.d.engine.Withdraw(ctx, r.ID, r.BaseVersion); err != nil {
				break
			}
		}
	} else {
		err = f.d.engine.PassBatch(ctx, refs, PassInput{Opinion: "同意上报"})
	}
	if err != nil {
		f.tb.Fatal(err)
	}
	f.passed = !f.passed
	if d := time.Since(start); d > 10*time.Second {
		f.tb.Logf("queueing %d took %v", len(f.ids), d)
	}
}

// versions reads the cached versions of ids.
func (d *device) versions(ids []string) map[string]int64 {
	out := make(map[string]int64, len(ids))
	all := d.cacheApps()
	for _, id := range ids {
		out[id] = all[id].Version
	}
	return out
}

// BenchmarkInitialSyncOverHTTP measures what the network and the server add
// to an initial sync (target: ≤ 1.5×). Each op, back to back on two empty
// caches unlocked by a login (not timed: the key derivation is the same on
// both sides): "http" is SyncNow over loopback HTTP (the server reads,
// encodes and gzips each page, the client decodes it while the previous
// one is applied); "inproc" is the same pages, recorded once from the same
// server, decoded by the client's decoder and applied page by page with
// their cursors (applyPage, as the engine does) in this process.
func BenchmarkInitialSyncOverHTTP(b *testing.B) {
	srv := newTestServer(b, benchScale)
	rec := &pageRecorder{next: defaultTransport(nil)}
	first := openDeviceWith(b, filepath.Join(b.TempDir(), "rec.db"), ClientOptions{Transport: rec}, Options{})
	first.login(srv.URL())
	pages := rec.pages
	ctx := context.Background()
	var (
		wallHTTP, wallLocal time.Duration
		cpuHTTP, cpuLocal   cpuMeter
		changes             int64
	)
	for b.Loop() {
		b.StopTimer()
		d := openDeviceWith(b, filepath.Join(b.TempDir(), "http.db"), ClientOptions{}, Options{})
		mustLogin(b, d, srv.URL())
		start := time.Now()
		cpuHTTP.start()
		if err := d.engine.SyncNow(ctx); err != nil {
			b.Fatal(err)
		}
		cpuHTTP.stop()
		wallHTTP += time.Since(start)
		changes = d.engine.Status().Done
		d.store.Close()

		l := openDeviceWith(b, filepath.Join(b.TempDir(), "local.db"), ClientOptions{}, Options{})
		mustLogin(b, l, srv.URL())
		actor, err := l.engine.actor()
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		cpuLocal.start()
		var n int64
		for _, raw := range pages {
			var page api.ChangesResponse
			if err := decodeBody(bytes.NewReader(raw), DefaultMaxJSON, "pull", &page); err != nil {
				b.Fatal(err)
			}
			if err := l.engine.applyPage(ctx, actor, page); err != nil {
				b.Fatal(err)
			}
			n += int64(len(page.Changes))
		}
		cpuLocal.stop()
		wallLocal += time.Since(start)
		if n != changes {
			b.Fatalf("in-process applied %d changes, HTTP %d", n, changes)
		}
		l.store.Close()
		b.StartTimer()
	}
	per := func(d time.Duration) float64 { return d.Seconds() / float64(b.N) }
	b.ReportMetric(float64(changes), "changes/op")
	b.ReportMetric(per(wallHTTP), "http-s/op")
	b.ReportMetric(per(wallLocal), "inproc-s/op")
	b.ReportMetric(wallHTTP.Seconds()/wallLocal.Seconds(), "http/inproc")
	b.ReportMetric(cpuHTTP.total.Seconds()/cpuLocal.total.Seconds(), "http/inproc-cpu")
}

// mustLogin logs d in without syncing (the engine only unlocks the cache
// and records the session).
func mustLogin(tb testing.TB, d *device, url string) {
	tb.Helper()
	if err := d.engine.Login(context.Background(), url, demo.DemoUsername, demo.DemoPassword); err != nil {
		tb.Fatal(err)
	}
}

// pageRecorder keeps the decoded bodies of the feed pages it carries.
type pageRecorder struct {
	next  http.RoundTripper
	pages [][]byte
}

func (p *pageRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := p.next.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, "/sync/changes") || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	plain := raw
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		if plain, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	p.pages = append(p.pages, plain)
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	return resp, nil
}
