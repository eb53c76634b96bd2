package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	gosync "sync"
	"testing"

	"titledesk/api"
	"titledesk/internal/storetest"
	"titledesk/model"
)

// Several servers on one PostgreSQL database (OPS-1). The second server is
// a separate *Server with its own pools over the same database: nothing in
// one process is shared with the other, as with two processes (the
// command-line test in cmd/titledesk-server runs two real ones).

// twoServers starts the fixture world on a fresh PostgreSQL schema behind
// two servers.
func twoServers(t *testing.T) (a, b *testServer) {
	t.Helper()
	url := storetest.RequirePostgres(t)
	a = newTestServer(t, func(c *Config) { c.Database = url })
	b = &testServer{t: t, dir: t.TempDir(), clock: a.clock, cfg: a.cfg}
	b.start()
	t.Cleanup(b.stop)
	return a, b
}

// on returns a copy of the client that talks to another server of the
// same database with the same session and device.
func (c *testClient) on(ts *testServer) *testClient {
	cc := *c
	cc.ts = ts
	return &cc
}

// TestTwoServersExactlyOnce: two devices push interleaved batches, every
// batch delivered to both servers at once, while both devices pull through
// either server. Every command is applied exactly once (one delivery
// answers it, the other answers duplicate with the same result), the
// database holds one effect and one stored result per command, the audit
// chain has one head, and a feed read piecemeal during the pushes ends
// equal to one read from scratch: no reader passed a change that committed
// later with a lower sequence number.
func TestTwoServersExactlyOnce(t *testing.T) {
	a, b := twoServers(t)
	const rounds, perBatch = 30, 4
	type device struct {
		c         *testClient
		recipient string
	}
	devices := []device{{a.login(userDept1), fx.E1}, {a.login(userDept2), fx.E3}}
	readers := []*testClient{devices[0].c, devices[1].c, a.login(userEmp1), a.login(userEmp3)}

	stop := make(chan struct{})
	var rwg gosync.WaitGroup
	pieces := make([]feedState, len(readers))
	cursors := make([]string, len(readers))
	for i, r := range readers {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			servers := []*testServer{a, b}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				if pieces[i], cursors[i], err = r.on(servers[n%2]).tryPullAll(cursors[i], pieces[i]); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}

	var comments, messages int
	for round := range rounds {
		var wg gosync.WaitGroup
		answers := make([][2][]api.CommandResult, len(devices))
		for d, dev := range devices {
			var cmds []api.Command
			for k := range perBatch {
				if k%2 == 0 {
					comments++
					cmds = append(cmds, dev.c.command(api.CmdStockCommentSave, 0, api.StockCommentArgs{
						Comment: model.StockComment{ID: api.NewUUID(), Text: fmt.Sprintf("第%d轮意见%d", round, k), Position: k}}))
					continue
				}
				messages++
				cmds = append(cmds, dev.c.command(api.CmdMessageSend, 0, api.MessageSendArgs{MessageID: api.NewUUID(),
					Title: fmt.Sprintf("通知%d-%d", round, k), Body: "请按时报送材料。",
					Recipients: []model.Recipient{{Kind: model.RecipientUnit, ID: dev.recipient}}}))
			}
			for s, srv := range []*testServer{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var err error
					if answers[d][s], err = dev.c.on(srv).tryPush(cmds...); err != nil {
						t.Error(err)
					}
				}()
			}
		}
		wg.Wait()
		if t.Failed() {
			close(stop)
			rwg.Wait()
			t.FailNow()
		}
		for d := range devices {
			for i := range answers[d][0] {
				checkOnce(t, answers[d][0][i], answers[d][1][i])
			}
		}
	}
	close(stop)
	rwg.Wait()

	total := int64(rounds * perBatch * len(devices))
	if got := a.count(`SELECT COUNT(*) FROM command_results`); got != total {
		t.Fatalf("%d stored results for %d commands", got, total)
	}
	if got := a.count(`SELECT COUNT(*) FROM stock_comments`); got != int64(comments) {
		t.Fatalf("%d stock comments for %d save commands", got, comments)
	}
	if got := a.count(`SELECT COUNT(*) FROM messages`); got != int64(messages) {
		t.Fatalf("%d messages for %d send commands", got, messages)
	}
	if got := a.count(`SELECT COUNT(*) FROM audit_log WHERE event = ?`, AuditCommand); got != 2*total {
		t.Fatalf("%d command audit entries for %d deliveries", got, 2*total)
	}
	for _, ts := range []*testServer{a, b} {
		rep, err := ts.srv.VerifyAudit(t.Context())
		if err != nil || len(rep.Breaks) > 0 {
			t.Fatalf("audit chain: %+v %v", rep, err)
		}
	}
	for i, r := range readers {
		pieces[i], _ = r.on(b).pullAll(cursors[i], pieces[i])
		whole, _ := r.on(a).pullAll("", nil)
		if fmt.Sprint(sortedKeys(pieces[i])) != fmt.Sprint(sortedKeys(whole)) {
			t.Fatalf("reader %d: the feed read during the pushes (%d entities) differs from one read from scratch (%d)",
				i, len(pieces[i]), len(whole))
		}
		for k, ch := range whole {
			if p := pieces[i][k]; p.Version != ch.Version || p.Op != ch.Op || string(p.Data) != string(ch.Data) {
				t.Fatalf("reader %d: %s is %s v%d read piecemeal, %s v%d from scratch", i, k, p.Op, p.Version, ch.Op, ch.Version)
			}
		}
	}
}

// tryPush is push for goroutines other than the test's: it reports
// failures instead of stopping the test.
func (c *testClient) tryPush(cmds ...api.Command) ([]api.CommandResult, error) {
	body, err := json.Marshal(api.PushRequest{DeviceID: c.device, Commands: cmds})
	if err != nil {
		return nil, err
	}
	resp, err := c.ts.request("POST", api.Base+"/sync/commands", c.token, body)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out api.PushResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || len(out.Results) != len(cmds) {
		return nil, fmt.Errorf("push: status %d, %d results for %d commands (%v)", resp.StatusCode, len(out.Results), len(cmds), err)
	}
	return out.Results, nil
}

// tryPullAll is pullAll for goroutines other than the test's.
func (c *testClient) tryPullAll(cursor string, state feedState) (feedState, string, error) {
	if state == nil {
		state = feedState{}
	}
	for {
		resp, err := c.ts.request("GET", fmt.Sprintf("%s/sync/changes?cursor=%s&limit=%d", api.Base, cursor, api.MaxChangesPerPage), c.token, nil)
		if err != nil {
			return state, cursor, err
		}
		var page api.ChangesResponse
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return state, cursor, fmt.Errorf("pull: status %d (%v)", resp.StatusCode, err)
		}
		for _, ch := range page.Changes {
			state[key(ch.Kind, ch.ID)] = ch
		}
		cursor = page.Cursor
		if !page.HasMore {
			return state, cursor, nil
		}
	}
}

// request sends one request without touching the test.
func (ts *testServer) request(method, path, token string, body []byte) (*http.Response, error) {
	req, err := http.NewRequest(method, ts.http.URL+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return http.DefaultClient.Do(req)
}

// checkOnce: of two deliveries of one command, one answered it and the
// other answered duplicate with the same outcome.
func checkOnce(t *testing.T, x, y api.CommandResult) {
	t.Helper()
	if x.Status == api.StatusDuplicate {
		x, y = y, x
	}
	if x.Status == api.StatusDuplicate || y.Status != api.StatusDuplicate || y.Original != x.Status ||
		y.EntityID != x.EntityID || y.Version != x.Version {
		t.Fatalf("command %d answered %+v and %+v", x.Seq, x, y)
	}
	if x.Status != api.StatusApplied {
		t.Fatalf("command %d: %s %+v", x.Seq, x.Status, x.Problem)
	}
}

func sortedKeys(s feedState) []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestTwoServersStartTogether: servers starting at once on an empty
// database apply each migration once and seed one calendar and one copy of
// each built-in rule set.
func TestTwoServersStartTogether(t *testing.T) {
	url := storetest.RequirePostgres(t)
	const n = 4
	errs := make(chan error, n)
	servers := make(chan *Server, n)
	for range n {
		go func() {
			srv, err := Open(context.Background(), Config{Database: url})
			errs <- err
			servers <- srv
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		srv := <-servers
		defer srv.Close()
	}
	db := storetest.Open(t, url)
	var versions, calendars, ruleSets, feed int
	db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&versions)
	db.QueryRow(`SELECT COUNT(*) FROM calendar`).Scan(&calendars)
	db.QueryRow(`SELECT COUNT(*) FROM rule_sets`).Scan(&ruleSets)
	db.QueryRow(`SELECT COUNT(*) FROM feed`).Scan(&feed)
	all, _ := loadMigrations(StorePostgres)
	builtin := len(model.DefaultRuleSets())
	if versions != len(all) || calendars != 1 || ruleSets != builtin || feed != 1+builtin {
		t.Fatalf("%d migrations recorded (want %d), %d calendars, %d rule sets (want %d), %d feed rows",
			versions, len(all), calendars, ruleSets, builtin, feed)
	}
}

// TestCalendarSharedBetweenServers: a calendar one server stores counts on
// the other from the next command on (no copy kept from start-up).
func TestCalendarSharedBetweenServers(t *testing.T) {
	a, b := twoServers(t)
	ctx := t.Context()
	before, err := b.srv.calendarAt(ctx, b.srv.reader)
	if err != nil {
		t.Fatal(err)
	}
	day := model.Date("2026-03-04") // a Wednesday
	if !before.IsWorkingDay(day) {
		t.Fatalf("%v is a holiday before the change", day)
	}
	if err := a.srv.SetCalendar(ctx, []model.CalendarEntry{{Date: day, Kind: model.CalendarHoliday, Name: "测试假日"}}); err != nil {
		t.Fatal(err)
	}
	after, err := b.srv.calendarAt(ctx, b.srv.reader)
	if err != nil {
		t.Fatal(err)
	}
	if after.IsWorkingDay(day) {
		t.Fatal("the other server still counts the old calendar")
	}
}
