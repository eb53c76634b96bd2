package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// opinionArea draws an opinionEntry's wrapped rows, selection and cursor
// inside its scroll, and turns the mouse into cursor moves and selections.
type opinionArea struct {
	widget.BaseWidget
	e *opinionEntry
}

var (
	_ fyne.Tappable          = (*opinionArea)(nil)
	_ fyne.DoubleTappable    = (*opinionArea)(nil)
	_ fyne.SecondaryTappable = (*opinionArea)(nil)
	_ fyne.Draggable         = (*opinionArea)(nil)
	_ desktop.Mouseable      = (*opinionArea)(nil)
	_ desktop.Cursorable     = (*opinionArea)(nil)
)

func (a *opinionArea) pad() float32 { return a.e.Theme().Size(theme.SizeNameInnerPadding) }

func (a *opinionArea) rowHeight() float32 {
	th := a.e.Theme()
	return fyne.MeasureText("国", th.Size(theme.SizeNameText), fyne.TextStyle{}).Height + th.Size(theme.SizeNameLineSpacing)
}

// at is the text position under p (in the area's coordinates).
func (a *opinionArea) at(p fyne.Position) int {
	pad := a.pad()
	return a.e.posAt(int((p.Y-pad)/a.rowHeight()), p.X-pad)
}

func (a *opinionArea) MouseDown(ev *desktop.MouseEvent) {
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	a.e.focus()
	a.e.moveTo(a.at(ev.Position), ev.Modifier&fyne.KeyModifierShift != 0)
}

func (a *opinionArea) MouseUp(*desktop.MouseEvent) {}

func (a *opinionArea) Tapped(ev *fyne.PointEvent) {
	a.e.focus()
	if p := a.at(ev.Position); p != a.e.cursor {
		a.e.moveTo(p, false)
	}
}

// DoubleTapped selects the word or the run of ideographs under the pointer.
func (a *opinionArea) DoubleTapped(ev *fyne.PointEvent) {
	e, p := a.e, a.at(ev.Position)
	class := func(i int) int {
		switch r := e.runes[i]; {
		case r == '\n' || r == ' ':
			return 0
		case r >= 0x2E80:
			return 1
		}
		return 2
	}
	if p >= len(e.runes) || class(p) == 0 {
		return
	}
	s, t := p, p
	for s > 0 && class(s-1) == class(p) {
		s--
	}
	for t < len(e.runes) && class(t) == class(p) {
		t++
	}
	e.anchor = s
	e.moveTo(t, true)
}

func (a *opinionArea) Dragged(ev *fyne.DragEvent) { a.e.moveTo(a.at(ev.Position), true) }
func (a *opinionArea) DragEnd()                   {}

func (a *opinionArea) Cursor() desktop.Cursor { return desktop.TextCursor }

// TappedSecondary opens 剪切/复制/粘贴/全选.
func (a *opinionArea) TappedSecondary(ev *fyne.PointEvent) {
	e := a.e
	c := fyne.CurrentApp().Driver().CanvasForObject(a)
	if c == nil {
		return
	}
	e.focus()
	clip := fyne.CurrentApp().Clipboard()
	do := func(s fyne.Shortcut) func() { return func() { e.TypedShortcut(s) } }
	menu := fyne.NewMenu("",
		fyne.NewMenuItem("剪切", do(&fyne.ShortcutCut{Clipboard: clip})),
		fyne.NewMenuItem("复制", do(&fyne.ShortcutCopy{Clipboard: clip})),
		fyne.NewMenuItem("粘贴", do(&fyne.ShortcutPaste{Clipboard: clip})),
		fyne.NewMenuItem("全选", do(&fyne.ShortcutSelectAll{})),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("撤销输入", do(&fyne.ShortcutUndo{})),
	)
	widget.ShowPopUpMenuAtPosition(menu, c, fyne.CurrentApp().Driver().AbsolutePositionForObject(a).Add(ev.Position))
}

func (a *opinionArea) CreateRenderer() fyne.WidgetRenderer {
	r := &opinionAreaRenderer{a: a, cursor: canvas.NewRectangle(nil), holder: canvas.NewText("", nil)}
	r.Refresh()
	return r
}

type opinionAreaRenderer struct {
	a       *opinionArea
	texts   []*canvas.Text
	sel     []*canvas.Rectangle
	cursor  *canvas.Rectangle
	holder  *canvas.Text // the placeholder
	objects []fyne.CanvasObject
}

func (r *opinionAreaRenderer) MinSize() fyne.Size {
	return fyne.NewSize(0, float32(len(r.a.e.rows))*r.a.rowHeight()+2*r.a.pad())
}

// Layout re-wraps when the width changed, then places everything.
func (r *opinionAreaRenderer) Layout(size fyne.Size) {
	e := r.a.e
	if w := size.Width - 2*r.a.pad(); w != e.wrapWidth && w > 0 {
		e.wrapWidth = w
		e.wrap()
		r.Refresh()
		e.scroll.Refresh()
		return
	}
	r.place()
}

// Refresh brings the row texts, selection and cursor up to date.
func (r *opinionAreaRenderer) Refresh() {
	e := r.a.e
	th, v := e.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	size := th.Size(theme.SizeNameText)
	fg := th.Color(theme.ColorNameForeground, v)
	for len(r.texts) < len(e.rows) {
		r.texts = append(r.texts, canvas.NewText("", fg))
	}
	for i, t := range r.texts[:len(e.rows)] {
		row := e.rows[i]
		s := string(e.runes[row.start:row.end])
		if t.Text != s || t.TextSize != size || t.Color != fg {
			t.Text, t.TextSize, t.Color = s, size, fg
			t.Refresh()
		}
	}
	r.texts = r.texts[:len(e.rows)]
	r.holder.Text, r.holder.TextSize, r.holder.Color = e.placeHolder, size, th.Color(theme.ColorNamePlaceHolder, v)
	r.holder.Hidden = len(e.runes) > 0
	r.cursor.FillColor = th.Color(theme.ColorNamePrimary, v)
	r.cursor.Hidden = !e.focused
	r.selection(th.Color(theme.ColorNameSelection, v))
	r.objects = append(r.objects[:0], r.holder)
	for _, s := range r.sel {
		r.objects = append(r.objects, s)
	}
	for _, t := range r.texts {
		r.objects = append(r.objects, t)
	}
	r.objects = append(r.objects, r.cursor)
	r.place()
	canvas.Refresh(r.a)
}

// selection sizes one rectangle per selected row.
func (r *opinionAreaRenderer) selection(c color.Color) {
	e := r.a.e
	a, b := e.selection()
	n := 0
	if a != b {
		n = e.rowOf(b) - e.rowOf(a) + 1
	}
	for len(r.sel) < n {
		r.sel = append(r.sel, canvas.NewRectangle(c))
	}
	r.sel = r.sel[:n]
	for _, rect := range r.sel {
		rect.FillColor = c
	}
}

func (r *opinionAreaRenderer) place() {
	e, pad, rowH := r.a.e, r.a.pad(), r.a.rowHeight()
	width := r.a.Size().Width
	for i, t := range r.texts {
		t.Move(fyne.NewPos(pad, pad+float32(i)*rowH))
		t.Resize(fyne.NewSize(width-2*pad, rowH))
	}
	r.holder.Move(fyne.NewPos(pad, pad))
	r.holder.Resize(fyne.NewSize(width-2*pad, rowH))
	if a, b := e.selection(); a != b {
		first := e.rowOf(a)
		for k, rect := range r.sel {
			i := first + k
			x0, x1 := float32(0), e.xOf(i, e.rows[i].end)
			if i == first {
				x0 = e.xOf(i, a)
			}
			if b <= e.rows[i].end {
				x1 = e.xOf(i, b)
			} else if e.rows[i].end < len(e.runes) && e.runes[e.rows[i].end] == '\n' {
				x1 += e.advance(' ') // the selected newline
			}
			rect.Move(fyne.NewPos(pad+x0, pad+float32(i)*rowH))
			rect.Resize(fyne.NewSize(x1-x0, rowH))
		}
	}
	row := e.rowOf(e.cursor)
	w := e.Theme().Size(theme.SizeNameInputBorder)
	r.cursor.Move(fyne.NewPos(pad+e.xOf(row, e.cursor)-w/2, pad+float32(row)*rowH))
	r.cursor.Resize(fyne.NewSize(w, rowH))
}

func (r *opinionAreaRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *opinionAreaRenderer) Destroy()                     {}
