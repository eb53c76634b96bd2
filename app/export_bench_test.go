package app

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/internal/cputime"
	"titledesk/model"
	"titledesk/store"
)

// The 50,000-row export benchmark (STAT-2: ≤ 5 s and ≤ 300 MB). The cache
// it reads is built by a child process (TestBuildExportBenchCache), so the
// benchmark's own process never held the 100,000 changes that fill it and
// its peak resident memory (VmHWM) is the export's, plus the test binary.

const (
	benchRows     = 50_000
	benchDeptID   = "00000000-0000-4000-8000-00000000d001"
	benchCacheEnv = "TITLEDESK_EXPORT_BENCH_CACHE"
)

// TestBuildExportBenchCache fills the cache named by the environment with a
// department holding 50,000 applications in 本单位人员审核. It does nothing
// in an ordinary test run.
func TestBuildExportBenchCache(t *testing.T) {
	path := os.Getenv(benchCacheEnv)
	if path == "" {
		t.Skip("only run by BenchmarkExportXLSX50k")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	changes := benchChanges(t)
	for i := 0; i < len(changes); i += 5000 {
		if err := st.ApplyChanges(ctx, changes[i:min(i+5000, len(changes))], strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
}

// benchChanges is the feed of one department and its 50,000 applicants,
// each with a submitted application waiting in 本单位人员审核.
func benchChanges(t testing.TB) []api.Change {
	add := func(out []api.Change, kind, id string, v any) []api.Change {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return append(out, api.Change{Kind: kind, ID: id, Op: api.OpUpsert, Version: 1, Data: data})
	}
	surnames := []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
	given := []string{"建国", "志强", "丽娟", "海燕", "晓明", "文博", "欣怡", "子涵", "国华", "秀英", "振宇", "雨桐"}
	specialties := []string{"作物遗传育种", "植物保护", "农业机械", "土壤肥料", "园艺", "畜牧兽医", "农产品加工"}
	out := add(nil, api.KindUnit, benchDeptID, model.Unit{ID: benchDeptID, Kind: model.UnitDepartment,
		Name: "天津市农业科学院", Type: model.UnitTypeInstitution, Version: 1})
	base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < benchRows; i++ {
		pid, aid := fmt.Sprintf("00000000-0000-4000-8000-1%011d", i), fmt.Sprintf("00000000-0000-4000-8000-2%011d", i)
		birth := model.DateOf(base.AddDate(-25-i%30, 0, -i%365))
		p := model.Applicant{ID: pid, UnitID: benchDeptID, Name: string(surnames[i%len(surnames)]) + given[i/len(surnames)%len(given)],
			IDNumber: model.MakeIDNumber("12", birth, i%1000, i%2 == 0), Gender: []model.Gender{model.GenderMale, model.GenderFemale}[i%2],
			BirthDate: birth, Education: "大学本科", Version: 1}
		sub := base.Add(time.Duration(i) * time.Minute)
		series := model.AllSeries[i%len(model.AllSeries)]
		a := model.Application{ID: aid, ApplicantID: pid, UnitID: benchDeptID, Year: 2020 + i%7, Series: series.Code,
			Specialty: specialties[i%len(specialties)], Level: model.AllLevels[i%len(model.AllLevels)],
			TitleName: "高级" + series.Label, Method: model.AllMethods[i%len(model.AllMethods)], Stage: model.StageOwnUnit,
			HolderUnitID: benchDeptID, SubmittedAt: &sub, Version: 2, UpdatedAt: sub}
		out = add(out, api.KindApplicant, pid, p)
		out = add(out, api.KindApplication, aid, a)
	}
	return out
}

var (
	benchCacheOnce sync.Once
	benchCachePath string
	benchCacheErr  error
)

// TestMain removes the benchmark's cache (about 90 MB) when the run ends.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchCachePath != "" {
		os.RemoveAll(filepath.Dir(benchCachePath))
	}
	os.Exit(code)
}

// benchCache builds the cache once per process, in a child process.
func benchCache(b *testing.B) string {
	benchCacheOnce.Do(func() {
		dir, err := os.MkdirTemp("", "titledesk-export-bench-")
		if err != nil {
			benchCacheErr = err
			return
		}
		benchCachePath = filepath.Join(dir, "cache.db")
		cmd := exec.Command(os.Args[0], "-test.run=^TestBuildExportBenchCache$", "-test.count=1")
		cmd.Env = append(os.Environ(), benchCacheEnv+"="+benchCachePath)
		if out, err := cmd.CombinedOutput(); err != nil {
			benchCacheErr = fmt.Errorf("build cache: %v\n%s", err, out)
		}
	})
	if benchCacheErr != nil {
		b.Fatal(benchCacheErr)
	}
	return benchCachePath
}

// BenchmarkExportXLSX50k exports 本单位人员审核 with 50,000 rows (sorted by
// 工作单位, a sort no index serves) to an xlsx file: the store read, the
// workbook and the file, as 【导出】 does. It reports the peak Go heap
// (sampled every 2 ms), the process's peak resident memory and the CPU
// time per export (steadier than wall time on a shared machine), and fails
// above 5 s or 300 MB.
func BenchmarkExportXLSX50k(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, benchCache(b))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	x := listExport{st: st, unitID: benchDeptID, unitName: "天津市农业科学院",
		record: func(context.Context, ExportOptions, string, int) error { return nil }}
	q := QueueQuery{Stage: model.StageOwnUnit, Sort: Sort{Column: store.SortUnit}}
	dir := b.TempDir()
	runtime.GC()
	stop, peakHeap := samplePeakHeap()
	var worst time.Duration
	cpu0 := cputime.Process()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		f, err := os.Create(filepath.Join(dir, "export.xlsx"))
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<16)
		n, err := exportList(ctx, x, w, q, nil, ExportOptions{}, nil)
		if err == nil {
			err = w.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil || n != benchRows {
			b.Fatalf("export: %d rows, %v", n, err)
		}
		worst = max(worst, time.Since(start))
	}
	b.StopTimer()
	b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	stop()
	info, _ := os.Stat(filepath.Join(dir, "export.xlsx"))
	b.ReportMetric(float64(*peakHeap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(info.Size())/(1<<20), "file-MB")
	rss := peakRSS()
	if rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
	}
	if worst > 5*time.Second || rss > 300<<20 || *peakHeap > 300<<20 {
		b.Fatalf("over budget: slowest %v, peak RSS %d MB, peak heap %d MB (≤ 5 s, ≤ 300 MB)", worst, rss>>20, *peakHeap>>20)
	}
}

// samplePeakHeap samples the Go heap in use (objects, unswept spans and
// free-but-unreleased memory counted, as the runtime holds it) until stop.
func samplePeakHeap() (stop func(), peak *uint64) {
	peak = new(uint64)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"},
			{Name: "/memory/classes/heap/free:bytes"}}
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			*peak = max(*peak, s[0].Value.Uint64()+s[1].Value.Uint64()+s[2].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }, peak
}

// peakRSS is the process's peak resident set (Linux VmHWM), 0 elsewhere.
func peakRSS() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
