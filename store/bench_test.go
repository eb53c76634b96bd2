package store

import (
	"bytes"
	"context"
	"crypto/sha256"
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

// openBench opens an empty cache that holds everything but the
// applications, sealed or with plainKeyring (see unlockBench).
func openBench(b *testing.B, dir string, sealed bool) *Store {
	b.Helper()
	s, err := Open(context.Background(), filepath.Join(dir, "cache.db"))
	if err != nil {
		b.Fatal(err)
	}
	s.Now = func() time.Time { return testNow }
	unlockBench(b, s, sealed)
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
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				c, _ := runApply(b, pageSize, true)
				cpu += c
			}
			reportRate(b, cpu, len(bigApps))
		})
	}
}

// runApply is one run of BenchmarkApplyApplications, with the records
// sealed or with plainKeyring in place of the cache's keys (sealed false).
// It returns the process CPU time and the wall time of the timed part.
func runApply(b *testing.B, pageSize int, sealed bool) (cpu, wall time.Duration) {
	b.StopTimer()
	s := openBench(b, b.TempDir(), sealed)
	defer s.Close()
	return timedPull(b, s, bigApps, pageSize, nil)
}

// timedPull times first (if any), then feed applied in pages of pageSize
// and CaughtUp, as the engine pulls; the timer runs only meanwhile. It
// returns the process CPU time and the wall time spent.
func timedPull(b *testing.B, s *Store, feed []api.Change, pageSize int, first func()) (cpu, wall time.Duration) {
	ctx := context.Background()
	c0, t0 := cputime.Process(), time.Now()
	b.StartTimer()
	if first != nil {
		first()
	}
	for p := 0; p < len(feed); p += pageSize {
		if err := s.ApplyChanges(ctx, feed[p:min(p+pageSize, len(feed))], itoa(p)); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.CaughtUp(ctx); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	defer b.StartTimer()
	return cputime.Process() - c0, time.Since(t0)
}

// BenchmarkEncryptionCost measures what encryption at rest (seal.go)
// costs a first sync: each op runs the same work with the cache's keys
// (on) and with plainKeyring (off: records stored as they come, blind
// indexes all zero), alternating which goes first, so both see the same
// machine; it reports each one's wall and CPU time per change and the
// cost of "on" over "off" in percent. ns/op is the pair.
//
//   - apply50k: BenchmarkApplyApplications/page=5000;
//   - department: the store's part of the demo department's initial sync —
//     unlocking a new cache (argon2id and both key envelopes; off: none)
//     and applying the department's feed (its subtree's applicants and
//     applications, every unit, its messages; ~20,000 changes) in the
//     engine's pages of 2,000, then CaughtUp.
//
// The rest of an initial sync (the server, HTTP, JSON decoding) does not
// depend on encryption; docs/benchmarks.md relates the difference to
// BenchmarkInitialSync in sync/.
func BenchmarkEncryptionCost(b *testing.B) {
	loadBigWorld(b)
	dept := deptFeed(b, bigWorld)
	b.Run("apply50k", func(b *testing.B) {
		benchPair(b, len(bigApps), func(sealed bool) (time.Duration, time.Duration) {
			return runApply(b, api.MaxChangesPerPage, sealed)
		})
	})
	b.Run("department", func(b *testing.B) {
		benchPair(b, len(dept), func(sealed bool) (time.Duration, time.Duration) { return runDepartment(b, dept, sealed) })
	})
}

// benchPair runs run(true) and run(false) b.N times each, alternating.
func benchPair(b *testing.B, changes int, run func(sealed bool) (cpu, wall time.Duration)) {
	var cpu, wall [2]time.Duration // [0] on, [1] off
	for i := 0; i < b.N; i++ {
		for _, sealed := range []bool{i%2 == 0, i%2 != 0} {
			k := map[bool]int{true: 0, false: 1}[sealed]
			c, w := run(sealed)
			cpu[k] += c
			wall[k] += w
		}
	}
	n := float64(changes * b.N)
	for k, name := range []string{"on", "off"} {
		b.ReportMetric(float64(wall[k].Microseconds())/n, name+"-µs/change")
		b.ReportMetric(float64(cpu[k].Microseconds())/n, name+"-cpu-µs/change")
	}
	b.ReportMetric(100*(float64(wall[0])/float64(wall[1])-1), "cost-%")
	b.ReportMetric(100*(float64(cpu[0])/float64(cpu[1])-1), "cost-cpu-%")
}

// runDepartment is one run of BenchmarkEncryptionCost/department.
func runDepartment(b *testing.B, feed []api.Change, sealed bool) (cpu, wall time.Duration) {
	b.StopTimer()
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "cache.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	s.Now = func() time.Time { return testNow }
	const pageSize = 2000 // sync.DefaultPageSize
	return timedPull(b, s, feed, pageSize, func() { unlockBench(b, s, sealed) })
}

// deptFeed is worldChanges cut to what the demo department pulls: the
// applicants and applications of its subtree, everything else whole.
func deptFeed(b testing.TB, w *demo.World) []api.Change {
	in := map[string]bool{deptID: true}
	for grew := true; grew; {
		grew = false
		for _, u := range w.Units {
			if !in[u.ID] && in[u.ParentID] {
				in[u.ID], grew = true, true
			}
		}
	}
	keep := map[string]bool{}
	for _, p := range w.Applicants {
		keep[p.ID] = in[p.UnitID]
	}
	for _, a := range w.Applications {
		keep[a.ID] = in[a.UnitID]
	}
	var out []api.Change
	for _, c := range worldChanges(b, w) {
		if k, scoped := keep[c.ID]; !scoped || k {
			out = append(out, c)
		}
	}
	return out
}

// unlockBench unlocks a new cache with the test password, or installs
// plainKeyring (sealed false).
func unlockBench(b *testing.B, s *Store, sealed bool) {
	ctx := context.Background()
	if sealed {
		if err := s.UnlockOnline(ctx, testPassword, testServerKey); err != nil {
			b.Fatal(err)
		}
		return
	}
	s.keys.Store(plainKeyring())
	if err := s.loadCalendar(ctx); err != nil {
		b.Fatal(err)
	}
}

// plainKeyring is a keyring that encrypts nothing, for the benchmarks'
// sealed=off: "sealing" copies the record and adds a zero tag, blind
// indexes are zeros. Only the random nonce is still drawn.
func plainKeyring() *keyring {
	k := &keyring{aead: plainAEAD{}, dataKey: make([]byte, dataKeyLen)}
	k.macs.New = func() any { return zeroHash{} }
	return k
}

type plainAEAD struct{}

func (plainAEAD) NonceSize() int { return 12 }
func (plainAEAD) Overhead() int  { return 16 }
func (plainAEAD) Seal(dst, _, plain, _ []byte) []byte {
	return append(append(dst, plain...), make([]byte, 16)...)
}
func (plainAEAD) Open(dst, _, sealed, _ []byte) ([]byte, error) {
	return append(dst, sealed[:len(sealed)-16]...), nil
}

type zeroHash struct{}

func (zeroHash) Write(p []byte) (int, error) { return len(p), nil }
func (zeroHash) Sum(b []byte) []byte         { return append(b, make([]byte, sha256.Size)...) }
func (zeroHash) Reset()                      {}
func (zeroHash) Size() int                   { return sha256.Size }
func (zeroHash) BlockSize() int              { return sha256.BlockSize }

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
	reportRate(b, cpu, len(bigApps))
}

// reportRate adds changes per second and CPU microseconds per change.
func reportRate(b *testing.B, cpu time.Duration, changes int) {
	n := float64(changes * b.N)
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
		reportRate(b, cputime.Process()-c0, len(bigApps))
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
		reportRate(b, cputime.Process()-c0, len(bigApps))
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
