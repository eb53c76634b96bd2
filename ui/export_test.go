package ui

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"titledesk/app"
	"titledesk/model"
	"titledesk/report"
)

// STAT-2: 【导出】 on a review list writes the list as shown — its visible
// columns, filters and sort — to Excel: the rows in the screen's order,
// the year a number, the ID numbers masked, the filters in the title rows.
func TestReviewListExportExcel(t *testing.T) {
	d, _ := loggedInDesk(t)
	path := saveInto(t, d)
	l := openList(t, d, navReviewed)
	l.level.SetSelected(model.LevelIntermediate.Label())
	l.sortBy(l.cols[0], nil) // 姓名 ▲
	test.Tap(l.buttons["export"])
	o := d.lastExportOptions
	if o == nil || o.what.Selected != exportWhatList || o.format.Selected != exportExcel || o.fullID.Checked {
		t.Fatalf("options %+v", o)
	}
	test.Tap(o.ok)
	f, err := excelize.OpenFile(*path)
	if err != nil {
		t.Fatalf("%q: %v", *path, err)
	}
	defer f.Close()
	sh := f.GetSheetList()[0]
	rows, _ := f.GetRows(sh)
	filters := rows[1][0]
	if !strings.Contains(rows[0][0], "已审核列表") || !strings.Contains(filters, "中级") || !strings.Contains(filters, "排序：姓名 ↑") ||
		!strings.Contains(filters, "身份证号已脱敏") {
		t.Fatalf("title rows %q / %q", rows[0][0], filters)
	}
	header := rows[report.SheetHeaderRows-1]
	for i, c := range app.ListColumns(app.ReviewedList) {
		if header[i] != c.Header {
			t.Fatalf("header %q, want the list's columns", header)
		}
	}
	data := rows[report.SheetHeaderRows:]
	if len(data) != l.total || l.total == 0 {
		t.Fatalf("%d rows exported, the list has %d", len(data), l.total)
	}
	if want := fmt.Sprintf("共 %d 人", l.total); !strings.Contains(d.lastDialogText, want) { // people, not 条
		t.Errorf("导出完成 says %q, want %q", d.lastDialogText, want)
	}
	for i := 0; i < len(data) && i < len(l.rows); i++ {
		if data[i][0] != l.rows[i].ApplicantName || data[i][1] != l.rows[i].MaskedIDNumber || !strings.Contains(data[i][1], "*") {
			t.Fatalf("row %d: %q, the list shows %s %s", i, data[i][:2], l.rows[i].ApplicantName, l.rows[i].MaskedIDNumber)
		}
	}
	yearRef := "G4"
	if typ, _ := f.GetCellType(sh, yearRef); typ != excelize.CellTypeUnset {
		t.Errorf("年度 stored as %v, not a number", typ)
	}
	if p, _ := f.GetPanes(sh); !p.Freeze {
		t.Error("header not frozen")
	}
}

// STAT-2: the 申报人花名册 of the ticked applicants, as PDF; its rows are
// the ticked ones.
func TestReviewListRosterPDF(t *testing.T) {
	requirePDFText(t)
	d, _ := loggedInDesk(t)
	path := saveInto(t, d)
	l := openList(t, d, navForward)
	l.setChecked(l.rows[0], true)
	l.setChecked(l.rows[1], true)
	test.Tap(l.buttons["export"])
	o := d.lastExportOptions
	o.what.SetSelected(exportWhatRoster)
	o.format.SetSelected(exportPDF)
	test.Tap(o.ok)
	if !strings.HasSuffix(*path, ".pdf") || !strings.Contains(d.lastDialogText, "共 2 人") || strings.Contains(d.lastDialogText, "条") {
		t.Fatalf("%q: %q", *path, d.lastDialogText)
	}
	text := pdfText(t, *path)
	for _, want := range append(app.RosterHeaders()[:6], l.rows[0].ApplicantName, l.rows[1].ApplicantName, "申报人花名册") {
		if !strings.Contains(text, want) {
			t.Errorf("roster lacks %q", want)
		}
	}
	if strings.Contains(text, l.rows[2].ApplicantName) {
		t.Errorf("roster holds %s, who was not ticked", l.rows[2].ApplicantName)
	}
}

// A cancelled export leaves no file; so does a refused one (a roster of
// an empty list).
func TestExportCancelledOrRefusedLeavesNoFile(t *testing.T) {
	d, _ := loggedInDesk(t)
	path := saveInto(t, d)
	l := openList(t, d, navReviewed)
	post := d.post
	d.post = func(apply func()) { // cancel at the first progress report
		if d.lastExport != nil {
			d.lastExport.cancel()
		}
		post(apply)
	}
	test.Tap(l.buttons["export"])
	test.Tap(d.lastExportOptions.ok)
	if _, err := os.Stat(*path); !os.IsNotExist(err) || d.lastDialogText != "已取消导出" {
		t.Fatalf("after cancel: %v, %q", err, d.lastDialogText)
	}
	d.post = post
	test.Type(l.search, "没有这个人")
	test.Tap(l.buttons["export"])
	d.lastExportOptions.what.SetSelected(exportWhatRoster)
	test.Tap(d.lastExportOptions.ok)
	if _, err := os.Stat(*path); !os.IsNotExist(err) || !strings.Contains(d.lastDialogText, "没有") {
		t.Fatalf("empty roster: %v, %q", err, d.lastDialogText)
	}
}

// 导出完整身份证号: the warning shows when ticked, the file holds whole ID
// numbers, and the export's audit record waits in the outbox (待同步).
func TestExportFullIDNumbers(t *testing.T) {
	d, f := loggedInDesk(t)
	path := saveInto(t, d)
	l := openList(t, d, navOwnUnit)
	test.Tap(l.buttons["export"])
	o := d.lastExportOptions
	o.fullID.SetChecked(true)
	test.Tap(o.ok)
	x, err := excelize.OpenFile(*path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	idn, _ := x.GetCellValue(x.GetSheetList()[0], "B4")
	found := false
	for _, p := range f.World.Applicants {
		found = found || p.IDNumber == idn
	}
	if !found || strings.Contains(idn, "*") {
		t.Fatalf("B4 = %q, want a whole ID number", idn)
	}
	if st := d.app.Session.Status(); st.Pending != 1 {
		t.Fatalf("待同步 %d, want the export's audit record", st.Pending)
	}
	// The audit record reaches the server only at the next sync: neither
	// the file nor the dialog may say it is already audited.
	filters, _ := x.GetCellValue(x.GetSheetList()[0], "A2")
	if !strings.Contains(filters, app.FullIDNote) || strings.Contains(filters, "已记录审计") {
		t.Errorf("title row %q, want %q", filters, app.FullIDNote)
	}
	if !strings.Contains(d.lastDialogText, "共") || !strings.Contains(d.lastDialogText, "下次同步时写入服务器的审计日志") {
		t.Errorf("导出完成 says %q", d.lastDialogText)
	}
}

// requirePDFText skips without pdftotext, except in CI (CI=true).
func requirePDFText(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found: CI must install poppler-utils")
		}
		t.Skip("pdftotext not found (apt-get install -y poppler-utils)")
	}
}

// pdfText is the PDF's text with white space dropped (cells wrap).
func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}
