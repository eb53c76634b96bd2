package server

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	gosync "sync"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/internal/storetest"
	"titledesk/model"
	"titledesk/server/demo"
)

// BenchmarkStores runs the same three workloads on SQLite and on
// PostgreSQL in one run, for docs/benchmarks.md: a 1,000-change feed page,
// a 500-command push, and 20 devices pushing at once (latency p50/p99 of
// their pushes). PostgreSQL needs TITLEDESK_TEST_PG; the demo world's size
// is TITLEDESK_BENCH_STORES_SCALE (default 2, about 10,000 applications).
//
//	go test ./server/ -run '^$' -bench Stores -benchtime 20x
func BenchmarkStores(b *testing.B) {
	scale := 2.0
	if s, err := strconv.ParseFloat(os.Getenv("TITLEDESK_BENCH_STORES_SCALE"), 64); err == nil && s > 0 {
		scale = s
	}
	for _, store := range []string{StoreSQLite, StorePostgres} {
		b.Run(store, func(b *testing.B) {
			db := func(b *testing.B) func(*Config) {
				return func(c *Config) {
					c.Database = ""
					if store == StorePostgres {
						c.Database = storetest.NewSchema(b)
					}
				}
			}
			if store == StorePostgres && os.Getenv(storetest.EnvPG) == "" {
				b.Skip("PostgreSQL: set " + storetest.EnvPG)
			}
			b.Run("page_1000", func(b *testing.B) { benchPage(b, scale, db(b)) })
			b.Run("push_500", func(b *testing.B) { benchPush500(b, db(b)) })
			b.Run("devices_20", func(b *testing.B) { benchDevices(b, 20, db(b)) })
		})
	}
}

// benchPage reads a 1,000-change page from the middle of the city office's
// feed (it sees everything) over HTTP.
func benchPage(b *testing.B, scale float64, db func(*Config)) {
	w, err := demo.Generate(demo.Options{Scale: scale, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	ts := newTestServerWorld(b, w, db)
	c := &testClient{ts: ts, device: api.NewUUID()}
	ts.doJSON("POST", api.Base+"/sessions", "", api.LoginRequest{Username: cityUsername(w),
		Password: demo.Password, DeviceID: c.device}, &c.login)
	c.token = c.login.Token
	middle := strconv.FormatInt(maxSeq(ts)/2, 10)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if page := c.pull(middle, api.DefaultPageSize); len(page.Changes) != api.DefaultPageSize {
			b.Fatalf("page of %d changes", len(page.Changes))
		}
	}
}

// passWorld is the fixture world with n applications waiting in D1's
// 下级单位人员审核, each to be passed once.
func passWorld(n int) (*demo.World, []string) {
	w := fixtureWorld()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ids := make([]string, 0, n)
	for i := 0; i < n; i++ {
		pid, aid := uid(100000+i), uid(200000+i)
		w.Applicants = append(w.Applicants, model.Applicant{ID: pid, UnitID: fx.E2, Name: fmt.Sprintf("申报人%d", i),
			IDNumber: model.MakeIDNumber("12", "1990-01-15", i%1000, i%2 == 0), Version: 1, UpdatedAt: now})
		w.Applications = append(w.Applications, model.Application{ID: aid, ApplicantID: pid, UnitID: fx.E2, Year: 2026,
			Series: "engineering", Level: model.LevelIntermediate, Method: model.MethodPanelReview,
			Stage: model.StageSubordinate, HolderUnitID: fx.D1, Version: 3, UpdatedAt: now})
		ids = append(ids, aid)
	}
	return w, ids
}

// benchPush500 pushes 500 application.pass commands in one request.
func benchPush500(b *testing.B, db func(*Config)) {
	const perPush = api.MaxCommandsPerPush
	w, ids := passWorld(perPush * b.N)
	ts := newTestServerWorld(b, w, db)
	c := ts.login(userDept1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cmds := make([]api.Command, perPush)
		for j := range cmds {
			cmds[j] = c.command(api.CmdApplicationPass, 3, api.PassArgs{ApplicationID: ids[i*perPush+j], Opinion: "同意"})
		}
		b.StartTimer()
		for j, r := range c.push(cmds...) {
			if r.Status != api.StatusApplied {
				b.Fatalf("command %d: %s %+v", j, r.Status, r.Problem)
			}
		}
	}
}

// benchDevices has devices push at once, each its own decisions one push
// at a time (the desktop pushes soon after each decision), and reports the
// latency of those pushes.
func benchDevices(b *testing.B, devices int, db func(*Config)) {
	const perDevice = 10
	w, ids := passWorld(devices * perDevice * b.N)
	ts := newTestServerWorld(b, w, db, func(c *Config) {
		c.LoginLimitPerAddress = RateLimit{Burst: -1}
		c.LoginLimitPerUsername = RateLimit{Burst: -1}
	})
	clients := make([]*testClient, devices)
	for i := range clients {
		clients[i] = ts.login(userDept1)
	}
	var (
		mu        gosync.Mutex
		latencies []time.Duration
	)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		var wg gosync.WaitGroup
		for d, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range perDevice {
					id := ids[(i*devices+d)*perDevice+k]
					t0 := time.Now()
					res, err := c.tryPush(c.command(api.CmdApplicationPass, 3, api.PassArgs{ApplicationID: id, Opinion: "同意"}))
					took := time.Since(t0)
					if err != nil || res[0].Status != api.StatusApplied {
						b.Errorf("push: %v %+v", err, res)
						return
					}
					mu.Lock()
					latencies = append(latencies, took)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
	}
	elapsed := time.Since(start)
	slices.Sort(latencies)
	if len(latencies) == 0 {
		b.Fatal("no push answered")
	}
	at := func(q float64) float64 {
		return float64(latencies[min(len(latencies)-1, int(q*float64(len(latencies))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "pushes/s")
}
