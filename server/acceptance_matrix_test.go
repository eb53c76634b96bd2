package server

import (
	"context"
	"net/http"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// The parts of TestAuthorizationMatrix added by issue 8: creates naming an
// id taken outside the caller's scope (hole 4), commands naming files the
// caller may not use (hole 2), and a device of another account (hole 3).

// matrixCreates: every create answers an id taken outside D1a's subtree
// exactly as it answers a fresh id — applied, version 1, the id sent back,
// no problem — and writes nothing for it. It returns the command types
// covered.
func matrixCreates(t *testing.T, ts *testServer, d1a *testClient) []string {
	t.Helper()
	unit := func(id string) model.Unit {
		return model.Unit{ID: id, ParentID: fx.D1a, Kind: model.UnitEmployer, Name: "新增单位",
			CreditCode: model.MakeCreditCode("91120000MA0000077"), Type: model.UnitTypeEnterprise, Contact: "李四", Phone: "022-23456789"}
	}
	expert := func(id string) model.Expert {
		return model.Expert{ID: id, UnitID: fx.D1a, Name: "吴专家", IDNumber: model.MakeIDNumber("12", "1970-02-02", 21, true),
			Phone: "13600000000", Title: "研究员", Level: model.LevelSenior, Series: "engineering", Specialty: "机械", WorkUnit: "某所"}
	}
	message := func(id string) api.MessageSendArgs {
		return api.MessageSendArgs{MessageID: id, Title: "通知", Body: "请按时报送。",
			Recipients: []model.Recipient{{Kind: model.RecipientUnit, ID: fx.E1}}}
	}
	comment := func(id string) api.StockCommentArgs {
		return api.StockCommentArgs{Comment: model.StockComment{ID: id, Text: "同意", Position: 1}}
	}
	person := func(id string) model.Applicant {
		return model.Applicant{ID: id, UnitID: fx.E1, Name: "新申报人", IDNumber: model.MakeIDNumber("12", "1990-06-01", 31, false)}
	}
	draft := func(appID, personID string) api.ApplicationCreateArgs {
		return api.ApplicationCreateArgs{Applicant: person(personID), Application: model.Application{ID: appID, Year: 2026,
			Series: "engineering", Specialty: "机械", Level: model.LevelIntermediate, TitleName: "工程师", Method: model.MethodPanelReview}}
	}
	reg := registeringUnit(t, ts)
	regForm := unitOf(t, ts, reg.login.User.UnitID)
	regForm.ParentID = fx.D2
	cases := []struct {
		name   string
		client *testClient
		typ    string
		args   func(id string) any
		taken  string
	}{
		{"unit id of another branch", d1a, api.CmdUnitCreate, func(id string) any { return api.UnitArgs{Unit: unit(id)} }, fx.E3},
		{"unit id of the parent", d1a, api.CmdUnitCreate, func(id string) any { return api.UnitArgs{Unit: unit(id)} }, fx.D1},
		{"expert id of another branch", d1a, api.CmdExpertCreate, func(id string) any { return api.ExpertCreateArgs{Expert: expert(id)} }, ax.Expert2},
		{"message id of another branch", d1a, api.CmdMessageSend, func(id string) any { return message(id) }, ax.Msg2},
		{"another account's comment id", d1a, api.CmdStockCommentSave, func(id string) any { return comment(id) }, ax.Comment2},
		{"another branch's applicant id", d1a, api.CmdApplicationCreate, func(id string) any { return draft(matrixAppID(id), id) }, fx.P3},
		{"another branch's application id", d1a, api.CmdApplicationCreate, func(id string) any { return draft(id, api.NewUUID()) }, fx.A3},
		{"another unit's registration id", reg, api.CmdUnitRegister, func(id string) any {
			return api.UnitRegisterArgs{RegistrationID: id, Unit: regForm}
		}, ax.Reg2},
	}
	var types []string
	for _, tc := range cases {
		types = append(types, tc.typ)
		t.Run("create: "+tc.name, func(t *testing.T) {
			before := ts.recordDigest()
			taken := tc.client.run(tc.typ, 0, tc.args(tc.taken))
			if ts.recordDigest() != before {
				t.Fatal("a create with an id outside the scope wrote to the record")
			}
			fresh := api.NewUUID()
			res := tc.client.run(tc.typ, 0, tc.args(fresh))
			if res.Status != api.StatusApplied {
				t.Fatalf("the fresh id was not applied: %+v", res.Problem)
			}
			want := tc.taken
			if tc.name == "another branch's applicant id" {
				want = matrixAppID(tc.taken) // the entity of application.create is the application
			}
			if taken.Status != res.Status || taken.Version != res.Version || taken.Problem != nil ||
				taken.EntityID != want || res.EntityID == "" {
				t.Fatalf("taken id answered %+v, a fresh id %+v", taken, res)
			}
		})
	}
	return types
}

// matrixAppID is the new application id drafted for a person id.
func matrixAppID(personID string) string { return "00000000-0000-4000-9000-" + personID[24:] }

// registeringUnit is a second unit without a superior, with its account.
func registeringUnit(t *testing.T, ts *testServer) *testClient {
	t.Helper()
	ctx := context.Background()
	u, err := ts.srv.CreateUnit(ctx, model.Unit{Kind: model.UnitEmployer, Name: "自行注册单位", Type: model.UnitTypeEnterprise,
		CreditCode: model.MakeCreditCode("91120000MA0000088"), Contact: "周", Phone: "13612345678"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.srv.CreateAccount(ctx, NewAccount{Username: "selfreg", Name: "周经办", Role: model.RoleEmployer,
		UnitID: u.ID, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	return ts.login("selfreg")
}

// matrixAttachments: a file uploaded by another branch cannot be named by
// any command that references files — answered exactly like a file never
// uploaded — and stays unreadable, with nothing written.
func matrixAttachments(t *testing.T, ts *testServer, d1a *testClient, foreign model.Attachment) {
	t.Helper()
	appl, emp := ts.login(userAppl1), ts.login(userEmp1)
	v := appl.mustApply(api.CmdApplicationSubmit, 0, api.ApplicationRefArgs{ApplicationID: fx.A1}).Version
	own := emp.upload(testPDF(14), "公示.pdf", model.AttachPublicity)
	v = emp.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意",
		Recommendation: validRecommendation(own)}).Version
	ghost := model.Attachment{SHA256: sha([]byte("never uploaded")), Name: foreign.Name, Kind: foreign.Kind}
	newPerson := model.Applicant{ID: api.NewUUID(), UnitID: fx.E1, Name: "附件测试", IDNumber: model.MakeIDNumber("12", "1991-01-01", 7, true)}
	cases := []struct {
		name string
		typ  string
		args func(f model.Attachment) any
	}{
		{"pass attachment", api.CmdApplicationPass, func(f model.Attachment) any {
			return api.PassArgs{ApplicationID: fx.A1, Opinion: "同意", Attachments: []model.Attachment{f}}
		}},
		{"recommendation attachment", api.CmdApplicationPass, func(f model.Attachment) any {
			return api.PassArgs{ApplicationID: fx.A1, Opinion: "同意", Recommendation: validRecommendation(f)}
		}},
		{"draft attachment", api.CmdApplicationCreate, func(f model.Attachment) any {
			return api.ApplicationCreateArgs{Applicant: newPerson, Application: model.Application{ID: api.NewUUID(), Year: 2026,
				Series: "engineering", Specialty: "机械", Level: model.LevelIntermediate, TitleName: "工程师",
				Method: model.MethodPanelReview, Attachments: []model.Attachment{f}}}
		}},
	}
	for _, tc := range cases {
		t.Run("file: "+tc.name, func(t *testing.T) {
			before := ts.recordDigest()
			res := d1a.run(tc.typ, v, tc.args(foreign))
			missing := d1a.run(tc.typ, v, tc.args(ghost))
			if res.Status != api.StatusRejected || res.Problem == nil || res.Problem.Code != model.CodeAttachmentMissing {
				t.Fatalf("another branch's file: %s %+v", res.Status, res.Problem)
			}
			if missing.Problem == nil || res.Problem.Detail != missing.Problem.Detail || res.Problem.Status != missing.Problem.Status {
				t.Fatalf("another branch's file %+v is told apart from a missing one %+v", res.Problem, missing.Problem)
			}
			if ts.recordDigest() != before {
				t.Fatal("a refused file reference wrote to the record")
			}
		})
	}
	get := func(hash string) api.Problem {
		return problemOf(t, ts.do("GET", api.Base+"/attachments/"+hash, d1a.token, nil))
	}
	if p, q := get(foreign.SHA256), get(ghost.SHA256); p.Status != http.StatusNotFound || p.Code != q.Code || p.Detail != q.Detail || p.Status != q.Status {
		t.Errorf("download of another branch's file %+v, of a missing one %+v", p, q)
	}
	// A file in D1a's subtree can be named: D1a may read it already.
	d1a.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意", Attachments: []model.Attachment{own}})
}

// matrixDevices: D1a presenting D2's device is refused at login.
func matrixDevices(t *testing.T, ts *testServer) {
	t.Helper()
	d2 := ts.login(userDept2)
	before := ts.recordDigest()
	if _, p := ts.loginOn(userDept1a, d2.device); p == nil || p.Code != model.CodeDeviceInUse || p.Status != http.StatusConflict {
		t.Errorf("login on another account's device: %+v", p)
	}
	if ts.recordDigest() != before {
		t.Error("the refused login wrote to the record")
	}
}
