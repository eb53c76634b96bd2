package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"titledesk/model"
	"titledesk/report"
	"titledesk/store"
)

// Statistics is 查询统计 (STAT-1, STAT-2): 历年申报人员情况 of the
// department's subtree, counted in SQL on the cache (offline too), as a
// breakdown or a cross table of two dimensions, with charts, exported to
// xlsx and PDF.
type Statistics struct{ a *App }

// Aliases of the store's statistics types, so the UI need not import store.
type (
	StatsFilter   = store.StatsFilter
	StatDimension = store.StatDimension
)

// The dimensions (see store.StatDimension).
const (
	DimYear      = store.DimYear
	DimSeries    = store.DimSeries
	DimLevel     = store.DimLevel
	DimMethod    = store.DimMethod
	DimOutcome   = store.DimOutcome
	DimUnit      = store.DimUnit
	DimEducation = store.DimEducation
)

// StatDimensions in the order the screen offers them.
var StatDimensions = store.AllStatDimensions

// StatsQuery is what 查询统计 shows: the filters, the row dimension and
// optionally a column dimension (a cross table, e.g. 系列 × 级别 for one
// year). 工作单位 is always the row dimension: asked as columns, the two
// are swapped.
type StatsQuery struct {
	Filter StatsFilter
	Rows   StatDimension
	Cols   StatDimension // "" = a breakdown: 申报人次 and 占比 per row
}

// StatKey is one value of a dimension: its code (a year as text, a unit
// ID, a model code), its Chinese label and, for 工作单位, its depth below
// the chosen unit (0 for the chosen unit itself).
type StatKey struct {
	Code, Label string
	Depth       int
}

// StatLine is one row of a StatTable: a count per column key (one count
// for a breakdown) and the row's total.
type StatLine struct {
	Key    StatKey
	Counts []int
	Total  int
}

// StatTable is a breakdown or cross table with its 合计.
type StatTable struct {
	Query     StatsQuery
	RowHeader string
	Cols      []StatKey // the column dimension's values; none for a breakdown
	Lines     []StatLine
	// Sum is the 合计 row: per column and in all. By 工作单位 the first
	// line, the chosen unit rolled up, is that total, and RolledUp is set
	// (the table has no separate 合计 row).
	Sum      StatLine
	RolledUp bool
}

// Share is line l's part of the table's total, 0…1.
func (t StatTable) Share(l StatLine) float64 {
	if t.Sum.Total == 0 {
		return 0
	}
	return float64(l.Total) / float64(t.Sum.Total)
}

// StatsView is what the screen shows for a query: the table, the charts
// (各系列申报人次, 历年审核结果构成, 历年申报人次趋势) and the two tables
// they are drawn from, and the choices of the filters.
type StatsView struct {
	Table StatTable
	// BySeries is 职称系列 × 审核结果 and ByYear 年度 × 审核结果 under the
	// same filters; the charts show them and the xlsx export adds them.
	BySeries, ByYear StatTable
	Charts           []report.Chart
	UnitName         string // the chosen unit (the department when none)
	Filters          []string
	Years            []int // every year in the cached data, ascending
}

// Load counts q from the cache.
func (s Statistics) Load(ctx context.Context, q StatsQuery) (StatsView, error) {
	_, st, err := s.a.Session.current()
	if err != nil {
		return StatsView{}, err
	}
	me, _ := s.a.Session.Me()
	if q.Rows == "" {
		q.Rows = DimYear
	}
	if q.Cols == DimUnit {
		q.Rows, q.Cols = q.Cols, q.Rows
	}
	if q.Rows == q.Cols {
		q.Cols = ""
	}
	if q.Filter.YearFrom != 0 && q.Filter.YearTo != 0 && q.Filter.YearFrom > q.Filter.YearTo {
		q.Filter.YearFrom, q.Filter.YearTo = q.Filter.YearTo, q.Filter.YearFrom
	}
	c := statCounter{st: st, dept: me.UnitID, unit: q.Filter.UnitID}
	if c.unit == "" {
		c.unit = me.UnitID
	}
	v := StatsView{UnitName: me.UnitName}
	if v.Table, err = c.table(ctx, q); err != nil {
		return StatsView{}, err
	}
	if v.BySeries, err = c.table(ctx, StatsQuery{Filter: q.Filter, Rows: DimSeries, Cols: DimOutcome}); err != nil {
		return StatsView{}, err
	}
	if v.ByYear, err = c.table(ctx, StatsQuery{Filter: q.Filter, Rows: DimYear, Cols: DimOutcome}); err != nil {
		return StatsView{}, err
	}
	years, err := st.CountApplications(ctx, me.UnitID, StatsFilter{}, DimYear)
	if err != nil {
		return StatsView{}, fmt.Errorf("statistics: %w", err)
	}
	for _, y := range years {
		n, _ := strconv.Atoi(y.Keys[0])
		v.Years = append(v.Years, n)
	}
	slices.Sort(v.Years)
	if q.Filter.UnitID != "" && q.Filter.UnitID != me.UnitID {
		u, _, err := st.Unit(ctx, q.Filter.UnitID)
		if err != nil {
			return StatsView{}, fmt.Errorf("statistics: %w", err)
		}
		v.UnitName = u.Name
	}
	v.Filters = StatsFilterLabels(q, v.UnitName)
	v.Charts = statCharts(v.BySeries, v.ByYear)
	return v, nil
}

// statCounter reads counts for one department and chosen unit.
type statCounter struct {
	st         *store.Store
	dept, unit string
	tree       []store.UnitRow // the chosen unit's subtree, read once
}

// table counts q and arranges the counts as a StatTable.
func (c *statCounter) table(ctx context.Context, q StatsQuery) (StatTable, error) {
	dims := []StatDimension{q.Rows}
	if q.Cols != "" {
		dims = append(dims, q.Cols)
	}
	counts, err := c.st.CountApplications(ctx, c.dept, q.Filter, dims...)
	if err != nil {
		return StatTable{}, fmt.Errorf("statistics: %w", err)
	}
	rowKeys, err := c.keys(ctx, q.Rows, counts, 0)
	if err != nil {
		return StatTable{}, err
	}
	t := StatTable{Query: q, RowHeader: q.Rows.Label(), RolledUp: q.Rows == DimUnit}
	ncol := 1
	colIndex := map[string]int{}
	if q.Cols != "" {
		if t.Cols, err = c.keys(ctx, q.Cols, counts, 1); err != nil {
			return StatTable{}, err
		}
		ncol = len(t.Cols)
		for i, k := range t.Cols {
			colIndex[k.Code] = i
		}
	}
	rowIndex := map[string]int{}
	for i, k := range rowKeys {
		rowIndex[k.Code] = i
		t.Lines = append(t.Lines, StatLine{Key: k, Counts: make([]int, ncol)})
	}
	t.Sum = StatLine{Key: StatKey{Label: "合计"}, Counts: make([]int, ncol)}
	for _, n := range counts {
		l := &t.Lines[rowIndex[n.Keys[0]]]
		col := 0
		if q.Cols != "" {
			col = colIndex[n.Keys[1]]
		}
		l.Counts[col] += n.Count
		l.Total += n.Count
		if !t.RolledUp || l.Key.Depth == 0 {
			t.Sum.Counts[col] += n.Count
			t.Sum.Total += n.Count
		}
	}
	return t, nil
}

// keys are the values of dimension d present in counts (at index i of
// their keys), in the dimension's order, with labels. As columns (i = 1),
// 级别, 评价方式 and 审核结果 show every value, counted or not, so a table
// and a chart's colours keep their places whatever the filter.
func (c *statCounter) keys(ctx context.Context, d StatDimension, counts []store.StatCount, i int) ([]StatKey, error) {
	present := map[string]bool{}
	for _, n := range counts {
		present[n.Keys[i]] = true
	}
	if i == 1 {
		for _, all := range fixedColumns[d] {
			present[all] = true
		}
	}
	var out []StatKey
	switch d {
	case DimUnit:
		if c.tree == nil {
			tree, err := c.st.UnitTree(ctx, c.unit, "")
			if err != nil {
				return nil, fmt.Errorf("statistics: %w", err)
			}
			c.tree = tree
		}
		for _, r := range c.tree { // tree order: parents first
			if present[r.Unit.ID] {
				out = append(out, StatKey{Code: r.Unit.ID, Label: r.Unit.Name, Depth: r.Depth})
				delete(present, r.Unit.ID)
			}
		}
	case DimSeries:
		for _, s := range model.AllSeries {
			out = appendPresent(out, present, string(s.Code), s.Label)
		}
	case DimLevel:
		for _, l := range model.AllLevels {
			out = appendPresent(out, present, string(l), l.Label())
		}
	case DimMethod:
		for _, m := range model.AllMethods {
			out = appendPresent(out, present, string(m), m.Label())
		}
	case DimOutcome:
		for _, o := range model.AllOutcomes {
			out = appendPresent(out, present, string(o), o.Label())
		}
	case DimEducation:
		for _, e := range educationOrder {
			out = appendPresent(out, present, e, e)
		}
	}
	// Whatever no list knows (a year, an education typed freely, a code
	// from a newer server) follows in code order.
	rest := make([]string, 0, len(present))
	for k := range present {
		rest = append(rest, k)
	}
	slices.Sort(rest)
	if d == DimEducation && present[""] { // 未填写 last
		rest = append(slices.DeleteFunc(rest, func(s string) bool { return s == "" }), "")
	}
	for _, k := range rest {
		key := StatKey{Code: k, Label: keyLabel(d, k)}
		if d == DimUnit {
			key.Depth = 1 // never the chosen unit's total
		}
		out = append(out, key)
	}
	return out, nil
}

func appendPresent(out []StatKey, present map[string]bool, code, label string) []StatKey {
	if present[code] {
		delete(present, code)
		out = append(out, StatKey{Code: code, Label: label})
	}
	return out
}

// fixedColumns are the short fixed lists shown whole as columns.
var fixedColumns = map[StatDimension][]string{
	DimLevel:   codes(model.AllLevels),
	DimMethod:  codes(model.AllMethods),
	DimOutcome: codes(model.AllOutcomes),
}

func codes[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// educationOrder ranks the usual 学历 from highest to lowest.
var educationOrder = []string{"博士研究生", "硕士研究生", "大学本科", "大学专科", "中等专科", "技工学校", "高中", "初中及以下"}

func keyLabel(d StatDimension, code string) string {
	switch {
	case d == DimYear:
		return code + "年"
	case d == DimEducation && code == "":
		return "未填写"
	case d == DimUnit:
		return "（已不在本单位范围的单位）"
	}
	return code
}

// StatsFilterLabels describe a query for titles and exports, e.g.
// "年度：2024年—2026年", "单位：…（含下级单位）", "统计：职称系列 × 级别".
func StatsFilterLabels(q StatsQuery, unitName string) []string {
	f := q.Filter
	years := "全部年度"
	switch {
	case f.YearFrom != 0 && f.YearFrom == f.YearTo:
		years = fmt.Sprintf("%d年", f.YearFrom)
	case f.YearFrom != 0 && f.YearTo != 0:
		years = fmt.Sprintf("%d年—%d年", f.YearFrom, f.YearTo)
	case f.YearFrom != 0:
		years = fmt.Sprintf("%d年起", f.YearFrom)
	case f.YearTo != 0:
		years = fmt.Sprintf("至%d年", f.YearTo)
	}
	out := []string{"年度：" + years, "单位：" + unitName + "（含全部下级单位）"}
	if f.Series != "" {
		out = append(out, "职称系列："+f.Series.Label())
	}
	if f.Level != "" {
		out = append(out, "级别："+f.Level.Label())
	}
	if f.Method != "" {
		out = append(out, "评价方式："+f.Method.Label())
	}
	by := "统计：按" + q.Rows.Label()
	if q.Cols != "" {
		by = "统计：" + q.Rows.Label() + " × " + q.Cols.Label()
	}
	return append(out, by)
}
