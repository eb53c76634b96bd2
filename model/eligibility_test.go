package model

import (
	"fmt"
	"strings"
	"testing"
)

func builtinRuleSet(t *testing.T, s Series, l Level) RuleSet {
	t.Helper()
	for _, r := range DefaultRuleSets() {
		if r.Series == s && r.Level == l {
			return r
		}
	}
	t.Fatalf("no built-in rule set %s/%s", s, l)
	return RuleSet{}
}

const eligibilityAsOf = Date("2026-06-30")

// since is the date n whole years before asOf, plus extra days (extra 1:
// one day short).
func since(n, extra int) Date {
	t, _ := eligibilityAsOf.Time()
	return DateOf(t.AddDate(-n, 0, extra))
}

// eligibilityCase is one route of one built-in rule set, written out again
// from the document: the education it admits, what the years are counted
// from and how many, and the outcome once they are met (✓, or ? when the
// route asks for something the data cannot show).
type eligibilityCase struct {
	set             string // series/level
	edu, degree     string
	title           string // 现任职称
	from            string // title, graduation, work or "" (no years)
	years           int
	met             CheckStatus
	doc, clausePart string // the document number the line cites; part of the route's clause
}

// eligibilityCases are the routes as the cited documents state them; each
// number here was read in the document (see model/rules/*.json read_at). A
// change to a built-in rule's years or education fails its case.
var eligibilityCases = []eligibilityCase{
	// 工程技术人才职称评价基本标准（人社部发〔2019〕16号）
	{"engineering/junior_assistant", "硕士研究生", "硕士", "", "", 0, CheckPass, "人社部发〔2019〕16号", "硕士学位或第二学士学位"},
	{"engineering/junior_assistant", "大学本科", "学士", "", "graduation", 1, CheckUnknown, "人社部发〔2019〕16号", "见习1年期满"},
	{"engineering/junior_assistant", "大学专科", "", "技术员", "title", 2, CheckPass, "人社部发〔2019〕16号", "取得技术员职称后，从事技术工作满2年"},
	{"engineering/junior_assistant", "中专", "", "技术员", "title", 4, CheckUnknown, "人社部发〔2019〕16号", "中等职业学校毕业学历"},
	{"engineering/intermediate", "博士研究生", "博士", "", "", 0, CheckPass, "人社部发〔2019〕16号", "具备博士学位"},
	{"engineering/intermediate", "硕士研究生", "硕士", "助理工程师", "title", 2, CheckPass, "人社部发〔2019〕16号", "满2年"},
	{"engineering/intermediate", "大学本科", "学士", "助理工程师", "title", 4, CheckPass, "人社部发〔2019〕16号", "大学本科学历或学士学位"},
	{"engineering/intermediate", "大学专科", "", "助理工程师", "title", 4, CheckPass, "人社部发〔2019〕16号", "大学专科学历"},
	{"engineering/associate_senior", "博士研究生", "博士", "工程师", "title", 2, CheckPass, "人社部发〔2019〕16号", "博士学位，取得工程师职称后，从事技术工作满2年"},
	{"engineering/associate_senior", "硕士研究生", "硕士", "工程师", "title", 5, CheckPass, "人社部发〔2019〕16号", "满5年"},
	{"engineering/associate_senior", "大学本科", "学士", "工程师", "title", 5, CheckPass, "人社部发〔2019〕16号", "满5年"},
	// 会计人员职称评价基本标准条件（人社部发〔2019〕8号）
	{"accounting/junior_assistant", "高中", "", "", "", 0, CheckPass, "人社部发〔2019〕8号", "高中毕业"},
	{"accounting/intermediate", "博士研究生", "博士", "", "", 0, CheckPass, "人社部发〔2019〕8号", "具备博士学位"},
	{"accounting/intermediate", "硕士研究生", "硕士", "", "work", 1, CheckUnknown, "人社部发〔2019〕8号", "从事会计工作满1年"},
	{"accounting/intermediate", "研究生班", "", "", "work", 2, CheckUnknown, "人社部发〔2019〕8号", "从事会计工作满2年"},
	{"accounting/intermediate", "大学本科", "学士", "", "work", 4, CheckUnknown, "人社部发〔2019〕8号", "从事会计工作满4年"},
	{"accounting/intermediate", "大学专科", "", "", "work", 5, CheckUnknown, "人社部发〔2019〕8号", "从事会计工作满5年"},
	{"accounting/associate_senior", "博士研究生", "博士", "会计师", "title", 2, CheckPass, "人社部发〔2019〕8号", "满2年"},
	{"accounting/associate_senior", "大学本科", "学士", "会计师", "title", 5, CheckPass, "人社部发〔2019〕8号", "满5年"},
	{"accounting/associate_senior", "大学专科", "", "会计师", "title", 10, CheckPass, "人社部发〔2019〕8号", "满10年"},
	// 经济专业技术资格考试实施办法（人社部规〔2020〕1号）
	{"economics/intermediate", "博士研究生", "博士", "", "", 0, CheckPass, "人社部规〔2020〕1号", "具备博士学位"},
	{"economics/intermediate", "硕士研究生", "硕士", "", "work", 1, CheckUnknown, "人社部规〔2020〕1号", "满1年"},
	{"economics/intermediate", "研究生班", "", "", "work", 2, CheckUnknown, "人社部规〔2020〕1号", "满2年"},
	{"economics/intermediate", "大学本科", "学士", "", "work", 4, CheckUnknown, "人社部规〔2020〕1号", "满4年"},
	{"economics/intermediate", "大学专科", "", "", "work", 6, CheckUnknown, "人社部规〔2020〕1号", "满6年"},
	{"economics/intermediate", "高中", "", "助理经济师", "work", 10, CheckUnknown, "人社部规〔2020〕1号", "满10年"},
	{"economics/associate_senior", "博士研究生", "博士", "经济师", "title", 2, CheckPass, "人社部规〔2020〕1号", "满2年"},
	{"economics/associate_senior", "大学本科", "学士", "经济师", "title", 5, CheckPass, "人社部规〔2020〕1号", "满5年"},
	{"economics/associate_senior", "大学专科", "", "经济师", "title", 10, CheckPass, "人社部规〔2020〕1号", "满10年"},
	// 统计（人社部发〔2020〕16号）
	{"statistics/associate_senior", "博士研究生", "博士", "统计师", "title", 2, CheckPass, "人社部发〔2020〕16号", "满2年"},
	{"statistics/associate_senior", "硕士研究生", "硕士", "统计师", "title", 5, CheckPass, "人社部发〔2020〕16号", "满5年"},
	{"statistics/associate_senior", "大学专科", "", "统计师", "title", 10, CheckPass, "人社部发〔2020〕16号", "满10年"},
	// 审计专业人员职称评价基本标准（人社部发〔2020〕84号）
	{"audit/associate_senior", "博士研究生", "博士", "审计师", "title", 2, CheckPass, "人社部发〔2020〕84号", "满2年"},
	{"audit/associate_senior", "硕士研究生", "硕士", "审计师", "title", 4, CheckPass, "人社部发〔2020〕84号", "满4年"},
	{"audit/associate_senior", "大学本科", "学士", "审计师", "title", 5, CheckPass, "人社部发〔2020〕84号", "满5年"},
	{"audit/associate_senior", "大学专科", "", "审计师", "title", 6, CheckPass, "人社部发〔2020〕84号", "满6年"},
	// 农业技术人员职称评价基本标准（人社部发〔2019〕114号）
	{"agriculture/junior_staff", "大学本科", "学士", "", "", 0, CheckPass, "人社部发〔2019〕114号", "大学本科学历或学士学位"},
	{"agriculture/junior_staff", "大学专科", "", "", "work", 1, CheckUnknown, "人社部发〔2019〕114号", "满1年"},
	{"agriculture/junior_assistant", "硕士研究生", "硕士", "", "", 0, CheckPass, "人社部发〔2019〕114号", "硕士学位或第二学士学位"},
	{"agriculture/junior_assistant", "大学本科", "学士", "", "work", 1, CheckUnknown, "人社部发〔2019〕114号", "满1年"},
	{"agriculture/junior_assistant", "大学专科", "", "农业技术员", "title", 2, CheckPass, "人社部发〔2019〕114号", "满2年"},
	{"agriculture/junior_assistant", "中专", "", "农业技术员", "title", 4, CheckPass, "人社部发〔2019〕114号", "满4年"},
	{"agriculture/intermediate", "博士研究生", "博士", "", "", 0, CheckPass, "人社部发〔2019〕114号", "具备博士学位"},
	{"agriculture/intermediate", "硕士研究生", "硕士", "助理农艺师", "title", 2, CheckPass, "人社部发〔2019〕114号", "满2年"},
	{"agriculture/intermediate", "大学专科", "", "助理兽医师", "title", 4, CheckPass, "人社部发〔2019〕114号", "满4年"},
	{"agriculture/intermediate", "高中", "", "助理畜牧师", "title", 5, CheckPass, "人社部发〔2019〕114号", "满5年"},
	// 中小学教师（人力资源社会保障部 教育部 2015年）
	{"school_teacher/junior_staff", "大学专科", "", "", "graduation", 1, CheckUnknown, "中小学教师职称制度改革", "见习1年期满"},
	{"school_teacher/junior_staff", "中专", "", "", "graduation", 1, CheckUnknown, "中小学教师职称制度改革", "中等师范学校毕业"},
	{"school_teacher/junior_assistant", "硕士研究生", "硕士", "", "", 0, CheckPass, "中小学教师职称制度改革", "具备硕士学位"},
	{"school_teacher/junior_assistant", "大学本科", "学士", "", "graduation", 1, CheckUnknown, "中小学教师职称制度改革", "见习1年期满"},
	{"school_teacher/junior_assistant", "大学专科", "", "三级教师", "title", 2, CheckUnknown, "中小学教师职称制度改革", "任教2年以上"},
	{"school_teacher/junior_assistant", "中专", "", "三级教师", "title", 3, CheckUnknown, "中小学教师职称制度改革", "任教3年以上"},
	{"school_teacher/intermediate", "博士研究生", "博士", "", "", 0, CheckPass, "中小学教师职称制度改革", "具备博士学位"},
	{"school_teacher/intermediate", "硕士研究生", "硕士", "二级教师", "title", 2, CheckPass, "中小学教师职称制度改革", "任教2年以上"},
	{"school_teacher/intermediate", "大学本科", "学士", "中学二级教师", "title", 4, CheckPass, "中小学教师职称制度改革", "任教4年以上"},
	{"school_teacher/intermediate", "大学专科", "", "二级教师", "title", 4, CheckUnknown, "中小学教师职称制度改革", "小学、初中二级教师岗位任教4年以上"},
	{"school_teacher/intermediate", "中专", "", "二级教师", "title", 5, CheckUnknown, "中小学教师职称制度改革", "任教5年以上"},
	{"school_teacher/associate_senior", "博士研究生", "博士", "一级教师", "title", 2, CheckPass, "中小学教师职称制度改革", "任教2年以上"},
	{"school_teacher/associate_senior", "大学本科", "学士", "一级教师", "title", 5, CheckPass, "中小学教师职称制度改革", "任教5年以上"},
	{"school_teacher/associate_senior", "大学专科", "", "一级教师", "title", 5, CheckUnknown, "中小学教师职称制度改革", "小学、初中一级教师岗位"},
	{"school_teacher/senior", "大学本科", "学士", "中学高级教师", "title", 5, CheckPass, "中小学教师职称制度改革", "高级教师岗位任教5年以上"},
	// 翻译专业人员职称评价基本标准（人社部发〔2019〕110号）
	{"translation/associate_senior", "博士研究生", "博士", "二级翻译", "title", 2, CheckPass, "人社部发〔2019〕110号", "满2年"},
	{"translation/associate_senior", "硕士研究生", "硕士", "二级翻译", "title", 3, CheckUnknown, "人社部发〔2019〕110号", "翻译相关专业硕士学位"},
	{"translation/associate_senior", "研究生班", "", "二级翻译", "title", 4, CheckUnknown, "人社部发〔2019〕110号", "满4年"},
	{"translation/associate_senior", "大学本科", "学士", "二级翻译", "title", 5, CheckPass, "人社部发〔2019〕110号", "满5年"},
	{"translation/senior", "大学本科", "学士", "一级翻译", "title", 5, CheckPass, "人社部发〔2019〕110号", "满5年"},
	{"translation/senior", "大学本科", "学士", "副译审", "title", 5, CheckPass, "人社部发〔2019〕110号", "满5年"},
	// 天津市档案系列中级职称（馆员）资格条件
	{"archives/intermediate", "博士研究生", "博士", "", "", 0, CheckPass, "天津市人力资源和社会保障局", "具备博士学位"},
	{"archives/intermediate", "硕士研究生", "硕士", "助理馆员", "title", 2, CheckPass, "天津市人力资源和社会保障局", "满2年"},
	{"archives/intermediate", "大学本科", "学士", "助理馆员", "title", 4, CheckPass, "天津市人力资源和社会保障局", "满4年"},
	{"archives/intermediate", "大学专科", "", "助理馆员", "title", 4, CheckPass, "天津市人力资源和社会保障局", "满4年"},
	{"archives/intermediate", "高中", "", "助理馆员", "title", 7, CheckPass, "天津市人力资源和社会保障局", "满7年"},
}

// applicantFor builds the applicant of a case whose years start extra days
// after the day that exactly meets them (0: met on asOf; 1: one day short).
func (c eligibilityCase) applicantFor(extra int) Applicant {
	title := c.title
	if title == "" {
		title = "无" // holds no title: the routes that start from one are closed
	}
	p := Applicant{Education: c.edu, Degree: c.degree, CurrentTitle: title}
	d := since(c.years, extra)
	switch c.from {
	case "title":
		p.CurrentTitleDate = d
	case "graduation":
		p.GraduationDate = d
	case "work":
		p.WorkStartDate = d
	}
	return p
}

// TestEligibilityBuiltinRoutes: every route written out above, met exactly
// on the day its years complete and one day short of it; every line cites
// the route's document and gives a reason.
func TestEligibilityBuiltinRoutes(t *testing.T) {
	for _, c := range eligibilityCases {
		name := fmt.Sprintf("%s %s %s %d年", c.set, c.edu, c.from, c.years)
		t.Run(name, func(t *testing.T) {
			series, level, _ := strings.Cut(c.set, "/")
			rs := builtinRuleSet(t, Series(series), Level(level))
			outcomes := []struct {
				extra int
				want  CheckStatus
			}{{0, c.met}}
			if c.years > 0 {
				outcomes = append(outcomes, struct {
					extra int
					want  CheckStatus
				}{1, CheckFail})
			}
			for _, o := range outcomes {
				got := rs.Check(c.applicantFor(o.extra), MethodPanelReview, eligibilityAsOf)
				seniority := got[len(got)-1]
				if seniority.Condition != "资历" || seniority.Status != o.want {
					t.Fatalf("%d day(s) after the boundary: %+v, want 资历 %s", o.extra, got, o.want)
				}
				if !strings.Contains(seniority.Clause, c.clausePart) {
					t.Fatalf("route %q, want the one saying %q", seniority.Clause, c.clausePart)
				}
				if o.want == CheckFail && !strings.Contains(seniority.Detail, string(eligibilityAsOf.AddDays(1))+"方满") {
					t.Fatalf("one day short should name tomorrow: %q", seniority.Detail)
				}
				for _, line := range got {
					if line.Status != CheckPass && line.Condition == "学历" {
						t.Fatalf("学历 %s: %s", line.Status, line.Detail)
					}
					if !strings.Contains(line.Source, c.doc) || line.Detail == "" {
						t.Fatalf("line without its source %q or reason: %+v", c.doc, line)
					}
				}
			}
		})
	}
}

// TestEligibilityEveryRouteHasACase: a built-in route nobody wrote a case
// for (a new or changed rule) fails here, so no rule ships untested.
func TestEligibilityEveryRouteHasACase(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range eligibilityCases {
		series, level, _ := strings.Cut(c.set, "/")
		rs := builtinRuleSet(t, Series(series), Level(level))
		for i, p := range rs.Paths {
			if strings.Contains(p.Clause, c.clausePart) && ApplicantEducation(c.edu, c.degree) >= p.MinEducation {
				covered[fmt.Sprintf("%s#%d", c.set, i)] = true
			}
		}
	}
	for _, rs := range DefaultRuleSets() {
		for i, p := range rs.Paths {
			if id := fmt.Sprintf("%s#%d", RuleSetID(rs.Series, rs.Level), i); !covered[id] {
				t.Errorf("%s (%s) has no case in eligibilityCases", id, p.Clause)
			}
		}
	}
}

// TestEligibilityEngineeringEdges: the outcomes that are not a route's
// years: an education below the standard, one not recognised, a missing or
// foreign current title, a missing date, 29 February.
func TestEligibilityEngineeringEdges(t *testing.T) {
	person := func(edu, degree, title string, titleDate Date) Applicant {
		return Applicant{Education: edu, Degree: degree, CurrentTitle: title, CurrentTitleDate: titleDate}
	}
	tests := []struct {
		name      string
		level     Level
		p         Applicant
		education CheckStatus
		seniority CheckStatus // "" = no seniority line
	}{
		{"高工 硕士 uses the 5-year route", LevelAssociateSenior, person("硕士研究生", "硕士", "工程师", "2022-01-01"), CheckPass, CheckFail},
		{"高工 专科 is below the standard", LevelAssociateSenior, person("大学专科", "", "工程师", "2010-01-01"), CheckFail, ""},
		{"高工 unknown education", LevelAssociateSenior, person("其他", "", "工程师", "2010-01-01"), CheckUnknown, ""},
		{"高工 no current title", LevelAssociateSenior, person("大学本科", "学士", "", ""), CheckPass, CheckUnknown},
		{"高工 title of another series", LevelAssociateSenior, person("大学本科", "学士", "农艺师", "2010-01-01"), CheckPass, CheckUnknown},
		{"高工 助理工程师 is not 工程师", LevelAssociateSenior, person("大学本科", "学士", "助理工程师", "2010-01-01"), CheckPass, CheckUnknown},
		{"高工 no title date", LevelAssociateSenior, person("大学本科", "学士", "工程师", ""), CheckPass, CheckUnknown},
		{"工程师 中专 is below the standard", LevelIntermediate, person("中专", "", "助理工程师", "2010-01-01"), CheckFail, ""},
		{"29 February start completes on 1 March", LevelAssociateSenior, person("大学本科", "学士", "工程师", "2020-02-29"), CheckPass, CheckPass},
		{"高工 holding no title", LevelAssociateSenior, person("大学本科", "学士", "无", ""), CheckPass, CheckFail},
		{"助工 见习 short, title not written: ? naming both", LevelJuniorAssistant,
			Applicant{Education: "大学本科", Degree: "学士", GraduationDate: "2024-03-02"}, CheckPass, CheckUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := builtinRuleSet(t, "engineering", tt.level).Check(tt.p, MethodPanelReview, Date("2025-03-01"))
			if got[0].Condition != "学历" || got[0].Status != tt.education {
				t.Fatalf("学历 %s: %s", got[0].Status, got[0].Detail)
			}
			if tt.seniority == "" {
				if len(got) != 1 {
					t.Fatalf("a seniority line after a failed education: %+v", got)
				}
			} else if len(got) != 2 || got[1].Condition != "资历" || got[1].Status != tt.seniority {
				t.Fatalf("资历: %+v", got)
			}
			if tt.level == LevelJuniorAssistant && (!strings.Contains(got[1].Detail, "2025-03-02方满") ||
				!strings.Contains(got[1].Detail, "未填写现任职称")) {
				t.Fatalf("both routes not named: %q", got[1].Detail)
			}
			for _, c := range got {
				if !strings.Contains(c.Source, "人社部发〔2019〕16号") || c.Detail == "" {
					t.Fatalf("line without its source or reason: %+v", c)
				}
			}
		})
	}
}

// TestEligibilityWorkYearsAreAnUpperBound: 从事…工作满N年 is judged by 参加
// 工作时间: fewer years is ✗ naming the day, as many is ? asking for the
// kind of work, none written is ? asking for the date.
func TestEligibilityWorkYearsAreAnUpperBound(t *testing.T) {
	rs := builtinRuleSet(t, "accounting", LevelIntermediate)
	p := Applicant{Education: "大学本科", Degree: "学士", WorkStartDate: since(4, 0)}
	got := rs.Check(p, MethodExamInLieu, eligibilityAsOf)
	if s := got[len(got)-1]; s.Status != CheckUnknown || !strings.Contains(s.Detail, "从事本专业工作的年限请人工核对") {
		t.Fatalf("met: %+v", s)
	}
	p.WorkStartDate = ""
	if s := rs.Check(p, MethodExamInLieu, eligibilityAsOf); !strings.Contains(s[len(s)-1].Detail, "未填写参加工作时间") {
		t.Fatalf("no date: %+v", s)
	}
}

// TestEligibilityVerifyRanksAboveFailure: a route met but for what the
// data cannot show (翻译相关专业) is the ? shown, not the nearer failure;
// a route fully met wins over it.
func TestEligibilityVerifyRanksAboveFailure(t *testing.T) {
	rs := builtinRuleSet(t, "translation", LevelAssociateSenior)
	p := Applicant{Education: "硕士研究生", Degree: "硕士", CurrentTitle: "二级翻译", CurrentTitleDate: since(4, 0)}
	got := rs.Check(p, MethodPanelReview, eligibilityAsOf)
	if s := got[len(got)-1]; s.Status != CheckUnknown || !strings.Contains(s.Detail, "另须核对：须为翻译相关专业硕士学位") {
		t.Fatalf("4 years: %+v", s)
	}
	p.CurrentTitleDate = since(5, 0)
	if s := rs.Check(p, MethodPanelReview, eligibilityAsOf); s[len(s)-1].Status != CheckPass {
		t.Fatalf("5 years: %+v", s[len(s)-1])
	}
}

// TestEligibilityExamLine: a level obtained by examination says so first,
// always as ?, with the reason fitting the application's 评价方式.
func TestEligibilityExamLine(t *testing.T) {
	p := Applicant{Education: "大学本科", Degree: "学士", CurrentTitle: "会计师", CurrentTitleDate: since(6, 0), WorkStartDate: since(6, 0)}
	tests := []struct {
		set    string
		method EvaluationMethod
		detail string
	}{
		{"accounting/intermediate", MethodExamInLieu, "以考代评：请核对考试成绩合格证明"},
		{"accounting/intermediate", MethodPanelReview, "不进行评审，本申报为“社会化评审”"},
		{"accounting/associate_senior", MethodPanelReview, "考评结合：请核对考试成绩合格证明及其有效期"},
		{"economics/associate_senior", MethodSelfAppointment, "考评结合"},
		{"statistics/associate_senior", MethodPanelReview, "考评结合"},
	}
	for _, tt := range tests {
		series, level, _ := strings.Cut(tt.set, "/")
		got := builtinRuleSet(t, Series(series), Level(level)).Check(p, tt.method, eligibilityAsOf)
		if got[0].Condition != "评价方式" || got[0].Status != CheckUnknown || !strings.Contains(got[0].Detail, tt.detail) ||
			got[0].Clause == "" || got[0].Source == "" {
			t.Errorf("%s %s: %+v", tt.set, tt.method, got[0])
		}
	}
	if got := builtinRuleSet(t, "engineering", LevelIntermediate).Check(p, MethodPanelReview, eligibilityAsOf); got[0].Condition != "学历" {
		t.Errorf("a reviewed level has an exam line: %+v", got[0])
	}
}

func TestTitleMatches(t *testing.T) {
	tests := []struct {
		title string
		want  []string
		ok    bool
	}{
		{"工程师", []string{"工程师"}, true},
		{"中级工程师", []string{"工程师"}, true},
		{"助理工程师", []string{"工程师"}, false},
		{"高级工程师", []string{"工程师"}, false},
		{"正高级工程师", []string{"高级工程师"}, false},
		{"研究员级高级工程师", []string{"高级工程师"}, false},
		{"教授级高级工程师", []string{"高级工程师"}, false},
		{"注册会计师", []string{"会计师"}, false},
		{"高级会计师", []string{"会计师"}, false},
		{"中学一级教师", []string{"一级教师"}, true},
		{"小学一级教师", []string{"一级教师"}, false}, // 2015: 小学一级 became 二级教师
		{"小学高级教师", []string{"高级教师"}, false}, // 2015: 小学高级 became 一级教师
		{"中学高级教师", []string{"高级教师"}, true},
		{"正高级教师", []string{"高级教师"}, false},
		{"副研究馆员", []string{"馆员"}, false},
		{"副译审", []string{"一级翻译", "副译审"}, true},
		{"农艺师", []string{"助理农艺师", "助理畜牧师"}, false},
	}
	for _, tt := range tests {
		if got := TitleMatches(tt.title, tt.want); got != tt.ok {
			t.Errorf("TitleMatches(%q, %v) = %v", tt.title, tt.want, got)
		}
	}
}

func TestApplicantEducation(t *testing.T) {
	tests := []struct {
		edu, degree string
		want        EducationLevel
	}{
		{"博士研究生", "博士", EduDoctorate}, {"大学本科", "硕士", EduMaster}, {"大学本科", "学士", EduBachelor},
		{"大学本科", "第二学士", EduSecondBachelor}, {"研究生班", "", EduSecondBachelor}, {"大学专科", "", EduAssociate},
		{"大专", "", EduAssociate}, {"中专", "", EduSecondary}, {"", "", EduUnknown}, {"其他", "", EduUnknown},
		{"硕士研究生", "", EduMaster},
	}
	for _, tt := range tests {
		if got := ApplicantEducation(tt.edu, tt.degree); got != tt.want {
			t.Errorf("ApplicantEducation(%q, %q) = %v, want %v", tt.edu, tt.degree, got, tt.want)
		}
	}
}

// TestDefaultRuleSetsValid: every built-in set is valid, names its
// document and article and where its wording was read; a file with an
// unknown education, field or exam mode is refused whole.
func TestDefaultRuleSetsValid(t *testing.T) {
	sets := DefaultRuleSets()
	if len(sets) < 20 {
		t.Fatalf("%d built-in rule sets", len(sets))
	}
	for _, r := range sets {
		if err := r.Validate(); err != nil {
			t.Errorf("%s: %v", RuleSetID(r.Series, r.Level), err)
		}
		if r.Article == "" || len(r.ReadAt) == 0 || !strings.ContainsAny(r.Source, "〔《") {
			t.Errorf("%s: cites %q %q, read at %v", RuleSetID(r.Series, r.Level), r.Source, r.Article, r.ReadAt)
		}
	}
	for name, data := range map[string]string{
		"unknown education": `[{"series":"engineering","level":"senior","title":"x","source":"y","paths":[{"min_education":"phd","clause":"z"}]}]`,
		"unknown field":     `[{"series":"engineering","level":"senior","title":"x","source":"y","paths":[{"min_education":"bachelor","clause":"z"}],"extra":1}]`,
		"unknown exam mode": `[{"series":"engineering","level":"senior","title":"x","source":"y","exam":{"mode":"oral","clause":"c"},"paths":[{"min_education":"bachelor","clause":"z"}]}]`,
		"negative years":    `[{"series":"engineering","level":"senior","title":"x","source":"y","paths":[{"min_education":"bachelor","years_of_work":-1,"clause":"z"}]}]`,
	} {
		if _, err := ParseRuleSets([]byte(data)); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
