package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// statisticsScreen is 查询统计 (STAT-1, STAT-2): 历年申报人员情况 with
// filters, a table, a bar chart and 【打印】.
type statisticsScreen struct {
	d       *Desk
	view    app.StatsView
	year    *widget.Select
	series  *widget.Select
	level   *widget.Select
	method  *widget.Select
	dim     *widget.Select
	summary *widget.Label
	note    *widget.Label
	print   *widget.Button
	table   *widget.Table
	chart   *barChart
	content fyne.CanvasObject
}

const anyChoice = "全部"

func (d *Desk) newStatisticsScreen() *statisticsScreen {
	s := &statisticsScreen{d: d, chart: newBarChart()}
	s.year = widget.NewSelect([]string{anyChoice}, nil)
	series := []string{anyChoice}
	for _, x := range model.AllSeries {
		series = append(series, x.Label)
	}
	s.series = widget.NewSelect(series, nil)
	levels := []string{anyChoice}
	for _, l := range model.AllLevels {
		levels = append(levels, l.Label())
	}
	s.level = widget.NewSelect(levels, nil)
	methods := []string{anyChoice}
	for _, m := range model.AllMethods {
		methods = append(methods, m.Label())
	}
	s.method = widget.NewSelect(methods, nil)
	dims := make([]string, len(app.StatDimensions))
	for i, x := range app.StatDimensions {
		dims[i] = x.Label()
	}
	s.dim = widget.NewSelect(dims, nil)
	for _, sel := range []*widget.Select{s.year, s.series, s.level, s.method} {
		sel.SetSelected(anyChoice)
	}
	s.dim.SetSelected(dims[0])
	for _, sel := range []*widget.Select{s.year, s.series, s.level, s.method, s.dim} {
		sel.OnChanged = func(string) { s.load() }
	}

	s.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.note = widget.NewLabel("")
	s.note.Wrapping = fyne.TextWrapWord
	s.note.Hide()
	s.print = widget.NewButtonWithIcon("打印", theme.DocumentPrintIcon(), s.printClicked)

	s.table = widget.NewTable(
		func() (int, int) { return len(s.view.Lines) + 1, len(s.view.KeyHeaders) + len(app.StatResultHeaders) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("哲学社会科学研究人员")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { s.updateCell(id, o.(*widget.Label)) },
	)
	s.table.ShowHeaderRow = true
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		l.SetText(s.header(id.Col))
		l.Alignment = fyne.TextAlignLeading
		if id.Col >= len(s.view.KeyHeaders) {
			l.Alignment = fyne.TextAlignTrailing
		}
		l.Refresh()
	}

	filters := container.NewHBox(
		widget.NewLabel("年度"), s.year, widget.NewLabel("职称系列"), s.series, widget.NewLabel("级别"), s.level,
		widget.NewLabel("评价方式"), s.method, widget.NewLabel("统计方式"), s.dim)
	top := container.NewVBox(
		container.NewHBox(screenHeading("查询统计 · 历年申报人员情况"), layout.NewSpacer(), s.print),
		container.NewHScroll(filters), s.summary, s.note)
	chartCard := widget.NewCard("申报人次", "", s.chart.box)
	split := container.NewVSplit(chartCard, s.table)
	split.Offset = 0.42
	s.content = container.NewBorder(top, nil, nil, nil, split)
	s.load()
	d.refreshOnSync(navStats, s.content, s.load)
	return s
}

func (s *statisticsScreen) header(col int) string {
	if col < len(s.view.KeyHeaders) {
		return s.view.KeyHeaders[col]
	}
	if i := col - len(s.view.KeyHeaders); i < len(app.StatResultHeaders) {
		return app.StatResultHeaders[i]
	}
	return ""
}

// updateCell shows one cell; the last row is 合计.
func (s *statisticsScreen) updateCell(id widget.TableCellID, l *widget.Label) {
	line := s.view.Sum
	if id.Row < len(s.view.Lines) {
		line = s.view.Lines[id.Row]
	}
	l.TextStyle.Bold = id.Row == len(s.view.Lines)
	keys := len(s.view.KeyHeaders)
	l.Alignment = fyne.TextAlignLeading
	switch {
	case id.Col < keys:
		l.Text = ""
		if id.Col < len(line.Keys) {
			l.Text = line.Keys[id.Col]
		}
	default:
		l.Alignment = fyne.TextAlignTrailing
		l.Text = strconv.Itoa([]int{line.Certified, line.InProgress, line.Returned, line.Total}[id.Col-keys])
	}
	l.Refresh()
}

func (s *statisticsScreen) filter() app.StatsFilter {
	var f app.StatsFilter
	if y := strings.TrimSuffix(s.year.Selected, "年"); y != anyChoice {
		f.Year, _ = strconv.Atoi(y)
	}
	for _, x := range model.AllSeries {
		if x.Label == s.series.Selected {
			f.Series = x.Code
		}
	}
	for _, l := range model.AllLevels {
		if l.Label() == s.level.Selected {
			f.Level = l
		}
	}
	for _, m := range model.AllMethods {
		if m.Label() == s.method.Selected {
			f.Method = m
		}
	}
	return f
}

func (s *statisticsScreen) dimension() app.StatDimension {
	for _, x := range app.StatDimensions {
		if x.Label() == s.dim.Selected {
			return x
		}
	}
	return app.ByDetail
}

// load reads the statistics for the chosen filters.
func (s *statisticsScreen) load() {
	f, dim := s.filter(), s.dimension()
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		v, err := s.d.app.Statistics.Load(ctx, f, dim)
		return func() {
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
	s.year.Options = years
	s.year.Refresh()
	sum := v.Sum
	s.summary.SetText(fmt.Sprintf("共 %d 人次：已发证 %d，审核中 %d，退回修改 %d", sum.Total, sum.Certified, sum.InProgress, sum.Returned))
	s.chart.set(v.Bars)
	keys := len(v.KeyHeaders)
	for i := 0; i < keys; i++ {
		w := float32(150)
		if keys == 4 && (i == 0 || i == 2) {
			w = 100
		}
		if keys == 4 && i == 1 {
			w = 190
		}
		s.table.SetColumnWidth(i, w)
	}
	for i := range app.StatResultHeaders {
		s.table.SetColumnWidth(keys+i, 90)
	}
	s.table.Refresh()
	if len(v.Lines) == 0 {
		s.print.Disable()
	} else {
		s.print.Enable()
	}
}

func (s *statisticsScreen) say(msg string, bad bool) { showNote(s.note, msg, bad) }

// printClicked writes the table as a PDF and opens it in the system's
// viewer, from which it is printed (STAT-2).
func (s *statisticsScreen) printClicked() {
	v := s.view
	s.print.Disable()
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		path, err := s.d.app.Statistics.Print(ctx, v)
		return func() {
			s.print.Enable()
			if err != nil {
				s.say("打印失败："+app.Explain(err), true)
				return
			}
			s.say("已生成统计表并在PDF阅读器中打开："+path, false)
		}
	})
}
