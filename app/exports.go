package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"titledesk/api"
	"titledesk/report"
	"titledesk/store"
)

// Exports is 导出 (STAT-2): every review list as shown (its visible
// columns, filters and sort), every statistic and cross table, and the
// 申报人花名册 of a batch, to xlsx (report.WriteXLSX) or PDF (report's
// table reports). ID numbers are masked unless the person ticks
// 导出完整身份证号; such an export is first recorded for the server's
// audit log (RecordFullIDExport), and without that record nothing is
// written.
type Exports struct{ a *App }

// ExportFormat is the file an export writes.
type ExportFormat int

const (
	FormatXLSX ExportFormat = iota // Excel workbook (.xlsx)
	FormatPDF                      // PDF (.pdf)
)

// Ext is the file name extension, with its dot.
func (f ExportFormat) Ext() string {
	if f == FormatPDF {
		return ".pdf"
	}
	return ".xlsx"
}

// ExportOptions are the choices of the export dialog.
type ExportOptions struct {
	Format ExportFormat
	// FullIDNumbers is 导出完整身份证号: the file holds whole ID numbers,
	// and the export is recorded in the server's audit log.
	FullIDNumbers bool
}

// Progress is called from the exporting goroutine with the work done so
// far and the total (rows, counting reading and writing), for a progress bar.
type Progress func(done, total int)

func (p Progress) report(done, total int) {
	if p != nil {
		p(done, total)
	}
}

// ExportName is a file name for an export of title made now, e.g.
// "本单位人员审核-20261130-0930.xlsx".
func ExportName(title string, f ExportFormat, now time.Time) string {
	return SafeFileName(title + "-" + now.Format("20060102-1504") + f.Ext())
}

// List writes review list q with its visible columns (ListColumns), in
// its sort order, the filters named under the title, and returns the
// number of rows. Cancelling ctx stops it; the caller removes the file.
func (e Exports) List(ctx context.Context, w io.Writer, q QueueQuery, filters []string, opt ExportOptions, progress Progress) (int, error) {
	_, st, err := e.a.Session.current()
	if err != nil {
		return 0, err
	}
	me, _ := e.a.Session.Me()
	return exportList(ctx, listExport{st: st, unitID: me.UnitID, unitName: me.UnitName, record: e.recordIfFull},
		w, q, filters, opt, progress)
}

// listExport is what a list export needs besides the list: the cache, the
// unit whose list it is, and how a full-ID export is recorded.
type listExport struct {
	st               *store.Store
	unitID, unitName string
	record           func(ctx context.Context, opt ExportOptions, what string, rows int) error
}

// exportList is Exports.List once the session is known.
func exportList(ctx context.Context, x listExport, w io.Writer, q QueueQuery, filters []string, opt ExportOptions, progress Progress) (int, error) {
	cols := ListColumns(q.Stage)
	title := x.unitName + " " + ListTitle(q.Stage)
	var rows []QueueRow
	err := x.st.EachQueueRow(ctx, x.unitID, q, opt.FullIDNumbers, func(r QueueRow, total int) error {
		if rows == nil {
			rows = make([]QueueRow, 0, total)
		}
		rows = append(rows, r)
		if len(rows)%500 == 0 {
			progress.report(len(rows), 2*total)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("export list: %w", err)
	}
	if len(filters) == 0 {
		filters = []string{"筛选：全部"}
	}
	filters = append(append([]string(nil), filters...), "排序："+sortLabel(q, cols), idNote(opt))
	if err := x.record(ctx, opt, ListTitle(q.Stage), len(rows)); err != nil {
		return 0, err
	}
	n := len(rows)
	half := func(done, total int) { progress.report(n+done*n/max(total, 1), 2*n) }
	if opt.Format == FormatPDF {
		t := report.TableReport{Title: title, Filters: filters, Landscape: true, CountUnit: "人"}
		for _, c := range cols {
			t.Columns = append(t.Columns, report.Column{Header: c.Header, Width: c.Width})
		}
		t.Rows = make([][]string, len(rows))
		for i, r := range rows {
			cells := make([]string, len(cols))
			for k, c := range cols {
				cells[k] = listText(c, r, opt)
			}
			t.Rows[i] = cells
		}
		return n, report.WriteTableContext(ctx, w, t, half)
	}
	sheet := report.Sheet{Name: ListTitle(q.Stage), Title: title, Filters: filters, Rows: make([][]any, len(rows))}
	for _, c := range cols {
		sheet.Columns = append(sheet.Columns, report.SheetColumn{Header: c.Header, Kind: c.Kind})
	}
	for i, r := range rows {
		cells := make([]any, len(cols))
		for k, c := range cols {
			cells[k] = c.Cell(r)
			if c.Key == colIDNumber.Key {
				cells[k] = listText(c, r, opt)
			}
		}
		sheet.Rows[i] = cells
	}
	return n, report.WriteXLSX(ctx, w, []report.Sheet{sheet}, half)
}

// listText is a cell's text; the ID number is whole when the export asks.
func listText(c Column, r QueueRow, opt ExportOptions) string {
	if c.Key == colIDNumber.Key && opt.FullIDNumbers && r.IDNumber != "" {
		return r.IDNumber
	}
	return c.Value(r)
}

// sortLabel names the list's order, e.g. "提交时间 ↑".
func sortLabel(q QueueQuery, cols []Column) string {
	col, desc := q.Sort.Column, q.Sort.Desc
	if col == "" {
		col = store.SortSubmitted
		if q.Stage == ReviewedList {
			col = SortUpdated
		}
	}
	name := map[SortColumn]string{SortUpdated: "最后办理时间"}[col]
	for _, c := range cols {
		if c.Sort == col {
			name = c.Header
		}
	}
	return name + map[bool]string{false: " ↑", true: " ↓"}[desc]
}

// FullIDNote is the title row of an export with whole ID numbers. The
// export is recorded in this PC's outbox when the file is written; the
// server's audit log gets it at the next sync (RecordFullIDExport), so the
// file must not claim the audit is done.
const FullIDNote = "含完整身份证号（导出已在本机记录，同步后写入服务器审计日志）"

// FullIDExportedNote is what 导出完成 adds after such an export.
const FullIDExportedNote = "本次导出含完整身份证号，已在本机记录（待同步），下次同步时写入服务器的审计日志。"

func idNote(opt ExportOptions) string {
	if opt.FullIDNumbers {
		return FullIDNote
	}
	return "身份证号已脱敏"
}

// recordIfFull records a full-ID export before anything is written.
func (e Exports) recordIfFull(ctx context.Context, opt ExportOptions, what string, rows int) error {
	if !opt.FullIDNumbers {
		return nil
	}
	return e.RecordFullIDExport(ctx, FullIDExport{What: what, Format: opt.Format, Rows: rows})
}

// FullIDExport describes an export that holds whole ID numbers, for the
// audit log: what was exported, in which format, how many rows. It never
// holds an ID number.
type FullIDExport struct {
	What   string
	Format ExportFormat
	Rows   int
}

// RecordFullIDExport queues export.full_id_numbers: the next sync delivers
// it to the server, which writes it to the audit log (offline it waits in
// the outbox like any action, 待同步). It holds no ID number.
func (e Exports) RecordFullIDExport(ctx context.Context, x FullIDExport) error {
	eng, _, err := e.a.Session.current()
	if err != nil {
		return err
	}
	format := api.ExportFormatXLSX
	if x.Format == FormatPDF {
		format = api.ExportFormatPDF
	}
	return eng.Enqueue(ctx, api.CmdExportFullIDs, 0, api.ExportArgs{ExportID: api.NewUUID(), What: x.What,
		Format: format, Rows: x.Rows})
}
