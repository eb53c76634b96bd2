package ui

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// statisticsScreen is 查询统计 (STAT-1, STAT-2): 历年申报人员情况 with
// filters (年度 from–to, 单位 with its subtree), a breakdown or cross
// table (统计 rows × 列), three charts, and 【导出Excel】 【导出PDF】 【打印】.
type statisticsScreen struct {
	d        *Desk
	view     app.StatsView
	yearFrom *widget.Select
	yearTo   *widget.Select
	unit     *widget.Select
	rows     *widget.Select
	cols     *widget.Select
	units    []app.UnitNode // the unit choices, in the unit select's order
	summary  *widget.Label
	note     *widget.Label
	xlsx     *widget.Button
	pdf      *widget.Button
	print    *widget.Button
	tabs     *container.AppTabs
	table    *widget.Table
	charts   []*chartView
	filters  *fyne.Container // the filter groups, wrapping (flowLayout)
	content  fyne.CanvasObject
	gen      int // the latest load; an older one's counts are not shown
}

const (
	anyChoice  = "全部"
	noColumn   = "（无）"
	statsTitle = "历年申报人员情况"
)

func (d *Desk) newStatisticsScreen() *statisticsScreen {
	s := &statisticsScreen{d: d}
	s.yearFrom = widget.NewSelect([]string{anyChoice}, nil)
	s.yearTo = widget.NewSelect([]string{anyChoice}, nil)
	s.unit = widget.NewSelect([]string{"本单位（含全部下级单位）"}, nil)
	var dims, cols []string
	cols = append(cols, noColumn)
	for _, x := range app.StatDimensions {
		dims = append(dims, x.Label())
		if x != app.DimUnit {
			cols = append(cols, x.Label())
		}
	}
	s.rows = widget.NewSelect(dims, nil)
	s.cols = widget.NewSelect(cols, nil)
	s.yearFrom.SetSelected(anyChoice)
	s.yearTo.SetSelected(anyChoice)
	s.unit.SetSelectedIndex(0)
	s.rows.SetSelected(app.DimYear.Label())
	s.cols.SetSelected(app.DimOutcome.Label())
	for _, sel := range []*widget.Select{s.yearFrom, s.yearTo, s.unit, s.rows, s.cols} {
		sel.OnChanged = func(string) { s.load() }
	}

	s.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.summary.Wrapping = fyne.TextWrapWord
	s.note = widget.NewLabel("")
	s.note.Wrapping = fyne.TextWrapWord
	s.note.Hide()
	s.xlsx = widget.NewButtonWithIcon("导出Excel", theme.DownloadIcon(), func() { s.exportClicked(app.FormatXLSX) })
	s.pdf = widget.NewButtonWithIcon("导出PDF", theme.DownloadIcon(), func() { s.exportClicked(app.FormatPDF) })
	s.print = widget.NewButtonWithIcon("打印", theme.DocumentPrintIcon(), nil)
	actOnce(s.print, nil, s.printClicked)

	s.table = s.newTable()
	for _, plotH := range []float32{0, 150, 150} {
		s.charts = append(s.charts, newChartView(plotH))
	}
	chartsBox := container.NewVScroll(container.NewGridWithColumns(2, s.charts[0],
		container.NewVBox(s.charts[1], s.charts[2])))
	s.tabs = container.NewAppTabs(container.NewTabItem("统计表", s.table), container.NewTabItem("图表", chartsBox))

	// The filters go in three groups that wrap onto a second row where the
	// window is narrow (1024×600, 1366×768 at 125 %) rather than scroll
	// sideways and cut 审核结果 in half.
	// Each select is as wide as its longest choice, so no choice is cut.
	sized := func(least float32, sel *widget.Select) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(max(least, selectWidth(sel)), sel.MinSize().Height), sel)
	}
	flow := &flowLayout{}
	s.filters = container.New(flow,
		container.NewHBox(widget.NewLabel("年度"), sized(100, s.yearFrom), widget.NewLabel("至"), sized(100, s.yearTo)),
		container.NewHBox(widget.NewLabel("单位"), sized(224, s.unit)),
		container.NewHBox(widget.NewLabel("统计"), sized(0, s.rows), widget.NewLabel("×"), sized(0, s.cols)))
	top := container.NewVBox(
		container.NewHBox(screenHeading("查询统计 · "+statsTitle), layout.NewSpacer(), s.xlsx, s.pdf, s.print),
		s.filters, s.summary, s.note)
	border := container.NewBorder(top, nil, nil, nil, s.tabs)
	flow.reflow = border.Refresh
	s.content = border
	s.loadUnits()
	s.load()
	d.refreshOnSync(navStats, s.content, s.load)
	return s
}

func (s *statisticsScreen) newTable() *widget.Table {
	t := widget.NewTable(
		func() (int, int) { return s.rowCount(), 1 + len(app.StatHeaders(s.view.Table)) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("哲学社会科学研究人员")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { s.updateCell(id, o.(*widget.Label)) },
	)
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		l.Alignment = fyne.TextAlignTrailing
		if id.Col == 0 {
			l.Alignment = fyne.TextAlignLeading
		}
		l.SetText(s.header(id.Col))
	}
	return t
}

// rowCount is the lines and, unless rolled up by unit, the 合计 line.
func (s *statisticsScreen) rowCount() int {
	n := len(s.view.Table.Lines)
	if !s.view.Table.RolledUp && n > 0 {
		n++
	}
	return n
}

func (s *statisticsScreen) header(col int) string {
	if col == 0 {
		return s.view.Table.RowHeader
	}
	if h := app.StatHeaders(s.view.Table); col-1 < len(h) {
		return h[col-1]
	}
	return ""
}

// cell is the text of one table cell (row past the lines: 合计).
func (s *statisticsScreen) cell(row, col int) (string, bool) {
	t := s.view.Table
	line, sum := t.Sum, true
	if row < len(t.Lines) {
		line, sum = t.Lines[row], false
	}
	if col == 0 {
		if sum {
			return "合计", true
		}
		return app.StatRowLabel(line), false
	}
	if cells := app.StatCells(t, line); col-1 < len(cells) {
		return cells[col-1], sum
	}
	return "", sum
}

func (s *statisticsScreen) updateCell(id widget.TableCellID, l *widget.Label) {
	text, sum := s.cell(id.Row, id.Col)
	l.TextStyle.Bold = sum || s.view.Table.RolledUp && id.Row == 0
	l.Alignment = fyne.TextAlignTrailing
	if id.Col == 0 {
		l.Alignment = fyne.TextAlignLeading
	}
	l.SetText(text)
}

// query is what the filters say. UI goroutine only.
func (s *statisticsScreen) query() app.StatsQuery {
	q := app.StatsQuery{Rows: app.DimYear}
	year := func(sel *widget.Select) int {
		n, _ := strconv.Atoi(strings.TrimSuffix(sel.Selected, "年"))
		return n
	}
	q.Filter.YearFrom, q.Filter.YearTo = year(s.yearFrom), year(s.yearTo)
	if i := s.unit.SelectedIndex(); i > 0 && i < len(s.units) {
		q.Filter.UnitID = s.units[i].Unit.ID
	}
	for _, x := range app.StatDimensions {
		if x.Label() == s.rows.Selected {
			q.Rows = x
		}
		if x.Label() == s.cols.Selected {
			q.Cols = x
		}
	}
	return q
}

// loadUnits fills the unit choices: this unit, then its subtree indented.
func (s *statisticsScreen) loadUnits() {
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		nodes, err := s.d.app.Units.Tree(ctx, "")
		return func() {
			if err != nil || len(nodes) == 0 {
				return
			}
			opts := []string{"本单位（含全部下级单位）"}
			for _, n := range nodes[1:] {
				opts = append(opts, strings.Repeat("　", n.Depth-1)+n.Unit.Name)
			}
			s.units = nodes
			sel := s.unit.OnChanged
			s.unit.OnChanged = nil
			s.unit.Options = opts
			s.unit.Refresh()
			s.unit.OnChanged = sel
		}
	})
}

// load counts the statistics for the chosen filters; only the latest
// choice's counts are shown, whichever finishes first.
func (s *statisticsScreen) load() {
	q := s.query()
	s.gen++
	gen := s.gen
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		v, err := s.d.app.Statistics.Load(ctx, q)
		return func() {
			if gen != s.gen {
				return // the filters changed meanwhile: a newer load is on its way
			}
			if err != nil {
				s.say("统计失败："+app.Explain(err), true)
				return
			}
			s.show(v)
		}
	})
}

func (s *statisticsScreen) show(v app.StatsView) {
	s.view = v
	years := []string{anyChoice}
	for _, y := range v.Years {
		years = append(years, fmt.Sprintf("%d年", y))
	}
	for _, sel := range []*widget.Select{s.yearFrom, s.yearTo} {
		sel.Options = years
		sel.Refresh()
	}
	s.summary.SetText(summaryText(v))
	for i, ch := range v.Charts {
		if i < len(s.charts) {
			s.charts[i].set(ch)
		}
	}
	first := float32(220)
	if v.Table.RolledUp { // unit names, indented by depth
		first = 380
	}
	s.table.SetColumnWidth(0, first)
	for i := range app.StatHeaders(v.Table) {
		s.table.SetColumnWidth(i+1, 84)
	}
	s.table.Refresh()
	for _, b := range []*widget.Button{s.xlsx, s.pdf, s.print} {
		if len(v.Table.Lines) == 0 {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

// summaryText is "共 N 人次：通过 a，不通过 b，…" for the filters in force.
func summaryText(v app.StatsView) string {
	t := v.ByYear
	if t.Sum.Total == 0 {
		return "没有符合条件的申报记录"
	}
	parts := make([]string, 0, len(t.Cols))
	for i, c := range t.Cols {
		parts = append(parts, fmt.Sprintf("%s %d", c.Label, t.Sum.Counts[i]))
	}
	return fmt.Sprintf("%s　共 %d 人次：%s", strings.Join(v.Filters[:2], "　"), t.Sum.Total, strings.Join(parts, "，"))
}

func (s *statisticsScreen) say(msg string, bad bool) { showNote(s.note, msg, bad) }

// exportClicked writes the statistics (the table and the charts' tables;
// PDF: the charts and the table) where the person chooses.
func (s *statisticsScreen) exportClicked(f app.ExportFormat) {
	v := s.view
	s.d.export(statsTitle, countRows, f, func(ctx context.Context, w io.Writer, _ app.Progress) (int, error) {
		return len(v.Table.Lines), s.d.app.Exports.Statistics(ctx, w, v, f)
	})
}

// printClicked writes the statistics as a PDF and opens it like every
// printed PDF (openPrinted), from which it is printed (STAT-2).
func (s *statisticsScreen) printClicked(done func()) {
	v := s.view
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		path, err := s.d.app.Statistics.Print(ctx, v)
		return func() {
			if err != nil {
				s.say("打印失败："+app.Explain(err), true)
				done()
				return
			}
			s.d.openPrinted(path, "统计表", done)
		}
	})
}

// selectWidth is the width sel needs to show its longest choice whole
// (years are added later: 年度 selects get a floor instead).
func selectWidth(sel *widget.Select) float32 {
	measure := func(t string) float32 { return fyne.MeasureText(t, theme.TextSize(), fyne.TextStyle{}).Width }
	chrome := sel.MinSize().Width - measure(sel.Selected)
	w := sel.MinSize().Width
	for _, o := range sel.Options {
		w = max(w, chrome+measure(o))
	}
	return w
}
