package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// laptopScreens are the office laptops the layout must fit, in Fyne's
// units: 1024×600 at 100 %, and 1366×768 at 125 % (FYNE_SCALE=1.25).
var laptopScreens = []struct {
	name  string
	scale float32
	size  fyne.Size
}{
	{"1024x600", 1, fyne.NewSize(1024, 600)},
	{"1366x768 at 125 pct", 1.25, fyne.NewSize(1366/1.25, 768/1.25)},
}

func onScreen(t *testing.T, d *Desk, scale float32, size fyne.Size) {
	t.Helper()
	d.win.Canvas().(test.WindowlessCanvas).SetScale(scale)
	d.win.Resize(size)
}

// TestEveryScreenFitsALaptop: at both sizes every screen, the review view
// and the decision dialogs fit the window (a larger minimum would push
// the window past the screen), the sidebar shows its labels whole without
// scrolling sideways, and the review view shows the identity fields whole.
func TestEveryScreenFitsALaptop(t *testing.T) {
	for _, sc := range laptopScreens {
		t.Run(sc.name, func(t *testing.T) {
			d, _ := loggedInDesk(t)
			onScreen(t, d, sc.scale, sc.size)
			for _, nav := range []string{navHome, navOwnUnit, navSubordinate, navForward, navSelfAppoint, navExam,
				navReviewed, navRegistrations, navSubUnits, navExperts, navMessages, navStats, navSettings} {
				d.main.goTo(nav)
				fits(t, nav, d.win.Content().MinSize(), sc.size)
			}
			checkSidebar(t, d)

			l := openList(t, d, navOwnUnit)
			v := review(t, l, 0)
			fits(t, "review view", d.win.Content().MinSize(), sc.size)
			checkIdentityFields(t, v)
			test.Tap(v.buttons["pass"])
			fits(t, "单位推荐和公示", v.form.dlg.MinSize(), sc.size)
			v.form.dlg.Hide()
			test.Tap(v.buttons["reject"])
			fits(t, "不通过", v.rejectDialog.dlg.MinSize(), sc.size)
		})
	}
}

func fits(t *testing.T, what string, min, size fyne.Size) {
	t.Helper()
	if min.Width > size.Width || min.Height > size.Height {
		t.Errorf("%s needs %.0f×%.0f, more than the window's %.0f×%.0f", what, min.Width, min.Height, size.Width, size.Height)
	}
}

// checkSidebar: every navigation label gets the width its text needs.
func checkSidebar(t *testing.T, d *Desk) {
	t.Helper()
	if got := d.main.nav.Size().Width; got < navWidth() {
		t.Errorf("sidebar %.0f wide, its labels need %.0f", got, navWidth())
	}
	labels := labelsUnder(d.main.nav)
	if len(labels) < 10 {
		t.Fatalf("only %d navigation labels drawn", len(labels))
	}
	for _, l := range labels {
		if need := textWidth(l.Text) + 2*theme.InnerPadding(); l.Text != "" && l.Size().Width+0.5 < need {
			t.Errorf("navigation label %q is %.0f wide, needs %.0f", l.Text, l.Size().Width, need)
		}
	}
}

// checkIdentityFields: name, the full ID number, 工作单位, 当前环节 show
// whole — not truncated, and inside the left panel.
func checkIdentityFields(t *testing.T, v *reviewView) {
	t.Helper()
	d := v.detail
	want := []string{d.Applicant.Name, d.Applicant.IDNumber, d.Unit.Name}
	labels := labelsUnder(v.left)
	panel := v.scroll.Size().Width
	for _, w := range want {
		found := false
		for _, l := range labels {
			if l.Text != w {
				continue
			}
			found = true
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(l).Subtract(fyne.CurrentApp().Driver().AbsolutePositionForObject(v.scroll))
			if l.Truncation != fyne.TextTruncateOff || pos.X+l.Size().Width > panel+0.5 {
				t.Errorf("%q is cut: truncation %v, right edge %.0f of %.0f", w, l.Truncation, pos.X+l.Size().Width, panel)
			}
			if l.Wrapping == fyne.TextWrapOff && l.Size().Width+0.5 < textWidth(w)+2*theme.InnerPadding() {
				t.Errorf("%q has %.0f, needs %.0f", w, l.Size().Width, textWidth(w))
			}
		}
		if !found {
			t.Errorf("%q is not shown", w)
		}
	}
	for _, l := range labels {
		if strings.HasPrefix(l.Text, d.Application.Stage.Label()) && l.Truncation != fyne.TextTruncateOff {
			t.Errorf("当前环节 %q may be cut", l.Text)
		}
	}
	id := d.Applicant.IDNumber
	for _, l := range labels {
		if l.Text == id && l.Size().Width+0.5 < textWidth(id)+2*theme.InnerPadding() {
			t.Errorf("the ID number would wrap: %.0f wide, needs %.0f", l.Size().Width, textWidth(id))
		}
	}
}

func labelsUnder(o fyne.CanvasObject) []*widget.Label {
	var out []*widget.Label
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// TestUnitColumnShowsTheEnd: a long 工作单位 keeps its distinguishing end.
func TestUnitColumnShowsTheEnd(t *testing.T) {
	test.NewTempApp(t)
	for _, name := range []string{"天津市农业科学院农业信息研究所第一研究室检测中心", "天津市种业振兴服务中心", "A·B"} {
		got := tailFit(name, columnWidths["unit"])
		if textWidth(got)+2*theme.InnerPadding() > columnWidths["unit"] {
			t.Errorf("%q does not fit", got)
		}
		if got != name && (!strings.HasPrefix(got, "…") || !strings.HasSuffix(name, strings.TrimPrefix(got, "…"))) {
			t.Errorf("%q → %q: not the end of the name", name, got)
		}
		if got == name && textWidth(name)+2*theme.InnerPadding() > columnWidths["unit"] {
			t.Errorf("%q not shortened", name)
		}
	}
}

// TestSplitDividerIsVisible: the list/detail divider is drawn in a colour
// that stands out from the background on both themes.
func TestSplitDividerIsVisible(t *testing.T) {
	test.NewTempApp(t)
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		bg := deskTheme{forced: &v}.Color(theme.ColorNameBackground, v)
		fyne.CurrentApp().Settings().SetTheme(deskTheme{forced: &v})
		div := dividerTheme{}.Color(theme.ColorNameShadow, v)
		if contrast(bg, div) < 0.15 {
			t.Errorf("variant %d: divider %v on background %v", v, div, bg)
		}
	}
}

// contrast is the difference of two colours' luminance, 0…1.
func contrast(a, b interface{ RGBA() (r, g, b, a uint32) }) float64 {
	lum := func(c interface{ RGBA() (r, g, b, a uint32) }) float64 {
		r, g, b, al := c.RGBA()
		if al == 0 {
			return 0
		}
		return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / float64(al)
	}
	d := lum(a) - lum(b)
	if d < 0 {
		d = -d
	}
	return d
}

// TestMissingGlyphsSaidBeforePrinting: characters the sheet prints as □
// are named in a dialog before the PDF is opened; cancelling opens nothing.
func TestMissingGlyphsSaidBeforePrinting(t *testing.T) {
	d, _ := newTestDesk(t)
	opened, cancelled := 0, 0
	d.warnMissing([]rune{'䶮', 0x20000}, func() { opened++ }, func() { cancelled++ })
	if !strings.Contains(d.lastDialogText, "䶮") || !strings.Contains(d.lastDialogText, "U+20000") || opened != 0 {
		t.Fatalf("dialog %q, opened %d", d.lastDialogText, opened)
	}
	for _, b := range buttonsUnder(d.win.Canvas().Overlays().Top()) {
		if b.Text == "仍然打开" {
			test.Tap(b)
		}
	}
	if opened != 1 || cancelled != 0 {
		t.Fatalf("after 仍然打开: opened %d, cancelled %d", opened, cancelled)
	}
	d.warnMissing([]rune{'䶮'}, func() { opened++ }, func() { cancelled++ })
	d.win.Canvas().Focused().(*defaultButton).TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) // the default: 取消
	if opened != 1 || cancelled != 1 {
		t.Fatalf("after 取消: opened %d, cancelled %d", opened, cancelled)
	}
	d.warnMissing(nil, func() { opened++ }, nil)
	if opened != 2 {
		t.Fatal("nothing missing: not opened at once")
	}
}

// TestNextApplicantStartsAtTheTop (item 11): the next applicant's details
// open scrolled to the top, not where the previous one was left.
func TestNextApplicantStartsAtTheTop(t *testing.T) {
	d, _ := loggedInDesk(t)
	d.win.Resize(fyne.NewSize(1024, 600))
	v := review(t, openList(t, d, navSubordinate), 0)
	v.scroll.ScrollToBottom()
	if v.scroll.Offset.Y == 0 {
		t.Fatal("the details do not scroll at 1024×600")
	}
	test.Tap(v.buttons["next"])
	if v.index != 1 || v.scroll.Offset.Y != 0 {
		t.Fatalf("applicant %d opened scrolled to %.0f", v.index, v.scroll.Offset.Y)
	}
}
