package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

// Column is one column of a TableReport.
type Column struct {
	Header string
	Width  float64 // relative to the other columns; 0 counts as 1
	Align  Align
}

// TableReport is a printed list or statistics table: any review list as
// shown, or one of the 查询统计 tables.
type TableReport struct {
	Title   string
	Filters []string // e.g. "系列：工程技术人员", printed under the title
	Columns []Column
	Rows    [][]string
	// Totals, if set, is printed after the rows as a shaded 合计 row.
	Totals []string
	// GeneratedAt is printed in every footer; the zero time means time.Now().
	GeneratedAt time.Time
	// Landscape forces A4 landscape; tables of more than
	// LandscapeColumns columns are landscape anyway.
	Landscape bool
	// NoCount leaves out the "共 N 条" row count (statistics tables, whose
	// rows are not records).
	NoCount bool
	// CountUnit is the row count's measure word: "人" for lists of people;
	// "" is "条".
	CountUnit string
	// Charts are drawn across the page between the filters and the table.
	Charts []Chart
	// BodySize is the cells' text size in pt; 0 is 9 pt. Wide tables
	// (the 申报人花名册's 22 columns) print smaller rather than wrap
	// every date.
	BodySize float64
	// FitColumns sizes the columns by their content (fitColumnWidths) instead
	// of their relative Width: a column of short values (学历, 学位, dates)
	// gets what its widest value needs, and only the long ones wrap.
	FitColumns bool
}

// LandscapeColumns is the most columns a portrait table report holds.
const LandscapeColumns = 6

const (
	tableTitleSize = 16
	tableBodySize  = 9
	tableRowH      = 7.0
)

// WriteTable writes t as a PDF to w: title, filters and row count on the
// first page, the column header repeated on every page, "第 x 页 共 y 页" and
// the generation time in every footer.
func WriteTable(w io.Writer, t TableReport) error {
	return WriteTableContext(context.Background(), w, t, nil)
}

// WriteTableContext is WriteTable for long tables: progress (may be nil)
// is called from this goroutine with the rows laid out so far of both
// passes (measuring, then drawing: total is twice the rows), and a
// cancelled ctx stops between rows with its error, writing nothing to w.
func WriteTableContext(ctx context.Context, w io.Writer, t TableReport, progress func(done, total int)) error {
	if len(t.Columns) == 0 {
		return errors.New("report: table has no columns")
	}
	face, err := loadFace()
	if err != nil {
		return err
	}
	at := t.GeneratedAt
	if at.IsZero() {
		at = time.Now()
	}
	orientation := "P"
	if t.Landscape || len(t.Columns) > LandscapeColumns {
		orientation = "L"
	}
	measure := newTableCanvas(nil, face, orientation)
	measure.runes = make(map[rune]struct{}, 512)
	tick := func(base int) func(i int) error {
		return func(i int) error {
			if i%200 != 0 {
				return nil
			}
			if progress != nil {
				progress(base+i, 2*len(t.Rows))
			}
			return ctx.Err()
		}
	}
	if err := layoutTable(measure, &t, at, tick(0)); err != nil {
		return err
	}

	pdf, fonts, err := newDocument(orientation, face, measure.runes, t.Title, at)
	if err != nil {
		return err
	}
	c := newTableCanvas(pdf, face, orientation)
	c.fonts, c.total = fonts, measure.page
	if err := layoutTable(c, &t, at, tick(len(t.Rows))); err != nil {
		return err
	}
	if progress != nil {
		progress(2*len(t.Rows), 2*len(t.Rows))
	}
	if pdf.Err() {
		return fmt.Errorf("report: draw table: %w", pdf.Error())
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("report: write PDF: %w", err)
	}
	return nil
}

func newTableCanvas(pdf *fpdf.Fpdf, face *face, orientation string) *canvas {
	if orientation == "L" {
		return &canvas{pdf: pdf, face: face, width: 297, height: 210,
			left: margin, right: 297 - margin, top: margin, bottom: 210 - margin}
	}
	return newPortraitCanvas(pdf, face)
}

// layoutTable lays t out on c; tick is called before each row and stops
// the layout with its error.
func layoutTable(c *canvas, t *TableReport, at time.Time, tick func(i int) error) error {
	gen := "生成时间：" + at.Format(minuteLayout)
	c.pageHeader = func() {
		if c.page == 1 {
			return
		}
		c.setGreyIfDrawing(greyFooter)
		c.textLine(c.left, margin-9, c.contentWidth(), t.Title+"（续页）", furnitureSize, AlignLeft, false)
		c.setGreyIfDrawing(0)
		c.hline(c.left, c.right, margin-3)
	}
	c.pageFooter = func() {
		y := c.height - margin + 3
		c.setGreyIfDrawing(greyFooter)
		c.textLine(c.left, y, c.contentWidth(), pageOf(c.page, c.total), furnitureSize, AlignCenter, false)
		c.textLine(c.left, y, c.contentWidth(), gen, furnitureSize, AlignRight, false)
		c.setGreyIfDrawing(0)
	}
	c.beginPage()

	// Title, then the filters on the left and the row count on the right.
	for _, line := range c.lines(t.Title, c.contentWidth(), tableTitleSize) {
		c.text(c.left, c.y, c.contentWidth(), line, tableTitleSize, AlignCenter, true)
		c.y += lineHeight(tableTitleSize)
	}
	c.y += 2
	count, countW := "", 0.0
	if !t.NoCount {
		unit := t.CountUnit
		if unit == "" {
			unit = "条"
		}
		count = "共 " + strconv.Itoa(len(t.Rows)) + " " + unit
		countW = c.face.width(count, tableBodySize) + 2*padX + 4
	}
	filterLines := c.lines(strings.Join(t.Filters, "　　"), c.contentWidth()-countW, tableBodySize)
	c.textLine(c.left, c.y, c.contentWidth(), count, tableBodySize, AlignRight, false)
	for _, line := range filterLines {
		c.text(c.left, c.y, c.contentWidth()-countW, line, tableBodySize, AlignLeft, false)
		c.y += lineHeight(tableBodySize)
	}
	if len(filterLines) == 0 {
		c.y += lineHeight(tableBodySize)
	}
	c.y += 1
	for _, ch := range t.Charts {
		c.drawChart(ch)
	}

	body := t.BodySize
	if body <= 0 {
		body = tableBodySize
	}
	widths := columnWidths(t.Columns, c.contentWidth())
	if t.FitColumns {
		c.inset = fitInset(body)
		widths = fitColumnWidths(c.face, t, body, c.contentWidth())
	}
	header := func() {
		cells := make([]cell, len(t.Columns))
		for i, col := range t.Columns {
			cells[i] = cell{text: col.Header, w: widths[i], size: body, align: AlignCenter, fill: greyLabel, bold: true}
		}
		c.row(cells, tableRowH, nil)
	}
	c.keep(2 * tableRowH)
	header()
	c.onBreak = header
	cells := make([]cell, len(t.Columns))
	row := func(vals []string, fill int, bold bool) {
		for i, col := range t.Columns {
			v := ""
			if i < len(vals) {
				v = vals[i]
			}
			cells[i] = cell{text: v, w: widths[i], size: body, align: col.Align, fill: fill, bold: bold}
		}
		c.row(cells, tableRowH, nil)
	}
	for i, vals := range t.Rows {
		if err := tick(i); err != nil {
			return err
		}
		row(vals, -1, false)
	}
	if len(t.Rows) == 0 {
		c.row([]cell{{text: "（无数据）", w: c.contentWidth(), size: tableBodySize, align: AlignCenter, fill: -1}}, tableRowH, nil)
	}
	if len(t.Totals) > 0 {
		row(t.Totals, greyLabel, true)
	}
	c.onBreak = nil
	c.endPage()
	return nil
}

// columnWidths shares width out by the columns' relative widths.
func columnWidths(cols []Column, width float64) []float64 {
	sum := 0.0
	for _, c := range cols {
		sum += weight(c)
	}
	out := make([]float64, len(cols))
	for i, c := range cols {
		out[i] = width * weight(c) / sum
	}
	return out
}

func weight(c Column) float64 {
	if c.Width <= 0 {
		return 1
	}
	return c.Width
}

// fitColumnWidths shares width (mm) out by what the columns hold at size
// pt, so rows are as low as they can be: it finds the fewest lines L such
// that every cell wraps within L lines (headers: headerLines) in the
// width, then gives the room left to bring columns onto one line — those
// of numbers first (dates, the ID number: split, they misread), then the
// narrowest (学历, 学位) — and the rest in proportion. When even maxFitLines lines do not fit, the
// relative widths stand.
func fitColumnWidths(f *face, t *TableReport, size, width float64) []float64 {
	values := make([][]string, len(t.Columns))
	for i, col := range t.Columns {
		seen := map[string]bool{}
		for _, r := range t.Rows {
			if i < len(r) && !seen[r[i]] {
				seen[r[i]] = true
				values[i] = append(values[i], f.clean(r[i]))
			}
		}
		// widest first: a value narrower than the need found so far
		// cannot raise it
		slices.SortFunc(values[i], func(a, b string) int { return cmp.Compare(f.width(b, size), f.width(a, size)) })
		values[i] = append([]string{f.clean(col.Header)}, values[i]...)
	}
	inset := fitInset(size)
	needs := func(lines int) ([]float64, float64) {
		out, sum := make([]float64, len(values)), 0.0
		for i, vs := range values {
			w := wrapWidth(f, vs[0], headerLines(vs[0], lines), size)
			for _, v := range vs[1:] {
				if f.width(v, size) <= w {
					break
				}
				w = math.Max(w, wrapWidth(f, v, lines, size))
			}
			out[i] = w + 2*inset + 0.4 // inset, rounding and the rule
			sum += out[i]
		}
		return out, sum
	}
	one, _ := needs(1)
	latin := make([]bool, len(values))
	for i, vs := range values {
		latin[i] = len(vs) > 1 && !slices.ContainsFunc(vs[1:], hasHan)
	}
	for lines := 1; lines <= maxFitLines; lines++ {
		out, sum := needs(lines)
		if sum > width {
			continue
		}
		extra := width - sum
		order := make([]int, len(out))
		for i := range order {
			order[i] = i
		}
		// numbers first (dates, ID numbers: split, they misread), then
		// the narrowest
		slices.SortFunc(order, func(a, b int) int {
			if latin[a] != latin[b] {
				return map[bool]int{true: -1, false: 1}[latin[a]]
			}
			return cmp.Compare(one[a], one[b])
		})
		for _, i := range order {
			if d := one[i] - out[i]; d > 0 && d <= extra {
				out[i], extra = one[i], extra-d
			}
		}
		sum = width - extra
		for i := range out {
			out[i] += extra * out[i] / sum
		}
		return out
	}
	return columnWidths(t.Columns, width)
}

// fitInset is a fitted table's text inset in a cell at size pt: padX at
// 9 pt and more, in proportion below (1.07 mm at the roster's 6 pt), so
// 22 columns do not spend a quarter of the page on margins.
func fitInset(size float64) float64 { return padX * min(1, size/tableBodySize) }

// maxFitLines is the most lines per row fitColumnWidths tries for.
const maxFitLines = 6

// wrapWidth is the narrowest text width (mm) in which s wraps into at
// most lines lines, to 0.1 mm.
func wrapWidth(f *face, s string, lines int, size float64) float64 {
	hi := f.width(s, size)
	if lines <= 1 || hi == 0 {
		return hi
	}
	lo := hi / float64(lines) * 0.99
	for hi-lo > 0.1 {
		mid := (lo + hi) / 2
		if len(f.wrap(s, mid, size)) <= lines {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// hasHan: s holds a CJK character (it may break between any two).
func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// headerLines is how many lines header h may take in rows of lines:
// up to three characters (序号, 性别, 公示期) one, longer ones two or lines.
func headerLines(h string, lines int) int {
	if utf8.RuneCountInString(h) <= 3 {
		return 1
	}
	return max(lines, 2)
}
