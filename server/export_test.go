package server

import (
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// STAT-2 / SEC-3: an export with whole ID numbers (导出完整身份证号) arrives
// as export.full_id_numbers and leaves one audit entry saying what was
// exported, by whom, from which device — never an ID number — and
// changes nothing of the official record. Delivered twice, it is recorded
// once. Only departments send it; a malformed record is refused and
// writes nothing but its own result and command entry.
func TestExportFullIDsAudited(t *testing.T) {
	ts := newTestServer(t)
	d1 := ts.login(userDept1)
	record := ts.recordDigest()
	args := api.ExportArgs{ExportID: api.NewUUID(), What: "已审核列表", Format: api.ExportFormatXLSX, Rows: 120}
	cmd := d1.command(api.CmdExportFullIDs, 0, args)
	head := ts.auditHead()
	for round, want := range []string{api.StatusApplied, api.StatusDuplicate} {
		if res := d1.push(cmd)[0]; res.Status != want || res.EntityID != args.ExportID {
			t.Fatalf("round %d: %s %+v", round, res.Status, res.Problem)
		}
	}
	var exports []AuditEntry
	for _, e := range ts.auditEntries(head) {
		if e.Event == AuditExportFullIDs {
			exports = append(exports, e)
		}
	}
	if len(exports) != 1 {
		t.Fatalf("%d export entries, want 1", len(exports))
	}
	e := exports[0]
	if e.AccountID == "" || e.DeviceID != d1.device || e.EntityID != args.ExportID ||
		!strings.Contains(e.Detail, "已审核列表") || !strings.Contains(e.Detail, "120") || !strings.Contains(e.Detail, "xlsx") {
		t.Fatalf("entry %+v", e)
	}
	if ts.recordDigest() != record {
		t.Fatal("recording an export changed the official record")
	}

	bad := []struct {
		name string
		user string
		args api.ExportArgs
		code string
	}{
		{"employer unit", userEmp1, args, model.CodeForbidden},
		{"applicant", userAppl1, args, model.CodeForbidden},
		{"no export id", userDept1, api.ExportArgs{What: "x", Format: "xlsx"}, model.CodeValidation},
		{"empty what", userDept1, api.ExportArgs{ExportID: api.NewUUID(), What: " ", Format: "xlsx"}, model.CodeValidation},
		{"bidi in what", userDept1, api.ExportArgs{ExportID: api.NewUUID(), What: "已审核\u202e列表", Format: "xlsx"}, model.CodeInvalidCharacters},
		{"control in what", userDept1, api.ExportArgs{ExportID: api.NewUUID(), What: "列表\x1b[2J", Format: "pdf"}, model.CodeInvalidCharacters},
		{"two lines", userDept1, api.ExportArgs{ExportID: api.NewUUID(), What: "已审核列表\n伪造的第二行", Format: "pdf"}, model.CodeValidation},
		{"long what", userDept1, api.ExportArgs{ExportID: api.NewUUID(), What: strings.Repeat("列", 101), Format: "pdf"}, model.CodeValidation},
		{"format", userDept1, api.ExportArgs{ExportID: api.NewUUID(), What: "x", Format: "csv"}, model.CodeValidation},
		{"rows", userDept1, api.ExportArgs{ExportID: api.NewUUID(), What: "x", Format: "pdf", Rows: -1}, model.CodeValidation},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			head := ts.auditHead()
			res := ts.login(tc.user).run(api.CmdExportFullIDs, 0, tc.args)
			if res.Status != api.StatusRejected || res.Problem == nil || res.Problem.Code != tc.code {
				t.Fatalf("%s %+v, want rejected %s", res.Status, res.Problem, tc.code)
			}
			for _, e := range ts.auditEntries(head) {
				if e.Event == AuditExportFullIDs {
					t.Fatalf("a refused export was recorded: %+v", e)
				}
			}
		})
	}
}
