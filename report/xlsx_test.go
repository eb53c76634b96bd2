package report

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// STAT-2: what WriteXLSX writes reads back with excelize as the same
// numbers (numeric cells), dates (date cells shown yyyy-mm-dd), text (ID
// numbers stay text; the stream writer stores text inline), the title and
// filter rows and the frozen header.
func TestWriteXLSXReadsBack(t *testing.T) {
	day := time.Date(2026, 3, 9, 23, 30, 0, 0, time.Local)
	s := Sheet{Name: "本单位人员审核: 2026/名单", Title: "天津市农业科学院 本单位人员审核",
		Filters: []string{"年度：2026年", "排序：提交时间 ↑"},
		Columns: []SheetColumn{{"姓名", CellText}, {"身份证号", CellText}, {"年度", CellNumber}, {"提交时间", CellDate}, {"占比", CellPercent}},
		Rows: [][]any{
			{"张三", "120101199001011234", 2026, day, 0.25},
			{"欧阳·娜娜", "1201**********123X", 2025, time.Time{}, 0.75},
		},
		Totals: []any{"合计", nil, 2, nil, 1.0},
	}
	var buf bytes.Buffer
	var calls []int
	if err := WriteXLSX(context.Background(), &buf, []Sheet{s, {Name: s.Name, Columns: s.Columns}}, func(done, total int) {
		calls = append(calls, done, total)
	}); err != nil {
		t.Fatal(err)
	}
	if len(calls) == 0 || calls[len(calls)-2] != 2 || calls[len(calls)-1] != 2 {
		t.Errorf("progress calls %v, want to end at 2 of 2", calls)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[0] != "本单位人员审核_ 2026_名单" || sheets[1] != "本单位人员审核_ 2026_名单(2)" {
		t.Fatalf("sheets %q", sheets)
	}
	name := sheets[0]
	cell := func(ref string) string {
		v, err := f.GetCellValue(name, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	typ := func(ref string) excelize.CellType {
		v, err := f.GetCellType(name, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		ref, want string
		typ       excelize.CellType
	}{
		{"A1", s.Title, excelize.CellTypeInlineString},
		{"A2", "年度：2026年　排序：提交时间 ↑", excelize.CellTypeInlineString},
		{"C3", "年度", excelize.CellTypeInlineString},
		{"B4", "120101199001011234", excelize.CellTypeInlineString},
		{"C4", "2026", excelize.CellTypeUnset},  // a number: no t attribute
		{"D4", "46090", excelize.CellTypeUnset}, // 2026-03-09 as an Excel serial day
		{"E4", "0.25", excelize.CellTypeUnset},
		{"A5", "欧阳·娜娜", excelize.CellTypeInlineString},
		{"D5", "", excelize.CellTypeUnset},
		{"A6", "合计", excelize.CellTypeInlineString},
		{"C6", "2", excelize.CellTypeUnset},
	} {
		if got, gotT := cell(c.ref), typ(c.ref); got != c.want || gotT != c.typ {
			t.Errorf("%s = %q (type %v), want %q (type %v)", c.ref, got, gotT, c.want, c.typ)
		}
	}
	if shown, _ := f.GetCellValue(name, "D4"); shown != "2026-03-09" {
		t.Errorf("D4 shows %q, want 2026-03-09", shown)
	}
	if shown, _ := f.GetCellValue(name, "E4"); shown != "25.0%" {
		t.Errorf("E4 shows %q, want 25.0%%", shown)
	}
	panes, err := f.GetPanes(name)
	if err != nil || !panes.Freeze || panes.YSplit != SheetHeaderRows || panes.TopLeftCell != "A4" {
		t.Errorf("panes %+v, %v: want rows 1–3 frozen", panes, err)
	}
	merged, _ := f.GetMergeCells(name)
	if len(merged) != 2 || merged[0].GetStartAxis() != "A1" || merged[0].GetEndAxis() != "E1" {
		t.Errorf("merged %v, want the title and filter rows across A:E", merged)
	}
	for col, min := range map[string]float64{"A": 11, "B": 20, "D": 10} {
		if w, _ := f.GetColWidth(name, col); w < min || w > 60 {
			t.Errorf("column %s width %.1f, want ≥ %.0f", col, w, min)
		}
	}
}

func TestWriteXLSXCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	rows := make([][]any, 10)
	for i := range rows {
		rows[i] = []any{"x"}
	}
	err := WriteXLSX(ctx, &buf, []Sheet{{Name: "a", Columns: []SheetColumn{{"a", CellText}}, Rows: rows}}, nil)
	if !errors.Is(err, context.Canceled) || buf.Len() != 0 {
		t.Fatalf("cancelled: %v, %d bytes written", err, buf.Len())
	}
}

func TestDisplayWidthAndSheetNames(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "天津": 4, "ＡＢ": 4, "1201**********123X": 18, "·": 1} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
	used := map[string]bool{}
	long := strings.Repeat("统", 40)
	a, b := uniqueSheetName(long, used), uniqueSheetName(long, used)
	if len([]rune(a)) != 31 || len([]rune(b)) != 31 || a == b || !strings.HasSuffix(b, "(2)") {
		t.Errorf("names %q %q", a, b)
	}
	if got := uniqueSheetName("  ", used); got != "Sheet" {
		t.Errorf("blank name → %q", got)
	}
}
