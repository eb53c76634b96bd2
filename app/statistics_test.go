package app_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"titledesk/app"
	"titledesk/model"
	"titledesk/report"
	"titledesk/server/demo"
)

// plainCount is the second, independent count of the acceptance test: plain
// Go over the fixtures the server was seeded with (no SQL, no cache), by
// model.Outcome's rules as its doc states them. keys gives the codes an
// application counts under in one dimension (工作单位: every unit from its
// own up to the chosen root).
type plainCount struct {
	w              *demo.World
	dept, root     string
	parent         map[string]string
	education      map[string]string
	yearFrom, year int
}

func newPlainCount(w *demo.World, dept, root string) *plainCount {
	p := &plainCount{w: w, dept: dept, root: root, parent: map[string]string{}, education: map[string]string{}}
	for _, u := range w.Units {
		p.parent[u.ID] = u.ParentID
	}
	for _, ap := range w.Applicants {
		p.education[ap.ID] = strings.TrimSpace(ap.Education)
	}
	return p
}

// chain is id and its ancestors up to root; nil when id is not under root.
func (p *plainCount) chain(id, root string) []string {
	var out []string
	for ; id != ""; id = p.parent[id] {
		out = append(out, id)
		if id == root {
			return out
		}
	}
	return nil
}

func (p *plainCount) outcome(a model.Application) model.Outcome {
	switch a.Stage {
	case model.StageCertified:
		return model.OutcomeCertified
	case model.StageReturned:
		for i := len(a.Flow) - 1; i >= 0; i-- {
			if a.Flow[i].Action == model.ActionReject {
				if a.Flow[i].UnitID == p.dept {
					return model.OutcomeRejected
				}
				break
			}
		}
		return model.OutcomeReturned
	}
	if p.chain(a.HolderUnitID, p.dept) != nil {
		return model.OutcomeInReview
	}
	return model.OutcomePassed
}

func (p *plainCount) keys(a model.Application, d app.StatDimension) []string {
	switch d {
	case app.DimYear:
		return []string{strconv.Itoa(a.Year)}
	case app.DimSeries:
		return []string{string(a.Series)}
	case app.DimLevel:
		return []string{string(a.Level)}
	case app.DimMethod:
		return []string{string(a.Method)}
	case app.DimOutcome:
		return []string{string(p.outcome(a))}
	case app.DimEducation: // as submitted (SEC-1), else the current record
		if a.Applicant != nil && strings.TrimSpace(a.Applicant.Education) != "" {
			return []string{strings.TrimSpace(a.Applicant.Education)}
		}
		return []string{p.education[a.ApplicantID]}
	case app.DimUnit:
		return p.chain(a.UnitID, p.root)
	}
	panic(d)
}

// count is rows × cols (cols "" → one column "") and the grand total.
func (p *plainCount) count(rows, cols app.StatDimension) (map[[2]string]int, int) {
	out, total := map[[2]string]int{}, 0
	for _, a := range p.w.Applications {
		if a.Stage == model.StageDraft || p.chain(a.UnitID, p.root) == nil ||
			p.yearFrom != 0 && (a.Year < p.yearFrom || a.Year > p.year) {
			continue
		}
		total++
		cs := []string{""}
		if cols != "" {
			cs = p.keys(a, cols)
		}
		for _, r := range p.keys(a, rows) {
			for _, c := range cs {
				out[[2]string{r, c}]++
			}
		}
	}
	return out, total
}

// tableCounts reads a StatTable back as the same map.
func tableCounts(t app.StatTable) map[[2]string]int {
	out := map[[2]string]int{}
	for _, l := range t.Lines {
		for i, n := range l.Counts {
			col := ""
			if t.Query.Cols != "" {
				col = t.Cols[i].Code
			}
			if n != 0 {
				out[[2]string{l.Key.Code, col}] = n
			}
		}
	}
	return out
}

func sameCounts(t *testing.T, name string, got, want map[[2]string]int) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d cells, want %d", name, len(got), len(want))
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s %v = %d, want %d", name, k, got[k], n)
		}
	}
}

// STAT-1 acceptance: for the demo data synced from the real server, every
// breakdown and every cross table of two dimensions equals the plain-Go
// count over the same fixtures — for the whole department, for one year,
// and for a subordinate unit's subtree over a year range.
func TestStatisticsMatchIndependentCount(t *testing.T) {
	a, f := loggedIn(t)
	ctx := context.Background()
	dept := demo.DemoDepartmentID
	sub := subordinateWithUnits(t, f.World, dept)
	all, err := a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimYear})
	if err != nil {
		t.Fatal(err)
	}
	last := all.Years[len(all.Years)-1]
	scopes := []struct {
		name   string
		filter app.StatsFilter
		root   string
		from   int
		to     int
	}{
		{"whole department", app.StatsFilter{}, dept, 0, 0},
		{"one year", app.StatsFilter{YearFrom: last, YearTo: last}, dept, last, last},
		{"subordinate, year range", app.StatsFilter{UnitID: sub, YearFrom: all.Years[0], YearTo: last - 1}, sub, all.Years[0], last - 1},
	}
	for _, sc := range scopes {
		p := newPlainCount(f.World, dept, sc.root)
		p.yearFrom, p.year = sc.from, sc.to
		for _, rows := range app.StatDimensions {
			for _, cols := range append([]app.StatDimension{""}, app.StatDimensions...) {
				if cols == rows || cols == app.DimUnit {
					continue
				}
				name := fmt.Sprintf("%s: %s×%s", sc.name, rows, cols)
				v, err := a.Statistics.Load(ctx, app.StatsQuery{Filter: sc.filter, Rows: rows, Cols: cols})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				want, total := p.count(rows, cols)
				sameCounts(t, name, tableCounts(v.Table), want)
				if v.Table.Sum.Total != total || total == 0 {
					t.Errorf("%s: 合计 %d, want %d (> 0)", name, v.Table.Sum.Total, total)
				}
			}
		}
	}
	// Every outcome occurs in the demo data, so each rule above was tested.
	v, _ := a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimOutcome})
	if len(v.Table.Lines) != len(model.AllOutcomes) {
		t.Errorf("outcomes present: %+v", v.Table.Lines)
	}
}

// 学历 counts the record an application was submitted with: a city office
// correction of the applicant's current record (admin correct-applicant)
// changes neither the count nor the roster.
func TestStatisticsEducationAsSubmitted(t *testing.T) {
	a, f := loggedIn(t)
	ctx := context.Background()
	before, err := a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimEducation})
	if err != nil {
		t.Fatal(err)
	}
	var target model.Application
	for _, ap := range f.World.Applications {
		if ap.Applicant != nil && ap.Applicant.Education == "大学本科" && ap.Stage == model.StageOwnUnit &&
			ap.HolderUnitID == demo.DemoDepartmentID {
			target = ap
			break
		}
	}
	if target.ID == "" {
		t.Fatal("no submitted 大学本科 application in 本单位人员审核")
	}
	if _, err := f.Server.CorrectApplicant(ctx, target.ApplicantID, "学历录入错误，依据毕业证书更正",
		map[string]string{"education": "硕士研究生"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimEducation})
	if err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "学历 after a correction", tableCounts(after.Table), tableCounts(before.Table))
}

// subordinateWithUnits is a direct subordinate of dept that has units of
// its own below it (for the roll-up).
func subordinateWithUnits(t *testing.T, w *demo.World, dept string) string {
	t.Helper()
	children := map[string]int{}
	for _, u := range w.Units {
		children[u.ParentID]++
	}
	for _, u := range w.Units {
		if u.ParentID == dept && children[u.ID] > 0 {
			return u.ID
		}
	}
	t.Fatal("the demo department has no subordinate with units")
	return ""
}

// The order people read: years ascending, series in the national list's
// order, 工作单位 in tree order with the chosen unit first (its line is the
// whole total, no separate 合计), 学历 from 博士 down, and as columns the
// whole list of 审核结果 in AllOutcomes order.
func TestStatisticsOrderAndRollUp(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	v, err := a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimUnit, Cols: app.DimOutcome})
	if err != nil {
		t.Fatal(err)
	}
	tb := v.Table
	if !tb.RolledUp || tb.Lines[0].Key.Depth != 0 || tb.Lines[0].Key.Code != demo.DemoDepartmentID || tb.Lines[0].Total != tb.Sum.Total {
		t.Fatalf("first line %+v, sum %d", tb.Lines[0].Key, tb.Sum.Total)
	}
	for i, l := range tb.Lines[1:] {
		if prev := tb.Lines[i]; l.Key.Depth > prev.Key.Depth+1 || l.Key.Depth == 0 {
			t.Fatalf("line %d (%s) depth %d after %d: not tree order", i+1, l.Key.Label, l.Key.Depth, prev.Key.Depth)
		}
	}
	if len(tb.Cols) != len(model.AllOutcomes) || tb.Cols[0].Label != "通过" || tb.Cols[4].Label != "取得证书" {
		t.Fatalf("outcome columns %+v", tb.Cols)
	}
	// Swapped: 工作单位 asked as the column is the row.
	v, _ = a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimLevel, Cols: app.DimUnit})
	if v.Table.Query.Rows != app.DimUnit || v.Table.Query.Cols != app.DimLevel {
		t.Fatalf("not swapped: %+v", v.Table.Query)
	}
	v, _ = a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimEducation})
	if v.Table.Lines[0].Key.Label != "博士研究生" {
		t.Errorf("学历 order %+v", v.Table.Lines)
	}
	v, _ = a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimYear})
	for i := 1; i < len(v.Table.Lines); i++ {
		if v.Table.Lines[i].Key.Code <= v.Table.Lines[i-1].Key.Code {
			t.Fatalf("years not ascending: %+v", v.Table.Lines)
		}
	}
	if len(v.Charts) != 3 || v.Charts[0].Kind != report.ChartBars || len(v.Charts[2].Series[0].Values) != len(v.Years) {
		t.Fatalf("charts %+v", v.Charts)
	}
	if _, err := a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimYear, Filter: app.StatsFilter{UnitID: "nope"}}); model.AsError(err).Kind != model.KindNotFound {
		t.Fatalf("a unit outside the subtree: %v", err)
	}
}

// STAT-2: a cross table exported to xlsx reads back with excelize as the
// same numbers, stored as numbers, under a frozen header; the 占比 of a
// breakdown is a number formatted as a percentage.
func TestStatisticsExportXLSXReadsBack(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	v, err := a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimSeries, Cols: app.DimLevel})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := a.Exports.Statistics(ctx, &buf, v, app.FormatXLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 3 || sheets[0] != "职称系列×级别" {
		t.Fatalf("sheets %q", sheets)
	}
	sh := sheets[0]
	title, _ := f.GetCellValue(sh, "A1")
	filters, _ := f.GetCellValue(sh, "A2")
	if !strings.Contains(title, "天津市农业科学院") || !strings.Contains(filters, "职称系列 × 级别") {
		t.Errorf("title %q, filters %q", title, filters)
	}
	rows, _ := f.GetRows(sh, excelize.Options{RawCellValue: true})
	header := rows[report.SheetHeaderRows-1]
	if header[0] != "职称系列" || header[1] != model.AllLevels[0].Label() || header[len(header)-1] != "合计" {
		t.Fatalf("header %q", header)
	}
	for i, l := range v.Table.Lines {
		r := report.SheetHeaderRows + 1 + i
		if got, _ := f.GetCellValue(sh, fmt.Sprintf("A%d", r)); got != l.Key.Label {
			t.Fatalf("row %d is %q, want %q", r, got, l.Key.Label)
		}
		for k, n := range append(append([]int(nil), l.Counts...), l.Total) {
			ref, _ := excelize.CoordinatesToCellName(k+2, r)
			got, _ := f.GetCellValue(sh, ref, excelize.Options{RawCellValue: true})
			if typ, _ := f.GetCellType(sh, ref); got != strconv.Itoa(n) || typ != excelize.CellTypeUnset {
				t.Fatalf("%s = %q (type %v), want the number %d", ref, got, typ, n)
			}
		}
	}
	sumRow := report.SheetHeaderRows + 1 + len(v.Table.Lines)
	if got, _ := f.GetCellValue(sh, fmt.Sprintf("A%d", sumRow)); got != "合计" {
		t.Errorf("合计 row: %q", got)
	}
	if p, _ := f.GetPanes(sh); !p.Freeze || p.YSplit != report.SheetHeaderRows {
		t.Errorf("panes %+v", p)
	}

	// A breakdown: 申报人次 and 占比.
	v, _ = a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimMethod})
	buf.Reset()
	if err := a.Exports.Statistics(ctx, &buf, v, app.FormatXLSX); err != nil {
		t.Fatal(err)
	}
	f2, _ := excelize.OpenReader(&buf)
	defer f2.Close()
	sh = f2.GetSheetList()[0]
	share, _ := f2.GetCellValue(sh, "C4")
	raw, _ := f2.GetCellValue(sh, "C4", excelize.Options{RawCellValue: true})
	got, err := strconv.ParseFloat(raw, 64)
	if want := v.Table.Share(v.Table.Lines[0]); !strings.HasSuffix(share, "%") || err != nil || math.Abs(got-want) > 1e-12 {
		t.Errorf("占比 shows %q raw %q, want %v", share, raw, want)
	}
}

// STAT-2: the statistics PDF (export and 【打印】) holds the charts and the table.
func TestStatisticsPDF(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	v, err := a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimUnit})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := a.Exports.Statistics(ctx, &buf, v, app.FormatPDF); err != nil {
		t.Fatal(err)
	}
	if buf.Len() < 5000 || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("PDF of %d bytes", buf.Len())
	}
}

// The chart tables go into the xlsx after the chosen table, but never a
// second copy of it: the default view (年度 × 审核结果) is one of them.
func TestStatisticsExportHasNoRepeatedSheet(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	for _, c := range []struct {
		q      app.StatsQuery
		sheets int
	}{
		{app.StatsQuery{Rows: app.DimYear, Cols: app.DimOutcome}, 2},
		{app.StatsQuery{Rows: app.DimSeries, Cols: app.DimOutcome}, 2},
		{app.StatsQuery{Rows: app.DimSeries, Cols: app.DimLevel}, 3},
		{app.StatsQuery{Rows: app.DimYear}, 3},
	} {
		v, err := a.Statistics.Load(ctx, c.q)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := a.Exports.Statistics(ctx, &buf, v, app.FormatXLSX); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.GetSheetList(); len(got) != c.sheets || strings.Contains(strings.Join(got, ","), "(2)") {
			t.Errorf("%s × %s: sheets %q, want %d distinct", c.q.Rows, c.q.Cols, got, c.sheets)
		}
		f.Close()
	}
}
