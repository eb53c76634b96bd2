package app

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"

	"titledesk/model"
	"titledesk/report"
	"titledesk/store"
)

// Statistics is 查询统计 (STAT-1, STAT-2): 历年申报人员情况 of the whole
// subtree from the cache, by year × 系列 × 级别 × 评价方式 × result.
type Statistics struct{ a *App }

// StatsFilter narrows the statistics; zero values mean "any".
type StatsFilter = store.StatsFilter

// StatDimension is what the table groups by and the chart compares.
type StatDimension int

const (
	ByDetail StatDimension = iota // 明细: year × 系列 × 级别 × 评价方式 (the chart: by year)
	ByYear                        // 按年度
	BySeries                      // 按职称系列
	ByLevel                       // 按级别
	ByMethod                      // 按评价方式
)

// StatDimensions in the order the screen offers them.
var StatDimensions = []StatDimension{ByDetail, ByYear, BySeries, ByLevel, ByMethod}

// Label is the choice's Chinese name.
func (d StatDimension) Label() string {
	return [...]string{"明细", "按年度", "按职称系列", "按级别", "按评价方式"}[d]
}

func (d StatDimension) keyHeaders() []string {
	switch d {
	case ByYear:
		return []string{"年度"}
	case BySeries:
		return []string{"职称系列"}
	case ByLevel:
		return []string{"级别"}
	case ByMethod:
		return []string{"评价方式"}
	}
	return []string{"年度", "职称系列", "级别", "评价方式"}
}

// StatLine is one row of the table: its keys and the counts by result.
type StatLine struct {
	Keys                            []string
	Certified, InProgress, Returned int
	Total                           int
}

func (l *StatLine) add(r store.StatRow) {
	switch r.Result {
	case store.ResultCertified:
		l.Certified += r.Count
	case store.ResultReturned:
		l.Returned += r.Count
	default:
		l.InProgress += r.Count
	}
	l.Total += r.Count
}

// StatResultHeaders are the count columns after the keys.
var StatResultHeaders = []string{store.ResultCertified.Label(), store.ResultInProgress.Label(), store.ResultReturned.Label(), "合计"}

// StatsView is what the screen shows: the table, its 合计 line, the bars of
// the chart (totals per group; by year for the detail table) and the years
// the cache holds, for the year filter.
type StatsView struct {
	Filter     StatsFilter
	Dimension  StatDimension
	KeyHeaders []string
	Lines      []StatLine
	Sum        StatLine
	Bars       []StatBar
	Years      []int
}

// StatBar is one bar of the chart, split by result.
type StatBar struct {
	Label                           string
	Certified, InProgress, Returned int
	Count                           int // the whole bar
}

// Load reads the statistics from the cache.
func (s Statistics) Load(ctx context.Context, f StatsFilter, dim StatDimension) (StatsView, error) {
	_, st, err := s.a.Session.current()
	if err != nil {
		return StatsView{}, err
	}
	me, _ := s.a.Session.Me()
	rows, err := st.Statistics(ctx, me.UnitID, f)
	if err != nil {
		return StatsView{}, fmt.Errorf("statistics: %w", err)
	}
	all := rows
	if f != (StatsFilter{}) {
		if all, err = st.Statistics(ctx, me.UnitID, StatsFilter{}); err != nil {
			return StatsView{}, fmt.Errorf("statistics: %w", err)
		}
	}
	v := StatsView{Filter: f, Dimension: dim, KeyHeaders: dim.keyHeaders()}
	v.Lines = group(rows, func(r store.StatRow) []string { return statKeys(r, dim) }, statOrder(dim))
	barDim := dim
	if dim == ByDetail {
		barDim = ByYear
	}
	for _, l := range group(rows, func(r store.StatRow) []string { return statKeys(r, barDim) }, statOrder(barDim)) {
		v.Bars = append(v.Bars, StatBar{Label: l.Keys[0], Certified: l.Certified, InProgress: l.InProgress,
			Returned: l.Returned, Count: l.Total})
	}
	for _, r := range rows {
		v.Sum.add(r)
	}
	v.Sum.Keys = []string{"合计"}
	seen := map[int]bool{}
	for _, r := range all {
		if !seen[r.Year] {
			seen[r.Year] = true
			v.Years = append(v.Years, r.Year)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(v.Years)))
	return v, nil
}

func statKeys(r store.StatRow, dim StatDimension) []string {
	year := strconv.Itoa(r.Year) + "年"
	switch dim {
	case ByYear:
		return []string{year}
	case BySeries:
		return []string{r.Series.Label()}
	case ByLevel:
		return []string{r.Level.Label()}
	case ByMethod:
		return []string{r.Method.Label()}
	}
	return []string{year, r.Series.Label(), r.Level.Label(), r.Method.Label()}
}

// statOrder ranks a group's first row for sorting: newest year first, the
// model's list order for series, levels and methods.
func statOrder(dim StatDimension) func(a, b store.StatRow) bool {
	return func(a, b store.StatRow) bool {
		switch dim {
		case BySeries:
			return seriesRank(a.Series) < seriesRank(b.Series)
		case ByLevel:
			return levelRank(a.Level) < levelRank(b.Level)
		case ByMethod:
			return methodRank(a.Method) < methodRank(b.Method)
		case ByYear:
			return a.Year > b.Year
		}
		if a.Year != b.Year {
			return a.Year > b.Year
		}
		if x, y := seriesRank(a.Series), seriesRank(b.Series); x != y {
			return x < y
		}
		if x, y := levelRank(a.Level), levelRank(b.Level); x != y {
			return x < y
		}
		return methodRank(a.Method) < methodRank(b.Method)
	}
}

// group sums rows with equal keys into lines, ordered by less over each
// group's first row.
func group(rows []store.StatRow, keys func(store.StatRow) []string, less func(a, b store.StatRow) bool) []StatLine {
	type g struct {
		first store.StatRow
		line  StatLine
	}
	index := map[string]*g{}
	var order []*g
	for _, r := range rows {
		k := keys(r)
		id := fmt.Sprint(k)
		x, ok := index[id]
		if !ok {
			x = &g{first: r, line: StatLine{Keys: k}}
			index[id] = x
			order = append(order, x)
		}
		x.line.add(r)
	}
	sort.SliceStable(order, func(i, j int) bool { return less(order[i].first, order[j].first) })
	out := make([]StatLine, len(order))
	for i, x := range order {
		out[i] = x.line
	}
	return out
}

func seriesRank(s model.Series) int {
	for i, x := range model.AllSeries {
		if x.Code == s {
			return i
		}
	}
	return len(model.AllSeries)
}

func levelRank(l model.Level) int {
	for i, x := range model.AllLevels {
		if x == l {
			return i
		}
	}
	return len(model.AllLevels)
}

func methodRank(m model.EvaluationMethod) int {
	for i, x := range model.AllMethods {
		if x == m {
			return i
		}
	}
	return len(model.AllMethods)
}

// FilterLabels describe a filter for print-outs, e.g. "职称系列：工程技术人员".
func FilterLabels(f StatsFilter) []string {
	var out []string
	if f.Year != 0 {
		out = append(out, fmt.Sprintf("年度：%d年", f.Year))
	}
	if f.Series != "" {
		out = append(out, "职称系列："+f.Series.Label())
	}
	if f.Level != "" {
		out = append(out, "级别："+f.Level.Label())
	}
	if f.Method != "" {
		out = append(out, "评价方式："+f.Method.Label())
	}
	if len(out) == 0 {
		out = append(out, "范围：本单位及全部下级单位")
	}
	return out
}

// Print writes the table as a PDF (report.WriteTable) and opens it in the
// document viewer, from which the person prints (STAT-2). It returns the
// file's path.
func (s Statistics) Print(ctx context.Context, v StatsView) (string, error) {
	me, ok := s.a.Session.Me()
	if !ok {
		return "", ErrNotLoggedIn
	}
	t := report.TableReport{Title: me.UnitName + " 历年申报人员情况", Filters: append(FilterLabels(v.Filter), "统计方式："+v.Dimension.Label()),
		NoCount: true}
	for _, h := range v.KeyHeaders {
		t.Columns = append(t.Columns, report.Column{Header: h, Width: 2})
	}
	for _, h := range StatResultHeaders {
		t.Columns = append(t.Columns, report.Column{Header: h, Width: 1, Align: report.AlignRight})
	}
	counts := func(l StatLine) []string {
		return []string{strconv.Itoa(l.Certified), strconv.Itoa(l.InProgress), strconv.Itoa(l.Returned), strconv.Itoa(l.Total)}
	}
	for _, l := range v.Lines {
		t.Rows = append(t.Rows, append(append([]string{}, l.Keys...), counts(l)...))
	}
	sum := make([]string, len(v.KeyHeaders))
	sum[0] = "合计"
	t.Totals = append(sum, counts(v.Sum)...)

	path, err := printPath("statistics")
	if err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", fmt.Errorf("print statistics: %w", err)
	}
	if err := report.WriteTable(f, t); err != nil {
		f.Close()
		return "", fmt.Errorf("print statistics: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("print statistics: %w", err)
	}
	return path, s.a.Viewer.Open(path)
}
