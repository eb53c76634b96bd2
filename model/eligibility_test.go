package model

import (
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

// TestEligibilityEngineering: every route of the built-in engineering rules
// (《工程技术人才职称评价基本标准》, 人社部发〔2019〕16号 附件), with the boundary
// day on each side; the source is cited in every line.
func TestEligibilityEngineering(t *testing.T) {
	const asOf = Date("2026-06-30")
	person := func(edu, degree, title string, titleDate Date) Applicant {
		return Applicant{Education: edu, Degree: degree, CurrentTitle: title, CurrentTitleDate: titleDate}
	}
	tests := []struct {
		name      string
		level     Level
		p         Applicant
		education CheckStatus
		seniority CheckStatus // "" = no seniority line
		clause    string      // part of the route's clause named
	}{
		// 高级工程师: 博士 + 工程师后2年
		{"高工 博士 exactly 2 years", LevelAssociateSenior, person("博士研究生", "博士", "工程师", "2024-06-30"), CheckPass, CheckPass, "博士学位，取得工程师职称后，从事技术工作满2年"},
		{"高工 博士 one day short", LevelAssociateSenior, person("博士研究生", "博士", "工程师", "2024-07-01"), CheckPass, CheckFail, "满2年"},
		// 高级工程师: 本科/硕士 + 工程师后5年
		{"高工 本科 exactly 5 years", LevelAssociateSenior, person("大学本科", "学士", "工程师", "2021-06-30"), CheckPass, CheckPass, "满5年"},
		{"高工 本科 one day short", LevelAssociateSenior, person("大学本科", "学士", "工程师", "2021-07-01"), CheckPass, CheckFail, "满5年"},
		{"高工 硕士 uses the 5-year route", LevelAssociateSenior, person("硕士研究生", "硕士", "工程师", "2022-01-01"), CheckPass, CheckFail, "满5年"},
		{"高工 专科 is below the standard", LevelAssociateSenior, person("大学专科", "", "工程师", "2010-01-01"), CheckFail, "", ""},
		{"高工 unknown education", LevelAssociateSenior, person("其他", "", "工程师", "2010-01-01"), CheckUnknown, "", ""},
		{"高工 no current title", LevelAssociateSenior, person("大学本科", "学士", "", ""), CheckPass, CheckUnknown, ""},
		{"高工 title of another series", LevelAssociateSenior, person("大学本科", "学士", "农艺师", "2010-01-01"), CheckPass, CheckUnknown, ""},
		{"高工 助理工程师 is not 工程师", LevelAssociateSenior, person("大学本科", "学士", "助理工程师", "2010-01-01"), CheckPass, CheckUnknown, ""},
		{"高工 no title date", LevelAssociateSenior, person("大学本科", "学士", "工程师", ""), CheckPass, CheckUnknown, ""},
		// 工程师: 博士 needs nothing more; 硕士 2 years; 本科 and 专科 4 years after 助理工程师
		{"工程师 博士", LevelIntermediate, person("博士研究生", "博士", "", ""), CheckPass, CheckPass, "具备博士学位"},
		{"工程师 硕士 exactly 2 years", LevelIntermediate, person("硕士研究生", "硕士", "助理工程师", "2024-06-30"), CheckPass, CheckPass, "满2年"},
		{"工程师 硕士 one day short", LevelIntermediate, person("硕士研究生", "硕士", "助理工程师", "2024-07-01"), CheckPass, CheckFail, "满2年"},
		{"工程师 专科 exactly 4 years", LevelIntermediate, person("大学专科", "", "助理工程师", "2022-06-30"), CheckPass, CheckPass, "大学专科学历"},
		{"工程师 专科 one day short", LevelIntermediate, person("大学专科", "", "助理工程师", "2022-07-01"), CheckPass, CheckFail, "满4年"},
		{"工程师 中专 is below the standard", LevelIntermediate, person("中专", "", "助理工程师", "2010-01-01"), CheckFail, "", ""},
		// 正高级工程师: 本科 + 高级工程师后5年
		{"正高 exactly 5 years", LevelSenior, person("大学本科", "学士", "高级工程师", "2021-06-30"), CheckPass, CheckPass, "满5年"},
		{"正高 one day short", LevelSenior, person("大学本科", "学士", "高级工程师", "2021-07-01"), CheckPass, CheckFail, "满5年"},
		{"正高 29 February start completes on 1 March", LevelSenior, person("大学本科", "学士", "高级工程师", "2020-02-29"), CheckPass, CheckPass, "满5年"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := builtinRuleSet(t, "engineering", tt.level)
			got := rs.Check(tt.p, asOf)
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
			for _, c := range got {
				if !strings.Contains(c.Source, "人社部发〔2019〕16号") || c.Detail == "" {
					t.Fatalf("line without its source or reason: %+v", c)
				}
			}
			if tt.clause != "" && !strings.Contains(got[1].Clause, tt.clause) {
				t.Fatalf("clause %q, want %q", got[1].Clause, tt.clause)
			}
		})
	}
	// The boundary's message names the day the route is met.
	got := builtinRuleSet(t, "engineering", LevelAssociateSenior).Check(person("大学本科", "学士", "工程师", "2021-07-01"), asOf)
	if !strings.Contains(got[1].Detail, "2026-07-01方满") {
		t.Fatalf("detail %q", got[1].Detail)
	}
}

func TestApplicantEducation(t *testing.T) {
	tests := []struct {
		edu, degree string
		want        EducationLevel
	}{
		{"博士研究生", "博士", EduDoctorate}, {"大学本科", "硕士", EduMaster}, {"大学本科", "学士", EduBachelor},
		{"大学本科", "第二学士", EduSecondBachelor}, {"大学专科", "", EduAssociate}, {"大专", "", EduAssociate},
		{"中专", "", EduSecondary}, {"", "", EduUnknown}, {"其他", "", EduUnknown}, {"硕士研究生", "", EduMaster},
	}
	for _, tt := range tests {
		if got := ApplicantEducation(tt.edu, tt.degree); got != tt.want {
			t.Errorf("ApplicantEducation(%q, %q) = %v, want %v", tt.edu, tt.degree, got, tt.want)
		}
	}
}

func TestDefaultRuleSetsValid(t *testing.T) {
	sets := DefaultRuleSets()
	if len(sets) == 0 {
		t.Fatal("no built-in rule sets")
	}
	for _, r := range sets {
		if err := r.Validate(); err != nil {
			t.Errorf("%s: %v", RuleSetID(r.Series, r.Level), err)
		}
	}
	if _, err := ParseRuleSets([]byte(`[{"series":"engineering","level":"senior","title":"x","source":"y","paths":[{"min_education":"phd","clause":"z"}]}]`)); err == nil {
		t.Error("unknown education accepted")
	}
	if _, err := ParseRuleSets([]byte(`[{"series":"engineering","level":"senior","title":"x","source":"y","paths":[{"min_education":"bachelor","clause":"z"}],"extra":1}]`)); err == nil {
		t.Error("unknown field accepted")
	}
}
