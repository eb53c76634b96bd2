package report

import (
	"os"
	"strings"
	"testing"
)

// statCharts are the three charts of 查询统计 as the app builds them.
func statCharts() []Chart {
	outcomes := []string{"通过", "不通过", "退回", "在审", "取得证书"}
	bars := Chart{Kind: ChartBars, Title: "各系列申报人次", Categories: []string{"农业技术人员", "工程技术人员", "哲学社会科学研究人员"}}
	shares := Chart{Kind: ChartShares, Title: "历年审核结果构成", Categories: []string{"2023年", "2024年", "2025年", "2026年"}}
	for i, o := range outcomes {
		bars.Series = append(bars.Series, ChartSeries{Name: o, Values: []float64{float64(40 - 7*i), float64(12 + i), float64(i)}})
		shares.Series = append(shares.Series, ChartSeries{Name: o, Values: []float64{float64(i), float64(10 - i), 3, float64(i * i)}})
	}
	trend := Chart{Kind: ChartLine, Title: "历年申报人次趋势", Categories: shares.Categories,
		Series: []ChartSeries{{Name: "申报人次", Values: []float64{31, 45, 12, 260}}}}
	return []Chart{bars, shares, trend}
}

// STAT-1: the statistics report prints its charts above the table: every
// title, category, legend entry and bar total is in the text, and the page
// is inked (pdftoppm).
func TestTableReportCharts(t *testing.T) {
	requirePoppler(t)
	r := seriesStats()
	r.Charts = statCharts()
	path := savePDF(t, tablePDF(t, r))
	all := squash(text(t, path, 0))
	for _, w := range []string{"各系列申报人次", "历年审核结果构成", "历年申报人次趋势", "哲学社会科学研究人员", "取得证书",
		"2026年", "260", "职称申报情况统计表（按系列）", "2,452"} {
		if !strings.Contains(all, squash(w)) {
			t.Errorf("text lacks %q", w)
		}
	}
	if ink := inkRatio(t, path); ink < 0.05 {
		t.Errorf("page 1 looks blank: %.4f inked", ink)
	}
	if dir := os.Getenv("TITLEDESK_KEEP_PDF"); dir != "" {
		data, _ := os.ReadFile(path)
		os.WriteFile(dir+"/charts.pdf", data, 0o644)
	}
}

func TestChartTotals(t *testing.T) {
	ch := statCharts()[0]
	if got := ch.Total(0); got != 40+33+26+19+12 {
		t.Errorf("total %v", got)
	}
	if ch.Peak() != ch.Total(0) || statCharts()[2].Peak() != 260 {
		t.Errorf("peaks %v %v", ch.Peak(), statCharts()[2].Peak())
	}
	if FormatShare(0.256) != "26%" || FormatCount(3) != "3" {
		t.Error("formats")
	}
}
