package ui

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"golang.org/x/crypto/argon2"

	"titledesk/app"
	"titledesk/internal/memlimit"
	"titledesk/server/demo"
)

// The desktop's memory and start over a cache of 50,000 applications,
// measured in a process of its own (the server and the first sync stay in
// the benchmark's process, so the figures are the desktop's alone).

const (
	memChildCache  = "TITLEDESK_MEM_CHILD_CACHE"
	memChildServer = "TITLEDESK_MEM_CHILD_SERVER"
)

// Targets (docs/benchmarks.md, issue 15).
const (
	deskRSSTarget   = 250 << 20
	deskStartTarget = time.Second
)

// deskFigures is what the child process measured.
type deskFigures struct {
	Open, Login, Dashboard, Start time.Duration // app.Open; online login with its incremental sync; main window and 首页; the sum
	Argon2id                      time.Duration // CPU time of one password-envelope key derivation (the store's parameters)
	CPU                           time.Duration // the child's CPU time from its start to 首页 (the server's is not in it)
	CPULogin, CPUDashboard        time.Duration // the child's CPU time in the login and in building 首页
	RSSDashboard, RSSLists        uint64        // VmRSS after 首页, after every list was opened
	PeakRSS                       uint64        // VmHWM
	PeakHeap                      uint64        // Go heap in use, peak of the samples taken after each screen
	GoTotal                       uint64        // all memory the Go runtime holds from the OS at the end (the rest of RSS is C: SQLite's caches, and the mapped binary)
	Lists                         []string      // the screens opened
}

// BenchmarkDeskMemoryEveryList: a desktop over a cache of 50,000
// applications (all in the demo department) is started in a fresh process,
// logs in online, shows 首页, then opens every entry of the navigation
// (each review list with its first page of rows, the unit, expert,
// message, statistics and settings screens) on Fyne's test driver. It
// reports the child's resident memory and its start split, and fails over
// 250 MB resident or 1 s from start to 首页.
func BenchmarkDeskMemoryEveryList(b *testing.B) {
	hs := serve50k(b)
	cache := b.TempDir()
	ctx := context.Background()
	a, err := app.Open(app.Config{CacheDir: cache, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := a.Session.Login(ctx, app.Credentials{ServerURL: hs.URL, Username: demo.DemoUsername, Password: demo.DemoPassword}); err != nil {
		b.Fatal(err)
	}
	b.Logf("first login + initial sync: %v, %d changes", time.Since(start).Round(time.Millisecond), a.Session.Status().Done)
	a.Close()
	var f deskFigures
	for b.Loop() {
		f = runDeskChild(b, cache, hs.URL)
	}
	b.ReportMetric(f.Start.Seconds()*1000, "start-ms")
	b.ReportMetric(f.CPU.Seconds()*1000, "start-cpu-ms")
	b.ReportMetric(f.CPULogin.Seconds()*1000, "login-cpu-ms")
	b.ReportMetric(f.CPUDashboard.Seconds()*1000, "dashboard-cpu-ms")
	b.ReportMetric(f.Open.Seconds()*1000, "open-ms")
	b.ReportMetric(f.Login.Seconds()*1000, "login-ms")
	b.ReportMetric(f.Argon2id.Seconds()*1000, "argon2id-ms")
	b.ReportMetric(f.Dashboard.Seconds()*1000, "dashboard-ms")
	b.ReportMetric(float64(f.RSSDashboard)/(1<<20), "rss-dashboard-MB")
	b.ReportMetric(float64(f.RSSLists)/(1<<20), "rss-lists-MB")
	b.ReportMetric(float64(f.PeakRSS)/(1<<20), "peak-rss-MB")
	b.ReportMetric(float64(f.PeakHeap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(f.GoTotal)/(1<<20), "go-total-MB")
	b.Logf("screens opened: %s", strings.Join(f.Lists, ", "))
	b.Logf("start %v, %v CPU (open %v, login %v / %v CPU (argon2id alone %v CPU), 首页 %v / %v CPU); resident after 首页 %d MB, after every list %d MB, peak %d MB; Go heap peak %d MB, Go runtime at the end %d MB",
		f.Start.Round(time.Millisecond), f.CPU.Round(time.Millisecond), f.Open.Round(time.Millisecond), f.Login.Round(time.Millisecond), f.CPULogin.Round(time.Millisecond),
		f.Argon2id.Round(time.Millisecond), f.Dashboard.Round(time.Millisecond), f.CPUDashboard.Round(time.Millisecond), f.RSSDashboard>>20, f.RSSLists>>20, f.PeakRSS>>20, f.PeakHeap>>20, f.GoTotal>>20)
	if f.PeakRSS > deskRSSTarget {
		b.Errorf("peak resident %d MB, target ≤ %d MB", f.PeakRSS>>20, deskRSSTarget>>20)
	}
	if f.Start > deskStartTarget {
		b.Errorf("start to 首页 %v, target ≤ %v", f.Start, deskStartTarget)
	}
}

// runDeskChild runs TestDeskMemoryChild in a new process and reads its figures.
func runDeskChild(b *testing.B, cache, url string) deskFigures {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestDeskMemoryChild$", "-test.v")
	cmd.Env = append(os.Environ(), memChildCache+"="+cache, memChildServer+"="+url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child: %v\n%s", err, out)
	}
	i := bytes.Index(out, []byte("FIGURES "))
	if i < 0 {
		b.Fatalf("child printed no figures:\n%s", out)
	}
	line, _, _ := bytes.Cut(out[i+len("FIGURES "):], []byte("\n"))
	var f deskFigures
	if err := json.Unmarshal(line, &f); err != nil {
		b.Fatal(err)
	}
	return f
}

// TestDeskMemoryChild is BenchmarkDeskMemoryEveryList's child; it does
// nothing in an ordinary test run.
func TestDeskMemoryChild(t *testing.T) {
	cache, url := os.Getenv(memChildCache), os.Getenv(memChildServer)
	if cache == "" {
		t.Skip("only run by BenchmarkDeskMemoryEveryList")
	}
	var f deskFigures
	ctx := context.Background()
	prof := os.Getenv("TITLEDESK_MEM_CHILD_PROFILE") // a directory for cpu.prof (start) and heap.prof (after the lists)
	if prof != "" {
		cpu, err := os.Create(filepath.Join(prof, "cpu.prof"))
		if err != nil {
			t.Fatal(err)
		}
		pprof.StartCPUProfile(cpu)
	}
	start := time.Now()
	memlimit.Set(app.GoMemoryLimit) // as main does
	a, err := app.Open(app.Config{CacheDir: cache, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	f.Open = time.Since(start)
	cpuBefore := cpuTime()
	if err := a.Session.Login(ctx, app.Credentials{ServerURL: url, Username: demo.DemoUsername, Password: demo.DemoPassword}); err != nil {
		t.Fatal(err)
	}
	f.Login = time.Since(start) - f.Open
	f.CPULogin = cpuTime() - cpuBefore
	d := testDesk(t, a)
	d.win.Resize(fyne.NewSize(1366, 768))
	d.showMain()
	f.Start = time.Since(start)
	f.Dashboard = f.Start - f.Open - f.Login
	f.CPU = cpuTime()
	f.CPUDashboard = f.CPU - cpuBefore - f.CPULogin
	if prof != "" {
		pprof.StopCPUProfile()
	}
	f.RSSDashboard = procStatus("VmRSS")
	f.PeakHeap = heapInUse()
	for _, id := range leafScreens() {
		d.main.goTo(id)
		f.Lists = append(f.Lists, navNodes[id].label)
		f.PeakHeap = max(f.PeakHeap, heapInUse())
	}
	f.RSSLists, f.PeakRSS = procStatus("VmRSS"), procStatus("VmHWM")
	f.GoTotal = goTotal()
	if prof != "" {
		heap, err := os.Create(filepath.Join(prof, "heap.prof"))
		if err != nil {
			t.Fatal(err)
		}
		pprof.WriteHeapProfile(heap)
		heap.Close()
		status, _ := os.ReadFile("/proc/self/status")
		os.WriteFile(filepath.Join(prof, "status"), status, 0o600)
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	t0 := cpuTime()
	argon2.IDKey([]byte(demo.DemoPassword), salt, 2, 19*1024, 1, 32) // store/keys.go's parameters
	f.Argon2id = cpuTime() - t0
	out, _ := json.Marshal(f)
	t.Logf("FIGURES %s", out)
}

// leafScreens are the navigation's entries that show a screen, in order.
func leafScreens() []string {
	var ids []string
	for id, n := range navNodes {
		if id != "" && len(n.children) == 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// heapInUse is the Go heap's bytes in live and not yet swept objects.
func heapInUse() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	runtime.KeepAlive(s)
	return s[0].Value.Uint64()
}

// goTotal is the memory the Go runtime has mapped and not released.
func goTotal() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}

// procStatus reads a kB field of /proc/self/status in bytes (0 elsewhere).
func procStatus(field string) uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
