package server

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/internal/storetest"
	"titledesk/model"
)

// TestSeqReused: a (device, seq) arriving with another command id than the
// one stored answers seq_reused — nothing runs, nothing is stored — while
// the stored command itself, on any seq, stays duplicate.
func TestSeqReused(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userAppl1)
	first := c.command(api.CmdApplicationSubmit, 1, api.ApplicationRefArgs{ApplicationID: fx.A1})
	if res := c.push(first)[0]; res.Status != api.StatusApplied {
		t.Fatalf("first: %+v", res)
	}
	withdraw := func(seq int64, id string) api.Command {
		return api.Command{Seq: seq, ID: id, Type: api.CmdApplicationWithdraw,
			Args: []byte(mustJSON(api.ApplicationRefArgs{ApplicationID: fx.A1}))}
	}
	tests := []struct {
		name   string
		cmd    api.Command
		status string
	}{
		{"another command on a used seq", withdraw(first.Seq, api.NewUUID()), api.StatusSeqReused},
		{"the same command again", first, api.StatusDuplicate},
		{"the same command on another seq", api.Command{Seq: first.Seq + 10, ID: first.ID, Type: first.Type,
			BaseVersion: first.BaseVersion, Args: first.Args}, api.StatusDuplicate},
		{"another command on a new seq runs (refused: applicants do not withdraw)", withdraw(first.Seq+1, api.NewUUID()), api.StatusRejected},
		{"and its seq is now taken too", withdraw(first.Seq+1, api.NewUUID()), api.StatusSeqReused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ts.count(`SELECT COUNT(*) FROM command_results`)
			version := ts.appOf(fx.A1).Version
			res := c.push(tt.cmd)[0]
			if res.Status != tt.status || res.ID != tt.cmd.ID || res.Seq != tt.cmd.Seq {
				t.Fatalf("%+v, want %s", res, tt.status)
			}
			if tt.status != api.StatusSeqReused {
				return
			}
			if res.Problem == nil || res.Problem.Code != api.CodeSeqReused || !strings.Contains(res.Problem.Detail, "设备") {
				t.Errorf("problem %+v", res.Problem)
			}
			if ts.count(`SELECT COUNT(*) FROM command_results`) != before || ts.appOf(fx.A1).Version != version {
				t.Error("a seq_reused command ran or was stored")
			}
		})
	}
	if n := ts.count(`SELECT COUNT(*) FROM audit_log WHERE event = ? AND result = ?`, AuditCommand, api.StatusSeqReused); n != 2 {
		t.Errorf("%d seq_reused answers audited, want 2", n)
	}
}

// TestPushMovesToANewDevice: a session may push with a device id nobody has
// used (a restored or copied cache renewing its id): it is bound to the
// account and becomes the session's. Another device of the same account or
// of another account is refused, and so is the old device afterwards.
func TestPushMovesToANewDevice(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userDept1)
	sibling := ts.login(userDept1) // another computer of the same account
	stranger := ts.login(userDept2)
	push := func(device string) (int, api.PushResponse, api.Problem) {
		var resp api.PushResponse
		var prob api.Problem
		body := api.PushRequest{DeviceID: device, Commands: []api.Command{}}
		status := ts.doJSON("POST", api.Base+"/sync/commands", c.token, body, &resp)
		if status != http.StatusOK {
			ts.doJSON("POST", api.Base+"/sync/commands", c.token, body, &prob)
		}
		return status, resp, prob
	}
	fresh, old := api.NewUUID(), c.device
	tests := []struct {
		name   string
		device string
		status int
		code   string
	}{
		{"another device of the same account", sibling.device, 403, model.CodeForbidden},
		{"another account's device", stranger.device, 409, model.CodeDeviceInUse},
		{"a device id nobody used", fresh, 200, ""},
		{"the new device again", fresh, 200, ""},
		{"the old device is no longer the session's", old, 403, model.CodeForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, prob := push(tt.device)
			if status != tt.status || prob.Code != tt.code {
				t.Fatalf("status %d %+v, want %d %s", status, prob, tt.status, tt.code)
			}
		})
	}
	if owner := ts.count(`SELECT COUNT(*) FROM devices WHERE device_id = ? AND account_id = (SELECT account_id FROM sessions WHERE device_id = ?)`, fresh, fresh); owner != 1 {
		t.Error("the new device is not bound to the account, or not the session's")
	}
	if n := ts.count(`SELECT COUNT(*) FROM audit_log WHERE event = ? AND device_id = ?`, AuditDeviceChanged, fresh); n != 1 {
		t.Errorf("%d device changes audited, want 1", n)
	}
	// Seqs start again from 1 on the new device without colliding.
	c.device = fresh
	c.seq = 0
	if res := c.run(api.CmdStockCommentSave, 0, api.StockCommentArgs{Comment: model.StockComment{ID: api.NewUUID(), Text: "同意"}}); res.Status != api.StatusApplied {
		t.Fatalf("first command on the new device: %+v", res)
	}
}

// TestCursorGeneration: the cursor carries the database's generation; a
// cursor of another generation or ahead of the feed is cursor_reset (410);
// a bare seq from a server before generations is accepted up to the head.
func TestCursorGeneration(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userDept1)
	_, cursor := c.pullAll("", nil)
	gen, seqText, ok := strings.Cut(cursor, ".")
	if live := ts.generation(); !ok || gen != live || len(gen) != 32 {
		t.Fatalf("cursor %q does not carry the generation %q", cursor, live)
	}
	other := strings.Repeat("0", 32)
	tests := []struct {
		name   string
		cursor string
		status int
		code   string
	}{
		{"its own cursor", cursor, 200, ""},
		{"empty", "", 200, ""},
		{"another generation", other + "." + seqText, 410, api.CodeCursorReset},
		{"another generation at 0", other + ".0", 410, api.CodeCursorReset},
		{"ahead of the feed", gen + ".999999", 410, api.CodeCursorReset},
		{"bare seq up to the head", seqText, 200, ""},
		{"bare seq ahead of the head", "999999", 410, api.CodeCursorReset},
		{"malformed generation", "xyz.5", 422, model.CodeBadRequest},
		{"negative", gen + ".-1", 422, model.CodeBadRequest},
		{"not a number", gen + ".abc", 422, model.CodeBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var prob api.Problem
			status := ts.doJSON("GET", api.Base+"/sync/changes?cursor="+tt.cursor, c.token, nil, &prob)
			if status != tt.status || (tt.code != "" && prob.Code != tt.code) {
				t.Fatalf("status %d code %q, want %d %q", status, prob.Code, tt.status, tt.code)
			}
			if tt.status == 410 && !strings.Contains(prob.Detail, "备份") {
				t.Errorf("detail %q", prob.Detail)
			}
		})
	}
}

// generation is the database's generation.
func (ts *testServer) generation() string {
	ts.t.Helper()
	g, err := generationOf(context.Background(), ts.srv.reader)
	if err != nil {
		ts.t.Fatal(err)
	}
	return g
}

// TestBackupAndRestore: a backup copy has a generation of its own, and so
// has every restore of it; after a restore a client's session of before
// answers 401, and once it has logged in again its cursor from the live
// server answers cursor_reset, and a pull from the start gives the
// backup's state — without what happened after the backup.
func TestBackupAndRestore(t *testing.T) {
	if storetest.Postgres() {
		t.Skip("SQLite's backup and restore (PostgreSQL: pg_dump, then admin new-generation)")
	}
	ctx := context.Background()
	ts := newTestServer(t)
	appl := ts.login(userAppl1)
	dept := ts.login(userDept1)
	_, before := dept.pullAll("", nil)
	live := ts.generation()

	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := BackupSQLite(ctx, ts.dir, backup); err != nil {
		t.Fatal(err)
	}
	appl.mustApply(api.CmdApplicationSubmit, 1, api.ApplicationRefArgs{ApplicationID: fx.A1}) // after the backup
	_, after := dept.pullAll(before, nil)

	var gens []string
	for i := 0; i < 2; i++ {
		ts.stop()
		if err := RestoreSQLite(ctx, backup, ts.dir); err != nil {
			t.Fatal(err)
		}
		ts.start()
		gens = append(gens, ts.generation())
		if ts.appOf(fx.A1).Stage != model.StageDraft {
			t.Fatal("the restored database holds what happened after the backup")
		}
		var prob api.Problem
		if status := ts.doJSON("GET", api.Base+"/sync/changes", dept.token, nil, &prob); status != http.StatusUnauthorized {
			t.Errorf("restore %d: the session of before answers %d, want 401", i+1, status)
		}
		dept = ts.login(userDept1)
		for _, cur := range []string{before, after} {
			if status := ts.doJSON("GET", api.Base+"/sync/changes?cursor="+cur, dept.token, nil, &prob); status != 410 || prob.Code != api.CodeCursorReset {
				t.Errorf("restore %d, cursor %s: status %d %s", i+1, cur, status, prob.Code)
			}
		}
		state, _ := dept.pullAll("", nil)
		var app model.Application
		state.decode(t, api.KindApplication, fx.A1, &app)
		if app.Stage != model.StageDraft {
			t.Errorf("pulled again: %s", app.Stage)
		}
	}
	if gens[0] == live || gens[1] == live || gens[0] == gens[1] {
		t.Errorf("generations live %s, restores %v: want all different", live, gens)
	}
}

// TestNewGeneration: after a restore by other means (a PostgreSQL dump),
// admin new-generation ends every session and makes every cursor of before
// answer cursor_reset, and says so in the audit log.
func TestNewGeneration(t *testing.T) {
	ts := newTestServer(t)
	dept := ts.login(userDept1)
	_, cursor := dept.pullAll("", nil)
	g, err := ts.srv.NewGeneration(context.Background(), "dump-2026-03-01")
	if err != nil || g == "" || g != ts.generation() {
		t.Fatalf("new generation %q: %v", g, err)
	}
	var prob api.Problem
	if status := ts.doJSON("GET", api.Base+"/sync/changes?cursor="+cursor, dept.token, nil, &prob); status != http.StatusUnauthorized {
		t.Errorf("old session: %d, want 401", status)
	}
	dept = ts.login(userDept1)
	if status := ts.doJSON("GET", api.Base+"/sync/changes?cursor="+cursor, dept.token, nil, &prob); status != 410 {
		t.Errorf("old cursor: %d", status)
	}
	if n := ts.count(`SELECT COUNT(*) FROM audit_log WHERE command_type = 'new_generation'`); n != 1 {
		t.Errorf("%d audit entries", n)
	}
}

// TestAuditChainAfterRestore: the audit log restored with its database is
// the backup's chain; the restore's own entry (admin restore = RestoreSQLite
// then NewGeneration) and everything after it continue that chain, which
// verifies whole; what was logged after the backup is gone with the rest.
func TestAuditChainAfterRestore(t *testing.T) {
	if storetest.Postgres() {
		t.Skip("SQLite's backup and restore (PostgreSQL: pg_dump, then admin new-generation)")
	}
	ctx := context.Background()
	ts := newTestServer(t)
	ts.login(userDept1)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := BackupSQLite(ctx, ts.dir, backup); err != nil {
		t.Fatal(err)
	}
	atBackup := ts.count(`SELECT COUNT(*) FROM audit_log`)
	ts.login(userAppl1).mustApply(api.CmdApplicationSubmit, 1, api.ApplicationRefArgs{ApplicationID: fx.A1})
	ts.stop()
	if err := RestoreSQLite(ctx, backup, ts.dir); err != nil {
		t.Fatal(err)
	}
	ts.start()
	if _, err := ts.srv.NewGeneration(ctx, backup); err != nil {
		t.Fatal(err)
	}
	ts.login(userAppl1).mustApply(api.CmdApplicationSubmit, 1, api.ApplicationRefArgs{ApplicationID: fx.A1})
	rep, err := ts.srv.VerifyAudit(ctx)
	if err != nil || len(rep.Breaks) > 0 {
		t.Fatalf("audit chain after the restore: %+v %v", rep, err)
	}
	// The backup's entries, the restore's, and a login and a command after it.
	if want := atBackup + 3; rep.Entries != want {
		t.Errorf("%d entries, want %d", rep.Entries, want)
	}
	if n := ts.count(`SELECT COUNT(*) FROM audit_log WHERE command_type = 'new_generation' AND detail LIKE '%' || ? || '%'`, backup); n != 1 {
		t.Errorf("the restore is audited %d times naming its backup", n)
	}
}

// TestRestoreEndsSessions: a database under a new generation knows no
// session of before — whatever the operator did to the session or its
// account after the backup (a logout, a lock, a password reset), the
// restore would otherwise bring the token back. Both ways to a new
// generation are covered: admin restore (SQLite) and NewGeneration after a
// dump is restored (both stores).
func TestRestoreEndsSessions(t *testing.T) {
	ctx := context.Background()
	revoke := map[string]func(ts *testServer, c *testClient){
		"nothing": func(*testServer, *testClient) {},
		"logout": func(ts *testServer, c *testClient) {
			ts.doJSON("DELETE", api.Base+"/sessions/current", c.token, nil, nil)
		},
		"lock": func(ts *testServer, _ *testClient) {
			if err := ts.srv.LockAccount(ctx, userDept1); err != nil {
				t.Fatal(err)
			}
		},
		"password reset": func(ts *testServer, _ *testClient) {
			if err := ts.srv.ResetPassword(ctx, userDept1, "另一个密码-2026"); err != nil {
				t.Fatal(err)
			}
		},
	}
	for _, how := range []string{"admin restore", "new generation"} {
		for what, after := range revoke {
			t.Run(how+" after "+what, func(t *testing.T) {
				if how == "admin restore" && storetest.Postgres() {
					t.Skip("SQLite's backup and restore")
				}
				ts := newTestServer(t)
				c := ts.login(userDept1)
				other := ts.login(userDept2)
				backup := filepath.Join(t.TempDir(), "backup.db")
				if how == "admin restore" {
					if _, err := BackupSQLite(ctx, ts.dir, backup); err != nil {
						t.Fatal(err)
					}
				}
				after(ts, c)
				if how == "admin restore" {
					ts.stop()
					if err := RestoreSQLite(ctx, backup, ts.dir); err != nil {
						t.Fatal(err)
					}
					ts.start()
				}
				if _, err := ts.srv.NewGeneration(ctx, backup); err != nil {
					t.Fatal(err)
				}
				for _, tok := range []string{c.token, other.token} {
					var prob api.Problem
					if status := ts.doJSON("GET", api.Base+"/sync/changes", tok, nil, &prob); status != http.StatusUnauthorized {
						t.Errorf("a session of before answers %d %s, want 401", status, prob.Code)
					}
				}
				if n := ts.count(`SELECT COUNT(*) FROM sessions`); n != 0 {
					t.Errorf("%d sessions survive the new generation", n)
				}
			})
		}
	}
}
