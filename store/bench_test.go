package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/internal/cputime"
	"titledesk/model"
	"titledesk/server/demo"
)

// The benchmarks use a scale-10 world (50,000 applicants and applications,
// about 2.4 KB of JSON per application). Generating it takes ~10 s, so it is
// built once per process, and so is the seeded cache the query benchmarks read.
var (
	bigOnce    sync.Once
	bigWorld   *demo.World
	bigBase    []api.Change // units and applicants: what applications refer to
	bigApps    []api.Change // 50,000 application upserts
	bigErr     error
	bigDBOnce  sync.Once
	bigDB      *Store
	bigDBDir   string
	bigDBError error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDB != nil {
		bigDB.Close()
	}
	if bigDBDir != "" {
		os.RemoveAll(bigDBDir)
	}
	os.Exit(code)
}

func loadBigWorld(b testing.TB) {
	b.Helper()
	bigOnce.Do(func() {
		bigWorld, bigErr = demo.Generate(demo.Options{Scale: 10, Seed: 1, Now: testNow})
		if bigErr != nil {
			return
		}
		for _, c := range worldChanges(b, bigWorld) {
			switch c.Kind {
			case api.KindApplication:
				bigApps = append(bigApps, c)
			default:
				bigBase = append(bigBase, c)
			}
		}
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
}

// openBench opens an empty cache that holds everything but the applications.
func openBench(b *testing.B, dir string) *Store {
	b.Helper()
	s, err := Open(context.Background(), filepath.Join(dir, "cache.db"))
	if err != nil {
		b.Fatal(err)
	}
	s.Now = func() time.Time { return testNow }
	if err := s.UnlockOnline(context.Background(), testPassword, testServerKey); err != nil {
		b.Fatal(err)
	}
	if err := s.ApplyChanges(context.Background(), bigBase, "base"); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkApplyApplications applies the 50,000 application changes into a
// cache that has their units and applicants, in feed pages as the sync
// engine would (one transaction per page, each with its cursor), then
// CaughtUp, as the engine ends a pull: the indexes a first sync defers
// (bulk.go) are built inside the timing.
func BenchmarkApplyApplications(b *testing.B) {
	loadBigWorld(b)
	for _, pageSize := range []int{api.DefaultPageSize, api.MaxChangesPerPage} {
		b.Run("page="+itoa(pageSize), func(b *testing.B) {
			ctx := context.Background()
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				dir := b.TempDir()
				s := openBench(b, dir)
				c0 := cputime.Process()
				b.StartTimer()
				for p := 0; p < len(bigApps); p += pageSize {
					if err := s.ApplyChanges(ctx, bigApps[p:min(p+pageSize, len(bigApps))], itoa(p)); err != nil {
						b.Fatal(err)
					}
				}
				if err := s.CaughtUp(ctx); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				cpu += cputime.Process() - c0
				s.Close()
				b.StartTimer()
			}
			reportRate(b, cpu)
		})
	}
}

// BenchmarkRawInsert is the physical reference: the same 50,000 records,
// sealed as the cache stores them (the same AES-256-GCM and associated
// data, done before the timer starts, so the reference is the write alone
// and the apply pays the sealing on top of it), as (id, data) rows into a
// bare table in one transaction with one prepared statement.
func BenchmarkRawInsert(b *testing.B) {
	loadBigWorld(b)
	ctx := context.Background()
	keys, err := newKeyring(bytes.Repeat([]byte{7}, dataKeyLen))
	if err != nil {
		b.Fatal(err)
	}
	sealed := make([][]byte, len(bigApps))
	for i, c := range bigApps {
		sealed[i] = keys.seal(nil, c.Kind, c.ID, c.Data)
	}
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := Open(ctx, filepath.Join(b.TempDir(), "raw.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.writer.Exec(`CREATE TABLE raw(id TEXT PRIMARY KEY, data BLOB NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		c0 := cputime.Process()
		b.StartTimer()
		err = s.write(ctx, func(tx *sql.Tx) error {
			st, err := tx.Prepare(`INSERT INTO raw(id, data) VALUES(?, ?)`)
			if err != nil {
				return err
			}
			defer st.Close()
			for i, c := range bigApps {
				if _, err := st.Exec(c.ID, sealed[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cputime.Process() - c0
		s.Close()
		b.StartTimer()
	}
	reportRate(b, cpu)
}

// reportRate adds changes per second and CPU microseconds per change.
func reportRate(b *testing.B, cpu time.Duration) {
	n := float64(len(bigApps) * b.N)
	b.ReportMetric(n/b.Elapsed().Seconds(), "changes/s")
	b.ReportMetric(float64(cpu.Microseconds())/n, "cpu-µs/change")
}

// BenchmarkDecodeApplications is the other reference: json-decoding the same
// 50,000 application records into model.Application in Go; "columns" is
// what ApplyChanges does instead (decodeApplicationRow).
func BenchmarkDecodeApplications(b *testing.B) {
	loadBigWorld(b)
	b.Run("model.Application", func(b *testing.B) {
		c0 := cputime.Process()
		for i := 0; i < b.N; i++ {
			for _, c := range bigApps {
				var a model.Application
				if err := json.Unmarshal(c.Data, &a); err != nil {
					b.Fatal(err)
				}
			}
		}
		reportRate(b, cputime.Process()-c0)
	})
	b.Run("columns", func(b *testing.B) {
		c0 := cputime.Process()
		for i := 0; i < b.N; i++ {
			for _, c := range bigApps {
				if _, err := decodeApplicationRow(c.Data); err != nil {
					b.Fatal(err)
				}
			}
		}
		reportRate(b, cputime.Process()-c0)
	})
}

// bigStore is a cache holding the whole scale-10 world.
func bigStore(b *testing.B) *Store {
	b.Helper()
	loadBigWorld(b)
	bigDBOnce.Do(func() {
		bigDBDir, bigDBError = os.MkdirTemp("", "titledesk-store-bench-")
		if bigDBError != nil {
			return
		}
		bigDB, bigDBError = Open(context.Background(), filepath.Join(bigDBDir, "cache.db"))
		if bigDBError != nil {
			return
		}
		bigDB.Now = func() time.Time { return testNow }
		if bigDBError = bigDB.UnlockOnline(context.Background(), testPassword, testServerKey); bigDBError != nil {
			return
		}
		if bigDBError = bigDB.ApplyChanges(context.Background(), bigBase, "base"); bigDBError == nil {
			bigDBError = bigDB.ApplyChanges(context.Background(), bigApps, "all")
		}
	})
	if bigDBError != nil {
		b.Fatal(bigDBError)
	}
	return bigDB
}

func BenchmarkReviewQueue(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	queries := []struct {
		name string
		q    QueueQuery
	}{
		{"下级单位/first page", QueueQuery{Stage: model.StageSubordinate, Limit: 50}},
		{"下级单位/filtered+sorted", QueueQuery{Stage: model.StageSubordinate, Text: "王", Level: model.LevelIntermediate,
			Sort: Sort{Column: SortName, Desc: true}, Offset: 10, Limit: 50}},
		{"已审核/first page", QueueQuery{Stage: ReviewedList, Limit: 50}},
		{"已审核/text+sorted", QueueQuery{Stage: ReviewedList, Text: "工程", Sort: Sort{Column: SortUnit}, Limit: 50}},
		{"已审核/returned>30d", QueueQuery{Stage: ReviewedList, ReturnedMoreThanDays: 30, Limit: 50}},
	}
	for _, qq := range queries {
		b.Run(qq.name, func(b *testing.B) {
			var total int
			for i := 0; i < b.N; i++ {
				page, err := s.ReviewQueue(ctx, deptID, qq.q)
				if err != nil {
					b.Fatal(err)
				}
				total = page.Total
			}
			b.ReportMetric(float64(total), "matching")
		})
	}
}

func BenchmarkDashboard(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if _, err := s.Dashboard(ctx, deptID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStatistics(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if _, err := s.CountApplications(ctx, deptID, StatsFilter{}, DimSeries, DimOutcome); err != nil {
			b.Fatal(err)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// BenchmarkSeal is the cost encryption at rest adds per application record
// of the scale-10 world (~2.4 KB): sealing one as a pull writes it, and
// opening it as the review view reads it (AES-256-GCM, seal.go).
func BenchmarkSeal(b *testing.B) {
	loadBigWorld(b)
	k, err := newKeyring(bytes.Repeat([]byte{7}, dataKeyLen))
	if err != nil {
		b.Fatal(err)
	}
	var buf []byte
	b.Run("seal", func(b *testing.B) {
		n := 0
		for b.Loop() {
			c := bigApps[n%len(bigApps)]
			buf = k.seal(buf[:0], c.Kind, c.ID, c.Data)
			n++
		}
	})
	sealed := make([][]byte, 1000)
	for i := range sealed {
		c := bigApps[i]
		sealed[i] = k.seal(nil, c.Kind, c.ID, c.Data)
	}
	b.Run("open", func(b *testing.B) {
		n := 0
		for b.Loop() {
			i := n % len(sealed)
			if _, err := k.open(buf[:0], bigApps[i].Kind, bigApps[i].ID, sealed[i]); err != nil {
				b.Fatal(err)
			}
			n++
		}
	})
	b.Run("id_index", func(b *testing.B) {
		for b.Loop() {
			k.idIndex("120101198503120123")
		}
	})
}
