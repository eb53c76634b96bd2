package ui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"titledesk/app"
	"titledesk/model"
	"titledesk/report"
	"titledesk/server/demo"
)

// worldCount counts the fixtures' submitted applications under root in
// plain Go, those keep accepts.
func worldCount(w *demo.World, root string, keep func(model.Application) bool) int {
	parent := map[string]string{}
	for _, u := range w.Units {
		parent[u.ID] = u.ParentID
	}
	n := 0
	for _, a := range w.Applications {
		for id := a.UnitID; id != ""; id = parent[id] {
			if id == root {
				if a.Stage != model.StageDraft && keep(a) {
					n++
				}
				break
			}
		}
	}
	return n
}

func all(model.Application) bool { return true }

// saveInto makes exports write into dir instead of asking (the file-save
// dialog), and returns the path of the last file written.
func saveInto(t *testing.T, d *Desk) *string {
	t.Helper()
	dir, last := t.TempDir(), new(string)
	d.saveFile = func(name string, then func(fyne.URIWriteCloser)) {
		*last = filepath.Join(dir, name)
		w, err := storage.Writer(storage.NewFileURI(*last))
		if err != nil {
			t.Fatal(err)
		}
		then(w)
	}
	return last
}

// STAT-1: the screen's filters (year range, unit subtree) narrow the
// counts exactly as a plain count of the fixtures does; the charts follow.
func TestStatisticsScreenFilters(t *testing.T) {
	d, f := loggedInDesk(t)
	s := d.newStatisticsScreen()
	dept := demo.DemoDepartmentID
	if want := worldCount(f.World, dept, all); s.view.Table.Sum.Total != want || want == 0 ||
		!strings.Contains(s.summary.Text, "共 "+strconv.Itoa(want)+" 人次") {
		t.Fatalf("合计 %d, want %d (%q)", s.view.Table.Sum.Total, want, s.summary.Text)
	}
	if len(s.charts) != 3 || len(s.charts[0].chart.Categories) == 0 || s.charts[2].chart.Kind != report.ChartLine {
		t.Fatalf("charts not drawn: %+v", s.charts[0].chart)
	}
	years := s.view.Years
	first, last := years[0], years[len(years)-1]
	s.yearFrom.SetSelected(strconv.Itoa(first+1) + "年")
	s.yearTo.SetSelected(strconv.Itoa(last-1) + "年")
	want := worldCount(f.World, dept, func(a model.Application) bool { return a.Year > first && a.Year < last })
	if s.view.Table.Sum.Total != want || want == 0 || len(s.view.Table.Lines) != len(years)-2 {
		t.Fatalf("%d–%d: 合计 %d, want %d; %d lines", first+1, last-1, s.view.Table.Sum.Total, want, len(s.view.Table.Lines))
	}
	s.yearFrom.SetSelected(anyChoice)
	s.yearTo.SetSelected(anyChoice)
	// The unit choices: this unit, then its subtree; pick a subordinate
	// that has units of its own (its total rolls them up).
	var pick int
	for i, n := range s.units {
		if i > 0 && n.Children > 0 {
			pick = i
			break
		}
	}
	if pick == 0 || len(s.unit.Options) != len(s.units) {
		t.Fatalf("unit choices %d for %d units", len(s.unit.Options), len(s.units))
	}
	s.unit.SetSelectedIndex(pick)
	sub := s.units[pick].Unit
	if want := worldCount(f.World, sub.ID, all); s.view.Table.Sum.Total != want || want == 0 ||
		!strings.Contains(s.summary.Text, sub.Name) {
		t.Fatalf("%s: 合计 %d, want %d (%q)", sub.Name, s.view.Table.Sum.Total, want, s.summary.Text)
	}
	s.rows.SetSelected(app.DimUnit.Label())
	if l := s.view.Table.Lines[0]; l.Key.Code != sub.ID || l.Total != s.view.Table.Sum.Total || s.rowCount() != len(s.view.Table.Lines) {
		t.Fatalf("by unit: first line %+v of %d", l.Key, s.view.Table.Sum.Total)
	}
}

// STAT-1: 职称系列 × 级别 as a cross table: the level columns and 合计,
// each cell the plain count of the fixtures, and a 合计 row.
func TestStatisticsScreenCrossTable(t *testing.T) {
	d, f := loggedInDesk(t)
	s := d.newStatisticsScreen()
	s.rows.SetSelected(app.DimSeries.Label())
	s.cols.SetSelected(app.DimLevel.Label())
	tb := s.view.Table
	if s.header(0) != "职称系列" || s.header(1) != model.AllLevels[0].Label() || s.header(len(model.AllLevels)+1) != "合计" {
		t.Fatalf("headers %q %q %q", s.header(0), s.header(1), s.header(len(model.AllLevels)+1))
	}
	for row, l := range tb.Lines {
		for col, lv := range model.AllLevels {
			want := worldCount(f.World, demo.DemoDepartmentID, func(a model.Application) bool {
				return string(a.Series) == l.Key.Code && a.Level == lv
			})
			if got, _ := s.cell(row, col+1); got != strconv.Itoa(want) {
				t.Errorf("%s × %s = %s, want %d", l.Key.Label, lv.Label(), got, want)
			}
		}
	}
	sumRow := len(tb.Lines)
	if label, bold := s.cell(sumRow, 0); label != "合计" || !bold || s.rowCount() != sumRow+1 {
		t.Fatalf("合计 row %q", label)
	}
	if got, _ := s.cell(sumRow, len(model.AllLevels)+1); got != strconv.Itoa(worldCount(f.World, demo.DemoDepartmentID, all)) {
		t.Errorf("grand total %s", got)
	}
	s.cols.SetSelected(noColumn)
	if s.header(1) != "申报人次" || s.header(2) != "占比" {
		t.Errorf("breakdown headers %q %q", s.header(1), s.header(2))
	}
}

// STAT-2: 【导出Excel】 writes the table (and the charts' tables) where the
// person chose, readable with excelize with the same numbers; 【导出PDF】
// writes a PDF; 【打印】 opens one.
func TestStatisticsScreenExports(t *testing.T) {
	d, _ := loggedInDesk(t)
	s := d.newStatisticsScreen()
	path := saveInto(t, d)
	test.Tap(s.xlsx)
	if !strings.HasSuffix(*path, ".xlsx") || !strings.Contains(d.lastDialogText, *path) {
		t.Fatalf("exported %q, dialog %q", *path, d.lastDialogText)
	}
	f, err := excelize.OpenFile(*path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh := f.GetSheetList()[0]
	for i, l := range s.view.Table.Lines {
		ref, _ := excelize.CoordinatesToCellName(len(s.view.Table.Cols)+2, report.SheetHeaderRows+1+i)
		if got, _ := f.GetCellValue(sh, ref); got != strconv.Itoa(l.Total) {
			t.Fatalf("%s: %s = %q, want %d", l.Key.Label, ref, got, l.Total)
		}
	}
	test.Tap(s.pdf)
	data, _ := os.ReadFile(*path)
	if !strings.HasSuffix(*path, ".pdf") || !strings.HasPrefix(string(data), "%PDF-") {
		t.Fatalf("PDF export %q: %d bytes", *path, len(data))
	}
	v := &recordingViewer{}
	d.app.Viewer = v
	test.Tap(s.print)
	if len(v.opened) != 1 || !strings.HasSuffix(v.opened[0], ".pdf") || !strings.Contains(d.lastDialogText, v.opened[0]) {
		t.Fatalf("print: %v, dialog %q", v.opened, d.lastDialogText)
	}
}
