package model

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Eligibility pre-check (BEY-4): the applicant against the published basic
// conditions of the series and level applied for — 学历 and 资历 (years since
// the current title, or since graduation). Rules are data (RuleSet), one per
// series and level, each citing its source document; the city office
// replaces them with `titledesk-server admin rules import` and the feed
// brings them to every client. The check explains, it never blocks a
// decision. A condition the data cannot judge answers "?" rather than guess.

// EducationLevel orders 学历/学位 for the rules: higher is more.
type EducationLevel int

const (
	EduUnknown        EducationLevel = iota
	EduSecondary                     // 中专、中职、高中、技工学校
	EduAssociate                     // 大学专科
	EduBachelor                      // 大学本科 or 学士学位
	EduSecondBachelor                // 第二学士学位
	EduMaster                        // 硕士学位 or 硕士研究生
	EduDoctorate                     // 博士学位 or 博士研究生
)

var educationCodes = map[string]EducationLevel{
	"secondary": EduSecondary, "associate": EduAssociate, "bachelor": EduBachelor,
	"second_bachelor": EduSecondBachelor, "master": EduMaster, "doctorate": EduDoctorate,
}

var educationLabels = map[EducationLevel]string{
	EduSecondary: "高中（含中专、职高、技校）", EduAssociate: "大学专科", EduBachelor: "大学本科或学士学位",
	EduSecondBachelor: "第二学士学位", EduMaster: "硕士学位或研究生学历", EduDoctorate: "博士学位",
}

func (e EducationLevel) String() string { return educationLabels[e] }

// MarshalText writes the code used in rule files.
func (e EducationLevel) MarshalText() ([]byte, error) {
	for k, v := range educationCodes {
		if v == e {
			return []byte(k), nil
		}
	}
	return nil, fmt.Errorf("unknown education level %d", e)
}

// UnmarshalText reads doctorate, master, second_bachelor, bachelor, associate or secondary.
func (e *EducationLevel) UnmarshalText(b []byte) error {
	v, ok := educationCodes[string(b)]
	if !ok {
		return fmt.Errorf("学历“%s”无效", b)
	}
	*e = v
	return nil
}

// ApplicantEducation reads an applicant's 学历 and 学位 as one level, the
// higher of the two; EduUnknown when neither is recognised.
func ApplicantEducation(education, degree string) EducationLevel {
	best := EduUnknown
	for _, s := range []string{degree, education} {
		s = strings.ReplaceAll(SingleLine(s), " ", "")
		var l EducationLevel
		switch {
		case strings.Contains(s, "博士"):
			l = EduDoctorate
		case strings.Contains(s, "研究生班"):
			l = EduSecondBachelor // ranked with 第二学士学位 in every standard that names it
		case strings.Contains(s, "硕士"), s == "研究生", strings.Contains(s, "研究生学历"):
			l = EduMaster
		case strings.Contains(s, "第二学士"), strings.Contains(s, "双学士"):
			l = EduSecondBachelor
		case strings.Contains(s, "本科"), strings.Contains(s, "学士"):
			l = EduBachelor
		case strings.Contains(s, "专科"), strings.Contains(s, "大专"), strings.Contains(s, "高职"):
			l = EduAssociate
		case strings.Contains(s, "中专"), strings.Contains(s, "中职"), strings.Contains(s, "高中"), strings.Contains(s, "技工"):
			l = EduSecondary
		}
		if l > best {
			best = l
		}
	}
	return best
}

// RulePath is one alternative route of a basic condition: the lowest
// education it admits and the years it asks for, in the source's words.
// Years are judged by the data the application carries: the current title
// and its date, the graduation date and the date work began.
type RulePath struct {
	MinEducation EducationLevel `json:"min_education"`
	// PreviousTitles are the current titles this route starts from (the
	// title of the level below, matched as a part of 现任职称, see
	// TitleMatches); empty: none.
	PreviousTitles       []string `json:"previous_titles,omitempty"`
	YearsSinceTitle      int      `json:"years_since_title,omitempty"`      // 取得现职称后（在…岗位）满…年
	YearsSinceGraduation int      `json:"years_since_graduation,omitempty"` // 毕业后满…年, e.g. 见习1年期满
	// YearsOfWork is 从事…工作满…年 counted from no named event. The data
	// holds only 参加工作时间, an upper bound: fewer years since then is ✗,
	// as many is ? (which of that work counts is for the reviewer).
	YearsOfWork int    `json:"years_of_work,omitempty"`
	Verify      string `json:"verify,omitempty"` // what else the route asks that the data cannot show (the line is ? when the rest is met)
	Clause      string `json:"clause"`           // the source's words
}

// Evaluation modes a rule set can name besides review (评审).
const (
	ExamInLieu  = "in_lieu"  // 以考代评: the level is obtained by the national examination only
	ExamReview  = "combined" // 考评结合: the examination, then review
	examInLieuL = "以考代评"
	examReviewL = "考评结合"
)

// ExamRule says that a level is obtained by examination, in the source's words.
type ExamRule struct {
	Mode   string `json:"mode"`   // ExamInLieu or ExamReview
	Clause string `json:"clause"` // the source's words
}

// RuleSet is the basic conditions of one series and level.
type RuleSet struct {
	Series  Series     `json:"series"`
	Level   Level      `json:"level"`
	Title   string     `json:"title"`             // 申报职称, e.g. 高级工程师
	Source  string     `json:"source"`            // the document the rules come from, with its number
	Article string     `json:"article,omitempty"` // where in it, e.g. 附件 五、（四）高级工程师 第5项
	Exam    *ExamRule  `json:"exam,omitempty"`    // nil: the level is obtained by review
	Paths   []RulePath `json:"paths"`             // alternatives: meeting one is enough
	Note    string     `json:"note,omitempty"`
	// ReadAt records where the wording was read and checked (addresses of
	// the published copies), for the city office; not shown in the panel.
	ReadAt []string `json:"read_at,omitempty"`
}

// RuleSetID is the feed id of a series and level's rule set.
func RuleSetID(s Series, l Level) string { return string(s) + "/" + string(l) }

// Citation is the document and article the panel names.
func (r RuleSet) Citation() string {
	if r.Article == "" {
		return r.Source
	}
	return r.Source + " " + r.Article
}

// Validate checks a rule set as imported.
func (r RuleSet) Validate() error {
	fe := FieldErrors{}
	if !r.Series.Valid() {
		fe.Add("series", fmt.Sprintf("职称系列“%s”无效", r.Series))
	}
	if !r.Level.Valid() {
		fe.Add("level", fmt.Sprintf("级别“%s”无效", r.Level))
	}
	if strings.TrimSpace(r.Source) == "" {
		fe.Add("source", "每条规则须注明依据文件")
	}
	if r.Exam != nil && (r.Exam.Mode != ExamInLieu && r.Exam.Mode != ExamReview || strings.TrimSpace(r.Exam.Clause) == "") {
		fe.Add("exam", "考试方式须为 in_lieu（以考代评）或 combined（考评结合），并引用原文")
	}
	if len(r.Paths) == 0 {
		fe.Add("paths", "至少应有一条学历资历条件")
	}
	for i, p := range r.Paths {
		if p.MinEducation == EduUnknown || strings.TrimSpace(p.Clause) == "" || p.YearsSinceTitle < 0 ||
			p.YearsSinceGraduation < 0 || p.YearsOfWork < 0 || (p.YearsSinceTitle > 0 && len(p.PreviousTitles) == 0) {
			fe.Add("paths", fmt.Sprintf("第%d条条件不完整（学历、年限、原文，按现职称计年限时须写明现职称）", i+1))
		}
	}
	return fe.Err(CodeValidation, "资格规则有误："+RuleSetID(r.Series, r.Level))
}

// CheckStatus is the outcome of one condition: ✓, ✗ or ?.
type CheckStatus string

const (
	CheckPass    CheckStatus = "pass"    // ✓
	CheckFail    CheckStatus = "fail"    // ✗
	CheckUnknown CheckStatus = "unknown" // ? the data cannot tell
)

// Mark is the symbol the panel shows.
func (s CheckStatus) Mark() string {
	switch s {
	case CheckPass:
		return "✓"
	case CheckFail:
		return "✗"
	}
	return "?"
}

// EligibilityCheck is one line of the panel: which condition, the outcome,
// why, and the clause and document it comes from.
type EligibilityCheck struct {
	Condition string // 评价方式, 学历, 资历
	Status    CheckStatus
	Detail    string
	Clause    string
	Source    string // the document and article (RuleSet.Citation)
}

// Check judges an applicant, applying by method, against the rule set on
// asOf (the year's 申报截止, or today when none is set): a 评价方式 line for
// a level obtained by examination, then 学历, then 资历.
func (r RuleSet) Check(p Applicant, method EvaluationMethod, asOf Date) []EligibilityCheck {
	var out []EligibilityCheck
	if r.Exam != nil {
		out = append(out, r.examCheck(method))
	}
	edu := ApplicantEducation(p.Education, p.Degree)
	lowest := EduDoctorate
	for _, path := range r.Paths {
		lowest = min(lowest, path.MinEducation)
	}
	out = append(out, r.educationCheck(p, edu, lowest))
	if edu == EduUnknown || edu < lowest {
		return out
	}
	return append(out, r.seniorityCheck(p, edu, asOf))
}

// examCheck is ? in every case: the data holds no examination result, and
// a level obtained by examination alone should not come to review at all.
func (r RuleSet) examCheck(method EvaluationMethod) EligibilityCheck {
	c := EligibilityCheck{Condition: "评价方式", Status: CheckUnknown, Clause: r.Exam.Clause, Source: r.Citation()}
	switch {
	case r.Exam.Mode == ExamInLieu && method == MethodExamInLieu:
		c.Detail = examInLieuL + "：请核对考试成绩合格证明"
	case r.Exam.Mode == ExamInLieu:
		c.Detail = fmt.Sprintf("该级别%s，不进行评审，本申报为“%s”：请核对是否另有规定", examInLieuL, method.Label())
	default:
		c.Detail = examReviewL + "：请核对考试成绩合格证明及其有效期"
	}
	return c
}

func (r RuleSet) educationCheck(p Applicant, edu, lowest EducationLevel) EligibilityCheck {
	c := EligibilityCheck{Condition: "学历", Source: r.Citation()}
	typed := strings.TrimSpace(strings.Trim(p.Education+"、"+p.Degree, "、"))
	switch {
	case edu == EduUnknown:
		c.Status, c.Detail = CheckUnknown, fmt.Sprintf("学历“%s”无法识别，请人工核对", typed)
	case edu < lowest:
		c.Status = CheckFail
		c.Detail = fmt.Sprintf("%s，基本标准所列学历最低为%s（破格等情形按有关规定另行办理）", typed, lowest)
	default:
		c.Status, c.Detail = CheckPass, fmt.Sprintf("%s，符合%s及以上学历要求", typed, lowest)
	}
	return c
}

// seniorityCheck tries every route the education admits: one met is ✓;
// else one met but for what the data cannot show is ?; else the nearest
// failure is ✗ — or ? when another route could not be judged for want of
// data, naming both.
func (r RuleSet) seniorityCheck(p Applicant, edu EducationLevel, asOf Date) EligibilityCheck {
	var unknown, missing, nearest *EligibilityCheck
	unknownRank, nearestDays := 0, 0
	for _, path := range r.Paths {
		if edu < path.MinEducation {
			continue
		}
		c, daysShort, rank := path.check(p, asOf)
		c.Condition, c.Source, c.Clause = "资历", r.Citation(), path.Clause
		switch {
		case c.Status == CheckPass:
			return c
		case c.Status == CheckUnknown && rank == rankMissing:
			if missing == nil {
				missing = &c
			}
		case c.Status == CheckUnknown:
			if unknown == nil || rank > unknownRank {
				unknown, unknownRank = &c, rank
			}
		case nearest == nil || daysShort < nearestDays:
			nearest, nearestDays = &c, daysShort
		}
	}
	switch {
	case unknown != nil:
		return *unknown
	case nearest != nil && missing != nil:
		c := *nearest
		c.Status = CheckUnknown
		c.Detail += "；另一条件（" + missing.Clause + "）" + missing.Detail
		return c
	case nearest != nil:
		return *nearest
	}
	return *missing
}

// Ranks of a ? route: missing data, met but for the kind of work, met but
// for what the data cannot show.
const (
	rankMissing = iota
	rankWork
	rankVerify
)

// noTitle is the day count of a route closed because the applicant holds
// no title: never the nearest of the failures with a date.
const noTitle = 1 << 30

// check judges one route; when it fails, how many days are missing; when
// it is ?, how close it came (a rank).
func (path RulePath) check(p Applicant, asOf Date) (EligibilityCheck, int, int) {
	c := EligibilityCheck{Status: CheckUnknown}
	if len(path.PreviousTitles) > 0 {
		title := strings.TrimSpace(p.CurrentTitle)
		switch {
		case title == "":
			c.Detail = "未填写现任职称，无法核对“" + strings.Join(path.PreviousTitles, "、") + "”任职年限"
			return c, 0, rankMissing
		case title == "无":
			c.Status, c.Detail = CheckFail, "现任职称为“无”，此条须先取得"+strings.Join(path.PreviousTitles, "或")+"职称"
			return c, noTitle, 0
		case !TitleMatches(title, path.PreviousTitles):
			c.Detail = fmt.Sprintf("现任职称“%s”不是%s，请人工核对", title, strings.Join(path.PreviousTitles, "或"))
			return c, 0, rankMissing
		}
	}
	type need struct {
		years int
		since Date
		what  string
	}
	var needs []need
	if path.YearsSinceTitle > 0 {
		needs = append(needs, need{path.YearsSinceTitle, p.CurrentTitleDate, "取得" + strings.TrimSpace(p.CurrentTitle) + "职称"})
	}
	if path.YearsSinceGraduation > 0 {
		needs = append(needs, need{path.YearsSinceGraduation, p.GraduationDate, "毕业"})
	}
	if path.YearsOfWork > 0 {
		needs = append(needs, need{path.YearsOfWork, p.WorkStartDate, "参加工作"})
	}
	var parts []string
	for _, n := range needs {
		if !n.since.Valid() {
			c.Detail = "未填写" + n.what + "时间，无法计算年限"
			return c, 0, rankMissing
		}
		due := yearsAfter(n.since, n.years)
		if AgeOn(n.since, asOf) < n.years {
			c.Status = CheckFail
			c.Detail = fmt.Sprintf("%s于%s，需满%d年，%s方满（按%s计算）", n.what, n.since, n.years, due, asOf)
			return c, DaysBetween(asOf, due), 0
		}
		parts = append(parts, fmt.Sprintf("%s于%s，至%s已满%d年", n.what, n.since, asOf, n.years))
	}
	if len(parts) == 0 {
		parts = append(parts, "具备"+path.MinEducation.String()+"，无年限要求")
	}
	c.Detail = strings.Join(parts, "；")
	switch {
	case path.Verify != "":
		c.Detail += "；另须核对：" + path.Verify
		return c, 0, rankVerify
	case path.YearsOfWork > 0:
		c.Detail += "（其中从事本专业工作的年限请人工核对）"
		return c, 0, rankWork
	}
	c.Status = CheckPass
	return c, 0, 0
}

// yearsAfter is the day a span of n whole years from d is complete (a 29
// February start completes on 1 March in common years, as AgeOn counts).
func yearsAfter(d Date, n int) Date {
	t, err := d.Time()
	if err != nil {
		return d
	}
	due := t.AddDate(n, 0, 0) // Go normalizes 29 Feb of a common year to 1 Mar
	return DateOf(due)
}

// titleQualifiers are the words that, written just before a title, make
// another title of it: 助理工程师 is not 工程师, 正高级教师 not 高级教师,
// 注册会计师 (a qualification) not 会计师, 研究员级/教授级高级工程师 are
// 正高级, 副研究馆员 is not 馆员, and the 小学 titles before 2015 are a level below the new ones of
// the same name (小学高级教师 is now 一级教师, 小学一级教师 二级教师).
var titleQualifiers = []string{"助理", "高级", "正", "副", "注册", "员级", "授级", "小学", "研究"}

// TitleMatches reports whether the current title is one of want: equal to
// it, or holding it with no qualifier just before it (中学一级教师 is
// 一级教师; 助理工程师 is not 工程师).
func TitleMatches(title string, want []string) bool {
	for _, w := range want {
		if title == w {
			return true
		}
		for rest := title; ; {
			i := strings.Index(rest, w)
			if i < 0 {
				break
			}
			if !qualified(rest[:i]) {
				return true
			}
			rest = rest[i+len(w):]
		}
	}
	return false
}

func qualified(before string) bool {
	for _, q := range titleQualifiers {
		if strings.HasSuffix(before, q) {
			return true
		}
	}
	return false
}

//go:embed rules/*.json
var builtinRules embed.FS

// DefaultRuleSets are the rule sets built into this version (model/rules),
// by id. Only conditions found in the cited documents are included.
func DefaultRuleSets() []RuleSet {
	files, _ := builtinRules.ReadDir("rules")
	var out []RuleSet
	for _, f := range files {
		data, err := builtinRules.ReadFile("rules/" + f.Name())
		if err != nil {
			panic(err) // embedded: cannot fail
		}
		sets, err := ParseRuleSets(data)
		if err != nil {
			panic(fmt.Sprintf("model/rules/%s: %v", f.Name(), err)) // a test keeps this from shipping
		}
		out = append(out, sets...)
	}
	sort.Slice(out, func(i, j int) bool {
		return RuleSetID(out[i].Series, out[i].Level) < RuleSetID(out[j].Series, out[j].Level)
	})
	return out
}

// ParseRuleSets reads a rules file: a JSON array of RuleSet (or one
// RuleSet), each validated; any problem refuses the whole file.
func ParseRuleSets(data []byte) ([]RuleSet, error) {
	var sets []RuleSet
	t := strings.TrimSpace(string(data))
	var err error
	if strings.HasPrefix(t, "{") {
		var one RuleSet
		err = strictJSON([]byte(t), &one)
		sets = []RuleSet{one}
	} else {
		err = strictJSON([]byte(t), &sets)
	}
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Code: CodeValidation, Title: "资格规则文件有误，未导入", Detail: err.Error()}
	}
	if len(sets) == 0 {
		return nil, &Error{Kind: KindInvalid, Code: CodeValidation, Title: "资格规则文件有误，未导入", Detail: "文件中没有规则"}
	}
	seen := map[string]bool{}
	for i := range sets {
		if err := CleanInput(&sets[i]); err != nil {
			return nil, err
		}
		if err := sets[i].Validate(); err != nil {
			return nil, err
		}
		id := RuleSetID(sets[i].Series, sets[i].Level)
		if seen[id] {
			return nil, &Error{Kind: KindInvalid, Code: CodeValidation, Title: "资格规则文件有误，未导入", Detail: id + " 重复"}
		}
		seen[id] = true
	}
	return sets, nil
}

func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
