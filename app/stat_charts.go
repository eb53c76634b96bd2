package app

import (
	"slices"

	"titledesk/report"
)

// statCharts are the charts of 查询统计 (STAT-1): 各系列申报人次 (bars,
// largest first, stacked by 审核结果), 历年审核结果构成 (each year's
// outcomes as shares) and 历年申报人次趋势 (the yearly totals as a line).
// bySeries is 职称系列 × 审核结果 and byYear 年度 × 审核结果.
func statCharts(bySeries, byYear StatTable) []report.Chart {
	bars := crossChart(report.ChartBars, "各系列申报人次", bySeries)
	order := make([]int, len(bars.Categories))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return bySeries.Lines[b].Total - bySeries.Lines[a].Total })
	bars = reorder(bars, order)

	shares := crossChart(report.ChartShares, "历年审核结果构成", byYear)
	trend := report.Chart{Kind: report.ChartLine, Title: "历年申报人次趋势", Categories: shares.Categories,
		Series: []report.ChartSeries{{Name: "申报人次"}}}
	for _, l := range byYear.Lines {
		trend.Series[0].Values = append(trend.Series[0].Values, float64(l.Total))
	}
	return []report.Chart{bars, shares, trend}
}

// crossChart draws a cross table: a category per row, a series per column.
func crossChart(kind report.ChartKind, title string, t StatTable) report.Chart {
	ch := report.Chart{Kind: kind, Title: title}
	for _, l := range t.Lines {
		ch.Categories = append(ch.Categories, l.Key.Label)
	}
	for i, c := range t.Cols {
		s := report.ChartSeries{Name: c.Label, Values: make([]float64, len(t.Lines))}
		for k, l := range t.Lines {
			s.Values[k] = float64(l.Counts[i])
		}
		ch.Series = append(ch.Series, s)
	}
	return ch
}

// reorder puts the categories (and every series' values) in order.
func reorder(ch report.Chart, order []int) report.Chart {
	out := report.Chart{Kind: ch.Kind, Title: ch.Title}
	for _, i := range order {
		out.Categories = append(out.Categories, ch.Categories[i])
	}
	for _, s := range ch.Series {
		ns := report.ChartSeries{Name: s.Name}
		for _, i := range order {
			ns.Values = append(ns.Values, s.Values[i])
		}
		out.Series = append(out.Series, ns)
	}
	return out
}
