package server

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"titledesk/api"
	"titledesk/model"
)

// AuditExportFullIDs is the audit event of an export holding whole ID
// numbers (导出完整身份证号, STAT-2), written by export.full_id_numbers.
const AuditExportFullIDs = "export_full_ids"

// exportFullIDs records an export the desktop made with whole ID numbers:
// one audit entry naming the export (list, format, rows), never an ID
// number. Only departments export; nothing else changes.
func (x *command) exportFullIDs(ctx context.Context) (outcome, error) {
	if err := x.requireRole(model.RoleDepartment); err != nil {
		return outcome{}, err
	}
	a := x.args.(*api.ExportArgs)
	if err := validateExport(a); err != nil {
		return outcome{}, err
	}
	err := x.t.audit(ctx, AuditEntry{Event: AuditExportFullIDs, AccountID: x.c.AccountID, Username: x.c.Username,
		Address: x.c.Address, DeviceID: x.c.DeviceID, CommandType: api.CmdExportFullIDs, EntityID: a.ExportID,
		Result: "ok", Detail: fmt.Sprintf("%s，%s，%d 行，含完整身份证号", strings.TrimSpace(a.What), a.Format, a.Rows)})
	if err != nil {
		return outcome{}, err
	}
	return outcome{entityID: a.ExportID, version: 1}, nil
}

func validateExport(a *api.ExportArgs) error {
	bad := func(field, msg string) error {
		return &model.Error{Kind: model.KindInvalid, Code: model.CodeValidation, Title: "导出记录有误", Detail: msg,
			Fields: map[string]string{field: msg}}
	}
	what := strings.TrimSpace(a.What)
	switch {
	case !api.ValidUUID(a.ExportID):
		return bad("export_id", "导出记录的标识无效")
	case what == "" || utf8.RuneCountInString(what) > 100 || strings.ContainsAny(what, "\n\t"):
		// Control and bidi characters are refused for every text by
		// model.CleanInput when the command is decoded.
		return bad("what", "请说明导出的内容（一行，不超过100字）")
	case a.Format != api.ExportFormatXLSX && a.Format != api.ExportFormatPDF:
		return bad("format", "导出格式只能是 xlsx 或 pdf")
	case a.Rows < 0 || a.Rows > api.MaxExportRows:
		return bad("rows", "导出行数无效")
	}
	return nil
}
