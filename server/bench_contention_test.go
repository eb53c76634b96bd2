package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
	"titledesk/server/demo"
)

// The push-contention world: D1's sub-department D1a holds 用人单位一 (E1)
// with 167 applications; D1b is a second sub-department. Moving D1a between
// D1 and D1b re-targets the feed of everything below it — the heavy
// command of issue 8 hole 6.
const contentionApps = 167

var d1b = uid(9)

func contentionWorld() (w *demo.World) {
	w = fixtureWorld()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	d := w.Units[1] // D1's shape
	d.ID, d.ParentID, d.Name, d.CreditCode = d1b, fx.D1, "第二下属主管部门", model.MakeCreditCode("12120000MB0000009")
	w.Units = append(w.Units, d)
	for i := 0; i < contentionApps; i++ {
		pid, aid := uid(300000+i), uid(400000+i)
		w.Applicants = append(w.Applicants, model.Applicant{ID: pid, UnitID: fx.E1, Name: fmt.Sprintf("申报人%d", i),
			IDNumber: model.MakeIDNumber("12", "1990-01-15", i, i%2 == 0), Version: 1, UpdatedAt: now})
		w.Applications = append(w.Applications, model.Application{ID: aid, ApplicantID: pid, UnitID: fx.E1, Year: 2026,
			Series: "engineering", Level: model.LevelIntermediate, Method: model.MethodPanelReview,
			Stage: model.StageSubordinate, HolderUnitID: fx.D1a, Version: 3, UpdatedAt: now})
	}
	return w
}

// heavyMoves are n unit.update commands moving D1a to D1b and back.
func heavyMoves(c *testClient, ts *testServer, n int) []api.Command {
	u := unitOf(ts.t, ts, fx.D1a)
	cmds := make([]api.Command, n)
	for i := range cmds {
		u.ParentID = d1b
		if i%2 == 1 {
			u.ParentID = fx.D1
		}
		cmds[i] = c.command(api.CmdUnitUpdate, 0, api.UnitArgs{Unit: u})
	}
	return cmds
}

// rawPush is a push for a goroutine other than the test's: errors come back
// instead of failing the test from the wrong goroutine.
func rawPush(url, token, device string, cmds []api.Command) ([]api.CommandResult, error) {
	body, _ := json.Marshal(api.PushRequest{DeviceID: device, Commands: cmds})
	req, _ := http.NewRequest("POST", url+api.Base+"/sync/commands", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out api.PushResponse
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("push: HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	return out.Results, nil
}

// BenchmarkPushContention is issue 8 hole 6: while D1 pushes 500 heavy
// unit.update commands from one device, D2 pushes one-command pushes from
// another, one after the other; it reports D2's waits (p50, p99, max) and
// the heavy push's duration, with the push cut into transactions of
// Config.PushSlice (slice=20ms is the default; 50 and 10 ms for comparison) and in one transaction
// (slice=off, as before).
func BenchmarkPushContention(b *testing.B) {
	for _, mode := range []struct {
		name  string
		slice time.Duration
	}{{"slice=off", -1}, {"slice=50ms", 50 * time.Millisecond}, {"slice=20ms", DefaultPushSlice}, {"slice=10ms", 10 * time.Millisecond}} {
		b.Run(mode.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				ts := newTestServerWorld(b, contentionWorld(), func(c *Config) { c.PushSlice = mode.slice })
				heavy, light := ts.login(userDept1), ts.login(userDept2)
				cmds := heavyMoves(heavy, ts, api.MaxCommandsPerPush)
				b.StartTimer()
				waits, took := contend(b, ts, heavy, light, cmds)
				b.StopTimer()
				slices.Sort(waits)
				pct := func(p float64) float64 {
					return float64(waits[min(len(waits)-1, int(p*float64(len(waits))))].Microseconds()) / 1000
				}
				b.ReportMetric(took.Seconds(), "heavy-push-s")
				b.ReportMetric(float64(len(waits)), "short-pushes")
				b.ReportMetric(pct(0.5), "p50-ms")
				b.ReportMetric(pct(0.99), "p99-ms")
				b.ReportMetric(float64(waits[len(waits)-1].Microseconds())/1000, "max-ms")
				ts.stop()
			}
		})
	}
}

// contend runs the heavy push and, until it ends, one-command pushes from
// light; it returns each short push's duration and the heavy push's.
func contend(b *testing.B, ts *testServer, heavy, light *testClient, cmds []api.Command) ([]time.Duration, time.Duration) {
	done := make(chan error, 1)
	start := time.Now()
	var took time.Duration
	go func() {
		res, err := rawPush(ts.http.URL, heavy.token, heavy.device, cmds)
		took = time.Since(start)
		if err == nil && len(res) != len(cmds) {
			err = fmt.Errorf("%d results", len(res))
		}
		done <- err
	}()
	var waits []time.Duration
	for {
		select {
		case err := <-done:
			if err != nil {
				b.Fatal(err)
			}
			if len(waits) == 0 {
				b.Fatal("no short push ran during the heavy one")
			}
			return waits, took
		default:
		}
		cmd := light.command(api.CmdStockCommentSave, 0, api.StockCommentArgs{Comment: model.StockComment{
			ID: api.NewUUID(), Text: "同意", Position: 1}})
		t0 := time.Now()
		res, err := rawPush(ts.http.URL, light.token, light.device, []api.Command{cmd})
		if err != nil || len(res) != 1 || res[0].Status != api.StatusApplied {
			b.Fatalf("short push: %v %+v", err, res)
		}
		waits = append(waits, time.Since(t0))
	}
}

// TestPushLetsOtherWritersIn: a push with another writer waiting commits
// and lets it in — the structure behind BenchmarkPushContention's figures,
// checked without timing: D2's push starts while D1's first heavy command
// holds the write lock, and D2's command lands in the audit log before
// D1's last (on SQLite right after D1's first).
func TestPushLetsOtherWritersIn(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.PushSlice = time.Nanosecond })
	heavy, light := ts.login(userDept1), ts.login(userDept2)
	u := unitOf(t, ts, fx.D1a)
	var cmds []api.Command
	for i := 0; i < 20; i++ {
		u.ParentID = []string{fx.E2, fx.D1}[i%2]
		cmds = append(cmds, heavy.command(api.CmdUnitUpdate, 0, api.UnitArgs{Unit: u}))
	}
	short := light.command(api.CmdStockCommentSave, 0, api.StockCommentArgs{Comment: model.StockComment{ID: api.NewUUID(), Text: "同意", Position: 1}})
	shortDone := make(chan error, 1)
	var started atomic.Bool
	pushCommandRan = func(done int) {
		// D2's own push calls this too; only D1's first command starts it.
		if done != 1 || !started.CompareAndSwap(false, true) {
			return
		}
		go func() {
			res, err := rawPush(ts.http.URL, light.token, light.device, []api.Command{short})
			if err == nil && (len(res) != 1 || res[0].Status != api.StatusApplied) {
				err = fmt.Errorf("short push: %+v", res)
			}
			shortDone <- err
		}()
		// Hold D1's transaction until D2 queues for the write lock.
		if !ts.writerQueued(30 * time.Second) {
			panic("D2's push never queued for the write lock")
		}
	}
	defer func() { pushCommandRan = nil }()
	for i, r := range heavy.push(cmds...) {
		if r.Status != api.StatusApplied {
			t.Fatalf("heavy command %d: %+v", i, r.Problem)
		}
	}
	if err := <-shortDone; err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, e := range ts.auditEntries(0) {
		if e.Event == AuditCommand {
			order = append(order, e.Username)
		}
	}
	// SQLite hands the write connection to the waiting D2 at D1's first
	// commit; PostgreSQL's lock queue lets D1's next slice in now and then,
	// but D2 never waits for the whole push.
	at := slices.Index(order, userDept2)
	if len(order) != len(cmds)+1 || at < 1 || at >= len(cmds) {
		t.Fatalf("commands committed in the order %v: D2 waited for the whole push", order)
	}
	if ts.srv.dialect.name() == StoreSQLite && at != 1 {
		t.Fatalf("on SQLite D2 should follow D1's first command, came %d-th: %v", at+1, order)
	}
}

// writerQueued waits, up to limit, until another writer is blocked on the
// write lock this test's transaction holds: on SQLite, waiting for the
// single write connection; on PostgreSQL, a backend waiting on a lock.
func (ts *testServer) writerQueued(limit time.Duration) bool {
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); runtime.Gosched() {
		if ts.srv.waiting.Load() == 0 {
			continue
		}
		if ts.srv.dialect.name() == StoreSQLite {
			return true
		}
		var n int
		if err := ts.srv.reader.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND datname = current_database()`).Scan(&n); err == nil && n > 0 {
			return true
		}
	}
	return false
}
