package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"titledesk/app"
	"titledesk/model"
	"titledesk/report"
	"titledesk/server"
)

// exportRows reads the data rows of an exported workbook's first sheet.
func exportRows(t *testing.T, data []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows[report.SheetHeaderRows:]
}

// STAT-2 / SEC-3: 导出完整身份证号 puts whole ID numbers in the file and
// queues its record; the next sync writes it to the server's audit log,
// naming the list and the number of rows. A masked export queues nothing.
func TestFullIDExportReachesAuditLog(t *testing.T) {
	a, f := loggedIn(t)
	ctx := context.Background()
	q := app.QueueQuery{Stage: app.ReviewedList}
	var masked, full bytes.Buffer
	n, err := a.Exports.List(ctx, &masked, q, nil, app.ExportOptions{}, nil)
	if err != nil || n == 0 || a.Session.Status().Pending != 0 {
		t.Fatalf("masked export: %d rows, %v, %d queued", n, err, a.Session.Status().Pending)
	}
	ids := map[string]bool{}
	for _, p := range f.World.Applicants {
		ids[p.IDNumber] = true
	}
	for _, r := range exportRows(t, masked.Bytes()) {
		if !strings.Contains(r[1], "*") || ids[r[1]] {
			t.Fatalf("masked export holds %q", r[1])
		}
	}
	if _, err := a.Exports.List(ctx, &full, q, nil, app.ExportOptions{FullIDNumbers: true}, nil); err != nil {
		t.Fatal(err)
	}
	for _, r := range exportRows(t, full.Bytes()) {
		if !ids[r[1]] {
			t.Fatalf("full export holds %q, not a fixture's ID number", r[1])
		}
	}
	var roster bytes.Buffer
	if _, err := a.Exports.Roster(ctx, &roster, q, nil, app.ExportOptions{FullIDNumbers: true}, nil); err != nil {
		t.Fatal(err)
	}
	if st := a.Session.Status(); st.Pending != 2 {
		t.Fatalf("待同步 %d, want the two export records", st.Pending)
	}
	if err := a.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	var got []server.AuditEntry
	err = f.Server.AuditLog(ctx, server.AuditFilter{}, func(e server.AuditEntry) error {
		if e.Event == server.AuditExportFullIDs {
			got = append(got, e)
		}
		return nil
	})
	if err != nil || len(got) != 2 {
		t.Fatalf("audit export entries %+v, %v", got, err)
	}
	if !strings.Contains(got[0].Detail, "已审核列表") || !strings.Contains(got[0].Detail, "xlsx") ||
		!strings.Contains(got[1].Detail, "申报人花名册") {
		t.Errorf("entries %q / %q", got[0].Detail, got[1].Detail)
	}
	for _, e := range got {
		for id := range ids {
			if strings.Contains(e.Detail, id) {
				t.Fatal("an ID number reached the audit log")
			}
		}
	}
}

// The roster's columns are in the documented order, its rows the batch.
func TestRosterColumnsAndBatch(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	q := app.QueueQuery{Stage: model.StageForward}
	page, err := a.Reviews.List(ctx, app.QueueQuery{Stage: model.StageForward, Limit: 3})
	if err != nil || len(page.Rows) < 3 {
		t.Fatalf("list: %v", err)
	}
	var buf bytes.Buffer
	n, err := a.Exports.Roster(ctx, &buf, q, []string{page.Rows[2].ID, page.Rows[0].ID}, app.ExportOptions{}, nil)
	if err != nil || n != 2 {
		t.Fatalf("roster: %d, %v", n, err)
	}
	f, _ := excelize.OpenReader(&buf)
	defer f.Close()
	rows, _ := f.GetRows(f.GetSheetList()[0])
	header := rows[report.SheetHeaderRows-1]
	if strings.Join(header, ",") != strings.Join(app.RosterHeaders(), ",") || header[0] != "序号" || header[1] != "姓名" {
		t.Fatalf("header %q", header)
	}
	data := rows[report.SheetHeaderRows:]
	if len(data) != 2 || data[0][1] != page.Rows[0].ApplicantName || data[1][1] != page.Rows[2].ApplicantName || data[1][0] != "2" {
		t.Fatalf("rows %q: want the two in the list's order", data)
	}
	// 出生日期 is a date cell.
	if v, _ := f.GetCellValue(f.GetSheetList()[0], "D4"); len(v) != 10 || v[4] != '-' {
		t.Errorf("出生日期 shows %q", v)
	}
	if _, err := a.Exports.Roster(ctx, &buf, app.QueueQuery{Stage: model.StageForward, Text: "没有这个人"}, nil, app.ExportOptions{}, nil); err == nil {
		t.Error("an empty roster was written")
	}
}
