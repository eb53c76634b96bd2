package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"titledesk/model"
)

// CellKind says how a column's values are written to a worksheet.
type CellKind int

const (
	CellText    CellKind = iota // string, stored as text (ID numbers never turn into numbers)
	CellNumber                  // int or float64, stored as a number
	CellDate                    // time.Time (its local day) or model.Date, stored as an Excel date shown yyyy-mm-dd; zero or invalid is an empty cell
	CellPercent                 // float64 share 0…1, stored as a number shown 0.0%
)

// SheetColumn is one column of a worksheet.
type SheetColumn struct {
	Header string
	Kind   CellKind
}

// Sheet is one worksheet of an xlsx export (STAT-2): row 1 the title (the
// unit and what was exported), row 2 the filters and sort, row 3 the column
// headers; rows 1–3 are frozen so the header stays in view. Column widths
// are fitted to the longest value (CJK characters count double). Rows hold
// one value per column: string, int, float64 or time.Time as the column's
// Kind says; a nil value is an empty cell.
type Sheet struct {
	Name    string // worksheet tab; cut to 31 characters, []:*?/\ replaced
	Title   string
	Filters []string
	Columns []SheetColumn
	Rows    [][]any
	Totals  []any // a bold 合计 row after the rows, if set
}

// SheetHeaderRows is the number of rows above the data (title, filters,
// headers); the first data row is SheetHeaderRows+1.
const SheetHeaderRows = 3

// xlsxProgressEvery is how many rows are written between progress calls.
const xlsxProgressEvery = 500

// WriteXLSX writes the sheets as one workbook to w. Rows are streamed to
// the workbook (excelize's StreamWriter spills them to a temporary file
// past 16 MB), so memory stays bounded by the rows the caller holds.
// progress (may be nil) is called with the rows written so far and the
// total, from this goroutine. A cancelled ctx stops between rows and
// returns its error; nothing is written to w then.
func WriteXLSX(ctx context.Context, w io.Writer, sheets []Sheet, progress func(done, total int)) error {
	if len(sheets) == 0 {
		return errors.New("report: workbook has no sheets")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newSheetStyles(f)
	if err != nil {
		return err
	}
	total := 0
	for _, s := range sheets {
		total += len(s.Rows)
	}
	done := 0
	used := map[string]bool{}
	for i, s := range sheets {
		name := uniqueSheetName(s.Name, used)
		if i == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return fmt.Errorf("report: sheet %q: %w", name, err)
		}
		if err := writeSheet(ctx, f, name, s, st, func(n int) {
			done += n
			if progress != nil {
				progress(done, total)
			}
		}); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("report: write xlsx: %w", err)
	}
	return nil
}

// sheetStyles are the workbook's cell styles.
type sheetStyles struct {
	title, filters, header, date, percent, total, totalPercent int
}

func newSheetStyles(f *excelize.File) (sheetStyles, error) {
	var s sheetStyles
	border := []excelize.Border{{Type: "left", Color: "A0A0A0", Style: 1}, {Type: "right", Color: "A0A0A0", Style: 1},
		{Type: "top", Color: "A0A0A0", Style: 1}, {Type: "bottom", Color: "A0A0A0", Style: 1}}
	dateFmt, pctFmt := "yyyy-mm-dd", "0.0%"
	for _, x := range []struct {
		dst   *int
		style excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.filters, excelize.Style{Font: &excelize.Font{Color: "555555"}}},
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8E8E8"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.date, excelize.Style{CustomNumFmt: &dateFmt}},
		{&s.percent, excelize.Style{CustomNumFmt: &pctFmt}},
		{&s.total, excelize.Style{Font: &excelize.Font{Bold: true},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}}},
		{&s.totalPercent, excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &pctFmt,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}}},
	} {
		id, err := f.NewStyle(&x.style)
		if err != nil {
			return s, fmt.Errorf("report: xlsx style: %w", err)
		}
		*x.dst = id
	}
	return s, nil
}

func writeSheet(ctx context.Context, f *excelize.File, name string, s Sheet, st sheetStyles, wrote func(n int)) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("report: sheet %q: %w", name, err)
	}
	ncol := max(len(s.Columns), 1)
	for i, width := range fitWidths(s) {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: SheetHeaderRows,
		TopLeftCell: fmt.Sprintf("A%d", SheetHeaderRows+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(ncol)
	put := func(row int, cells []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return sw.SetRow(cell, cells)
	}
	if err := put(1, []any{excelize.Cell{StyleID: st.title, Value: s.Title}}); err != nil {
		return err
	}
	if err := put(2, []any{excelize.Cell{StyleID: st.filters, Value: strings.Join(s.Filters, "　")}}); err != nil {
		return err
	}
	header := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.Header}
	}
	if err := put(3, header); err != nil {
		return err
	}
	cells := make([]any, len(s.Columns))
	for i, r := range s.Rows {
		if i%xlsxProgressEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rowCells(cells, s.Columns, r, st, false)
		if err := put(SheetHeaderRows+1+i, cells); err != nil {
			return fmt.Errorf("report: sheet %q row %d: %w", name, i+1, err)
		}
		if (i+1)%xlsxProgressEvery == 0 {
			wrote(xlsxProgressEvery)
		}
	}
	wrote(len(s.Rows) % xlsxProgressEvery)
	if s.Totals != nil {
		rowCells(cells, s.Columns, s.Totals, st, true)
		if err := put(SheetHeaderRows+1+len(s.Rows), cells); err != nil {
			return err
		}
	}
	for row := 1; row <= 2; row++ {
		if err := sw.MergeCell(fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", last, row)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("report: sheet %q: %w", name, err)
	}
	return nil
}

// rowCells turns one row's values into typed cells (reusing cells).
func rowCells(cells []any, cols []SheetColumn, vals []any, st sheetStyles, total bool) {
	for i, c := range cols {
		var v any
		if i < len(vals) {
			v = vals[i]
		}
		style := 0
		if total {
			style = st.total
		}
		switch c.Kind {
		case CellDate:
			d := v
			v = nil
			switch d := d.(type) {
			case time.Time:
				if !d.IsZero() {
					v, style = excelDay(d), st.date
				}
			case model.Date:
				if t, err := d.Time(); err == nil {
					v, style = t, st.date
				}
			}
		case CellPercent:
			style = st.percent
			if total {
				style = st.totalPercent
			}
		}
		if style == 0 {
			cells[i] = v // a bare value: no Cell to allocate for each of 500,000 cells
			continue
		}
		cells[i] = excelize.Cell{StyleID: style, Value: v}
	}
}

// excelDay is t's calendar day in the local time zone as a zone-less
// date: Excel dates have no zone, and the day is what the person saw.
func excelDay(t time.Time) time.Time {
	l := t.Local()
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// fitWidths are column widths in Excel's units (about one Latin
// character): the widest value of each column, CJK counting two, plus a
// margin, between 6 and 60.
func fitWidths(s Sheet) []float64 {
	out := make([]float64, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = float64(displayWidth(c.Header))
		switch c.Kind {
		case CellDate:
			out[i] = max(out[i], 10)
		case CellPercent:
			out[i] = max(out[i], 6)
		}
	}
	measure := func(vals []any) {
		for i := range out {
			if i >= len(vals) || vals[i] == nil {
				continue
			}
			var n int
			switch v := vals[i].(type) {
			case string:
				n = displayWidth(v)
			case time.Time:
				continue
			default:
				n = len(fmt.Sprint(v))
			}
			out[i] = max(out[i], float64(n))
		}
	}
	for _, r := range s.Rows {
		measure(r)
	}
	measure(s.Totals)
	for i := range out {
		out[i] = min(max(out[i]+2, 6), 60)
	}
	return out
}

// displayWidth counts East Asian wide characters twice.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && (unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x30ff || r >= 0xff00 && r <= 0xff60) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// uniqueSheetName makes a valid worksheet name (≤ 31 characters, none of
// []:*?/\) not used before in the workbook.
func uniqueSheetName(name string, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" {
		name = "Sheet"
	}
	base := truncateRunes(name, 31)
	name = base
	for n := 2; used[strings.ToLower(name)]; n++ {
		suffix := fmt.Sprintf("(%d)", n)
		name = truncateRunes(base, 31-utf8.RuneCountInString(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
