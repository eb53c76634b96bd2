package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// opinionBox is a focused opinion entry, 300×200, on the bundled theme.
func opinionBox(t testing.TB) (*opinionEntry, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(deskTheme{})
	w := a.NewWindow("审核意见")
	e := newOpinionEntry(nil)
	w.SetContent(e)
	w.Resize(fyne.NewSize(300, 200))
	w.Canvas().Focus(e)
	t.Cleanup(w.Close)
	return e, w
}

func key(e *opinionEntry, names ...fyne.KeyName) {
	for _, n := range names {
		e.TypedKey(&fyne.KeyEvent{Name: n})
	}
}

// TestOpinionEntryEditing: what a clerk does in the box, and what it must
// give back (Text, OnChanged, the cursor).
func TestOpinionEntryEditing(t *testing.T) {
	e, w := opinionBox(t)
	var seen []string
	e.OnChanged = func(s string) { seen = append(seen, s) }
	test.Type(e, "同意推荐")
	if e.Text != "同意推荐" || len(seen) != 4 || e.cursor != 4 {
		t.Fatalf("typed: %q, %d changes, cursor %d", e.Text, len(seen), e.cursor)
	}
	key(e, fyne.KeyBackspace, fyne.KeyLeft, fyne.KeyLeft, fyne.KeyDelete)
	if e.Text != "同推" || e.cursor != 1 {
		t.Fatalf("backspace, ←←, delete: %q cursor %d", e.Text, e.cursor)
	}
	key(e, fyne.KeyEnd, fyne.KeyReturn)
	test.Type(e, "第二段")
	if e.Text != "同推\n第二段" || len(e.rows) != 2 {
		t.Fatalf("newline: %q, %d rows", e.Text, len(e.rows))
	}
	// select all and type over it
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	if e.SelectedText() != "同推\n第二段" {
		t.Fatalf("select all: %q", e.SelectedText())
	}
	test.Type(e, "新")
	if e.Text != "新" {
		t.Fatalf("typing over a selection: %q", e.Text)
	}
	// paste, with Windows line ends; copy and cut
	clip := w.Clipboard()
	clip.SetContent("学历材料\r\n待核实")
	e.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	if e.Text != "新学历材料\n待核实" {
		t.Fatalf("paste: %q", e.Text)
	}
	e.anchor = 1
	e.moveTo(5, true)
	e.TypedShortcut(&fyne.ShortcutCopy{Clipboard: clip})
	if clip.Content() != "学历材料" {
		t.Fatalf("copy: %q", clip.Content())
	}
	e.TypedShortcut(&fyne.ShortcutCut{Clipboard: clip})
	if e.Text != "新\n待核实" || clip.Content() != "学历材料" {
		t.Fatalf("cut: %q, clipboard %q", e.Text, clip.Content())
	}
	// undo and redo, typed characters as one step
	e.TypedShortcut(&fyne.ShortcutUndo{})
	if e.Text != "新学历材料\n待核实" {
		t.Fatalf("undo cut: %q", e.Text)
	}
	e.moveTo(len(e.runes), false)
	test.Type(e, "无误")
	e.TypedShortcut(&fyne.ShortcutUndo{})
	if e.Text != "新学历材料\n待核实" {
		t.Fatalf("undo typing: %q", e.Text)
	}
	e.TypedShortcut(&fyne.ShortcutRedo{})
	if e.Text != "新学历材料\n待核实无误" {
		t.Fatalf("redo: %q", e.Text)
	}
	if seen[len(seen)-1] != e.Text {
		t.Fatal("OnChanged missed the last change")
	}
}

// TestOpinionEntryLimit: at most 2,000 characters however they arrive
// (typed, pasted, appended, set), and the counter says how many.
func TestOpinionEntryLimit(t *testing.T) {
	e, w := opinionBox(t)
	e.SetText(opinionOf(1990))
	if e.counter.Text != "1990/2000" {
		t.Fatalf("counter %q", e.counter.Text)
	}
	clip := w.Clipboard()
	clip.SetContent(strings.Repeat("长", 50))
	e.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	test.Type(e, "多")
	e.Append("常用意见")
	if n := len([]rune(e.Text)); n != opinionLimit || !strings.Contains(e.counter.Text, "2000") {
		t.Fatalf("%d characters, counter %q", n, e.counter.Text)
	}
	e.SetText(opinionOf(2500))
	if n := len([]rune(e.Text)); n != opinionLimit {
		t.Fatalf("SetText kept %d characters", n)
	}
	key(e, fyne.KeyBackspace)
	if e.counter.Text != "1999/2000" {
		t.Fatalf("counter after a deletion: %q", e.counter.Text)
	}
}

// TestOpinionEntryWrapsAndMoves: Chinese wraps at the box's width by the
// line-breaking rules, ↑/↓/Home/End move by wrapped rows, the cursor stays
// in view, and a tap or a drag places the cursor or selects.
func TestOpinionEntryWrapsAndMoves(t *testing.T) {
	e, _ := opinionBox(t)
	e.SetText(opinionOf(600))
	if len(e.rows) < 10 {
		t.Fatalf("600 characters in %d rows", len(e.rows))
	}
	width := e.wrapWidth
	for i, r := range e.rows {
		if w := e.xOf(i, r.end); w > width+1 {
			t.Errorf("row %d is %.0f wide, the box %.0f", i, w, width)
		}
		if i > 0 && r.start < len(e.runes) && strings.ContainsRune("，。、", e.runes[r.start]) {
			t.Errorf("row %d starts with %q", i, e.runes[r.start])
		}
	}
	if !visible(e, e.cursor) {
		t.Fatal("the cursor at the end is scrolled out of view")
	}
	key(e, fyne.KeyUp)
	row := e.rowOf(e.cursor)
	if row != len(e.rows)-2 {
		t.Fatalf("↑ went to row %d of %d", row, len(e.rows))
	}
	key(e, fyne.KeyHome)
	if e.cursor != e.rows[row].start {
		t.Fatal("Home is not the row's start")
	}
	key(e, fyne.KeyEnd)
	if e.cursor != e.rows[row].end {
		t.Fatal("End is not the row's end")
	}
	e.moveTo(0, false)
	if !visible(e, 0) {
		t.Fatal("the start is not scrolled into view")
	}
	pad, rowH := e.area.pad(), e.area.rowHeight()
	test.TapAt(e.area, fyne.NewPos(pad+1, pad+1.5*rowH))
	if e.cursor != e.rows[1].start {
		t.Fatalf("a tap at the start of row 2 put the cursor at %d, want %d", e.cursor, e.rows[1].start)
	}
	e.area.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(pad+1, pad+3.5*rowH)}})
	if e.SelectedText() != string(e.runes[e.rows[1].start:e.rows[3].start]) {
		t.Fatalf("dragging over two rows selected %q", e.SelectedText())
	}
}

func visible(e *opinionEntry, p int) bool {
	top := e.area.pad() + float32(e.rowOf(p))*e.area.rowHeight()
	return top >= e.scroll.Offset.Y-0.5 && top+e.area.rowHeight() <= e.scroll.Offset.Y+e.scroll.Size().Height+0.5
}

// TestOpinionEntryShortcutsReachTheView: Alt+↑/↓ while typing go to the
// view, everything else is the box's.
func TestOpinionEntryShortcutsReachTheView(t *testing.T) {
	var got []fyne.Shortcut
	e := newOpinionEntry(func(s fyne.Shortcut) bool {
		got = append(got, s)
		_, ok := s.(*fyne.ShortcutSelectAll)
		return !ok
	})
	e.SetText("同意")
	e.TypedShortcut(&fyne.ShortcutUndo{})
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	if len(got) != 2 || e.Text != "同意" || e.SelectedText() != "同意" {
		t.Fatalf("view got %d shortcuts, text %q, selection %q", len(got), e.Text, e.SelectedText())
	}
}
