package server

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// TestMalformedRequests: every malformed request answers a clean problem
// and writes nothing.
func TestMalformedRequests(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userDept1)
	push := api.Base + "/sync/commands"
	oversized := `{"device_id":"` + c.device + `","commands":[],"pad":"` + strings.Repeat("x", api.MaxJSONBody) + `"}`
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"bad json", "POST", push, `{"device_id":`, 422, model.CodeBadRequest},
		{"unknown field", "POST", push, `{"device_id":"` + c.device + `","commands":[],"x":1}`, 422, model.CodeBadRequest},
		{"wrong type", "POST", push, `{"device_id":"` + c.device + `","commands":"many"}`, 422, model.CodeBadRequest},
		{"trailing data", "POST", push, `{"device_id":"` + c.device + `","commands":[]} {}`, 422, model.CodeBadRequest},
		{"oversized body", "POST", push, oversized, 413, model.CodeTooLarge},
		{"bad login json", "POST", api.Base + "/sessions", `[1,2]`, 422, model.CodeBadRequest},
		{"unknown route", "GET", api.Base + "/nothing", "", 404, model.CodeNotFound},
		{"root", "GET", "/", "", 404, model.CodeNotFound},
		{"wrong method", "PUT", push, "", 405, codeMethodNotAllowed},
		{"wrong method on sessions", "GET", api.Base + "/sessions", "", 405, codeMethodNotAllowed},
		{"bad limit", "GET", api.Base + "/sync/changes?limit=ten", "", 422, model.CodeBadRequest},
		// Issue 8 hole 11: what used to slip past the contract.
		{"null push body", "POST", push, `null`, 422, model.CodeBadRequest},
		{"null login body", "POST", api.Base + "/sessions", ` null `, 422, model.CodeBadRequest},
		{"list push body", "POST", push, `[]`, 422, model.CodeBadRequest},
		{"dot-dot in the path", "GET", api.Base + "/sync/../sync/changes", "", 404, model.CodeNotFound},
		{"dot-dot past the base", "GET", api.Base + "/../../etc/passwd", "", 404, model.CodeNotFound},
		{"double slash", "GET", api.Base + "//sync/changes", "", 404, model.CodeNotFound},
		{"dot segment", "POST", api.Base + "/./sync/commands", "{}", 404, model.CodeNotFound},
		{"trailing slash", "GET", api.Base + "/health/", "", 404, model.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ts.writes()
			resp := ts.do(tt.method, tt.path, c.token, bytes.NewReader([]byte(tt.body)))
			if resp.StatusCode != tt.status {
				resp.Body.Close()
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			p := problemOf(t, resp)
			if p.Code != tt.code || p.Detail == "" {
				t.Fatalf("problem %+v, want code %s", p, tt.code)
			}
			if after := ts.writes(); after != before {
				t.Fatalf("wrote something: %v → %v", before, after)
			}
		})
	}
}

func TestHealth(t *testing.T) {
	ts := newTestServer(t)
	resp := ts.do("GET", api.Base+"/health", "", nil)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("health: %d", resp.StatusCode)
	}
}

// TestRestartKeepsData: nothing acknowledged is lost across a restart, and
// exactly-once still holds for redeliveries after it.
func TestRestartKeepsData(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userAppl1)
	cmd := c.command(api.CmdApplicationSubmit, 1, api.ApplicationRefArgs{ApplicationID: fx.A1})
	if res := c.push(cmd)[0]; res.Status != api.StatusApplied {
		t.Fatalf("%+v", res)
	}
	file := c.upload(testPDF(3), "材料.pdf", model.AttachApplicant)
	state, cursor := c.pullAll("", nil)

	ts.restart()

	if res := c.push(cmd)[0]; res.Status != api.StatusDuplicate || res.Original != api.StatusApplied {
		t.Fatalf("redelivery after restart: %+v (the session must survive too)", res)
	}
	if app := ts.appOf(fx.A1); app.Stage != model.StageUnitReview || app.Version != 2 {
		t.Fatalf("application after restart: %s v%d", app.Stage, app.Version)
	}
	again, _ := ts.login(userAppl1).pullAll("", nil)
	if len(again) != len(state) {
		t.Fatalf("feed has %d entities after restart, %d before", len(again), len(state))
	}
	if page := c.pull(cursor, 10); len(page.Changes) != 0 {
		t.Fatalf("the old cursor replays %d changes", len(page.Changes))
	}
	resp := ts.do("GET", api.Base+"/attachments/"+file.SHA256, c.token, nil)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("attachment after restart: %d", resp.StatusCode)
	}
	// New changes continue the sequence rather than reusing numbers.
	ts.login(userEmp1).mustApply(api.CmdApplicationReject, 2, api.RejectArgs{ApplicationID: fx.A1, Opinion: "请补充"})
	if page := c.pull(cursor, 10); len(page.Changes) != 1 || page.Changes[0].ID != fx.A1 {
		t.Fatalf("after restart the feed continues with %+v", page.Changes)
	}
}
