package ui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// flowLayout places its objects left to right at their minimum sizes and
// starts a new row where the next one would not fit, like words in a line
// (a filter bar that fits 1024 px in two rows instead of scrolling
// sideways). It remembers the width it last had, so its minimum height is
// that of its rows at that width; when a new width changes the number of
// rows, reflow runs (after the layout pass) so the container holding it
// lays out again with the new height.
type flowLayout struct {
	width  float32
	rows   int
	reflow func()
}

// place positions the objects for width (when move) and returns the rows
// and the height used.
func (f *flowLayout) place(objs []fyne.CanvasObject, width float32, move bool) (int, float32) {
	gap := theme.Padding()
	var x, y, rowH float32
	rows := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if rows == 0 {
			rows = 1
		} else if x > 0 && x+m.Width > width {
			y += rowH + gap
			x, rowH = 0, 0
			rows++
		}
		if move {
			o.Move(fyne.NewPos(x, y))
			o.Resize(m)
		}
		x += m.Width + gap
		rowH = max(rowH, m.Height)
	}
	return rows, y + rowH
}

func (f *flowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	f.width = size.Width
	rows, _ := f.place(objs, size.Width, true)
	if rows != f.rows {
		f.rows = rows
		if f.reflow != nil {
			fyne.Do(f.reflow)
		}
	}
}

// MinSize is as wide as the widest object and as high as the rows at the
// width last laid out (one row before the first layout).
func (f *flowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	width := f.width
	if width <= 0 {
		width = math.MaxFloat32
	}
	_, h := f.place(objs, width, false)
	var widest float32
	for _, o := range objs {
		if o.Visible() {
			widest = max(widest, o.MinSize().Width)
		}
	}
	return fyne.NewSize(widest, h)
}
