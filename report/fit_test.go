package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"
)

// rosterLike is a 申报人花名册-shaped table: its 22 columns with their old
// relative widths, and n people with the values a roster holds.
func rosterLike(n int) TableReport {
	t := TableReport{Title: "天津市农业科学院 申报人花名册（下级单位人员审核）", Landscape: true, BodySize: 6, CountUnit: "人"}
	for _, c := range []struct {
		h string
		w float64
	}{{"序号", 0.65}, {"姓名", 1.1}, {"性别", 0.5}, {"出生日期", 1.7}, {"身份证号", 2.7}, {"学历", 1}, {"学位", 0.5},
		{"毕业院校", 1.3}, {"所学专业", 1.2}, {"毕业时间", 1.7}, {"参加工作时间", 1.7}, {"工作单位", 2}, {"现任职务（岗位）", 1.2},
		{"现任职称", 1.1}, {"现职称取得时间", 1.7}, {"申报系列", 1.4}, {"申报专业", 1.2}, {"申报级别", 0.9}, {"申报职称", 1.2},
		{"评价方式", 1}, {"公示期", 1.6}, {"备注", 0.8}} {
		t.Columns = append(t.Columns, Column{Header: c.h, Width: c.w})
	}
	edu := [][2]string{{"大学本科", "学士"}, {"硕士研究生", "硕士"}, {"博士研究生", "博士"}, {"大专", "无"}}
	for i := range n {
		e := edu[i%len(edu)]
		t.Rows = append(t.Rows, []string{fmt.Sprint(i + 1), "欧阳明华", "男", "1984-03-12", "120101********123X", e[0], e[1],
			"天津农学院", "农业资源与环境", "2007-07-01", "2007-08-01", "天津市农业科学院作物研究所", "研究室副主任",
			"农艺师", "2015-12-30", "农业技术人员", "作物栽培与耕作", "副高级", "高级农艺师", "评审",
			"2026-03-02至2026-03-08", ""})
	}
	return t
}

// The 申报人花名册 PDF sizes its columns by content: 学历, 学位, the dates
// and the ID number each take one line (学历 and 学位 took three), no cell
// more than two, and 170 people take 10 pages instead of 14.
func TestRosterColumnsFitContent(t *testing.T) {
	requirePoppler(t)
	face, err := loadFace()
	if err != nil {
		t.Fatal(err)
	}
	tab := rosterLike(170)
	tab.FitColumns = true
	c := newTableCanvas(nil, face, "L")
	c.runes = map[rune]struct{}{}
	c.inset = fitInset(tab.BodySize)
	widths := fitColumnWidths(face, &tab, tab.BodySize, c.contentWidth())
	sum := 0.0
	for _, w := range widths {
		sum += w
	}
	if sum > c.contentWidth()+0.01 {
		t.Fatalf("columns take %.1f mm of %.1f", sum, c.contentWidth())
	}
	short := map[string]bool{"序号": true, "姓名": true, "性别": true, "出生日期": true, "身份证号": true, "学历": true,
		"学位": true, "毕业时间": true, "参加工作时间": true, "现职称取得时间": true, "申报级别": true}
	for i, col := range tab.Columns {
		for _, r := range tab.Rows[:4] {
			n := len(c.lines(r[i], widths[i], tab.BodySize))
			if n > 2 || short[col.Header] && n != 1 {
				t.Errorf("%s %q takes %d lines in %.1f mm", col.Header, r[i], n, widths[i])
			}
		}
		if n := len(c.lines(col.Header, widths[i], tab.BodySize)); n > 2 {
			t.Errorf("header %s takes %d lines", col.Header, n)
		}
	}
	pages := func(fit bool) int {
		tab.FitColumns = fit
		var buf bytes.Buffer
		if err := WriteTableContext(context.Background(), &buf, tab, nil); err != nil {
			t.Fatal(err)
		}
		path := savePDF(t, buf.Bytes())
		if fit && os.Getenv("ROSTER_PDF") != "" {
			os.WriteFile(os.Getenv("ROSTER_PDF"), buf.Bytes(), 0o644)
		}
		return pageCount(t, path)
	}
	before, after := pages(false), pages(true)
	t.Logf("170 people: %d pages with relative widths, %d fitted", before, after)
	if after*4 > before*3 {
		t.Errorf("170 people take %d pages fitted (%d before)", after, before)
	}
}
