package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/model"
)

// checkSections are the notices above the applicant's data: the duplicate
// flag (BEY-5), the applicant's marks on the last return's problems
// (BEY-3) and the 资格预审 panel (BEY-4). None of them blocks a decision.
func (v *reviewView) checkSections() []fyne.CanvasObject {
	c := v.checks
	v.checkLines = nil
	var out []fyne.CanvasObject
	if c.Duplicate != "" {
		l := widget.NewLabelWithStyle("⚠ "+c.Duplicate, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Importance = widget.DangerImportance
		l.Wrapping = fyne.TextWrapBreak // Chinese: no spaces to wrap at
		v.checkLines = append(v.checkLines, l)
		out = append(out, l)
	}
	if len(c.Marks) > 0 {
		box := container.NewVBox(heading("上次退回的问题（申报人重新提交时的标记）"))
		fixed := 0
		for _, m := range c.Marks {
			mark, imp := "✗ 未标记已修改", widget.WarningImportance
			if m.Fixed {
				mark, imp = "✓ 已修改", widget.SuccessImportance
				fixed++
			}
			l := widget.NewLabel(fmt.Sprintf("%s　%s", mark, m.Problem))
			l.Importance, l.Wrapping = imp, fyne.TextWrapBreak
			v.checkLines = append(v.checkLines, l)
			box.Add(l)
		}
		box.Add(caption(fmt.Sprintf("共 %d 个问题，申报人标记已修改 %d 个，请逐项核对", len(c.Marks), fixed)))
		out = append(out, box, widget.NewSeparator())
	}
	return append(out, v.eligibilityPanel())
}

// eligibilityPanel is 资格预审: one ✓/✗/? line per condition with the
// reason, the clause and the document it comes from.
func (v *reviewView) eligibilityPanel() fyne.CanvasObject {
	c := v.checks
	box := container.NewVBox(heading("资格预审（仅供参考，不影响审核操作）"))
	if c.RuleTitle == "" {
		box.Add(caption("暂无该系列、级别的基本条件规则，请按有关文件人工核对"))
		return container.NewVBox(box, widget.NewSeparator())
	}
	box.Add(caption(fmt.Sprintf("%s，按%s计算", c.RuleTitle, c.AsOf)))
	for _, e := range c.Eligibility {
		l := widget.NewLabel(fmt.Sprintf("%s %s：%s", e.Status.Mark(), e.Condition, e.Detail))
		l.Wrapping = fyne.TextWrapBreak
		l.Importance = map[model.CheckStatus]widget.Importance{model.CheckPass: widget.SuccessImportance,
			model.CheckFail: widget.DangerImportance, model.CheckUnknown: widget.WarningImportance}[e.Status]
		v.checkLines = append(v.checkLines, l)
		box.Add(l)
		if e.Clause != "" {
			box.Add(breakCaption("条件：" + e.Clause))
		}
	}
	if len(c.Eligibility) > 0 {
		box.Add(breakCaption("依据：" + c.Eligibility[0].Source))
	}
	if c.Note != "" {
		box.Add(breakCaption(c.Note))
	}
	return container.NewVBox(box, widget.NewSeparator())
}

// breakCaption is a caption of Chinese prose, wrapped at any character
// (word wrapping would break only at the few spaces and leave ragged lines).
func breakCaption(text string) *widget.Label {
	l := caption(text)
	l.Wrapping = fyne.TextWrapBreak
	return l
}

func caption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameCaptionText
	l.Wrapping = fyne.TextWrapWord
	return l
}
