package model

import (
	"errors"
	"testing"
	"time"
)

// A small hierarchy: city office ← department D (a 全面实行岗位管理的事业单位)
// ← employer E ← sub-unit E2; D ← sub-department SD ← employer F; sibling S.
type unitMap map[string]Unit

func (m unitMap) Unit(id string) (Unit, bool) { u, ok := m[id]; return u, ok }

var testUnits = unitMap{
	"city": {ID: "city", Kind: UnitCityOffice, Name: "天津市职称工作办公室"},
	"D":    {ID: "D", ParentID: "city", Kind: UnitDepartment, Name: "天津市农业科学院", PostManaged: true},
	"E":    {ID: "E", ParentID: "D", Kind: UnitEmployer, Name: "作物研究所"},
	"E2":   {ID: "E2", ParentID: "E", Kind: UnitEmployer, Name: "作物研究所第一研究室"},
	"SD":   {ID: "SD", ParentID: "D", Kind: UnitDepartment, Name: "天津市种业振兴服务中心"},
	"F":    {ID: "F", ParentID: "SD", Kind: UnitEmployer, Name: "天津市种子管理站"},
	"S":    {ID: "S", ParentID: "city", Kind: UnitDepartment, Name: "天津市教育委员会"},
}

var (
	t0      = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	testEnv = Env{Now: t0, Units: testUnits, Calendar: DefaultCalendar()}
	sha     = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	pubFile = Attachment{SHA256: sha, Name: "公示.pdf", Kind: AttachPublicity, Size: 10}
	postTbl = Attachment{SHA256: sha, Name: "岗位情况表.pdf", Kind: AttachPostStatusForm, Size: 10}
)

func applicant(id string) Actor { return Actor{Role: RoleApplicant, ApplicantID: id, Person: "张三"} }
func employer(u string) Actor   { return Actor{Role: RoleEmployer, UnitID: u, Person: "李经办"} }
func dept(u string) Actor       { return Actor{Role: RoleDepartment, UnitID: u, Person: "王审核"} }
func office() Actor             { return Actor{Role: RoleCityOffice, UnitID: "city", Person: "赵处长"} }

func goodRec(files ...Attachment) *Recommendation {
	return &Recommendation{PublicityStart: "2026-10-19", PublicityEnd: "2026-10-23", PublicityMethod: "公告栏",
		PublicityPlace: "一楼", PublicityResult: "无异议", GroupOpinion: "同意推荐", GroupSize: 5, VotesFor: 5, Attachments: files}
}

func goodAppt() *Appointment {
	return &Appointment{AppointDate: "2026-11-01", Post: "专业技术岗位", PostLevel: "专业技术八级岗位", TermYears: 3, DocumentNo: "津农科人〔2026〕1号"}
}

func draft(unit string, m EvaluationMethod) Application {
	return Application{ID: "a1", ApplicantID: "p1", UnitID: unit, Method: m, Stage: StageDraft, Version: 1}
}

type step struct {
	actor  Actor
	t      Transition
	stage  Stage
	holder string
}

func pass(a Actor) Transition { return Transition{Action: ActionPass, Opinion: "同意"} }

// submit carries p1's record, which the application keeps (SEC-1).
var submit = Transition{Action: ActionSubmit, Applicant: &Applicant{ID: "p1", Name: "张三", Education: "本科"}}

// TestWorkflowPaths walks every row of DESIGN §3 end to end.
func TestWorkflowPaths(t *testing.T) {
	recPass := Transition{Action: ActionPass, Opinion: "同意", Recommendation: goodRec(pubFile, postTbl)}
	empPass := Transition{Action: ActionPass, Recommendation: goodRec(pubFile)}
	tests := []struct {
		name  string
		unit  string
		m     EvaluationMethod
		steps []step
	}{
		{"own unit, 社会化评审 to committee and certificate", "D", MethodPanelReview, []step{
			{applicant("p1"), submit, StageOwnUnit, "D"},
			{dept("D"), recPass, StageForward, "D"},
			{dept("D"), pass(dept("D")), StageCommittee, "city"},
			{office(), pass(office()), StageCityOffice, "city"},
			{office(), Transition{Action: ActionCertify, CertificateNo: "TJ1"}, StageCertified, ""},
		}},
		{"own unit, 自主聘任 with appointment", "D", MethodSelfAppointment, []step{
			{applicant("p1"), submit, StageOwnUnit, "D"},
			{dept("D"), recPass, StageSelfAppoint, "D"},
			{dept("D"), Transition{Action: ActionPass, Appointment: goodAppt()}, StageCityOffice, "city"},
			{office(), Transition{Action: ActionCertify, CertificateNo: "TJ2"}, StageCertified, ""},
		}},
		{"own unit, 本市以考代评", "D", MethodExamInLieu, []step{
			{applicant("p1"), submit, StageOwnUnit, "D"},
			{dept("D"), recPass, StageExam, "D"},
			{dept("D"), pass(dept("D")), StageCityOffice, "city"},
		}},
		{"two employer levels then 下级单位人员审核", "E2", MethodPanelReview, []step{
			{applicant("p1"), submit, StageUnitReview, "E2"},
			{employer("E2"), empPass, StageUnitReview, "E"},
			{employer("E"), pass(employer("E")), StageSubordinate, "D"},
			{dept("D"), pass(dept("D")), StageForward, "D"},
			{dept("D"), pass(dept("D")), StageCommittee, "city"},
		}},
		{"sub-department in between (multi-level)", "F", MethodPanelReview, []step{
			{applicant("p1"), submit, StageUnitReview, "F"},
			{employer("F"), empPass, StageSubordinate, "SD"},
			{dept("SD"), pass(dept("SD")), StageForward, "SD"},
			{dept("SD"), pass(dept("SD")), StageSubordinate, "D"},
			{dept("D"), pass(dept("D")), StageForward, "D"},
			{dept("D"), pass(dept("D")), StageCommittee, "city"},
		}},
		{"sub-department's 自主聘任 goes straight to the city office", "F", MethodSelfAppointment, []step{
			{applicant("p1"), submit, StageUnitReview, "F"},
			{employer("F"), empPass, StageSubordinate, "SD"},
			{dept("SD"), pass(dept("SD")), StageSelfAppoint, "SD"},
			{dept("SD"), Transition{Action: ActionPass, Appointment: goodAppt()}, StageCityOffice, "city"},
		}},
		{"reject returns to the applicant, resubmit walks again", "E", MethodExamInLieu, []step{
			{applicant("p1"), submit, StageUnitReview, "E"},
			{employer("E"), empPass, StageSubordinate, "D"},
			{dept("D"), Transition{Action: ActionReject, Opinion: "请补充继续教育证明"}, StageReturned, ""},
			{applicant("p1"), submit, StageUnitReview, "E"},
			{employer("E"), empPass, StageSubordinate, "D"},
			{dept("D"), pass(dept("D")), StageExam, "D"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := draft(tc.unit, tc.m)
			for i, s := range tc.steps {
				next, err := Apply(app, s.actor, s.t, testEnv)
				if err != nil {
					t.Fatalf("step %d (%s by %s): %v", i+1, s.t.Action, s.actor.UnitID, err)
				}
				if next.Stage != s.stage || next.HolderUnitID != s.holder {
					t.Fatalf("step %d: at %s/%s, want %s/%s", i+1, next.Stage, next.HolderUnitID, s.stage, s.holder)
				}
				if next.Version != app.Version+1 || len(next.Flow) != len(app.Flow)+1 {
					t.Fatalf("step %d: version %d flow %d", i+1, next.Version, len(next.Flow))
				}
				app = next
			}
		})
	}
}

func TestPassRequirements(t *testing.T) {
	at := func(stage Stage, holder, unit string, m EvaluationMethod) Application {
		a := draft(unit, m)
		a.Stage, a.HolderUnitID = stage, holder
		return a
	}
	short := goodRec(pubFile, postTbl)
	short.PublicityEnd = "2026-10-22" // Mon 19 .. Thu 22: four working days
	tests := []struct {
		name  string
		app   Application
		actor Actor
		t     Transition
		code  string
	}{
		{"own unit without recommendation", at(StageOwnUnit, "D", "D", MethodPanelReview), dept("D"), Transition{Action: ActionPass}, CodeRecommendation},
		{"post-managed unit without 岗位情况表", at(StageOwnUnit, "D", "D", MethodPanelReview), dept("D"),
			Transition{Action: ActionPass, Recommendation: goodRec(pubFile)}, CodePostStatusForm},
		{"no attachment at all", at(StageUnitReview, "E", "E", MethodPanelReview), employer("E"),
			Transition{Action: ActionPass, Recommendation: goodRec()}, CodeAttachmentMissing},
		{"four working days of publicity", at(StageOwnUnit, "D", "D", MethodPanelReview), dept("D"),
			Transition{Action: ActionPass, Recommendation: short}, CodePublicityTooShort},
		{"self appointment without appointment", at(StageSelfAppoint, "D", "D", MethodSelfAppointment), dept("D"),
			Transition{Action: ActionPass}, CodeAppointment},
		{"reject without reason", at(StageSubordinate, "D", "E", MethodPanelReview), dept("D"),
			Transition{Action: ActionReject, Opinion: "  "}, CodeOpinionRequired},
		{"not the holder", at(StageSubordinate, "D", "E", MethodPanelReview), dept("S"), pass(dept("S")), CodeNotHolder},
		{"wrong role", at(StageSubordinate, "D", "E", MethodPanelReview), employer("D"), pass(employer("D")), CodeForbidden},
		{"pass a draft", at(StageDraft, "", "E", MethodPanelReview), dept("D"), pass(dept("D")), CodeInvalidTransition},
		{"submit twice", at(StageUnitReview, "E", "E", MethodPanelReview), applicant("p1"), submit, CodeInvalidTransition},
		{"someone else's submit", at(StageDraft, "", "E", MethodPanelReview), applicant("p2"), submit, CodeForbidden},
		{"certify without number", at(StageCityOffice, "city", "E", MethodExamInLieu), office(), Transition{Action: ActionCertify}, CodeCertificateRequired},
		{"department cannot certify", at(StageCityOffice, "city", "E", MethodExamInLieu), dept("D"), Transition{Action: ActionCertify, CertificateNo: "x"}, CodeForbidden},
		{"bad attachment hash", at(StageSubordinate, "D", "E", MethodPanelReview), dept("D"),
			Transition{Action: ActionPass, Attachments: []Attachment{{SHA256: "xyz", Name: "a.pdf", Kind: AttachOther, Size: 1}}}, CodeValidation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Apply(tc.app, tc.actor, tc.t, testEnv)
			var e *Error
			if !errors.As(err, &e) || e.Code != tc.code {
				t.Fatalf("err = %v, want code %s", err, tc.code)
			}
			if e.Title == "" || e.Detail == "" {
				t.Errorf("error without a Chinese title/detail: %+v", e)
			}
			if got.Version != tc.app.Version || len(got.Flow) != len(tc.app.Flow) {
				t.Error("a refused transition changed the application")
			}
		})
	}
}

func TestWithdraw(t *testing.T) {
	app := draft("E", MethodPanelReview)
	steps := []struct {
		a Actor
		t Transition
	}{
		{applicant("p1"), submit},
		{employer("E"), Transition{Action: ActionPass, Recommendation: goodRec(pubFile)}},
		{dept("D"), pass(dept("D"))}, // subordinate → forward
	}
	for _, s := range steps {
		var err error
		if app, err = Apply(app, s.a, s.t, testEnv); err != nil {
			t.Fatal(err)
		}
	}
	if !app.CanWithdraw("D") || app.CanWithdraw("E") {
		t.Fatal("CanWithdraw disagrees with the flow")
	}
	back, err := Apply(app, dept("D"), Transition{Action: ActionWithdraw}, testEnv)
	if err != nil {
		t.Fatalf("withdraw before the next holder acted: %v", err)
	}
	if back.Stage != StageSubordinate || back.HolderUnitID != "D" {
		t.Fatalf("withdraw went to %s/%s", back.Stage, back.HolderUnitID)
	}
	// Pass to the committee; the city office acts; now it is too late.
	up, _ := Apply(back, dept("D"), pass(dept("D")), testEnv)
	up, _ = Apply(up, dept("D"), pass(dept("D")), testEnv)
	acted, err := Apply(up, office(), pass(office()), testEnv)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Apply(acted, dept("D"), Transition{Action: ActionWithdraw}, testEnv)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeWithdrawTooLate || e.Kind != KindConflict {
		t.Fatalf("withdraw after the next level acted: %v", err)
	}
	_, err = Apply(acted, dept("S"), Transition{Action: ActionWithdraw}, testEnv)
	if !errors.As(err, &e) || e.Code != CodeInvalidTransition {
		t.Fatalf("withdraw by a unit that never passed it: %v", err)
	}
}

func TestCheckVersion(t *testing.T) {
	app := Application{Version: 4}
	if CheckVersion(app, 4) != nil || CheckVersion(app, 0) != nil {
		t.Error("current or unspecified version refused")
	}
	var e *Error
	if err := CheckVersion(app, 3); !errors.As(err, &e) || e.Kind != KindConflict || e.Code != CodeVersionConflict {
		t.Errorf("stale version: %v", err)
	}
}

func TestReviewedByAndLabels(t *testing.T) {
	app := draft("E", MethodPanelReview)
	app, _ = Apply(app, applicant("p1"), submit, testEnv)
	app, _ = Apply(app, employer("E"), Transition{Action: ActionReject, Opinion: "材料不全"}, testEnv)
	if !app.ReviewedBy("E") || app.ReviewedBy("D") || app.ReturnedAt == nil {
		t.Error("ReviewedBy/ReturnedAt wrong after a reject")
	}
	if len(AllSeries) < 27 || SeriesEconomics.Label() != "经济专业人员" || LevelJuniorStaff.Label() != "初级(员级)" ||
		MethodExamInLieu.Label() != "本市以考代评" || StageOwnUnit.Label() != "本单位人员审核" {
		t.Error("labels")
	}
}
