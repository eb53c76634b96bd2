package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
	"titledesk/server/demo"
)

// TestPassFormCalendarWarningAndPublicityNotOver: a 公示期 in 2027 (not
// imported) shows its working days by the statutory holidays with the
// warning (BEY-1), and one that has not ended is refused with the date it can
// be submitted (BEY-2); nothing is queued.
func TestPassFormCalendarWarningAndPublicityNotOver(t *testing.T) {
	d, _ := loggedInDesk(t)
	l := openList(t, d, navOwnUnit)
	v := review(t, l, 0)
	test.Tap(v.buttons["pass"])
	pf := v.form
	if pf == nil || pf.kind != app.FormRecommendation {
		t.Fatal("no 单位推荐和公示 form")
	}
	fillRecommendation(pf, "2027-01-01")
	pf.fields.entries["publicity_start"].SetText("2026-12-28")
	if !strings.Contains(pf.days.Text, "共 4 个工作日") || !strings.Contains(pf.days.Text, "2027年放假安排尚未导入，已按法定节假日计算") {
		t.Fatalf("working days hint %q", pf.days.Text)
	}
	pf.fields.entries["publicity_end"].SetText("2027-01-04")
	if !strings.Contains(pf.days.Text, "共 5 个工作日") {
		t.Fatalf("working days hint %q", pf.days.Text)
	}
	pf.files.add("公示材料.pdf", model.AttachPublicity, pdf)
	test.Tap(pf.submit)
	if msg := pf.fields.errs["publicity_end"]; !msg.Visible() || !strings.Contains(msg.Text, "请于2027-01-05起提交") {
		t.Fatalf("publicity_end: %v %q (form %q)", msg.Visible(), msg.Text, pf.fields.message.Text)
	}
	if d.main.status.pending.Text != "待同步 0 条" {
		t.Fatal("a refused pass was queued")
	}
}

// TestHomeShowsDeadlines (BEY-6): 首页 shows the next deadline with the days
// left and, per list, how many applications it would find undone; the link
// opens that list filtered to 临近截止.
func TestHomeShowsDeadlines(t *testing.T) {
	d, f := loggedInDesk(t)
	year := 0
	for _, a := range f.World.Applications {
		year = max(year, a.Year)
	}
	own := 0
	for _, a := range f.World.Applications {
		if a.HolderUnitID == demo.DemoDepartmentID && a.Stage == model.StageOwnUnit && a.Year == year {
			own++
		}
	}
	today := model.ChinaDate(time.Now())
	dl := model.Deadlines{Year: year, ApplyBy: today.AddDays(-1), UnitReviewBy: today.AddDays(6), SubmitBy: today.AddDays(20)}
	if err := f.Server.SetDeadlines(context.Background(), dl); err != nil {
		t.Fatal(err)
	}
	syncDesk(t, d)
	d.main.goTo(navHome)
	h := d.main.home
	if !h.deadlineCard.Visible() || h.deadlineNext.Text != "单位审核截止 "+string(dl.UnitReviewBy)+"，还剩 6 天" {
		t.Fatalf("next deadline %q", h.deadlineNext.Text)
	}
	var link *widget.Hyperlink
	for _, o := range h.deadlineRisks.Objects {
		if l, ok := o.(*widget.Hyperlink); ok && strings.HasPrefix(l.Text, "本单位人员审核：") {
			link = l
		}
	}
	want := fmt.Sprintf("本单位人员审核：%d 件未办理，截止前需完成", own)
	if own == 0 || link == nil || link.Text != want {
		t.Fatalf("at-risk line: %v, want %q (%d)", link, want, own)
	}
	link.OnTapped() // a Hyperlink acts on taps over its text; the test taps its corner
	l, ok := d.main.content.Objects[0].(*reviewList)
	if !ok {
		t.Fatalf("the link opened %T", d.main.content.Objects[0])
	}
	if l.stage != model.StageOwnUnit || !l.due.Checked || l.total != own {
		t.Fatalf("the link opened %s with 临近截止 %v and %d rows, want %d", l.stage, l.due.Checked, l.total, own)
	}
}

// TestReviewViewEligibilityPanelAndChecklistReturn: the review view shows the
// 资格预审 panel (BEY-4) for an application its rules cover; 【不通过】 offers
// the 一次性告知 checklist and queues the ticked problems as one list (BEY-3).
func TestReviewViewEligibilityPanelAndChecklistReturn(t *testing.T) {
	d, _ := loggedInDesk(t)
	var (
		l *reviewList
		v *reviewView
	)
	covered := map[string]bool{}
	for _, r := range model.DefaultRuleSets() {
		covered[model.RuleSetID(r.Series, r.Level)] = true
	}
	for _, nav := range []string{navOwnUnit, navSubordinate, navForward, navSelfAppoint, navExam} {
		l = openList(t, d, nav)
		for i := 0; i < len(l.rows) && v == nil; i++ {
			if r := l.rows[i]; r.Series == "engineering" && covered[model.RuleSetID(r.Series, r.Level)] {
				v = review(t, l, i)
			}
		}
		if v != nil {
			break
		}
	}
	if v == nil {
		t.Fatal("no engineering application of a covered level in the demo department's lists")
	}
	if !strings.HasPrefix(v.checks.RuleTitle, "工程技术人员") || len(v.checks.Eligibility) == 0 {
		t.Fatalf("checks %+v", v.checks)
	}
	panel := labelTexts(v.content)
	if !strings.Contains(panel, "资格预审") || !strings.Contains(panel, "人社部发〔2019〕16号") {
		t.Fatalf("the panel is not shown:\n%s", panel)
	}
	marks := 0
	for _, line := range v.checkLines {
		if strings.HasPrefix(line.Text, "✓ 学历") || strings.HasPrefix(line.Text, "✗ 学历") || strings.HasPrefix(line.Text, "? 学历") {
			marks++
		}
	}
	if marks != 1 {
		t.Fatalf("学历 line missing: %d", marks)
	}

	id := v.item.ID
	test.Tap(v.buttons["reject"])
	if v.checklist == nil || v.rejectDialog == nil {
		t.Fatal("【不通过】 opened no dialog with a checklist")
	}
	v.checklist.tick("学历证书不清晰", "公示材料缺少单位盖章", "业绩材料与申报专业不符")
	v.rejectDialog.reason.SetText("")
	test.Tap(v.rejectDialog.confirm)
	if d.main.status.pending.Text != "待同步 1 条" {
		t.Fatalf("pending %q, message %q", d.main.status.pending.Text, v.rejectDialog.message.Text)
	}
	detail, err := d.app.Reviews.Detail(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	last, ok := detail.Application.LastReturn()
	if !ok || len(last.Problems) != 3 || detail.Application.Stage != model.StageReturned {
		t.Fatalf("queued return %+v", last)
	}
}

// TestReviewViewEligibilityExamLevel: for a level obtained by examination
// the panel's first line is the ? 评价方式 line, and every line of the panel
// wraps (nothing is cut at 1024 px).
func TestReviewViewEligibilityExamLevel(t *testing.T) {
	d, _ := loggedInDesk(t)
	exam := map[string]bool{}
	for _, r := range model.DefaultRuleSets() {
		if r.Exam != nil {
			exam[model.RuleSetID(r.Series, r.Level)] = true
		}
	}
	var v *reviewView
	for _, nav := range []string{navOwnUnit, navSubordinate, navForward, navSelfAppoint, navExam} {
		l := openList(t, d, nav)
		for i := 0; i < len(l.rows) && v == nil; i++ {
			if r := l.rows[i]; exam[model.RuleSetID(r.Series, r.Level)] {
				v = review(t, l, i)
			}
		}
		if v != nil {
			break
		}
	}
	if v == nil {
		t.Fatal("no application of a level obtained by examination in the demo department's lists")
	}
	var lines []string
	for _, l := range v.checkLines {
		if l.Wrapping != fyne.TextWrapBreak {
			t.Errorf("line %q does not wrap at any character", l.Text)
		}
		lines = append(lines, l.Text)
	}
	joined := strings.Join(lines, "\n")
	at, edu := strings.Index(joined, "? 评价方式："), strings.Index(joined, " 学历：")
	if at < 0 || edu < at || v.checks.Eligibility[0].Condition != "评价方式" {
		t.Fatalf("the 评价方式 line is not first:\n%s", joined)
	}
	panel := labelTexts(v.content)
	if !strings.Contains(panel, "? 评价方式：") || !strings.Contains(panel, "依据：") {
		t.Fatalf("the exam line is not shown:\n%s", panel)
	}
}
