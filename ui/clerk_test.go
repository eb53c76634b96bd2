package ui

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"titledesk/app"
	"titledesk/model"
)

// Found by a hurried clerk: what a batch decides is what the list shows.

// TestBatchSelectionFollowsTheFilters: rows ticked and then filtered out of
// sight are no longer part of the selection, so a batch never decides an
// applicant the clerk cannot see; ticks on rows the new filter still shows
// stay. Each way of narrowing the list is tried.
func TestBatchSelectionFollowsTheFilters(t *testing.T) {
	d, _ := loggedInDesk(t)
	l := openList(t, d, navSubordinate)
	cases := []struct {
		name   string
		narrow func(keep int)
		widen  func()
	}{
		{"搜索", func(keep int) { test.Type(l.search, l.rows[keep].ApplicantName) }, func() { l.search.SetText("") }},
		{"级别", func(keep int) { l.level.SetSelected(l.rows[keep].Level.Label()) }, func() { l.level.SetSelectedIndex(0) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() { c.widen(); l.selectAll(false) }()
			keep := -1 // a row whose level differs from row 0's, ticked with it
			for i := 1; i < len(l.rows); i++ {
				if l.rows[i].Level != l.rows[0].Level && l.rows[i].ApplicantName != l.rows[0].ApplicantName {
					keep = i
					break
				}
			}
			if keep < 0 {
				t.Fatal("no two rows of different levels in the demo list")
			}
			kept, hidden := l.rows[keep], l.rows[0]
			l.setChecked(hidden, true)
			l.setChecked(kept, true)
			c.narrow(keep)
			if indexOf(l, hidden.ID) >= 0 {
				t.Fatalf("%s still shows %s", c.name, hidden.ApplicantName)
			}
			if _, on := l.selected[hidden.ID]; on {
				t.Errorf("%s hidden by %s is still ticked (%q)", hidden.ApplicantName, c.name, l.count.Text)
			}
			if _, on := l.selected[kept.ID]; !on {
				t.Errorf("%s, still shown, lost its tick", kept.ApplicantName)
			}
			test.Tap(l.buttons["reject"])
			if rd := l.rejectDialog; rd == nil || strings.Contains(rd.about.Text, hidden.ApplicantName) || !strings.Contains(rd.about.Text, "1 人") {
				t.Fatalf("批量不通过 would return what the list does not show: %v", rd)
			} else {
				test.Tap(rd.cancel)
			}
		})
	}
}

// TestUploadOutcomeScrollsIntoView: on a 1024×600 screen the attachments sit
// below the fold of the 单位推荐和公示 form; after choosing a file, what
// happened (the refusal, or the file now listed) is scrolled into sight, not
// left under the fold where the clerk sees nothing change.
func TestUploadOutcomeScrollsIntoView(t *testing.T) {
	d, _ := loggedInDesk(t)
	onScreen(t, d, 1, fyne.NewSize(1024, 600))
	l := openList(t, d, navOwnUnit)
	v := review(t, l, 0)
	test.Tap(v.buttons["pass"])
	pf := v.form
	for _, c := range []struct {
		name  string
		data  []byte
		shows func() fyne.CanvasObject
	}{
		{"空文件.pdf", nil, func() fyne.CanvasObject { return pf.files.err }},
		{"程序.pdf", []byte("MZ\x90\x00 not a document"), func() fyne.CanvasObject { return pf.files.err }},
		{"公示.pdf", pdf, func() fyne.CanvasObject { return pf.files.list }},
	} {
		pf.scroll.ScrollToTop()
		pf.files.add(c.name, model.AttachPublicity, c.data)
		o := c.shows()
		top := fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y - fyne.CurrentApp().Driver().AbsolutePositionForObject(pf.scroll).Y
		if !o.Visible() || top < 0 || top+o.Size().Height > pf.scroll.Size().Height+0.5 {
			t.Errorf("%s: the outcome is at %.0f..%.0f, the form shows 0..%.0f", c.name, top, top+o.Size().Height, pf.scroll.Size().Height)
		}
	}
}

// TestSubmitWaitsForAFileStillReading: a 20 MB scan takes a moment to read;
// meanwhile the form says so, and 【确认提交】 at once does not pass the
// applicant without it. Once listed, the pass carries it.
func TestSubmitWaitsForAFileStillReading(t *testing.T) {
	d, _ := loggedInDesk(t)
	l := openList(t, d, navOwnUnit)
	v := review(t, l, 0)
	id := v.item.ID
	test.Tap(v.buttons["pass"])
	pf := v.form
	fillRecommendation(pf, "2026-03-06")
	path := filepath.Join(t.TempDir(), "公示材料.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	pf.files.add("岗位情况表.pdf", model.AttachPostStatusForm, append(append([]byte(nil), pdf...), '4'))
	slow := useQueuedRunner(d)
	pf.files.attachFile(path, model.AttachPublicity)
	if !pf.files.busy.Visible() || !strings.Contains(pf.files.busy.Text, "正在读取“公示材料.pdf”") {
		t.Fatalf("no word of the file being read: %q", pf.files.busy.Text)
	}
	test.Tap(pf.submit)
	slow.drain()
	if v.item.ID != id || !pf.shown || !strings.Contains(pf.fields.message.Text, "附件正在读取") {
		t.Fatalf("submitted while the file was read: form shown %v, message %q", pf.shown, pf.fields.message.Text)
	}
	if pf.files.busy.Visible() || len(pf.files.files) != 2 {
		t.Fatalf("after reading: busy %v, %d files", pf.files.busy.Visible(), len(pf.files.files))
	}
	test.Tap(pf.submit)
	slow.drain()
	if pf.shown || v.item.ID == id {
		t.Fatalf("the pass did not go through once the file was listed: %q", pf.fields.message.Text)
	}
}

// TestReturnReasonsCanBeEdited: 【问题清单设置】 deletes an item of the
// default list and adds one of the department's own; the checklist of the
// next 不通过 shows exactly that, before and after the sync.
func TestReturnReasonsCanBeEdited(t *testing.T) {
	d, _ := loggedInDesk(t)
	d.showReturnReasons(func() {})
	s := d.lastReasons
	if s == nil || len(s.reasons) < 2 {
		t.Fatal("问题清单设置 did not open on the default list")
	}
	gone, n := s.reasons[0], len(s.reasons)
	var rest []string
	for _, r := range s.reasons[1:] {
		rest = append(rest, r.Text)
	}
	test.Tap(buttonsUnder(s.rows)[0])
	if s.message.Visible() || len(s.reasons) != n-1 || s.reasons[0] == gone {
		t.Fatalf("deleting %q: message %q, %d items", gone.Text, s.message.Text, len(s.reasons))
	}
	var after []string
	for _, r := range s.reasons {
		after = append(after, r.Text)
	}
	if strings.Join(after, "、") != strings.Join(rest, "、") {
		t.Errorf("the list kept after a delete is reordered:\n%s\nwas\n%s", strings.Join(after, "、"), strings.Join(rest, "、"))
	}
	test.Type(s.text, "申报表照片不清晰")
	test.Tap(s.add)
	if s.message.Visible() || len(s.reasons) != n {
		t.Fatalf("adding: message %q, %d items", s.message.Text, len(s.reasons))
	}
	for _, when := range []string{"before the sync", "after the sync"} {
		var got []string
		d.withReturnReasons(func(rs []model.ReturnReason) {
			for _, r := range rs {
				got = append(got, r.Text)
			}
		})
		list := strings.Join(got, "、")
		if strings.Contains(list, gone.Text) || !strings.Contains(list, "申报表照片不清晰") || len(got) != n {
			t.Errorf("%s the checklist is %s", when, list)
		}
		test.Tap(d.main.status.syncNow)
		if d.main.status.pending.Text != "待同步 0 条" || d.main.status.conflicts.Text != "同步冲突 0" {
			t.Fatalf("sync: %q %q", d.main.status.pending.Text, d.main.status.conflicts.Text)
		}
	}
}

// TestDoubleClickDeletesOneListItem: in 问题清单设置 and 常用意见设置 a
// double-click on 删除 deletes one item, not also the next one that moves
// up under the pointer; that one's 删除 works once the moment has passed.
func TestDoubleClickDeletesOneListItem(t *testing.T) {
	d, _ := loggedInDesk(t)
	clock := useFakeClock(d)
	d.showReturnReasons(func() {})
	s := d.lastReasons
	n := len(s.reasons)
	test.Tap(buttonsUnder(s.rows)[0])
	test.Tap(buttonsUnder(s.rows)[0])
	if len(s.reasons) != n-1 {
		t.Errorf("问题清单设置: a double-click deleted %d items", n-len(s.reasons))
	}
	clock.advance(armDelay)
	test.Tap(buttonsUnder(s.rows)[0])
	if len(s.reasons) != n-2 {
		t.Errorf("问题清单设置: 删除 after the pause deleted %d items, want 1", n-1-len(s.reasons))
	}

	l := openList(t, d, navSubordinate)
	v := review(t, l, 0)
	sc := d.showStockComments(v.comments, v.setComments)
	n = len(sc.comments)
	if n < 2 {
		t.Fatalf("%d stock comments in the demo", n)
	}
	del := func() *widget.Button {
		for _, b := range buttonsUnder(sc.rows) {
			if b.Text == "删除" {
				return b
			}
		}
		t.Fatal("no 删除")
		return nil
	}
	test.Tap(del())
	test.Tap(del())
	if len(sc.comments) != n-1 {
		t.Errorf("常用意见设置: a double-click deleted %d items", n-len(sc.comments))
	}
}

// TestStatisticsShowTheLastChoice: the counts of an earlier choice that
// arrive after those of a later one (the slower query of a busy machine)
// are not shown: the table always matches the filters on screen.
func TestStatisticsShowTheLastChoice(t *testing.T) {
	d, _ := loggedInDesk(t)
	s := d.newStatisticsScreen()
	slow := useQueuedRunner(d)
	s.rows.SetSelected(app.DimSeries.Label()) // counted slowly…
	s.rows.SetSelected(app.DimLevel.Label())  // …overtaken by this one
	if len(slow.work) != 2 {
		t.Fatalf("%d loads queued", len(slow.work))
	}
	later, earlier := slow.work[1], slow.work[0]
	slow.work = nil
	later()()
	earlier()()
	slow.drain()
	if s.view.Table.Query.Rows != app.DimLevel {
		t.Fatalf("the screen chooses %s but shows counts by %s", s.rows.Selected, s.view.Table.Query.Rows)
	}
}

// TestRejectReasonContinuesTheOpinion: 【不通过】 brings the opinion typed in
// the review view into the reason box with the cursor after it, so what the
// clerk types next continues the text instead of landing before it.
func TestRejectReasonContinuesTheOpinion(t *testing.T) {
	d, _ := loggedInDesk(t)
	l := openList(t, d, navSubordinate)
	v := review(t, l, 0)
	test.Type(v.opinion, "学历证书扫描件不清晰")
	test.Tap(v.buttons["reject"])
	rd := v.rejectDialog
	test.Type(rd.reason, "，请重新上传")
	if rd.reason.Text != "学历证书扫描件不清晰，请重新上传" {
		t.Fatalf("reason %q", rd.reason.Text)
	}
}

// TestNoNextApplicantUnderADialog: Alt+↓ / Alt+↑ while a dialog of the
// review view is open (the 单位推荐和公示 form, the 不通过 dialog, 经办流程)
// leave the applicant behind it alone: the form that names 甲 would
// otherwise sit over 乙, save its typing as 乙's draft, and after the
// pass skip 乙.
func TestNoNextApplicantUnderADialog(t *testing.T) {
	d, _ := loggedInDesk(t)
	clock := useFakeClock(d)
	for _, c := range []struct {
		name string
		nav  string
		open func(v *reviewView)
	}{
		{"单位推荐和公示", navOwnUnit, func(v *reviewView) { test.Tap(v.buttons["pass"]) }},
		{"不通过", navSubordinate, func(v *reviewView) { test.Tap(v.buttons["reject"]) }},
		{"经办流程", navSubordinate, func(v *reviewView) { test.Tap(v.buttons["flow"]) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := openList(t, d, c.nav)
			v := review(t, l, 0)
			clock.advance(armDelay)
			id := v.item.ID
			c.open(v)
			if d.win.Canvas().Overlays().Top() == nil {
				t.Fatal("no dialog opened")
			}
			for _, key := range []fyne.Shortcut{nextKey, prevKey} {
				d.win.Canvas().(fyne.Shortcutable).TypedShortcut(key)
				clock.advance(armDelay)
				if v.item.ID != id {
					t.Fatalf("%s moved the review under the open dialog", key.ShortcutName())
				}
			}
			for d.win.Canvas().Overlays().Top() != nil {
				d.win.Canvas().Overlays().Top().Hide()
			}
		})
	}
}

// TestExportAndPrintNameEveryFilter: a list narrowed to 临近截止 says so in
// its export's and its printout's filter line (both said 筛选：全部), and
// the printout names the unit like the export.
func TestExportAndPrintNameEveryFilter(t *testing.T) {
	d, _ := loggedInDesk(t)
	path := saveInto(t, d)
	l := openList(t, d, navSubordinate)
	l.due.SetChecked(true)
	if got := l.filterTexts(); !strings.Contains(strings.Join(got, " "), "临近截止") {
		t.Errorf("the filters named: %q", got)
	}
	test.Tap(l.buttons["export"])
	test.Tap(d.lastExportOptions.ok)
	f, err := excelize.OpenFile(*path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	filters, _ := f.GetCellValue(f.GetSheetList()[0], "A2")
	if !strings.Contains(filters, "临近截止") || strings.Contains(filters, "筛选：全部") {
		t.Errorf("export filter line %q", filters)
	}
	printed, err := d.app.Reviews.PrintList(context.Background(), l.query, l.filterTexts())
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", printed, "-").Output()
	if err != nil {
		t.Skip("pdftotext:", err)
	}
	me, _ := d.app.Session.Me()
	if text := string(out); !strings.Contains(text, me.UnitName) || !strings.Contains(text, "临近截止") {
		t.Errorf("the printed list names neither the unit %q nor 临近截止:\n%.300s", me.UnitName, text)
	}
}

// TestReturnReasonFirstChangeQueuesOneCommand: the first change of the
// untouched default checklist — a delete or an add — is one clerk action
// and queues one command (return_reason.adopt carrying the whole list; it
// queued one per remaining item, 待同步 jumped to 10), and the list is the
// same before and after the sync.
func TestReturnReasonFirstChangeQueuesOneCommand(t *testing.T) {
	cases := []struct {
		name string
		act  func(s *returnReasonsDialog)
		size func(n int) int
	}{
		{"删除", func(s *returnReasonsDialog) { test.Tap(buttonsUnder(s.rows)[3]) }, func(n int) int { return n - 1 }},
		{"添加", func(s *returnReasonsDialog) {
			test.Type(s.text, "申报表照片不清晰")
			test.Tap(s.add)
		}, func(n int) int { return n + 1 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, _ := loggedInDesk(t)
			d.showReturnReasons(func() {})
			s := d.lastReasons
			n := len(s.reasons)
			c.act(s)
			if st := d.app.Session.Status(); st.Pending != 1 || s.message.Visible() {
				t.Fatalf("%s on the default list queued %d commands (%q)", c.name, st.Pending, s.message.Text)
			}
			if len(s.reasons) != c.size(n) {
				t.Fatalf("%d items after %s, want %d", len(s.reasons), c.name, c.size(n))
			}
			before := reasonTexts(d)
			test.Tap(d.main.status.syncNow)
			if d.main.status.pending.Text != "待同步 0 条" || d.main.status.conflicts.Text != "同步冲突 0" {
				t.Fatalf("sync: %q %q", d.main.status.pending.Text, d.main.status.conflicts.Text)
			}
			if after := reasonTexts(d); after != before {
				t.Errorf("after the sync the checklist is\n%s\nwas\n%s", after, before)
			}
		})
	}
}

func reasonTexts(d *Desk) string {
	var got []string
	d.withReturnReasons(func(rs []model.ReturnReason) {
		for _, r := range rs {
			got = append(got, r.Material.Label()+r.Text)
		}
	})
	return strings.Join(got, "、")
}
