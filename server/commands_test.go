package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// testPDF is a small file with a PDF signature; n makes its hash unique.
func testPDF(n int) []byte { return []byte(fmt.Sprintf("%%PDF-1.4\n%% test file %d\n%%%%EOF\n", n)) }

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// upload stores a file and returns it as a command would name it.
func (c *testClient) upload(data []byte, name string, kind model.AttachmentKind) model.Attachment {
	c.ts.t.Helper()
	h := sha(data)
	resp := c.ts.do("PUT", api.Base+"/attachments/"+h, c.token, bytes.NewReader(data))
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		c.ts.t.Fatalf("upload: %d", resp.StatusCode)
	}
	return model.Attachment{SHA256: h, Name: name, Kind: kind}
}

// validRecommendation is a complete 推荐和公示 form: 2026-02-09..13 is five
// working days, over before the test clock's 2026-03-01 (BEY-2).
func validRecommendation(files ...model.Attachment) *model.Recommendation {
	return &model.Recommendation{PublicityStart: "2026-02-09", PublicityEnd: "2026-02-13", PublicityMethod: "院内公示栏",
		PublicityPlace: "办公楼一层", PublicityResult: "无异议", GroupOpinion: "同意推荐", GroupSize: 5, VotesFor: 5,
		Attachments: files}
}

// appOf reads an application straight from the database.
func (ts *testServer) appOf(id string) model.Application {
	ts.t.Helper()
	var app model.Application
	if ok, err := loadJSON(ts.t.Context(), ts.srv.reader, &app, `SELECT data FROM applications WHERE id = ?`, id); err != nil || !ok {
		ts.t.Fatalf("application %s: %v %v", id, ok, err)
	}
	return app
}

// submitted pushes A1 to the employer unit's review and returns the version.
func submitted(t *testing.T, ts *testServer) int64 {
	t.Helper()
	res := ts.login(userAppl1).mustApply(api.CmdApplicationSubmit, 1, api.ApplicationRefArgs{ApplicationID: fx.A1})
	return res.Version
}

func TestCommandExactlyOnce(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userAppl1)
	cmd := c.command(api.CmdApplicationSubmit, 1, api.ApplicationRefArgs{ApplicationID: fx.A1})
	var first api.CommandResult
	for i := 0; i < 3; i++ {
		res := c.push(cmd)[0]
		switch i {
		case 0:
			if res.Status != api.StatusApplied || res.Version != 2 || res.EntityID != fx.A1 {
				t.Fatalf("first delivery: %+v", res)
			}
			first = res
		default:
			if res.Status != api.StatusDuplicate || res.Original != api.StatusApplied ||
				res.Version != first.Version || res.EntityID != first.EntityID || res.ID != cmd.ID {
				t.Fatalf("delivery %d: %+v", i+1, res)
			}
		}
	}
	app := ts.appOf(fx.A1)
	if app.Version != 2 || len(app.Flow) != 1 || app.Stage != model.StageUnitReview || app.HolderUnitID != fx.E1 {
		t.Fatalf("applied more than once or wrongly: v%d, %d steps, %s/%s", app.Version, len(app.Flow), app.Stage, app.HolderUnitID)
	}
	// The same seq twice within one push is also answered once.
	again := c.command(api.CmdApplicationWithdraw, 0, api.ApplicationRefArgs{ApplicationID: fx.A1})
	res := c.push(again, again)
	if res[0].Status != api.StatusRejected || res[1].Status != api.StatusDuplicate || res[1].Original != api.StatusRejected {
		t.Fatalf("repeated seq in one push: %+v", res)
	}
}

func TestCommandOutcomes(t *testing.T) {
	ts := newTestServer(t)
	v := submitted(t, ts)
	emp := ts.login(userEmp1)
	tests := []struct {
		name   string
		client *testClient
		typ    string
		base   int64
		args   any
		status string
		code   string
	}{
		{"reject needs an opinion", emp, api.CmdApplicationReject, v, api.RejectArgs{ApplicationID: fx.A1}, api.StatusRejected, model.CodeOpinionRequired},
		{"pass needs the recommendation", emp, api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A1}, api.StatusRejected, model.CodeRecommendation},
		{"stale base version", emp, api.CmdApplicationReject, v - 1, api.RejectArgs{ApplicationID: fx.A1, Opinion: "材料不全"}, api.StatusConflict, model.CodeVersionConflict},
		{"attachment not uploaded", emp, api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意",
			Recommendation: validRecommendation(model.Attachment{SHA256: sha([]byte("never")), Name: "公示.pdf", Kind: model.AttachPublicity})},
			api.StatusRejected, model.CodeAttachmentMissing},
		{"other subtree is not found", ts.login(userDept2), api.CmdApplicationReject, v, api.RejectArgs{ApplicationID: fx.A1, Opinion: "x"}, api.StatusRejected, model.CodeNotFound},
		{"missing id is not found", emp, api.CmdApplicationReject, 0, api.RejectArgs{ApplicationID: uid(999), Opinion: "x"}, api.StatusRejected, model.CodeNotFound},
		{"wrong role", ts.login(userAppl1), api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A1}, api.StatusRejected, model.CodeForbidden},
		{"not the holder", ts.login(userDept1a), api.CmdApplicationReject, v, api.RejectArgs{ApplicationID: fx.A1, Opinion: "x"}, api.StatusRejected, model.CodeForbidden},
		{"withdraw not passed", emp, api.CmdApplicationWithdraw, 0, api.ApplicationRefArgs{ApplicationID: fx.A1}, api.StatusConflict, model.CodeInvalidTransition},
		{"unknown field in args", emp, api.CmdApplicationReject, v, map[string]any{"application_id": fx.A1, "opinion": "x", "extra": 1}, api.StatusRejected, model.CodeBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ts.writes()
			res := tt.client.run(tt.typ, tt.base, tt.args)
			if res.Status != tt.status || res.Problem == nil || res.Problem.Code != tt.code {
				t.Fatalf("got %s %+v, want %s %s", res.Status, res.Problem, tt.status, tt.code)
			}
			after := ts.writes()
			// Only the command's result row is new: no feed entry, no version.
			if after[0] != before[0] || after[1] != before[1]+1 || after[2] != before[2] {
				t.Fatalf("a refused command wrote something: %v → %v", before, after)
			}
		})
	}
	if app := ts.appOf(fx.A1); app.Version != v {
		t.Fatalf("application changed to v%d", app.Version)
	}
}

// TestWorkflowEndToEnd walks A1 from the applicant to the certificate,
// with a withdraw on the way (SRV-2, SRV-3).
func TestWorkflowEndToEnd(t *testing.T) {
	ts := newTestServer(t)
	v := submitted(t, ts)
	emp, d1a, d1, city := ts.login(userEmp1), ts.login(userDept1a), ts.login(userDept1), ts.login(userCity)
	file := emp.upload(testPDF(1), "公示结果.pdf", model.AttachPublicity)
	steps := []struct {
		who    *testClient
		typ    string
		args   any
		stage  model.Stage
		holder string
	}{
		{emp, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意", Recommendation: validRecommendation(file)}, model.StageSubordinate, fx.D1a},
		{d1a, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意"}, model.StageForward, fx.D1a},
		{d1a, api.CmdApplicationWithdraw, api.ApplicationRefArgs{ApplicationID: fx.A1}, model.StageSubordinate, fx.D1a},
		{d1a, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意"}, model.StageForward, fx.D1a},
		{d1a, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意呈报"}, model.StageSubordinate, fx.D1},
		{d1, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1}, model.StageForward, fx.D1},
		{d1, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1}, model.StageCommittee, fx.City},
		{city, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1, Opinion: "评审通过"}, model.StageCityOffice, fx.City},
		{city, api.CmdApplicationCertify, api.CertifyArgs{ApplicationID: fx.A1, CertificateNo: "津2026-0001"}, model.StageCertified, ""},
	}
	for i, st := range steps {
		res := st.who.mustApply(st.typ, v, st.args)
		v = res.Version
		app := ts.appOf(fx.A1)
		if app.Stage != st.stage || app.HolderUnitID != st.holder {
			t.Fatalf("step %d (%s): at %s/%s, want %s/%s", i, st.typ, app.Stage, app.HolderUnitID, st.stage, st.holder)
		}
	}
	// Withdraw is refused once the next level has acted (REV-13).
	if res := d1a.run(api.CmdApplicationWithdraw, 0, api.ApplicationRefArgs{ApplicationID: fx.A1}); res.Status != api.StatusConflict {
		t.Fatalf("late withdraw: %+v", res)
	}
	app := ts.appOf(fx.A1)
	if len(app.Attachments) != 1 || app.Attachments[0].Size != int64(len(testPDF(1))) || app.Attachments[0].ContentType != "application/pdf" {
		t.Fatalf("attachment metadata must come from the stored file: %+v", app.Attachments)
	}
	// D1a keeps seeing the application it passed upward (已审核列表).
	state, _ := d1a.pullAll("", nil)
	var seen model.Application
	state.decode(t, api.KindApplication, fx.A1, &seen)
	var meta model.Attachment
	state.decode(t, api.KindAttachment, file.SHA256, &meta)
	if seen.Stage != model.StageCertified || meta.SHA256 != file.SHA256 || meta.Size != int64(len(testPDF(1))) ||
		meta.ContentType != "application/pdf" {
		t.Fatalf("D1a's view: %s, attachment %+v", seen.Stage, meta)
	}
}

func TestApplicationCreateAndEdit(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userAppl3)
	var p model.Applicant
	ts.srv.reader.QueryRow(`SELECT data FROM applicants WHERE id = ?`, fx.P3).Scan(jsonScanner{&p})
	appID := api.NewUUID()
	form := model.Application{ID: appID, Year: 2026, Series: model.SeriesEconomics, Specialty: "经济管理",
		Level: model.LevelIntermediate, TitleName: "经济师", Method: model.MethodExamInLieu}
	res := c.mustApply(api.CmdApplicationCreate, 0, api.ApplicationCreateArgs{Applicant: p, Application: form})
	if res.Version != 1 {
		t.Fatalf("new draft version %d", res.Version)
	}
	// HOME-2: the unit now has an economics applicant.
	var unit model.Unit
	ts.srv.reader.QueryRow(`SELECT data FROM units WHERE id = ?`, fx.E3).Scan(jsonScanner{&unit})
	if !unit.HasEconomicsApplicants {
		t.Fatal("HasEconomicsApplicants not derived")
	}
	form.Specialty = "金融"
	if res := c.mustApply(api.CmdApplicationCreate, 1, api.ApplicationCreateArgs{Applicant: p, Application: form}); res.Version != 2 {
		t.Fatalf("edit: %+v", res)
	}
	// Another applicant's record is not theirs to write.
	other := p
	other.ID = fx.P1
	if res := c.run(api.CmdApplicationCreate, 0, api.ApplicationCreateArgs{Applicant: other, Application: model.Application{
		ID: api.NewUUID(), Year: 2026, Series: "engineering", Specialty: "x", Level: model.LevelIntermediate,
		TitleName: "工程师", Method: model.MethodPanelReview}}); res.Problem == nil || res.Problem.Code != model.CodeNotFound {
		t.Fatalf("foreign applicant: %+v", res)
	}
	bad := p
	bad.IDNumber = "12010119850312"
	if res := c.run(api.CmdApplicationCreate, 0, api.ApplicationCreateArgs{Applicant: bad, Application: form}); res.Problem == nil ||
		res.Problem.Fields["id_number"] == "" {
		t.Fatalf("bad ID number: %+v", res)
	}
}

// jsonScanner scans a JSON column into v.
type jsonScanner struct{ v any }

func (j jsonScanner) Scan(src any) error {
	switch b := src.(type) {
	case []byte:
		return json.Unmarshal(b, j.v)
	case string:
		return json.Unmarshal([]byte(b), j.v)
	}
	return fmt.Errorf("cannot scan %T", src)
}

func TestUnitCommands(t *testing.T) {
	ts := newTestServer(t)
	d1 := ts.login(userDept1)
	newUnit := model.Unit{ID: api.NewUUID(), ParentID: fx.D1a, Kind: model.UnitEmployer, Name: "新增下级单位",
		CreditCode: model.MakeCreditCode("12120000MB0000050"), Type: model.UnitTypeEnterprise, Contact: "孙", Phone: "13612345678"}
	d1.mustApply(api.CmdUnitCreate, 0, api.UnitArgs{Unit: newUnit})
	if ok, _ := inSubtree(t.Context(), ts.srv.reader, fx.D1, newUnit.ID); !ok {
		t.Fatal("closure table misses the new unit")
	}
	own := unitOf(t, ts, fx.D1)
	renamed := own
	renamed.Name = "改名"
	moved := unitOf(t, ts, fx.E1)
	moved.ParentID = fx.D1
	tests := []struct {
		name   string
		client *testClient
		base   int64
		unit   model.Unit
		code   string
	}{
		{"own locked field", d1, own.Version, renamed, model.CodeLockedField},
		{"other subtree", ts.login(userDept2), 0, unitOf(t, ts, fx.E1), model.CodeNotFound},
		{"parent outside subtree", d1, 0, withParent(unitOf(t, ts, fx.E2), fx.D2), model.CodeNotFound},
		{"cycle", d1, 0, withParent(unitOf(t, ts, fx.D1a), fx.E1), model.CodeValidation},
		{"own unlocked field", d1, own.Version, withContact(own, "新联系人"), ""},
		{"descendant's locked field", d1, 0, withName(unitOf(t, ts, fx.E2), "用人单位二（更名）"), ""},
		{"move a branch", d1, 0, moved, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.client.run(api.CmdUnitUpdate, tt.base, api.UnitArgs{Unit: tt.unit})
			if tt.code == "" {
				if res.Status != api.StatusApplied {
					t.Fatalf("%+v", res.Problem)
				}
				return
			}
			if res.Problem == nil || res.Problem.Code != tt.code {
				t.Fatalf("got %s %+v, want %s", res.Status, res.Problem, tt.code)
			}
		})
	}
	if ok, _ := inSubtree(t.Context(), ts.srv.reader, fx.D1a, fx.E1); ok {
		t.Fatal("E1 still below D1a after the move")
	}
}

func unitOf(t testing.TB, ts *testServer, id string) model.Unit {
	t.Helper()
	var u model.Unit
	if err := ts.srv.reader.QueryRow(`SELECT data FROM units WHERE id = ?`, id).Scan(jsonScanner{&u}); err != nil {
		t.Fatal(err)
	}
	return u
}

func withParent(u model.Unit, p string) model.Unit  { u.ParentID = p; return u }
func withName(u model.Unit, n string) model.Unit    { u.Name = n; return u }
func withContact(u model.Unit, c string) model.Unit { u.Contact = c; return u }

func TestEconomicsFieldsRequired(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userAppl1)
	var p model.Applicant
	ts.srv.reader.QueryRow(`SELECT data FROM applicants WHERE id = ?`, fx.P1).Scan(jsonScanner{&p})
	c.mustApply(api.CmdApplicationCreate, 0, api.ApplicationCreateArgs{Applicant: p, Application: model.Application{
		ID: api.NewUUID(), Year: 2026, Series: model.SeriesEconomics, Specialty: "经济", Level: model.LevelIntermediate,
		TitleName: "经济师", Method: model.MethodExamInLieu}})
	emp := ts.login(userEmp1)
	u := unitOf(t, ts, fx.E1)
	res := emp.run(api.CmdUnitUpdate, u.Version, api.UnitArgs{Unit: withContact(u, "新")})
	if res.Problem == nil || res.Problem.Code != model.CodeUnitForm || res.Problem.Fields["industry"] == "" {
		t.Fatalf("HOME-2 fields not required: %+v", res)
	}
	u.EconomicType, u.Industry, u.StaffCount, u.Revenue = "国有", "制造业", 120, "3500.5"
	emp.mustApply(api.CmdUnitUpdate, u.Version, api.UnitArgs{Unit: u})
}

func TestRegistration(t *testing.T) {
	ts := newTestServer(t)
	unreg, d2, d1 := ts.login(userUnreg), ts.login(userDept2), ts.login(userDept1)
	_, d2cursor := d2.pullAll("", nil)
	form := unitOf(t, ts, fx.Unreg)
	form.ParentID = fx.D1
	regID := api.NewUUID()
	unreg.mustApply(api.CmdUnitRegister, 0, api.UnitRegisterArgs{RegistrationID: regID, Unit: form})
	// D1 returns it; the unit names D2 instead.
	reject := d1.mustApply(api.CmdUnitRejectRegistration, 1, api.RegistrationDecisionArgs{RegistrationID: regID, Reason: "请选择正确的上级单位"})
	form.ParentID = fx.D2
	unreg.mustApply(api.CmdUnitRegister, reject.Version, api.UnitRegisterArgs{RegistrationID: regID, Unit: form})
	d1State, _ := d1.pullAll("", nil)
	if ch := d1State[key(api.KindRegistration, regID)]; ch.Op != api.OpRemove {
		t.Fatalf("D1 should lose the registration, has %+v", ch)
	}
	if res := d1.run(api.CmdUnitApproveRegistration, 0, api.RegistrationDecisionArgs{RegistrationID: regID}); res.Problem == nil ||
		res.Problem.Code != model.CodeNotFound {
		t.Fatalf("D1 approved a registration addressed to D2: %+v", res)
	}
	d2.mustApply(api.CmdUnitApproveRegistration, 0, api.RegistrationDecisionArgs{RegistrationID: regID})
	if u := unitOf(t, ts, fx.Unreg); u.ParentID != fx.D2 {
		t.Fatalf("parent %q", u.ParentID)
	}
	for _, anc := range []string{fx.D2, fx.City} {
		if ok, _ := inSubtree(t.Context(), ts.srv.reader, anc, fx.Unreg); !ok {
			t.Fatalf("closure misses %s → Unreg", anc)
		}
	}
	state, _ := d2.pullAll(d2cursor, nil)
	if !state.has(api.KindUnit, fx.Unreg) || !state.has(api.KindRegistration, regID) {
		t.Fatal("D2 does not see its new subordinate")
	}
	if res := unreg.run(api.CmdUnitRegister, 0, api.UnitRegisterArgs{RegistrationID: api.NewUUID(), Unit: form}); res.Status != api.StatusConflict {
		t.Fatalf("registered twice: %+v", res)
	}
}

func TestMessagesAndComments(t *testing.T) {
	ts := newTestServer(t)
	d1, e1, appl1 := ts.login(userDept1), ts.login(userEmp1), ts.login(userAppl1)
	msgID := api.NewUUID()
	send := api.MessageSendArgs{MessageID: msgID, Title: "材料报送通知", Body: "请于本周内报送材料。",
		Recipients: []model.Recipient{{Kind: model.RecipientUnit, ID: fx.E1}, {Kind: model.RecipientApplicant, ID: fx.P1}}}
	outside := send
	outside.MessageID = api.NewUUID()
	outside.Recipients = []model.Recipient{{Kind: model.RecipientUnit, ID: fx.E3}}
	if res := d1.run(api.CmdMessageSend, 0, outside); res.Problem == nil || res.Problem.Code != model.CodeNotFound {
		t.Fatalf("sent outside the subtree: %+v", res)
	}
	d1.mustApply(api.CmdMessageSend, 0, send)
	var inbox, sent model.Message
	st, _ := e1.pullAll("", nil)
	st.decode(t, api.KindMessage, msgID, &inbox)
	if !inbox.Inbound || inbox.Recipients != nil || inbox.ReadAt != nil {
		t.Fatalf("inbox copy: %+v", inbox)
	}
	st, _ = d1.pullAll("", nil)
	st.decode(t, api.KindMessage, msgID, &sent)
	if sent.Inbound || len(sent.Recipients) != 2 || sent.Recipients[0].Name != "用人单位一" {
		t.Fatalf("sent copy: %+v", sent)
	}
	e1.mustApply(api.CmdMessageRead, 0, api.MessageReadArgs{MessageID: msgID})
	st, _ = e1.pullAll("", nil)
	st.decode(t, api.KindMessage, msgID, &inbox)
	if inbox.ReadAt == nil {
		t.Fatal("read time not recorded")
	}
	if st, _ := appl1.pullAll("", nil); !st.has(api.KindMessage, msgID) {
		t.Fatal("applicant recipient has no copy")
	}
	if res := ts.login(userEmp3).run(api.CmdMessageRead, 0, api.MessageReadArgs{MessageID: msgID}); res.Problem == nil ||
		res.Problem.Code != model.CodeNotFound {
		t.Fatalf("non-recipient read: %+v", res)
	}

	// Stock comments belong to one account.
	cid := api.NewUUID()
	d1.mustApply(api.CmdStockCommentSave, 0, api.StockCommentArgs{Comment: model.StockComment{ID: cid, Text: "同意推荐", Position: 1}})
	if res := ts.login(userDept1a).run(api.CmdStockCommentDelete, 0, api.StockCommentDeleteArgs{CommentID: cid}); res.Problem == nil ||
		res.Problem.Code != model.CodeNotFound {
		t.Fatalf("deleted another account's comment: %+v", res)
	}
	d1.mustApply(api.CmdStockCommentDelete, 1, api.StockCommentDeleteArgs{CommentID: cid})
	st, _ = d1.pullAll("", nil)
	if ch := st[key(api.KindStockComment, cid)]; ch.Op != api.OpDelete {
		t.Fatalf("feed shows %+v for the deleted comment", ch)
	}
}

func TestExperts(t *testing.T) {
	ts := newTestServer(t)
	d1 := ts.login(userDept1)
	e := model.Expert{ID: api.NewUUID(), Name: "周教授", IDNumber: model.MakeIDNumber("12", "1970-05-05", 7, true),
		Phone: "13712345678", Title: "教授级高级工程师", Level: model.LevelSenior, Series: "engineering",
		Specialty: "结构工程", WorkUnit: "天津大学"}
	d1.mustApply(api.CmdExpertCreate, 0, api.ExpertCreateArgs{Expert: e})
	res := d1.mustApply(api.CmdExpertRecommend, 1, api.ExpertRecommendArgs{ExpertID: e.ID, CommitteeIDs: []string{fx.Committee}})
	if res.Version != 2 {
		t.Fatalf("version %d", res.Version)
	}
	if res := d1.run(api.CmdExpertRecommend, 2, api.ExpertRecommendArgs{ExpertID: e.ID, CommitteeIDs: []string{uid(777)}}); res.Problem == nil ||
		res.Problem.Code != model.CodeNotFound {
		t.Fatalf("unknown committee: %+v", res)
	}
	if res := ts.login(userDept2).run(api.CmdExpertRecommend, 0, api.ExpertRecommendArgs{ExpertID: e.ID, CommitteeIDs: []string{fx.Committee}}); res.Problem == nil ||
		res.Problem.Code != model.CodeNotFound {
		t.Fatalf("other department recommended D1's expert: %+v", res)
	}
	if st, _ := ts.login(userCity).pullAll("", nil); !st.has(api.KindExpert, e.ID) {
		t.Fatal("ancestors do not see the expert")
	}
}

func TestPushEnvelope(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userDept1)
	tests := []struct {
		name   string
		req    api.PushRequest
		status int
		code   string
	}{
		{"device id not a UUID", api.PushRequest{DeviceID: "not-a-uuid", Commands: []api.Command{}}, 422, model.CodeValidation},
		{"too many commands", api.PushRequest{DeviceID: c.device, Commands: make([]api.Command, api.MaxCommandsPerPush+1)}, 413, model.CodeTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p api.Problem
			if status := ts.doJSON("POST", api.Base+"/sync/commands", c.token, tt.req, &p); status != tt.status || p.Code != tt.code {
				t.Fatalf("%d %+v", status, p)
			}
		})
	}
	// A malformed envelope is refused per command; a valid seq is recorded.
	res := c.push(api.Command{Seq: 0, ID: api.NewUUID(), Type: api.CmdMessageRead, Args: []byte(`{}`)},
		api.Command{Seq: 7, ID: "not-a-uuid", Type: api.CmdMessageRead, Args: []byte(`{}`)},
		api.Command{Seq: 8, ID: api.NewUUID(), Type: "no.such", Args: []byte(`{}`)})
	for i, r := range res {
		if r.Status != api.StatusRejected || r.Problem.Code != model.CodeBadRequest {
			t.Fatalf("command %d: %+v", i, r)
		}
	}
	if n := ts.count(`SELECT COUNT(*) FROM command_results WHERE device_id = ?`, c.device); n != 1 {
		t.Fatalf("%d results recorded, want 1 (seq 0 and a malformed id have no key)", n)
	}
}
