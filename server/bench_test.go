package server

import (
	"bytes"
	stdgzip "compress/gzip"
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
	"titledesk/server/demo"
)

// benchScale is the demo world size for feed benchmarks (10 ≈ 50,000
// applications); TITLEDESK_BENCH_SCALE overrides it.
func benchScale() float64 {
	if s, err := strconv.ParseFloat(os.Getenv("TITLEDESK_BENCH_SCALE"), 64); err == nil && s > 0 {
		return s
	}
	return 10
}

// BenchmarkImportWorld measures ImportWorld of a generated demo world.
func BenchmarkImportWorld(b *testing.B) {
	w, err := demo.Generate(demo.Options{Scale: benchScale(), Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		srv, err := Open(context.Background(), Config{DataDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		start, cpu := time.Now(), cpuTime()
		if err := srv.ImportWorld(context.Background(), w); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(w.Applications))/time.Since(start).Seconds(), "applications/s")
		// CPU seconds are steadier than wall time on a shared machine.
		b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s/op")
		srv.Close()
	}
}

// BenchmarkChangesPage reads 1,000-change pages of the largest feeds (the
// city office sees everything; the demo department a fifth) from the middle
// of a demo world.
func BenchmarkChangesPage(b *testing.B) {
	w, err := demo.Generate(demo.Options{Scale: benchScale(), Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	ts := &testServer{t: b, dir: b.TempDir(), clock: &testClock{t: time.Now()}}
	ts.cfg = Config{DataDir: ts.dir, Now: ts.clock.Now}
	ts.start()
	b.Cleanup(ts.stop)
	if err := ts.srv.ImportWorld(context.Background(), w); err != nil {
		b.Fatal(err)
	}
	for _, who := range []struct{ name, username string }{{"city_office", cityUsername(w)}, {"demo_department", demo.DemoUsername}} {
		b.Run(who.name, func(b *testing.B) {
			c := &testClient{ts: ts, device: api.NewUUID()}
			ts.doJSON("POST", api.Base+"/sessions", "", api.LoginRequest{Username: who.username,
				Password: demo.Password, DeviceID: c.device}, &c.login)
			c.token = c.login.Token
			first := c.pull("", 1)
			middle := strconv.FormatInt(maxSeq(ts)/2, 10)
			b.Run("http", func(b *testing.B) {
				b.ReportMetric(float64(first.Total), "feed_entries")
				for i := 0; i < b.N; i++ {
					if page := c.pull(middle, api.DefaultPageSize); len(page.Changes) == 0 {
						b.Fatal("empty page")
					}
				}
			})
			// The server's share: query, join and encode, without the
			// client's JSON decoding.
			b.Run("server", func(b *testing.B) {
				who, err := ts.srv.authenticate(context.Background(), "Bearer "+c.token)
				if err != nil {
					b.Fatal(err)
				}
				after, err := parseCursor(middle)
				if err != nil {
					b.Fatal(err)
				}
				for i := 0; i < b.N; i++ {
					page, err := ts.srv.changes(context.Background(), who, after, api.DefaultPageSize)
					if err != nil || len(page.Changes) == 0 {
						b.Fatal(err)
					}
					appendChanges(nil, page)
				}
			})
		})
	}
}

// BenchmarkPageGzip compresses one 2,000-change page of the demo
// department (the desktop's page size, from the middle of its feed) with
// the compressor the server uses (klauspost/compress) and, for the ratio
// in the same run, the standard library's, both at gzipLevel.
func BenchmarkPageGzip(b *testing.B) {
	w, err := demo.Generate(demo.Options{Scale: benchScale(), Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	ts := &testServer{t: b, dir: b.TempDir(), clock: &testClock{t: time.Now()}}
	ts.cfg = Config{DataDir: ts.dir, Now: ts.clock.Now}
	ts.start()
	b.Cleanup(ts.stop)
	if err := ts.srv.ImportWorld(context.Background(), w); err != nil {
		b.Fatal(err)
	}
	c := &testClient{ts: ts, device: api.NewUUID()}
	ts.doJSON("POST", api.Base+"/sessions", "", api.LoginRequest{Username: demo.DemoUsername,
		Password: demo.Password, DeviceID: c.device}, &c.login)
	who, err := ts.srv.authenticate(context.Background(), "Bearer "+c.login.Token)
	if err != nil {
		b.Fatal(err)
	}
	after, err := parseCursor(strconv.FormatInt(maxSeq(ts)/2, 10))
	if err != nil {
		b.Fatal(err)
	}
	page, err := ts.srv.changes(context.Background(), who, after, 2000)
	if err != nil {
		b.Fatal(err)
	}
	body := appendChanges(nil, page)
	for _, z := range []struct {
		name  string
		write func(out *bytes.Buffer)
	}{
		{"klauspost", func(out *bytes.Buffer) { gzipInto(out, body) }},
		{"stdlib", func(out *bytes.Buffer) {
			zw, _ := stdgzip.NewWriterLevel(out, gzipLevel)
			zw.Write(body)
			zw.Close()
		}},
	} {
		b.Run(z.name, func(b *testing.B) {
			var out bytes.Buffer
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				out.Reset()
				z.write(&out)
			}
			b.ReportMetric(100*float64(out.Len())/float64(len(body)), "%size")
		})
	}
}

func cityUsername(w *demo.World) string {
	for _, a := range w.Accounts {
		if a.Account.Role == model.RoleCityOffice {
			return a.Account.Username
		}
	}
	return ""
}

func maxSeq(ts *testServer) int64 {
	return ts.count(`SELECT value FROM counters WHERE name = 'feed_seq'`)
}

// BenchmarkPush pushes batches of 500 application.create commands (each
// writes an applicant and an application with their feed fan-out).
func BenchmarkPush(b *testing.B) {
	ts := newTestServer(b)
	c := ts.login(userEmp1)
	p := model.Applicant{UnitID: fx.E1, Name: "测试", Phone: "13812345678"}
	b.ResetTimer()
	start := time.Now()
	n := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cmds := make([]api.Command, api.MaxCommandsPerPush)
		for j := range cmds {
			p.ID = api.NewUUID()
			p.IDNumber = model.MakeIDNumber("12", "1980-01-01", n+j, true)
			cmds[j] = c.command(api.CmdApplicationCreate, 0, api.ApplicationCreateArgs{Applicant: p,
				Application: model.Application{ID: api.NewUUID(), Year: 2026, Series: "engineering", Specialty: "机械",
					Level: model.LevelIntermediate, TitleName: "工程师", Method: model.MethodPanelReview}})
		}
		b.StartTimer()
		for j, r := range c.push(cmds...) {
			if r.Status != api.StatusApplied {
				b.Fatalf("command %d: %+v", j, r.Problem)
			}
		}
		n += len(cmds)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "commands/s")
}
