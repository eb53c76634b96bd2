package model

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// 一次性告知 (BEY-3): a return lists every problem at once — ticked from the
// department's checklist per material, plus free text — and the applicant's
// resubmission says which of them were fixed.

// Material is what a listed problem concerns.
type Material string

// The materials of an application, in checklist order.
const (
	MaterialApplicationForm Material = "application_form" // 申报表
	MaterialEducation       Material = "education"        // 学历学位证书
	MaterialTitle           Material = "title"            // 现职称证书
	MaterialAchievements    Material = "achievements"     // 业绩材料
	MaterialContinuingEdu   Material = "continuing_edu"   // 继续教育证明
	MaterialPublicity       Material = "publicity"        // 公示材料
	MaterialPostStatusForm  Material = "post_status_form" // 事业单位岗位情况表
	MaterialOther           Material = "other"            // 其他
)

// AllMaterials in checklist order.
var AllMaterials = []Material{MaterialApplicationForm, MaterialEducation, MaterialTitle, MaterialAchievements,
	MaterialContinuingEdu, MaterialPublicity, MaterialPostStatusForm, MaterialOther}

var materialLabels = map[Material]string{
	MaterialApplicationForm: "申报表", MaterialEducation: "学历学位证书", MaterialTitle: "现职称证书",
	MaterialAchievements: "业绩材料", MaterialContinuingEdu: "继续教育证明", MaterialPublicity: "公示材料",
	MaterialPostStatusForm: "事业单位岗位情况表", MaterialOther: "其他",
}

func (m Material) Valid() bool { _, ok := materialLabels[m]; return ok }
func (m Material) Label() string {
	if l, ok := materialLabels[m]; ok {
		return l
	}
	return string(m)
}

// ReturnReason is one item of a department's 一次性告知 checklist, edited
// like 常用意见 (the department's own list; DefaultReturnReasons until it
// saves one).
type ReturnReason struct {
	ID       string   `json:"id"`
	UnitID   string   `json:"unit_id"`
	Material Material `json:"material"`
	Text     string   `json:"text"`
	Position int      `json:"position"`
	Version  int64    `json:"version"`
}

// Limits of the checklist and of a return.
const (
	MaxProblemRunes  = 200
	MaxReturnProblem = 50
)

// Validate checks a checklist item.
func (r ReturnReason) Validate() error {
	fe := FieldErrors{}
	if !r.Material.Valid() {
		fe.Add("material", "请选择材料")
	}
	switch n := utf8.RuneCountInString(r.Text); {
	case n == 0:
		fe.Add("text", "请填写问题")
	case n > MaxProblemRunes:
		fe.Add("text", fmt.Sprintf("问题不得超过%d个字", MaxProblemRunes))
	}
	return fe.Err(CodeValidation, "一次性告知清单有误")
}

// DefaultReturnReasons are the checklist a department starts from.
func DefaultReturnReasons() []ReturnReason {
	items := []struct {
		m Material
		t string
	}{
		{MaterialApplicationForm, "申报表填写不完整"},
		{MaterialApplicationForm, "申报表未加盖单位公章"},
		{MaterialEducation, "学历证书不清晰"},
		{MaterialEducation, "缺少学位证书"},
		{MaterialTitle, "缺少现职称证书或聘任文件"},
		{MaterialAchievements, "业绩材料与申报专业不符"},
		{MaterialAchievements, "业绩材料缺少证明人签字或单位盖章"},
		{MaterialContinuingEdu, "缺少继续教育证明"},
		{MaterialPublicity, "公示材料缺少单位盖章"},
		{MaterialPublicity, "公示期不足5个工作日"},
		{MaterialPostStatusForm, "缺少事业单位岗位情况表"},
	}
	out := make([]ReturnReason, len(items))
	for i, it := range items {
		out[i] = ReturnReason{Material: it.m, Text: it.t, Position: i + 1}
	}
	return out
}

// ReturnProblem is one problem listed on a return.
type ReturnProblem struct {
	Material Material `json:"material"`
	Text     string   `json:"text"`
}

// String is the problem as the applicant reads it: 【学历学位证书】学历证书不清晰.
func (p ReturnProblem) String() string { return "【" + p.Material.Label() + "】" + p.Text }

// ValidateReturn checks what a 不通过 says: the ticked problems (valid
// materials, text, no repeats, at most MaxReturnProblem) and the opinion; an
// opinion is required only when nothing is ticked (REV-7).
func ValidateReturn(opinion string, problems []ReturnProblem) error {
	if err := ValidateOpinion(opinion, len(problems) == 0); err != nil {
		return err
	}
	fe := FieldErrors{}
	if len(problems) > MaxReturnProblem {
		fe.Add("problems", fmt.Sprintf("一次最多列出%d个问题", MaxReturnProblem))
	}
	seen := map[ReturnProblem]bool{}
	for _, p := range problems {
		switch {
		case !p.Material.Valid():
			fe.Add("problems", "问题所属材料无效")
		case strings.TrimSpace(p.Text) == "" || utf8.RuneCountInString(p.Text) > MaxProblemRunes:
			fe.Add("problems", fmt.Sprintf("每个问题应为1至%d个字", MaxProblemRunes))
		case seen[p]:
			fe.Add("problems", "同一问题列出了两次："+p.String())
		}
		seen[p] = true
	}
	return fe.Err(CodeValidation, "退回问题清单有误")
}

// ReturnNotice is the one complete list the applicant receives with a
// return (and that 经办流程, the 审核表 and 已审核列表 show).
func ReturnNotice(problems []ReturnProblem, opinion string) string {
	var b strings.Builder
	if len(problems) > 0 {
		fmt.Fprintf(&b, "请一次性补正以下%d个问题：", len(problems))
		for i, p := range problems {
			fmt.Fprintf(&b, "\n%d. %s", i+1, p)
		}
	}
	if o := strings.TrimSpace(opinion); o != "" {
		if b.Len() > 0 {
			b.WriteString("\n其他意见：")
		}
		b.WriteString(o)
	}
	return b.String()
}

// LastReturn is the newest 不通过 step of the application.
func (a Application) LastReturn() (FlowStep, bool) {
	for i := len(a.Flow) - 1; i >= 0; i-- {
		if a.Flow[i].Action == ActionReject {
			return a.Flow[i], true
		}
	}
	return FlowStep{}, false
}

// FixedProblem is one problem of the last return and whether the applicant
// marked it fixed when resubmitting.
type FixedProblem struct {
	Problem ReturnProblem
	Fixed   bool
}

// ResubmissionMarks lists the last return's problems with the applicant's
// marks, when the application was resubmitted after it; nil otherwise.
func (a Application) ResubmissionMarks() []FixedProblem {
	ret := -1
	for i := len(a.Flow) - 1; i >= 0; i-- {
		if a.Flow[i].Action == ActionReject {
			ret = i
			break
		}
	}
	if ret < 0 || len(a.Flow[ret].Problems) == 0 {
		return nil
	}
	for _, s := range a.Flow[ret+1:] {
		if s.Action != ActionSubmit {
			continue
		}
		fixed := map[int]bool{}
		for _, i := range s.Fixed {
			fixed[i] = true
		}
		out := make([]FixedProblem, len(a.Flow[ret].Problems))
		for i, p := range a.Flow[ret].Problems {
			out[i] = FixedProblem{Problem: p, Fixed: fixed[i]}
		}
		return out
	}
	return nil
}

// validateFixed checks a resubmission's marks against the last return.
func validateFixed(app Application, fixed []int) error {
	if len(fixed) == 0 {
		return nil
	}
	last, ok := app.LastReturn()
	seen := map[int]bool{}
	for _, i := range fixed {
		if !ok || i < 0 || i >= len(last.Problems) || seen[i] {
			return &Error{Kind: KindInvalid, Code: CodeValidation, Title: "已修改问题无效",
				Detail: "标记为已修改的问题不在上次退回的问题清单中", Fields: map[string]string{"fixed": "标记的问题无效"}}
		}
		seen[i] = true
	}
	return nil
}

// StepText is what 经办流程, the 审核表 and 已审核列表 show as the opinion of
// flow step i: a 不通过 with its 一次性告知 list, a resubmission with the
// problems the applicant marked fixed, otherwise the opinion.
func (a Application) StepText(i int) string {
	if i < 0 || i >= len(a.Flow) {
		return ""
	}
	s := a.Flow[i]
	switch {
	case s.Action == ActionReject && len(s.Problems) > 0:
		return ReturnNotice(s.Problems, s.Opinion)
	case s.Action == ActionSubmit && len(s.Fixed) > 0:
		var ret []ReturnProblem
		for j := i - 1; j >= 0; j-- {
			if a.Flow[j].Action == ActionReject {
				ret = a.Flow[j].Problems
				break
			}
		}
		var b strings.Builder
		b.WriteString(s.Opinion)
		for _, k := range s.Fixed {
			if k >= 0 && k < len(ret) {
				if b.Len() > 0 {
					b.WriteString("\n")
				}
				fmt.Fprintf(&b, "已修改：%s", ret[k])
			}
		}
		return b.String()
	}
	return s.Opinion
}
