package server

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
	"titledesk/server/demo"
)

// The acceptance tests of issue #2, on the real handler stack over a real
// SQLite file. The world is the fixture world with D1 made a 全面实行岗位管理的
// 事业单位, D1 own staff (P2 with A2 自主聘任, P4 with A4 社会化评审), fifty
// applications from E2 waiting in D1's 下级单位人员审核, and D2's expert,
// message, registration and stock comment for the authorization matrix.

var ax = struct {
	P4, A4, Expert2, Msg2, Reg2, Comment2 string
	Batch                                 []string
}{P4: uid(24), A4: uid(34), Expert2: uid(60), Msg2: uid(61), Reg2: uid(62), Comment2: uid(63)}

const (
	userEmp2  = "emp2"
	userAppl4 = "appl4"
	batchSize = 50
)

func acceptanceWorld() *demo.World {
	w := fixtureWorld()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range w.Units {
		if w.Units[i].ID == fx.D1 {
			w.Units[i].PostManaged = true
		}
	}
	idn := model.MakeIDNumber("12", "1988-07-01", 40, false)
	info, _ := model.ParseIDNumber(idn)
	w.Applicants = append(w.Applicants, model.Applicant{ID: ax.P4, UnitID: fx.D1, Name: "陈静", IDNumber: idn,
		Gender: info.Gender, BirthDate: info.BirthDate, Phone: "13912345678", Version: 1, UpdatedAt: now})
	w.Applications = append(w.Applications, model.Application{ID: ax.A4, ApplicantID: ax.P4, UnitID: fx.D1, Year: 2026,
		Series: "agriculture", Specialty: "作物育种", Level: model.LevelSenior, TitleName: "正高级农艺师",
		Method: model.MethodPanelReview, Stage: model.StageDraft, Version: 1, UpdatedAt: now})
	ax.Batch = nil
	for i := 0; i < batchSize; i++ {
		pid, aid := uid(1000+i), uid(2000+i)
		idn := model.MakeIDNumber("12", "1990-01-15", 100+i, i%2 == 0)
		info, _ := model.ParseIDNumber(idn)
		w.Applicants = append(w.Applicants, model.Applicant{ID: pid, UnitID: fx.E2, Name: fmt.Sprintf("批量%02d", i),
			IDNumber: idn, Gender: info.Gender, BirthDate: info.BirthDate, Version: 1, UpdatedAt: now})
		w.Applications = append(w.Applications, model.Application{ID: aid, ApplicantID: pid, UnitID: fx.E2, Year: 2026,
			Series: "engineering", Specialty: "机械工程", Level: model.LevelIntermediate, TitleName: "工程师",
			Method: model.MethodPanelReview, Stage: model.StageSubordinate, HolderUnitID: fx.D1, Version: 3, UpdatedAt: now})
		ax.Batch = append(ax.Batch, aid)
	}
	seed := func(n int, username string, role model.Role, unitID, applicantID string) demo.AccountSeed {
		return demo.AccountSeed{Password: testPassword, Account: model.Account{ID: uid(100 + n), Username: username,
			Name: "经办人" + username, Role: role, UnitID: unitID, ApplicantID: applicantID}}
	}
	w.Accounts = append(w.Accounts, seed(11, userEmp2, model.RoleEmployer, fx.E2, ""),
		seed(12, userAppl4, model.RoleApplicant, fx.D1, ax.P4))
	w.Experts = []model.Expert{{ID: ax.Expert2, UnitID: fx.D2, Name: "周专家", IDNumber: model.MakeIDNumber("12", "1965-05-05", 11, true),
		Gender: model.GenderMale, Phone: "13700000000", Title: "教授级高级工程师", Level: model.LevelSenior, Series: "engineering",
		Specialty: "结构工程", WorkUnit: "用人单位三", Version: 1, UpdatedAt: now}}
	w.Messages = []demo.MessageSeed{{Message: model.Message{ID: ax.Msg2, SenderUnitID: fx.City, SenderName: "市职称办",
		Title: "通知", Body: "请按时审核。", SentAt: now, Version: 1},
		Recipients: []model.Recipient{{Kind: model.RecipientUnit, ID: fx.D2, Name: "第二主管部门"}}, ReadBy: map[string]bool{}}}
	proposed := w.Units[len(w.Units)-1] // Unreg, naming D2
	proposed.ParentID = fx.D2
	w.Registrations = []model.Registration{{ID: ax.Reg2, Unit: proposed, Status: model.RegistrationPending, SubmittedAt: now, Version: 1}}
	w.StockComments = []demo.StockCommentSeed{{AccountID: uid(104), Comment: model.StockComment{ID: ax.Comment2, Text: "同意。", Position: 1, Version: 1}}}
	return w
}

func expectRejected(t *testing.T, res api.CommandResult, status string, code string) {
	t.Helper()
	if res.Status != status || res.Problem == nil || res.Problem.Code != code {
		t.Fatalf("got %s %+v, want %s %s", res.Status, res.Problem, status, code)
	}
	if res.Problem.Title == "" || res.Problem.Detail == "" {
		t.Fatalf("problem without a Chinese title/detail: %+v", res.Problem)
	}
}

// TestAcceptanceOwnUnitPath: 本单位人员审核 with the recommendation form and
// uploads, the 岗位情况表 and publicity rules, then each 评价方式's queue and
// onward: 自主聘任 to the certificate, 社会化评审 submitted upward.
func TestAcceptanceOwnUnitPath(t *testing.T) {
	ts := newTestServerWorld(t, acceptanceWorld())
	d1, city := ts.login(userDept1), ts.login(userCity)
	v := ts.login(userAppl2).mustApply(api.CmdApplicationSubmit, 1, api.ApplicationRefArgs{ApplicationID: fx.A2}).Version
	if app := ts.appOf(fx.A2); app.Stage != model.StageOwnUnit || app.HolderUnitID != fx.D1 {
		t.Fatalf("submitted own-staff application at %s/%s", app.Stage, app.HolderUnitID)
	}
	pub := d1.upload(testPDF(11), "公示结果.pdf", model.AttachPublicity)
	post := d1.upload(testPNG(), "事业单位岗位情况表.png", model.AttachPostStatusForm)

	before := ts.writes()
	expectRejected(t, d1.run(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A2, Recommendation: validRecommendation(pub)}),
		api.StatusRejected, model.CodePostStatusForm)
	short := validRecommendation(pub, post)
	short.PublicityEnd = "2026-02-12" // Mon 9 .. Thu 12: four working days
	expectRejected(t, d1.run(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A2, Recommendation: short}),
		api.StatusRejected, model.CodePublicityTooShort)
	if after := ts.writes(); after[0] != before[0] || after[2] != before[2] {
		t.Fatal("a refused pass wrote to the feed or the application")
	}

	v = d1.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A2, Opinion: "同意推荐",
		Recommendation: validRecommendation(pub, post)}).Version
	app := ts.appOf(fx.A2)
	if app.Stage != model.StageSelfAppoint || app.HolderUnitID != fx.D1 || app.Recommendation == nil || len(app.Attachments) != 2 {
		t.Fatalf("after 本单位人员审核: %s/%s, %d attachments", app.Stage, app.HolderUnitID, len(app.Attachments))
	}
	expectRejected(t, d1.run(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A2}), api.StatusRejected, model.CodeAppointment)
	v = d1.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A2, Appointment: &model.Appointment{
		AppointDate: "2026-03-10", Post: "专业技术岗位", PostLevel: "专业技术五级岗位", TermYears: 3, DocumentNo: "津农科〔2026〕3号"}}).Version
	v = city.mustApply(api.CmdApplicationCertify, v, api.CertifyArgs{ApplicationID: fx.A2, CertificateNo: "TJ2026000001"}).Version
	if app := ts.appOf(fx.A2); app.Stage != model.StageCertified || app.Appointment == nil || app.CertificateNo == "" {
		t.Fatalf("自主聘任 ended at %s", app.Stage)
	}

	// 社会化评审: own unit → 待呈报人员审核 → submitted upward to the committee side.
	v = ts.login(userAppl4).mustApply(api.CmdApplicationSubmit, 1, api.ApplicationRefArgs{ApplicationID: ax.A4}).Version
	v = d1.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: ax.A4, Recommendation: validRecommendation(pub, post)}).Version
	if app := ts.appOf(ax.A4); app.Stage != model.StageForward {
		t.Fatalf("社会化评审 went to %s", app.Stage)
	}
	d1.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: ax.A4, Opinion: "同意呈报"})
	if app := ts.appOf(ax.A4); app.Stage != model.StageCommittee || app.HolderUnitID != fx.City {
		t.Fatalf("呈报 went to %s/%s", app.Stage, app.HolderUnitID)
	}
}

// TestAcceptanceRejectResubmitWithdraw: 下级单位人员审核, 不通过 back to the
// applicant, resubmission walks the path again; 撤回 before and after the
// next holder acts.
func TestAcceptanceRejectResubmitWithdraw(t *testing.T) {
	ts := newTestServerWorld(t, acceptanceWorld())
	appl, emp, d2, city := ts.login(userAppl3), ts.login(userEmp3), ts.login(userDept2), ts.login(userCity)
	pub := emp.upload(testPDF(12), "公示.pdf", model.AttachPublicity)
	v := appl.mustApply(api.CmdApplicationSubmit, 1, api.ApplicationRefArgs{ApplicationID: fx.A3}).Version
	v = emp.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A3, Recommendation: validRecommendation(pub)}).Version
	if app := ts.appOf(fx.A3); app.Stage != model.StageSubordinate || app.HolderUnitID != fx.D2 {
		t.Fatalf("after the employer unit: %s/%s", app.Stage, app.HolderUnitID)
	}
	expectRejected(t, d2.run(api.CmdApplicationReject, v, api.RejectArgs{ApplicationID: fx.A3, Opinion: " "}),
		api.StatusRejected, model.CodeOpinionRequired)
	v = d2.mustApply(api.CmdApplicationReject, v, api.RejectArgs{ApplicationID: fx.A3, Opinion: "请补充继续教育证明"}).Version
	if app := ts.appOf(fx.A3); app.Stage != model.StageReturned || app.ReturnedAt == nil {
		t.Fatalf("不通过 left it at %s", app.Stage)
	}
	v = appl.mustApply(api.CmdApplicationSubmit, v, api.ApplicationRefArgs{ApplicationID: fx.A3}).Version
	v = emp.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A3, Recommendation: validRecommendation(pub)}).Version
	v = d2.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A3}).Version
	if app := ts.appOf(fx.A3); app.Stage != model.StageExam || app.ReturnedAt != nil {
		t.Fatalf("resubmitted path went to %s", app.Stage)
	}
	v = d2.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A3, Opinion: "同意"}).Version
	v = d2.mustApply(api.CmdApplicationWithdraw, v, api.ApplicationRefArgs{ApplicationID: fx.A3}).Version
	if app := ts.appOf(fx.A3); app.Stage != model.StageExam || app.HolderUnitID != fx.D2 {
		t.Fatalf("撤回 went to %s/%s", app.Stage, app.HolderUnitID)
	}
	v = d2.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A3}).Version
	city.mustApply(api.CmdApplicationCertify, v, api.CertifyArgs{ApplicationID: fx.A3, CertificateNo: "TJ2026000002"})
	res := d2.run(api.CmdApplicationWithdraw, 0, api.ApplicationRefArgs{ApplicationID: fx.A3})
	expectRejected(t, res, api.StatusConflict, model.CodeWithdrawTooLate)
}

// TestAcceptanceBatchPass: 50 applications passed in one push (REV-6), then
// the same push twice more applies nothing new.
func TestAcceptanceBatchPass(t *testing.T) {
	ts := newTestServerWorld(t, acceptanceWorld())
	d1 := ts.login(userDept1)
	cmds := make([]api.Command, 0, batchSize)
	for _, id := range ax.Batch {
		cmds = append(cmds, d1.command(api.CmdApplicationPass, 3, api.PassArgs{ApplicationID: id, Opinion: "同意"}))
	}
	for round := 0; round < 3; round++ {
		for i, res := range d1.push(cmds...) {
			want := api.StatusApplied
			if round > 0 {
				want = api.StatusDuplicate
			}
			if res.Status != want || res.Version != 4 {
				t.Fatalf("round %d command %d: %s v%d", round, i, res.Status, res.Version)
			}
		}
	}
	for _, id := range ax.Batch {
		if app := ts.appOf(id); app.Stage != model.StageForward || app.Version != 4 || len(app.Flow) != 1 {
			t.Fatalf("%s: %s v%d with %d steps", id, app.Stage, app.Version, len(app.Flow))
		}
	}
	// A stale base_version is a conflict and changes nothing.
	before := ts.writes()
	res := d1.run(api.CmdApplicationPass, 3, api.PassArgs{ApplicationID: ax.Batch[0]})
	expectRejected(t, res, api.StatusConflict, model.CodeVersionConflict)
	if after := ts.writes(); after[0] != before[0] || after[2] != before[2] {
		t.Fatal("a conflicted command changed data")
	}
}

// TestAuthorizationMatrix: D1a (under D1) cannot read or touch anything of
// its parent D1, its sibling E2 or the other branch D2/E3 — every command type
// answers not_found (404) and writes nothing but its own result row, and the
// feed leaks none of it.
func TestAuthorizationMatrix(t *testing.T) {
	ts := newTestServerWorld(t, acceptanceWorld())
	d1a := ts.login(userDept1a)
	foreignFile := ts.login(userDept2).upload(testPDF(13), "d2.pdf", model.AttachOther)
	foreignReason := model.ReturnReason{ID: api.NewUUID(), Material: model.MaterialEducation, Text: "学历证书不清晰", Position: 1}
	ts.login(userDept2).mustApply(api.CmdReturnReasonSave, 0, api.ReturnReasonArgs{Reason: foreignReason})
	unitIn := func(parent string) model.Unit {
		return model.Unit{ID: api.NewUUID(), ParentID: parent, Kind: model.UnitEmployer, Name: "越权新增单位",
			CreditCode: model.MakeCreditCode("91120000MA0000099"), Type: model.UnitTypeEnterprise, Contact: "李四", Phone: "022-23456789"}
	}
	edited := func(id, parent string) model.Unit { u := unitIn(parent); u.ID = id; return u }
	newApplicant := model.Applicant{ID: api.NewUUID(), UnitID: fx.E2, Name: "越权", IDNumber: model.MakeIDNumber("12", "1991-01-01", 5, true)}
	cases := []struct {
		name string
		typ  string
		args any
	}{
		{"create in sibling unit", api.CmdApplicationCreate, api.ApplicationCreateArgs{Applicant: newApplicant,
			Application: model.Application{ID: api.NewUUID(), ApplicantID: newApplicant.ID, UnitID: fx.E2, Year: 2026,
				Series: "engineering", Level: model.LevelIntermediate, Method: model.MethodPanelReview}}},
		{"submit parent's", api.CmdApplicationSubmit, api.ApplicationRefArgs{ApplicationID: ax.A4}},
		{"pass parent's", api.CmdApplicationPass, api.PassArgs{ApplicationID: ax.Batch[0]}},
		{"pass other branch's", api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A3}},
		{"reject parent's", api.CmdApplicationReject, api.RejectArgs{ApplicationID: ax.Batch[1], Opinion: "越权"}},
		{"withdraw other branch's", api.CmdApplicationWithdraw, api.ApplicationRefArgs{ApplicationID: fx.A3}},
		{"certify parent's", api.CmdApplicationCertify, api.CertifyArgs{ApplicationID: fx.A2, CertificateNo: "X"}},
		{"register into other branch", api.CmdUnitRegister, api.UnitRegisterArgs{RegistrationID: ax.Reg2, Unit: edited(fx.Unreg, fx.D2)}},
		{"approve other branch's registration", api.CmdUnitApproveRegistration, api.RegistrationDecisionArgs{RegistrationID: ax.Reg2}},
		{"reject other branch's registration", api.CmdUnitRejectRegistration, api.RegistrationDecisionArgs{RegistrationID: ax.Reg2, Reason: "越权"}},
		{"create under parent", api.CmdUnitCreate, api.UnitArgs{Unit: unitIn(fx.D1)}},
		{"create under other branch", api.CmdUnitCreate, api.UnitArgs{Unit: unitIn(fx.D2)}},
		{"update parent", api.CmdUnitUpdate, api.UnitArgs{Unit: edited(fx.D1, fx.City)}},
		{"update sibling", api.CmdUnitUpdate, api.UnitArgs{Unit: edited(fx.E2, fx.D1)}},
		{"update other branch", api.CmdUnitUpdate, api.UnitArgs{Unit: edited(fx.E3, fx.D2)}},
		{"expert for other branch", api.CmdExpertCreate, api.ExpertCreateArgs{Expert: model.Expert{ID: api.NewUUID(), UnitID: fx.D2,
			Name: "吴专家", IDNumber: model.MakeIDNumber("12", "1970-02-02", 21, true), Phone: "13600000000", Title: "研究员",
			Level: model.LevelSenior, Series: "engineering", Specialty: "机械", WorkUnit: "某所"}}},
		{"recommend other branch's expert", api.CmdExpertRecommend, api.ExpertRecommendArgs{ExpertID: ax.Expert2, CommitteeIDs: []string{fx.Committee}}},
		{"message to other branch", api.CmdMessageSend, api.MessageSendArgs{MessageID: api.NewUUID(), Title: "越权", Body: "越权",
			Recipients: []model.Recipient{{Kind: model.RecipientUnit, ID: fx.D2}}}},
		{"message to parent", api.CmdMessageSend, api.MessageSendArgs{MessageID: api.NewUUID(), Title: "越权", Body: "越权",
			Recipients: []model.Recipient{{Kind: model.RecipientUnit, ID: fx.D1}}}},
		{"message to other branch's applicant", api.CmdMessageSend, api.MessageSendArgs{MessageID: api.NewUUID(), Title: "越权", Body: "越权",
			Recipients: []model.Recipient{{Kind: model.RecipientApplicant, ID: fx.P3}}}},
		{"read other branch's message", api.CmdMessageRead, api.MessageReadArgs{MessageID: ax.Msg2}},
		{"delete another account's comment", api.CmdStockCommentDelete, api.StockCommentDeleteArgs{CommentID: ax.Comment2}},
		{"edit another department's checklist", api.CmdReturnReasonSave, api.ReturnReasonArgs{Reason: foreignReason}},
		{"delete another department's checklist item", api.CmdReturnReasonDelete, api.ReturnReasonDeleteArgs{ReasonID: foreignReason.ID}},
		{"adopt another department's checklist item", api.CmdReturnReasonAdopt, api.ReturnReasonAdoptArgs{Reasons: []model.ReturnReason{foreignReason}}},
	}
	// unit.register is only for a self-registering unit's own account.
	roleGated := map[string]bool{api.CmdUnitRegister: true}
	// export.full_id_numbers names nobody's entity, only the caller's own
	// export: TestExportFullIDsAudited covers who may send it.
	covered := map[string]bool{api.CmdExportFullIDs: true}
	for _, typ := range matrixCreates(t, ts, d1a) {
		covered[typ] = true
	}
	matrixAttachments(t, ts, d1a, foreignFile)
	matrixDevices(t, ts)
	for _, tc := range cases {
		covered[tc.typ] = true
		t.Run(tc.name, func(t *testing.T) {
			before := ts.writes()
			res := d1a.run(tc.typ, 0, tc.args)
			if roleGated[tc.typ] {
				// A command the role can never send is refused before any
				// lookup: the same answer as for an ID that does not exist.
				ghost := d1a.run(tc.typ, 0, api.UnitRegisterArgs{RegistrationID: api.NewUUID(), Unit: edited(api.NewUUID(), fx.D2)})
				if res.Status != api.StatusRejected || res.Problem == nil || ghost.Problem == nil ||
					res.Problem.Code != ghost.Problem.Code || res.Problem.Detail != ghost.Problem.Detail {
					t.Fatalf("role-gated answer %+v differs from the answer for a missing ID %+v", res.Problem, ghost.Problem)
				}
				return
			}
			if res.Status != api.StatusRejected || res.Problem == nil || res.Problem.Status != http.StatusNotFound ||
				res.Problem.Code != model.CodeNotFound {
				t.Fatalf("got %s %+v, want rejected not_found", res.Status, res.Problem)
			}
			after := ts.writes()
			if after[0] != before[0] || after[2] != before[2] || after[1] != before[1]+1 {
				t.Fatalf("writes %v → %v: only the result row may be written", before, after)
			}
		})
	}
	for _, typ := range api.AllCommands {
		if !covered[typ] {
			t.Errorf("command type %s not in the matrix", typ)
		}
	}
	if resp := ts.do("GET", api.Base+"/attachments/"+foreignFile.SHA256, d1a.token, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another branch's file: status %d", resp.StatusCode)
	}
	assertFeedScope(t, d1a, fx.D1a, fx.D1)
}

// assertFeedScope pulls c's whole feed and fails on anything outside root's
// subtree (the parent's own unit record excepted).
func assertFeedScope(t *testing.T, c *testClient, root, parent string) {
	t.Helper()
	state, _ := c.pullAll("", nil)
	inTree := map[string]bool{}
	for _, ch := range state {
		if ch.Kind == api.KindUnit && ch.Op == api.OpUpsert {
			var u model.Unit
			state.decode(t, api.KindUnit, ch.ID, &u)
			inTree[u.ID] = true
		}
	}
	for id := range inTree {
		if id != parent && !c.ts.inSubtree(root, id) {
			t.Errorf("feed leaks unit %s", id)
		}
	}
	for _, ch := range state {
		switch ch.Kind {
		case api.KindApplicant, api.KindApplication:
			var v struct {
				UnitID string `json:"unit_id"`
			}
			state.decode(t, ch.Kind, ch.ID, &v)
			if !c.ts.inSubtree(root, v.UnitID) {
				t.Errorf("feed leaks %s %s of unit %s", ch.Kind, ch.ID, v.UnitID)
			}
		case api.KindExpert, api.KindMessage, api.KindRegistration:
			if ch.ID == ax.Expert2 || ch.ID == ax.Msg2 || ch.ID == ax.Reg2 {
				t.Errorf("feed leaks %s %s", ch.Kind, ch.ID)
			}
		case api.KindStockComment:
			if ch.ID == ax.Comment2 {
				t.Errorf("feed leaks another account's stock comment")
			}
		case api.KindDuplicate:
			assertDuplicateFlag(t, state, ch)
		case api.KindReturnReason:
			var r model.ReturnReason
			if ch.Op == api.OpUpsert {
				state.decode(t, ch.Kind, ch.ID, &r)
			}
			if ch.Op == api.OpUpsert && r.UnitID != root {
				t.Errorf("feed leaks unit %s's checklist item %s", r.UnitID, ch.ID)
			}
		}
	}
}

// assertDuplicateFlag: a duplicate flag (BEY-5) is about an application the
// viewer holds, and holds nothing but its id, year and whether the other
// application is of the same unit.
func assertDuplicateFlag(t *testing.T, state feedState, ch api.Change) {
	t.Helper()
	if ch.Op != api.OpUpsert {
		return
	}
	var fields map[string]any
	state.decode(t, api.KindDuplicate, ch.ID, &fields)
	for k := range fields {
		if k != "application_id" && k != "year" && k != "same_unit" {
			t.Errorf("duplicate flag %s carries %q", ch.ID, k)
		}
	}
	if fields["application_id"] != ch.ID {
		t.Errorf("duplicate flag %s names application %v", ch.ID, fields["application_id"])
	}
	if app, ok := state[key(api.KindApplication, ch.ID)]; !ok || app.Op != api.OpUpsert {
		t.Errorf("duplicate flag for application %s the viewer does not hold", ch.ID)
	}
}

func (ts *testServer) inSubtree(root, id string) bool {
	return ts.count(`SELECT COUNT(*) FROM unit_tree WHERE ancestor = ? AND descendant = ?`, root, id) == 1
}

// testPNG is the smallest PNG signature plus a header chunk.
func testPNG() []byte {
	return append([]byte("\x89PNG\r\n\x1a\n"), []byte("\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")...)
}
