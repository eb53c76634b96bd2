package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"titledesk/app"
	"titledesk/model"
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
