package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"titledesk/report"
)

// Statistics writes a statistics view: as xlsx the table on the first
// sheet, then 职称系列 × 审核结果 and 年度 × 审核结果 (what the charts show)
// on their own sheets unless the table is already one of them; as PDF the
// three charts and the table.
func (e Exports) Statistics(ctx context.Context, w io.Writer, v StatsView, f ExportFormat) error {
	title := v.UnitName + " 历年申报人员情况"
	if f == FormatPDF {
		t := statTableReport(title, v.Filters, v.Table)
		t.Charts = v.Charts
		return report.WriteTableContext(ctx, w, t, nil)
	}
	sheets := []report.Sheet{statSheet(statSheetName(v.Table), title, v.Filters, v.Table)}
	for _, t := range []StatTable{v.BySeries, v.ByYear} {
		if t.Query == v.Table.Query {
			continue // the first sheet holds it
		}
		filters := StatsFilterLabels(t.Query, v.UnitName)
		sheets = append(sheets, statSheet(statSheetName(t), v.UnitName+" "+statSheetName(t), filters, t))
	}
	return report.WriteXLSX(ctx, w, sheets, nil)
}

func statSheetName(t StatTable) string {
	if t.Query.Cols == "" {
		return "按" + t.Query.Rows.Label()
	}
	return t.Query.Rows.Label() + "×" + t.Query.Cols.Label()
}

// StatHeaders are a table's headers after the row key: 申报人次 and 占比
// for a breakdown, the column values and 合计 for a cross table.
func StatHeaders(t StatTable) []string {
	if t.Query.Cols == "" {
		return []string{"申报人次", "占比"}
	}
	out := make([]string, 0, len(t.Cols)+1)
	for _, c := range t.Cols {
		out = append(out, c.Label)
	}
	return append(out, "合计")
}

// statValues are one line's numbers in statColumns' order; a share is 0…1.
func statValues(t StatTable, l StatLine) []any {
	if t.Query.Cols == "" {
		return []any{l.Total, t.Share(l)}
	}
	out := make([]any, 0, len(l.Counts)+1)
	for _, n := range l.Counts {
		out = append(out, n)
	}
	return append(out, l.Total)
}

// StatCells are line l's numbers as shown, in StatHeaders' order (a share
// as "12.5%").
func StatCells(t StatTable, l StatLine) []string {
	var out []string
	for _, v := range statValues(t, l) {
		switch x := v.(type) {
		case int:
			out = append(out, strconv.Itoa(x))
		case float64:
			out = append(out, fmt.Sprintf("%.1f%%", x*100))
		}
	}
	return out
}

// StatRowLabel is a line's label as printed: units indented by depth.
func StatRowLabel(l StatLine) string { return strings.Repeat("　", l.Key.Depth) + l.Key.Label }

func statSheet(name, title string, filters []string, t StatTable) report.Sheet {
	s := report.Sheet{Name: name, Title: title, Filters: filters,
		Columns: []report.SheetColumn{{Header: t.RowHeader, Kind: report.CellText}}}
	for i, h := range StatHeaders(t) {
		kind := report.CellNumber
		if t.Query.Cols == "" && i == 1 {
			kind = report.CellPercent
		}
		s.Columns = append(s.Columns, report.SheetColumn{Header: h, Kind: kind})
	}
	for _, l := range t.Lines {
		s.Rows = append(s.Rows, append([]any{StatRowLabel(l)}, statValues(t, l)...))
	}
	if !t.RolledUp {
		s.Totals = append([]any{"合计"}, statValues(t, t.Sum)...)
	} else {
		s.Filters = append(s.Filters, "首行为所选单位合计（含全部下级单位）")
	}
	return s
}

func statTableReport(title string, filters []string, t StatTable) report.TableReport {
	r := report.TableReport{Title: title, Filters: filters, NoCount: true,
		Columns: []report.Column{{Header: t.RowHeader, Width: 2.4}}}
	for _, h := range StatHeaders(t) {
		r.Columns = append(r.Columns, report.Column{Header: h, Width: 1, Align: report.AlignRight})
	}
	text := func(l StatLine) []string { return StatCells(t, l) }
	for _, l := range t.Lines {
		r.Rows = append(r.Rows, append([]string{StatRowLabel(l)}, text(l)...))
	}
	if t.RolledUp {
		r.Filters = append(r.Filters, "首行为所选单位合计（含全部下级单位）")
	} else {
		r.Totals = append([]string{"合计"}, text(t.Sum)...)
	}
	return r
}

// Print writes the statistics (charts and table) as a PDF, from which the
// person prints (STAT-2), and returns its path; the UI opens it like every
// printed PDF.
func (s Statistics) Print(ctx context.Context, v StatsView) (string, error) {
	if _, ok := s.a.Session.Me(); !ok {
		return "", ErrNotLoggedIn
	}
	return s.a.Session.writePDF(s.a.Reviews.PrintDir, "统计表-历年申报人员情况", func(f *os.File) error {
		return Exports{s.a}.Statistics(ctx, f, v, FormatPDF)
	})
}
