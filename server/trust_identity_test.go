package server

import (
	"context"
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// certified walks A1 (李明, P1) from submission to its certificate.
func certified(t *testing.T, ts *testServer) {
	t.Helper()
	v := submitted(t, ts)
	emp, d1a, d1, city := ts.login(userEmp1), ts.login(userDept1a), ts.login(userDept1), ts.login(userCity)
	file := emp.upload(testPDF(71), "公示结果.pdf", model.AttachPublicity)
	for _, st := range []struct {
		who  *testClient
		typ  string
		args any
	}{
		{emp, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意", Recommendation: validRecommendation(file)}},
		{d1a, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意"}},
		{d1a, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意呈报"}},
		{d1, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1}},
		{d1, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1}},
		{city, api.CmdApplicationPass, api.PassArgs{ApplicationID: fx.A1, Opinion: "评审通过"}},
		{city, api.CmdApplicationCertify, api.CertifyArgs{ApplicationID: fx.A1, CertificateNo: "津2026-0071"}},
	} {
		v = st.who.mustApply(st.typ, v, st.args).Version
	}
	if app := ts.appOf(fx.A1); app.Stage != model.StageCertified {
		t.Fatalf("A1 at %s", app.Stage)
	}
}

func applicantOf(t *testing.T, ts *testServer, id string) model.Applicant {
	t.Helper()
	var p model.Applicant
	if err := ts.srv.reader.QueryRow(`SELECT data FROM applicants WHERE id = ?`, id).Scan(jsonScanner{&p}); err != nil {
		t.Fatal(err)
	}
	return p
}

func newDraft() model.Application {
	return model.Application{ID: api.NewUUID(), Year: 2026, Series: "engineering", Specialty: "结构工程",
		Level: model.LevelSenior, TitleName: "正高级工程师", Method: model.MethodPanelReview}
}

// TestIdentityFrozenAfterSubmission is issue 8 hole 1: an applicant whose
// application is certified sends application.create with their own record
// under another name, another ID number and a higher education. It is
// refused naming those fields, and nothing is written; every frozen field
// alone is refused the same way, by the applicant and by their unit, while
// contact details stay editable.
func TestIdentityFrozenAfterSubmission(t *testing.T) {
	ts := newTestServer(t)
	certified(t, ts)
	appl, emp := ts.login(userAppl1), ts.login(userEmp1)
	cur := applicantOf(t, ts, fx.P1)

	attack := cur
	attack.Name, attack.IDNumber, attack.Education = "李大明", model.MakeIDNumber("12", "1979-01-01", 9, true), "博士研究生"
	before := ts.recordDigest()
	res := appl.run(api.CmdApplicationCreate, 0, api.ApplicationCreateArgs{Applicant: attack, Application: newDraft()})
	expectRejected(t, res, api.StatusRejected, model.CodeIdentityFrozen)
	for _, f := range []string{"name", "id_number", "education", "birth_date"} {
		if res.Problem.Fields[f] == "" {
			t.Errorf("the refusal does not name %s: %+v", f, res.Problem.Fields)
		}
	}
	if ts.recordDigest() != before {
		t.Fatal("the refused rewrite wrote to the record")
	}

	edits := map[string]func(*model.Applicant){
		"name":               func(p *model.Applicant) { p.Name = "李明明" },
		"id_number":          func(p *model.Applicant) { p.IDNumber = model.MakeIDNumber("12", "1985-03-12", 5, true) },
		"education":          func(p *model.Applicant) { p.Education = "硕士研究生" },
		"degree":             func(p *model.Applicant) { p.Degree = "博士" },
		"school":             func(p *model.Applicant) { p.School = "清华大学" },
		"major":              func(p *model.Applicant) { p.Major = "建筑学" },
		"graduation_date":    func(p *model.Applicant) { p.GraduationDate = "2001-07-01" },
		"current_title":      func(p *model.Applicant) { p.CurrentTitle = "教授级高级工程师" },
		"current_title_date": func(p *model.Applicant) { p.CurrentTitleDate = "2010-12-31" },
	}
	for _, f := range model.FrozenApplicantFields {
		edit, ok := edits[f.Key]
		if !ok {
			continue // gender and birth date follow the ID number
		}
		for _, who := range []struct {
			name string
			c    *testClient
		}{{"applicant", appl}, {"their unit", emp}} {
			t.Run(f.Key+" by "+who.name, func(t *testing.T) {
				next := cur
				edit(&next)
				before := ts.recordDigest()
				res := who.c.run(api.CmdApplicationCreate, 0, api.ApplicationCreateArgs{Applicant: next, Application: newDraft()})
				expectRejected(t, res, api.StatusRejected, model.CodeIdentityFrozen)
				if res.Problem.Fields[f.Key] == "" || !strings.Contains(res.Problem.Detail, f.Label) {
					t.Fatalf("refusal does not name %s: %+v", f.Key, res.Problem)
				}
				if ts.recordDigest() != before {
					t.Fatal("wrote to the record")
				}
			})
		}
	}
	// Contact details are not frozen: a new draft with a new phone is fine.
	phone := cur
	phone.Phone = "13900001111"
	appl.mustApply(api.CmdApplicationCreate, 0, api.ApplicationCreateArgs{Applicant: phone, Application: newDraft()})
}

// TestIdentitySnapshot: the application keeps the record it was submitted
// with and the feed carries it; while every application is a draft or
// returned the record may change, and the next submission takes the new
// one; a city office correction is audited and rewrites no application.
func TestIdentitySnapshot(t *testing.T) {
	ts := newTestServer(t)
	appl, emp, d1 := ts.login(userAppl1), ts.login(userEmp1), ts.login(userDept1)
	cur := applicantOf(t, ts, fx.P1)
	// Draft only: the name may still change.
	cur.Name = "李小明"
	appl.mustApply(api.CmdApplicationCreate, 1, api.ApplicationCreateArgs{Applicant: cur, Application: model.Application{
		ID: fx.A1, Year: 2026, Series: "engineering", Specialty: "土木工程", Level: model.LevelAssociateSenior,
		TitleName: "高级工程师", Method: model.MethodPanelReview}})
	res := appl.mustApply(api.CmdApplicationSubmit, 0, api.ApplicationRefArgs{ApplicationID: fx.A1})
	app := ts.appOf(fx.A1)
	if app.Applicant == nil || app.Applicant.Name != cur.Name || app.Applicant.IDNumber != cur.IDNumber {
		t.Fatalf("snapshot at submit: %+v", app.Applicant)
	}
	var seen model.Application
	state, _ := d1.pullAll("", nil)
	state.decode(t, api.KindApplication, fx.A1, &seen)
	if seen.Applicant == nil || seen.Applicant.Name != cur.Name {
		t.Fatalf("the feed does not carry the snapshot: %+v", seen.Applicant)
	}
	// Returned: editable again, and the resubmission takes the new record.
	res = emp.mustApply(api.CmdApplicationReject, res.Version, api.RejectArgs{ApplicationID: fx.A1, Opinion: "请核对姓名"})
	cur = applicantOf(t, ts, fx.P1)
	cur.Name = "李明"
	appl.mustApply(api.CmdApplicationCreate, res.Version, api.ApplicationCreateArgs{Applicant: cur, Application: model.Application{
		ID: fx.A1, Year: 2026, Series: "engineering", Specialty: "土木工程", Level: model.LevelAssociateSenior,
		TitleName: "高级工程师", Method: model.MethodPanelReview}})
	appl.mustApply(api.CmdApplicationSubmit, 0, api.ApplicationRefArgs{ApplicationID: fx.A1})
	app = ts.appOf(fx.A1)
	if app.Applicant.Name != "李明" {
		t.Fatalf("resubmission kept the old snapshot %q", app.Applicant.Name)
	}

	// The city office corrects the degree: the live record changes, the
	// application and its steps do not, and the audit log says so.
	head := ts.auditHead()
	fixed, err := ts.srv.CorrectApplicant(context.Background(), fx.P1, "学位证书 No.1234", map[string]string{"degree": "硕士"})
	if err != nil {
		t.Fatal(err)
	}
	if fixed.Degree != "硕士" || applicantOf(t, ts, fx.P1).Degree != "硕士" {
		t.Fatalf("correction not stored: %+v", fixed)
	}
	after := ts.appOf(fx.A1)
	if after.Version != app.Version || after.Applicant.Degree != app.Applicant.Degree || len(after.Flow) != len(app.Flow) {
		t.Fatal("the correction rewrote the application")
	}
	entries := ts.auditEntries(head)
	if len(entries) != 1 || entries[0].Event != AuditIdentityFixed || entries[0].EntityID != fx.P1 ||
		!strings.Contains(entries[0].Detail, "degree") {
		t.Fatalf("audit of the correction: %+v", entries)
	}
	for _, bad := range []map[string]string{{"gender": "female"}, {"phone": "1"}, {"id_number": "123"}} {
		if _, err := ts.srv.CorrectApplicant(context.Background(), fx.P1, "x", bad); model.AsError(err).Kind != model.KindInvalid {
			t.Errorf("correction %v: %v", bad, err)
		}
	}
}

// TestFrozenFieldsCompareNormalized: a record stored before the input
// rules (model.CleanInput) may hold a frozen field in another spelling of
// the same value — a dot variant or spaces in a name, full-width digits,
// spaces or a lower-case x in an ID number, full-width digits in a date,
// spaces around 学历. The client sends that record back and the server
// normalizes it; editing only the phone is not a change of identity and is
// applied, while a real change in the same spelling is still refused.
func TestFrozenFieldsCompareNormalized(t *testing.T) {
	fullWidth := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r - '0' + '０'
			}
			return r
		}, s)
	}
	tests := []struct {
		name   string
		legacy func(p *model.Applicant)
	}{
		{"name with a bullet for the dot", func(p *model.Applicant) { p.Name = "买买提•艾力" }},
		{"name with spaces", func(p *model.Applicant) { p.Name = " 李　明 " }},
		{"ID number in full-width digits", func(p *model.Applicant) { p.IDNumber = fullWidth(p.IDNumber) }},
		{"ID number with spaces", func(p *model.Applicant) { p.IDNumber = p.IDNumber[:6] + " " + p.IDNumber[6:14] + " " + p.IDNumber[14:] }},
		{"ID number with a lower-case x", func(p *model.Applicant) {
			for seq := 1; ; seq++ {
				if id := model.MakeIDNumber("12", "1980-05-05", seq, true); strings.HasSuffix(id, "X") {
					p.IDNumber, p.BirthDate, p.Gender = strings.ToLower(id), "1980-05-05", model.GenderMale
					return
				}
			}
		}},
		{"graduation date in full-width digits", func(p *model.Applicant) { p.GraduationDate = model.Date(fullWidth(string(p.GraduationDate))) }},
		{"学历 with spaces", func(p *model.Applicant) { p.Education = " " + p.Education + " " }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t)
			certified(t, ts)
			legacy := applicantOf(t, ts, fx.P1)
			if legacy.GraduationDate == "" {
				legacy.GraduationDate = "2001-07-01"
			}
			tt.legacy(&legacy)
			if _, err := ts.srv.writer.Exec(`UPDATE applicants SET data = ? WHERE id = ?`, string(jsonRaw(t, legacy)), fx.P1); err != nil {
				t.Fatal(err)
			}
			appl := ts.login(userAppl1)
			phone := legacy
			phone.Phone = "13900002222"
			appl.mustApply(api.CmdApplicationCreate, 0, api.ApplicationCreateArgs{Applicant: phone, Application: newDraft()})

			renamed := applicantOf(t, ts, fx.P1)
			renamed.Name = "李大明"
			expectRejected(t, appl.run(api.CmdApplicationCreate, 0, api.ApplicationCreateArgs{Applicant: renamed,
				Application: newDraft()}), api.StatusRejected, model.CodeIdentityFrozen)
		})
	}
}
