package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// reviewList is a printed 已审核列表 with many columns and rows.
func reviewList(rows int) TableReport {
	t := TableReport{
		Title:   "已审核列表",
		Filters: []string{"系列：工程技术人员", "级别：副高级", "审核时间：2026-09-01 至 2026-11-26"},
		Columns: []Column{
			{Header: "序号", Width: 0.6, Align: AlignCenter},
			{Header: "姓名", Width: 1},
			{Header: "身份证号", Width: 1.8},
			{Header: "工作单位", Width: 2.4},
			{Header: "职称系列", Width: 1.3},
			{Header: "申报职称", Width: 1.2},
			{Header: "评价方式", Width: 1.1, Align: AlignCenter},
			{Header: "审核结果", Width: 0.9, Align: AlignCenter},
			{Header: "审核时间", Width: 1.4, Align: AlignCenter},
		},
		GeneratedAt: fixedNow,
	}
	for i := range rows {
		t.Rows = append(t.Rows, []string{
			strconv.Itoa(i + 1), fmt.Sprintf("申报人%03d", i+1), "1201**********123X",
			"天津市建筑设计研究院有限公司第" + strconv.Itoa(i%7+1) + "设计所",
			"工程技术人员", "高级工程师", "社会化评审", []string{"通过", "不通过"}[i%2],
			"2026-11-" + fmt.Sprintf("%02d", i%26+1) + " 10:30",
		})
	}
	return t
}

// seriesStats is a statistics table with a 合计 row, few columns.
func seriesStats() TableReport {
	return TableReport{
		Title:   "职称申报情况统计表（按系列）",
		Filters: []string{"年度：2026"},
		Columns: []Column{
			{Header: "职称系列", Width: 3}, {Header: "申报人数", Width: 1, Align: AlignRight},
			{Header: "通过", Width: 1, Align: AlignRight}, {Header: "不通过", Width: 1, Align: AlignRight},
		},
		Rows: [][]string{
			{"工程技术人员", "1,204", "1,100", "104"},
			{"卫生技术人员", "836", "790", "46"},
			{"经济专业人员", "412", "398", "14"},
		},
		Totals:      []string{"合计", "2,452", "2,288", "164"},
		NoCount:     true,
		GeneratedAt: fixedNow,
	}
}

func tablePDF(t *testing.T, r TableReport) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTable(&buf, r); err != nil {
		t.Fatalf("WriteTable: %v", err)
	}
	return buf.Bytes()
}

func TestTableReportPaginates(t *testing.T) {
	requirePoppler(t)
	r := reviewList(120)
	path := savePDF(t, tablePDF(t, r))
	if size := pageSize(t, path); !strings.HasPrefix(size, "841.89 x 595.28") {
		t.Errorf("9 columns should print landscape, page size %s", size)
	}
	n := pageCount(t, path)
	if n < 2 {
		t.Fatalf("pages = %d, want several", n)
	}
	all := squash(text(t, path, 0))
	for _, w := range append(r.Filters, r.Title, "共 120 条", fixedNowText, "申报人001", "申报人120") {
		if !strings.Contains(all, squash(w)) {
			t.Errorf("text lacks %q", w)
		}
	}
	for p := 1; p <= n; p++ {
		page := text(t, path, p)
		if !strings.Contains(page, pageOf(p, n)) {
			t.Errorf("page %d lacks %q", p, pageOf(p, n))
		}
		if !strings.Contains(squash(page), "工作单位") || !strings.Contains(squash(page), "审核结果") {
			t.Errorf("page %d does not repeat the column header", p)
		}
	}
	fontsEmbedded(t, path)
	if ink := inkRatio(t, path); ink < 0.02 {
		t.Errorf("page 1 looks blank: %.4f inked", ink)
	}
}

func TestTableReportPortraitTotals(t *testing.T) {
	requirePoppler(t)
	r := seriesStats()
	path := savePDF(t, tablePDF(t, r))
	if size := pageSize(t, path); !strings.HasPrefix(size, "595.28 x 841.89") {
		t.Errorf("4 columns should print portrait, page size %s", size)
	}
	all := squash(text(t, path, 0))
	for _, w := range []string{"职称申报情况统计表（按系列）", "年度：2026", "合计", "2,452", "第 1 页 共 1 页"} {
		if !strings.Contains(all, squash(w)) {
			t.Errorf("text lacks %q", w)
		}
	}
	if strings.Contains(all, "共3条") {
		t.Error("NoCount table prints a row count")
	}
}

func TestTableReportEmpty(t *testing.T) {
	requirePoppler(t)
	r := seriesStats()
	r.Rows, r.Totals = nil, nil
	if all := text(t, savePDF(t, tablePDF(t, r)), 0); !strings.Contains(all, "无数据") {
		t.Errorf("empty table does not say so:\n%s", all)
	}
	if err := WriteTable(&bytes.Buffer{}, TableReport{Title: "x"}); err == nil {
		t.Error("no error for a table without columns")
	}
}

// A list of people counts 人, not 条.
func TestTableReportCountUnit(t *testing.T) {
	requirePoppler(t)
	r := seriesStats()
	r.NoCount, r.CountUnit, r.Totals = false, "人", nil
	all := squash(text(t, savePDF(t, tablePDF(t, r)), 0))
	if want := squash("共 " + strconv.Itoa(len(r.Rows)) + " 人"); !strings.Contains(all, want) || strings.Contains(all, "条") {
		t.Errorf("count of people: %q not in\n%s", want, all)
	}
}
