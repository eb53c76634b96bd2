package sync

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"titledesk/model"
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
