package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
	"titledesk/server"
	"titledesk/server/demo"
)

// TestAdminAuditAcceptance is issue 8's audit acceptance: a wrong login, a
// right one, a pass and an admin password reset are all read back from
// `titledesk-server admin audit`; editing one entry by SQL makes `admin
// audit verify` fail and name it.
func TestAdminAuditAcceptance(t *testing.T) {
	ctx := context.Background()
	st := newTestStore(t)
	srv, err := server.Open(ctx, st.cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	w, err := demo.Generate(demo.Options{Scale: 0.02, Seed: 1, Now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.ImportWorld(ctx, w); err != nil {
		t.Fatal(err)
	}
	var target string
	for _, a := range w.Applications {
		if a.Stage == model.StageSubordinate && a.HolderUnitID == demo.DemoDepartmentID {
			target = a.ID
			break
		}
	}
	if target == "" {
		t.Fatal("no application in the demo department's 下级单位人员审核")
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	post := func(path, token string, v, out any) int {
		b, _ := json.Marshal(v)
		req, _ := http.NewRequest("POST", hs.URL+api.Base+path, bytes.NewReader(b))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if out != nil {
			json.NewDecoder(resp.Body).Decode(out)
		}
		return resp.StatusCode
	}
	device := api.NewUUID()
	if status := post("/sessions", "", api.LoginRequest{Username: demo.DemoUsername, Password: "wrong-password", DeviceID: device}, nil); status != 401 {
		t.Fatalf("wrong login: %d", status)
	}
	var login api.LoginResponse
	if status := post("/sessions", "", api.LoginRequest{Username: demo.DemoUsername, Password: demo.DemoPassword, DeviceID: device}, &login); status != 200 {
		t.Fatalf("right login: %d", status)
	}
	args, _ := json.Marshal(api.PassArgs{ApplicationID: target, Opinion: "同意"})
	var pushed api.PushResponse
	post("/sync/commands", login.Token, api.PushRequest{DeviceID: device, Commands: []api.Command{
		{Seq: 1, ID: api.NewUUID(), Type: api.CmdApplicationPass, Args: args}}}, &pushed)
	if len(pushed.Results) != 1 || pushed.Results[0].Status != api.StatusApplied {
		t.Fatalf("pass: %+v", pushed)
	}
	var out bytes.Buffer
	if err := run(ctx, append(st.args("admin", "reset-password"), "--username", "dept02"),
		strings.NewReader("New#Password2026\n"), &out, &out); err != nil {
		t.Fatalf("reset-password: %v (%s)", err, out.String())
	}

	out.Reset()
	if err := run(ctx, append(st.args("admin", "audit"), "--csv", "--since", "24h"), nil, &out, &out); err != nil {
		t.Fatalf("admin audit: %v", err)
	}
	records, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(records) < 5 {
		t.Fatalf("admin audit CSV: %v, %d lines", err, len(records))
	}
	col := map[string]int{}
	for i, name := range records[0] {
		col[name] = i
	}
	want := []struct{ event, username, typ, entity, result, code string }{
		{server.AuditLoginFailed, demo.DemoUsername, "", "", "", model.CodeBadCredentials},
		{server.AuditLogin, demo.DemoUsername, "", "", "ok", ""},
		{server.AuditCommand, demo.DemoUsername, api.CmdApplicationPass, target, api.StatusApplied, ""},
		{server.AuditAdmin, "cli:", "reset-password", "", "ok", ""},
	}
	next := 1
	for _, w := range want {
		found := false
		for ; next < len(records) && !found; next++ {
			r := records[next]
			found = r[col["event"]] == w.event && strings.HasPrefix(r[col["username"]], w.username) &&
				r[col["command_type"]] == w.typ && (w.entity == "" || r[col["entity_id"]] == w.entity) &&
				r[col["result"]] == w.result && r[col["code"]] == w.code
		}
		if !found {
			t.Fatalf("admin audit does not list %+v in order:\n%v", w, records)
		}
	}
	if r := records[1]; r[col["address"]] != "127.0.0.1" || r[col["device_id"]] != device {
		t.Fatalf("the failed login lacks address or device: %v", r)
	}
	out.Reset()
	if err := run(ctx, append(st.args("admin", "audit"), "--entity", target), nil, &out, &out); err != nil ||
		strings.Count(out.String(), target) != 1 {
		t.Fatalf("--entity: %v\n%s", err, out.String())
	}

	out.Reset()
	if err := run(ctx, st.args("admin", "audit", "verify"), nil, &out, &out); err != nil {
		t.Fatalf("verify of an intact log: %v\n%s", err, out.String())
	}
	db := st.raw()
	for _, q := range append(st.unguard, `UPDATE audit_log SET result = 'rejected' WHERE event = 'command'`) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var seq string
	db.QueryRow(`SELECT seq FROM audit_log WHERE event = 'command'`).Scan(&seq)
	out.Reset()
	err = run(ctx, st.args("admin", "audit", "verify"), nil, &out, &out)
	if !errors.Is(err, errAuditBroken) || !strings.Contains(out.String(), "第"+seq+"条") {
		t.Fatalf("verify after an edit: %v\n%s", err, out.String())
	}
}
