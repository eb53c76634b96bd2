package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestStatisticsFiltersFit: on both laptop screens every 查询统计 filter
// (年度 from/to, 单位, 统计 × 列 — 审核结果 last) lies whole inside the
// window at its full width, wrapping onto a second row instead of a
// sideways scroll that cut 审核结果 in half; on a wide window they share
// one row.
func TestStatisticsFiltersFit(t *testing.T) {
	screens := append(laptopScreens[:len(laptopScreens):len(laptopScreens)],
		struct {
			name  string
			scale float32
			size  fyne.Size
		}{"1920x1080", 1, fyne.NewSize(1920, 1080)})
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			d, _ := loggedInDesk(t)
			onScreen(t, d, sc.scale, sc.size)
			d.main.goTo(navStats)
			d.win.Content().Refresh()
			selects := selectsUnder(d.main.content)
			if len(selects) != 5 {
				t.Fatalf("%d selects on 查询统计, want 5", len(selects))
			}
			if hasHScroll(d.main.content) {
				t.Error("the filters still scroll sideways")
			}
			drv := fyne.CurrentApp().Driver()
			right := drv.AbsolutePositionForObject(d.main.content).X + d.main.content.Size().Width
			rows := map[float32]bool{}
			for _, s := range selects {
				pos := drv.AbsolutePositionForObject(s)
				rows[pos.Y] = true
				if pos.X+s.Size().Width > right+0.5 || s.Size().Width+0.5 < s.MinSize().Width {
					t.Errorf("%q: %.0f..%.0f wide %.0f (min %.0f), content ends at %.0f", s.Selected,
						pos.X, pos.X+s.Size().Width, s.Size().Width, s.MinSize().Width, right)
				}
			}
			if sc.size.Width >= 1200 && len(rows) != 1 {
				t.Errorf("filters in %d rows at %.0f wide", len(rows), sc.size.Width)
			}
			fits(t, navStats, d.win.Content().MinSize(), sc.size)
		})
	}
}

func selectsUnder(o fyne.CanvasObject) []*widget.Select {
	var out []*widget.Select
	switch w := o.(type) {
	case *widget.Select:
		return []*widget.Select{w}
	case *fyne.Container:
		for _, c := range w.Objects {
			out = append(out, selectsUnder(c)...)
		}
	case *container.AppTabs:
		return nil // the table and charts
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			out = append(out, selectsUnder(c)...)
		}
	}
	return out
}

func hasHScroll(o fyne.CanvasObject) bool {
	switch w := o.(type) {
	case *container.Scroll:
		if w.Direction == container.ScrollHorizontalOnly || w.Direction == container.ScrollBoth {
			if len(selectsUnder(w.Content)) > 0 {
				return true
			}
		}
		return hasHScroll(w.Content)
	case *fyne.Container:
		for _, c := range w.Objects {
			if hasHScroll(c) {
				return true
			}
		}
	case *container.AppTabs:
		return false
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			if hasHScroll(c) {
				return true
			}
		}
	}
	return false
}
