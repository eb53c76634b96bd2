package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/internal/linebreak"
)

// opinionLimit is the longest opinion, in characters (model.ValidateOpinion).
const opinionLimit = 2000

// opinionEntry is the 审核意见 box: a multi-line text editor for long
// Chinese text. Fyne's Entry re-measures the rest of a paragraph for every
// wrapped row on each key (quadratic for Chinese, which has no spaces: 0.1–
// 0.3 s a key at 2,000 characters, seconds for an input method's phrase);
// this box wraps by the report's line-breaking rules from each character's
// advance, measured once, in time linear in the text. It keeps what a clerk
// needs of an entry: typing and input methods, newlines, selection by
// keyboard and mouse, cut/copy/paste (also from a right-click menu), undo
// and redo, scrolling that follows the cursor, and the 2,000-character limit
// with a counter. The view's shortcuts (Alt+↑/↓) pass through onShortcut.
type opinionEntry struct {
	widget.BaseWidget
	Text      string // the text; change it with SetText
	OnChanged func(string)

	onShortcut  func(fyne.Shortcut) bool
	placeHolder string
	minRows     int

	runes          []rune
	cursor, anchor int     // rune offsets; a selection when they differ
	goalX          float32 // x kept while moving up and down
	focused        bool
	hist           opinionHistory

	rows      []span // wrapped rows; end excludes a newline
	wrapWidth float32
	advances  map[rune]float32 // at advSize
	advSize   float32

	area    *opinionArea
	scroll  *container.Scroll
	counter *canvas.Text
}

// span is one wrapped row, runes [start, end).
type span struct{ start, end int }

func newOpinionEntry(onShortcut func(fyne.Shortcut) bool) *opinionEntry {
	e := &opinionEntry{onShortcut: onShortcut, minRows: 3, goalX: -1}
	e.area = &opinionArea{e: e}
	e.area.ExtendBaseWidget(e.area)
	e.scroll = container.NewVScroll(e.area)
	e.counter = canvas.NewText("", nil)
	e.counter.Alignment = fyne.TextAlignTrailing
	e.ExtendBaseWidget(e)
	e.wrap()
	return e
}

// SetText replaces the text (OnChanged is called if it changed), puts the
// cursor at its end and forgets the undo history.
func (e *opinionEntry) SetText(s string) {
	rs := []rune(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	if len(rs) > opinionLimit {
		rs = rs[:opinionLimit]
	}
	e.runes, e.cursor, e.anchor, e.hist = rs, len(rs), len(rs), opinionHistory{}
	e.changed()
}

// Append adds s at the end as one step to undo, the cursor after it.
func (e *opinionEntry) Append(s string) {
	n := len(e.runes)
	e.replace(n, n, []rune(strings.ReplaceAll(s, "\r", "")), false)
}

func (e *opinionEntry) SetPlaceHolder(s string) { e.placeHolder = s; e.area.Refresh() }

// SetMinRowsVisible sets how many rows the box shows at least.
func (e *opinionEntry) SetMinRowsVisible(n int) { e.minRows = n; e.Refresh() }

// SelectedText is the selected text ("" if none).
func (e *opinionEntry) SelectedText() string {
	a, b := e.selection()
	return string(e.runes[a:b])
}

func (e *opinionEntry) selection() (int, int) {
	return min(e.cursor, e.anchor), max(e.cursor, e.anchor)
}

// replace puts ins in place of runes [a, b), within the limit, records it
// for undo (typed runs merge) and moves the cursor after it.
func (e *opinionEntry) replace(a, b int, ins []rune, typed bool) {
	if room := opinionLimit - (len(e.runes) - (b - a)); len(ins) > room {
		ins = ins[:max(room, 0)]
	}
	if a == b && len(ins) == 0 {
		return
	}
	del := append([]rune(nil), e.runes[a:b]...)
	e.hist.record(opinionEdit{pos: a, del: del, ins: append([]rune(nil), ins...)}, typed)
	e.splice(a, b, ins)
}

func (e *opinionEntry) splice(a, b int, ins []rune) {
	rs := make([]rune, 0, len(e.runes)-(b-a)+len(ins))
	rs = append(append(append(rs, e.runes[:a]...), ins...), e.runes[b:]...)
	e.runes, e.cursor = rs, a+len(ins)
	e.anchor = e.cursor
	e.changed()
}

// changed re-wraps, redraws and tells OnChanged.
func (e *opinionEntry) changed() {
	old := e.Text
	e.Text, e.goalX = string(e.runes), -1
	e.wrap()
	e.showCursor()
	if e.Text != old && e.OnChanged != nil {
		e.OnChanged(e.Text)
	}
}

// advance is r's width at the theme's text size, measured once per rune.
func (e *opinionEntry) advance(r rune) float32 {
	size := e.Theme().Size(theme.SizeNameText)
	if e.advSize != size || e.advances == nil {
		e.advances, e.advSize = map[rune]float32{}, size
	}
	w, ok := e.advances[r]
	if !ok {
		w = fyne.MeasureText(string(r), size, fyne.TextStyle{}).Width
		e.advances[r] = w
	}
	return w
}

// wrap breaks the text into rows for the current width: linear in its length.
func (e *opinionEntry) wrap() {
	e.rows = e.rows[:0]
	w := float64(e.wrapWidth)
	if w <= 0 {
		w = 1e9 // not laid out yet: one row per paragraph
	}
	width := func(r rune) float64 { return float64(e.advance(r)) }
	start := 0
	for i := 0; i <= len(e.runes); i++ {
		if i < len(e.runes) && e.runes[i] != '\n' {
			continue
		}
		s := start
		for _, b := range linebreak.Starts(e.runes[start:i], w, width) {
			e.rows = append(e.rows, span{s, start + b})
			s = start + b
		}
		e.rows = append(e.rows, span{s, i})
		start = i + 1
	}
}

// rowOf is the row showing position p (at a soft break: the next row).
func (e *opinionEntry) rowOf(p int) int {
	lo, hi := 0, len(e.rows)-1
	for lo < hi { // the last row starting at or before p
		mid := (lo + hi + 1) / 2
		if e.rows[mid].start <= p {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// xOf is the x of position p within its row, measured as drawn.
func (e *opinionEntry) xOf(row, p int) float32 {
	r := e.rows[row]
	p = min(max(p, r.start), r.end)
	if p == r.start {
		return 0
	}
	return fyne.MeasureText(string(e.runes[r.start:p]), e.advSize, fyne.TextStyle{}).Width
}

// posAt is the position nearest x in row.
func (e *opinionEntry) posAt(row int, x float32) int {
	row = min(max(row, 0), len(e.rows)-1)
	r := e.rows[row]
	at := float32(0)
	for p := r.start; p < r.end; p++ {
		w := e.advance(e.runes[p])
		if x < at+w/2 {
			return p
		}
		at += w
	}
	return r.end
}

// moveTo moves the cursor; extend keeps the selection's other end.
func (e *opinionEntry) moveTo(p int, extend bool) {
	e.cursor, e.goalX = min(max(p, 0), len(e.runes)), -1
	if !extend {
		e.anchor = e.cursor
	}
	e.hist.breakMerge()
	e.showCursor()
}

// showCursor redraws and scrolls the cursor's row into view.
func (e *opinionEntry) showCursor() {
	e.area.Refresh()
	e.refreshCounter()
	// The scroll clamps offsets to its content's current size: grow it first.
	e.area.Resize(e.area.MinSize().Max(e.scroll.Size()))
	rowH, pad := e.area.rowHeight(), e.area.pad()
	top := pad + float32(e.rowOf(e.cursor))*rowH
	off := e.scroll.Offset.Y
	switch h := e.scroll.Size().Height; {
	case h <= 0:
		return
	case top < off:
		off = top - pad
	case top+rowH > off+h:
		off = top + rowH + pad - h
	default:
		return
	}
	e.scroll.ScrollToOffset(fyne.NewPos(0, max(off, 0)))
}

func (e *opinionEntry) refreshCounter() {
	n := len(e.runes)
	e.counter.Text = fmt.Sprintf("%d/%d", n, opinionLimit)
	if n >= opinionLimit {
		e.counter.Text = fmt.Sprintf("已达 %d 字上限", opinionLimit)
	}
	e.counter.Refresh()
}

func (e *opinionEntry) shifted() bool {
	if d, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok {
		return d.CurrentKeyModifiers()&fyne.KeyModifierShift != 0
	}
	return false
}

// TypedRune inserts r in place of the selection.
func (e *opinionEntry) TypedRune(r rune) {
	a, b := e.selection()
	e.replace(a, b, []rune{r}, a == b)
}

// TypedKey moves, selects (with Shift), deletes and breaks lines.
func (e *opinionEntry) TypedKey(k *fyne.KeyEvent) {
	a, b := e.selection()
	shift := e.shifted()
	row := e.rowOf(e.cursor)
	vertical := func(rows int) {
		if k.Name != fyne.KeyUp && k.Name != fyne.KeyDown && k.Name != fyne.KeyPageUp && k.Name != fyne.KeyPageDown {
			return
		}
		if e.goalX < 0 {
			e.goalX = e.xOf(row, e.cursor)
		}
		goal := e.goalX
		e.moveTo(e.posAt(row+rows, goal), shift)
		e.goalX = goal
	}
	page := max(int(e.scroll.Size().Height/e.area.rowHeight())-1, 1)
	switch k.Name {
	case fyne.KeyBackspace:
		if a == b && a > 0 {
			a--
		}
		e.replace(a, b, nil, false)
	case fyne.KeyDelete:
		if a == b && b < len(e.runes) {
			b++
		}
		e.replace(a, b, nil, false)
	case fyne.KeyReturn, fyne.KeyEnter:
		e.replace(a, b, []rune{'\n'}, false)
	case fyne.KeyLeft:
		if a != b && !shift {
			e.moveTo(a, false)
		} else {
			e.moveTo(e.cursor-1, shift)
		}
	case fyne.KeyRight:
		if a != b && !shift {
			e.moveTo(b, false)
		} else {
			e.moveTo(e.cursor+1, shift)
		}
	case fyne.KeyHome:
		e.moveTo(e.rows[row].start, shift)
	case fyne.KeyEnd:
		e.moveTo(e.rows[row].end, shift)
	case fyne.KeyUp:
		vertical(-1)
	case fyne.KeyDown:
		vertical(1)
	case fyne.KeyPageUp:
		vertical(-page)
	case fyne.KeyPageDown:
		vertical(page)
	}
}

// TypedShortcut gives the view its shortcuts first, then edits.
func (e *opinionEntry) TypedShortcut(s fyne.Shortcut) {
	if e.onShortcut != nil && e.onShortcut(s) {
		return
	}
	a, b := e.selection()
	switch s := s.(type) {
	case *fyne.ShortcutCopy:
		if a != b && s.Clipboard != nil {
			s.Clipboard.SetContent(e.SelectedText())
		}
	case *fyne.ShortcutCut:
		if a != b && s.Clipboard != nil {
			s.Clipboard.SetContent(e.SelectedText())
			e.replace(a, b, nil, false)
		}
	case *fyne.ShortcutPaste:
		if s.Clipboard != nil {
			text := strings.ReplaceAll(strings.ReplaceAll(s.Clipboard.Content(), "\r\n", "\n"), "\r", "\n")
			e.replace(a, b, []rune(text), false)
		}
	case *fyne.ShortcutSelectAll:
		e.anchor = 0
		e.moveTo(len(e.runes), true)
	case *fyne.ShortcutUndo:
		if ed, ok := e.hist.undo(); ok {
			e.splice(ed.pos, ed.pos+len(ed.ins), ed.del)
		}
	case *fyne.ShortcutRedo:
		if ed, ok := e.hist.redo(); ok {
			e.splice(ed.pos, ed.pos+len(ed.del), ed.ins)
		}
	}
}

func (e *opinionEntry) FocusGained() { e.focused = true; e.Refresh() }
func (e *opinionEntry) FocusLost()   { e.focused = false; e.Refresh() }

func (e *opinionEntry) focus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil && c.Focused() != e {
		c.Focus(e)
	}
}

// opinionEdit is one change: del replaced by ins at pos.
type opinionEdit struct {
	pos      int
	del, ins []rune
}

// opinionHistory is undo and redo; typed characters merge into one step
// until the cursor moves or something else changes the text.
type opinionHistory struct {
	done, undone []opinionEdit
	merge        bool
}

func (h *opinionHistory) record(ed opinionEdit, typed bool) {
	h.undone = nil
	if n := len(h.done); typed && h.merge && n > 0 && len(h.done[n-1].del) == 0 &&
		h.done[n-1].pos+len(h.done[n-1].ins) == ed.pos && len(h.done[n-1].ins) < 200 {
		h.done[n-1].ins = append(h.done[n-1].ins, ed.ins...)
		return
	}
	h.done = append(h.done, ed)
	h.merge = typed
}

func (h *opinionHistory) breakMerge() { h.merge = false }

func (h *opinionHistory) undo() (opinionEdit, bool) {
	if len(h.done) == 0 {
		return opinionEdit{}, false
	}
	ed := h.done[len(h.done)-1]
	h.done, h.undone, h.merge = h.done[:len(h.done)-1], append(h.undone, ed), false
	return ed, true
}

func (h *opinionHistory) redo() (opinionEdit, bool) {
	if len(h.undone) == 0 {
		return opinionEdit{}, false
	}
	ed := h.undone[len(h.undone)-1]
	h.undone, h.done, h.merge = h.undone[:len(h.undone)-1], append(h.done, ed), false
	return ed, true
}

// CreateRenderer: the input background and border, the scrolled text and
// the counter under it.
func (e *opinionEntry) CreateRenderer() fyne.WidgetRenderer {
	bg, border := canvas.NewRectangle(nil), canvas.NewRectangle(nil)
	r := &opinionEntryRenderer{e: e, bg: bg, border: border}
	r.Refresh()
	return r
}

type opinionEntryRenderer struct {
	e          *opinionEntry
	bg, border *canvas.Rectangle
}

func (r *opinionEntryRenderer) counterHeight() float32 {
	return r.e.counter.MinSize().Height
}

func (r *opinionEntryRenderer) Layout(size fyne.Size) {
	th := r.e.Theme()
	b := th.Size(theme.SizeNameInputBorder)
	r.bg.Resize(size)
	r.border.Resize(size)
	ch := r.counterHeight()
	r.e.scroll.Move(fyne.NewPos(b, b))
	r.e.scroll.Resize(fyne.NewSize(size.Width-2*b, size.Height-2*b-ch))
	pad := th.Size(theme.SizeNameInnerPadding)
	r.e.counter.Move(fyne.NewPos(pad, size.Height-b-ch))
	r.e.counter.Resize(fyne.NewSize(size.Width-2*pad, ch))
	r.e.showCursor()
}

func (r *opinionEntryRenderer) MinSize() fyne.Size {
	th := r.e.Theme()
	b := th.Size(theme.SizeNameInputBorder)
	h := float32(r.e.minRows)*r.e.area.rowHeight() + 2*r.e.area.pad() + r.counterHeight() + 2*b
	return fyne.NewSize(6*th.Size(theme.SizeNameText)+2*r.e.area.pad(), h)
}

func (r *opinionEntryRenderer) Refresh() {
	th, v := r.e.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	r.bg.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.border.FillColor = nil
	r.border.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	if r.e.focused {
		r.border.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	}
	r.border.StrokeWidth = th.Size(theme.SizeNameInputBorder)
	r.border.CornerRadius = r.bg.CornerRadius
	r.e.counter.TextSize = th.Size(theme.SizeNameCaptionText)
	r.e.counter.Color = th.Color(theme.ColorNamePlaceHolder, v)
	if len(r.e.runes) >= opinionLimit {
		r.e.counter.Color = th.Color(theme.ColorNameError, v)
	}
	r.bg.Refresh()
	r.border.Refresh()
	r.e.refreshCounter()
	r.e.area.Refresh()
}

func (r *opinionEntryRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.border, r.e.scroll, r.e.counter}
}

func (r *opinionEntryRenderer) Destroy() {}
