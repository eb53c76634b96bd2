package server

import (
	"encoding/base64"
	"net/http"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// loginOn logs username in on a given device and returns the client, or
// the problem when the login is refused.
func (ts *testServer) loginOn(username, device string) (*testClient, *api.Problem) {
	ts.t.Helper()
	c := &testClient{ts: ts, device: device}
	resp := ts.do("POST", api.Base+"/sessions", "", jsonBody(ts.t, api.LoginRequest{Username: username,
		Password: testPassword, DeviceID: device}))
	if resp.StatusCode != http.StatusOK {
		p := problemOf(ts.t, resp)
		return nil, &p
	}
	decodeInto(ts.t, resp, &c.login)
	c.token = c.login.Token
	return c, nil
}

// TestDeviceBoundToFirstAccount is issue 8 hole 3: D2 pushes seq 1 on
// device D; D1 then presents D at login and at push. Both are refused with
// device_in_use (409, Chinese detail), D1's command never reaches D2's
// stored result, and nothing of the official record is written.
func TestDeviceBoundToFirstAccount(t *testing.T) {
	ts := newTestServer(t)
	d2 := ts.login(userDept2)
	d2.mustApply(api.CmdStockCommentSave, 0, api.StockCommentArgs{Comment: model.StockComment{ID: api.NewUUID(), Text: "同意", Position: 1}})
	shared := d2.device

	before, head := ts.recordDigest(), ts.auditHead()
	if _, p := ts.loginOn(userDept1, shared); p == nil || p.Status != http.StatusConflict || p.Code != model.CodeDeviceInUse || p.Detail == "" {
		t.Fatalf("login with another account's device: %+v", p)
	}
	if n := ts.count(`SELECT COUNT(*) FROM sessions WHERE device_id = ? AND account_id = ?`, shared, uid(102)); n != 0 {
		t.Fatalf("a session was opened on the other account's device")
	}
	// A session on the device that predates the binding (an old database)
	// cannot push on it either.
	token := base64.RawURLEncoding.EncodeToString([]byte("legacy-session-token-of-dept1-000"))
	if _, err := ts.srv.writer.Exec(`INSERT INTO sessions(token_hash, account_id, device_id, created_at, last_seen, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, hashToken(token), uid(102), shared, ts.clock.Now().UnixMilli(), ts.clock.Now().UnixMilli(),
		ts.clock.Now().Add(DefaultAbsoluteTimeout).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	attacker := &testClient{ts: ts, token: token, device: shared}
	cmd := attacker.command(api.CmdStockCommentSave, 0, api.StockCommentArgs{Comment: model.StockComment{ID: api.NewUUID(), Text: "越权", Position: 1}})
	var p api.Problem
	if status := ts.doJSON("POST", api.Base+"/sync/commands", token, api.PushRequest{DeviceID: shared,
		Commands: []api.Command{cmd}}, &p); status != http.StatusConflict || p.Code != model.CodeDeviceInUse {
		t.Fatalf("push on another account's device: %d %+v", status, p)
	}
	if after := ts.recordDigest(); after != before {
		t.Fatal("the refused login or push wrote to the record")
	}
	if n := ts.count(`SELECT COUNT(*) FROM command_results WHERE account_id = ?`, uid(102)); n != 0 {
		t.Fatalf("%d results stored for the refused push", n)
	}
	entries := ts.auditEntries(head)
	if len(entries) != 1 || entries[0].Event != AuditLoginFailed || entries[0].Code != model.CodeDeviceInUse ||
		entries[0].Username != userDept1 || entries[0].DeviceID != shared {
		t.Fatalf("audit of the refused login: %+v", entries)
	}
	// D2 keeps its device.
	d2.mustApply(api.CmdStockCommentSave, 0, api.StockCommentArgs{Comment: model.StockComment{ID: api.NewUUID(), Text: "再次", Position: 2}})
}

// TestCommandIDAnsweredOnce: a command id the server holds for the account
// is answered duplicate with the stored result whatever device or seq it
// arrives with, and never runs twice; another account's identical command
// id is its own command.
func TestCommandIDAnsweredOnce(t *testing.T) {
	ts := newTestServer(t)
	laptop, desktop := ts.login(userDept1), ts.login(userDept1)
	commentID := api.NewUUID()
	cmd := laptop.command(api.CmdStockCommentSave, 0, api.StockCommentArgs{Comment: model.StockComment{ID: commentID, Text: "同意推荐", Position: 1}})
	first := laptop.push(cmd)[0]
	if first.Status != api.StatusApplied {
		t.Fatalf("first: %+v", first)
	}
	cases := []struct {
		name   string
		client *testClient
		seq    int64
	}{
		{"same device, new seq", laptop, 9},
		{"other device, seq 1", desktop, 1},
		{"other device, seq 40", desktop, 40},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := ts.recordDigest()
			again := cmd
			again.Seq = tc.seq
			res := tc.client.push(again)[0]
			if res.Status != api.StatusDuplicate || res.Original != api.StatusApplied || res.EntityID != commentID ||
				res.Version != first.Version || res.ID != cmd.ID || res.Seq != tc.seq {
				t.Fatalf("got %+v, want duplicate of %+v", res, first)
			}
			if ts.recordDigest() != before {
				t.Fatal("a redelivered command wrote to the record")
			}
		})
	}
	// The same command id from another account is that account's command.
	other := ts.login(userDept2)
	foreign := cmd
	foreign.Seq = 1
	foreign.Args = jsonRaw(t, api.StockCommentArgs{Comment: model.StockComment{ID: api.NewUUID(), Text: "另一账户", Position: 1}})
	if res := other.push(foreign)[0]; res.Status != api.StatusApplied {
		t.Fatalf("another account's command with the same id: %+v", res)
	}
}
