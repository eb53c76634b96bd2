package server

import (
	"bytes"
	"net/http"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// TestNULInBookkeeping: U+0000 (which no PostgreSQL text column holds) in
// what the server records about a request without validating it first —
// the username tried, a command's type — is answered like any other bad
// value, on both stores, never with a 500.
func TestNULInBookkeeping(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userDept1)
	resp := ts.do("POST", api.Base+"/sessions", "", bytes.NewReader([]byte(
		`{"username":"dept1\u0000","password":"wrong-password","device_id":"`+api.NewUUID()+`"}`)))
	if p := problemOf(t, resp); p.Status != http.StatusUnauthorized || p.Code != model.CodeBadCredentials {
		t.Fatalf("login with U+0000 in the username: %+v", p)
	}
	cmd := c.command("stock_comment.save\u0000", 0, api.StockCommentArgs{})
	res := c.push(cmd)[0]
	if res.Status != api.StatusRejected || res.Problem == nil {
		t.Fatalf("command type with U+0000: %+v", res)
	}
	if again := c.push(cmd)[0]; again.Status != api.StatusDuplicate {
		t.Fatalf("its second delivery: %+v", again)
	}
	rep, err := ts.srv.VerifyAudit(t.Context())
	if err != nil || len(rep.Breaks) > 0 {
		t.Fatalf("audit chain: %+v %v", rep, err)
	}
}
