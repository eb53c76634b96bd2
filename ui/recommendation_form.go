package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/model"
)

// 单位推荐和公示 (REV-5): the form 【通过】 opens in 本单位人员审核 and
// 【批量通过】 fills once for all. The rules (complete form, ≥ 5 working days
// of publicity by the cached holiday calendar, attachments, the
// 事业单位岗位情况表 for post-managed units) are the state machine's; the
// form shows its field messages and, as dates are typed, the working days.

var (
	publicityMethods = []string{"单位内部公示栏张贴", "单位内网公示", "单位网站公示", "会议公示"}
	publicityResults = []string{"公示期间无异议", "公示期间有异议，经核实不影响推荐", "公示期间有异议，正在核实"}
)

const datePlaceholder = "YYYY-MM-DD，如 2026-03-02"

func (pf *passForm) addRecommendationFields() {
	f := pf.fields
	f.entry("publicity_start", true, datePlaceholder)
	end := widget.NewEntry()
	end.SetPlaceHolder(datePlaceholder)
	pf.days = widget.NewLabel("")
	pf.days.SizeName = theme.SizeNameCaptionText
	f.add("publicity_end", true, container.NewBorder(nil, nil, nil, pf.days, end), end)
	f.choice("publicity_method", true, publicityMethods)
	f.entry("publicity_place", true, "如 单位办公楼一楼公示栏")
	f.choice("publicity_result", true, publicityResults)
	opinion := widget.NewMultiLineEntry()
	opinion.SetMinRowsVisible(3)
	opinion.Wrapping = fyne.TextWrapWord
	f.add("group_opinion", true, opinion, opinion)
	f.entry("group_size", true, "不少于3人")
	for _, k := range []string{"votes_for", "votes_against", "votes_abstain"} {
		e := widget.NewEntry()
		e.SetPlaceHolder("0")
		f.add(k, k == "votes_for", e, e)
	}
}

// showWorkingDays tells, while the dates are typed, how many working days
// the publicity period has by the cached calendar.
func (pf *passForm) showWorkingDays() {
	start := model.Date(strings.TrimSpace(pf.fields.entries["publicity_start"].Text))
	end := model.Date(strings.TrimSpace(pf.fields.entries["publicity_end"].Text))
	if !start.Valid() || !end.Valid() || end < start {
		pf.days.SetText("")
		return
	}
	n := pf.d.app.Reviews.WorkingDays(start, end)
	pf.days.SetText(fmt.Sprintf("共 %d 个工作日", n))
	pf.days.Importance = widget.MediumImportance
	if n < model.MinPublicityWorkingDays {
		pf.days.SetText(fmt.Sprintf("共 %d 个工作日，不足 %d 个", n, model.MinPublicityWorkingDays))
		pf.days.Importance = widget.DangerImportance
	}
	if w := pf.d.app.Reviews.CalendarWarning(start, end); w != "" {
		pf.days.SetText(pf.days.Text + "（" + w + "）")
		if pf.days.Importance != widget.DangerImportance {
			pf.days.Importance = widget.WarningImportance
		}
	}
	pf.days.Refresh()
}
