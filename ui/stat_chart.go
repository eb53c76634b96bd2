package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// barChart draws horizontal stacked bars with canvas rectangles: one row
// per group, its label on the left, a segment per result (已发证, 审核中,
// 退回修改) and the total after the bar. No chart module: a segment is a
// rectangle whose width is its share of the largest total.
type barChart struct {
	rows   *fyne.Container
	legend *fyne.Container
	box    fyne.CanvasObject
}

// barLabelWidth keeps the bars aligned whatever the labels are.
const barLabelWidth = 170

// resultColors are the segments' theme colours, in StatResultHeaders order.
var resultColors = []fyne.ThemeColorName{theme.ColorNameSuccess, theme.ColorNamePrimary, theme.ColorNameWarning}

func newBarChart() *barChart {
	c := &barChart{rows: container.NewVBox(), legend: container.NewHBox()}
	for i, name := range app.StatResultHeaders[:3] {
		sw := canvas.NewRectangle(theme.Color(resultColors[i]))
		sw.SetMinSize(fyne.NewSize(14, 14))
		l := widget.NewLabel(name)
		l.SizeName = theme.SizeNameCaptionText
		c.legend.Add(container.NewHBox(container.NewCenter(sw), l))
	}
	c.box = container.NewBorder(c.legend, nil, nil, nil, container.NewVScroll(c.rows))
	return c
}

// set replaces the bars. UI goroutine only.
func (c *barChart) set(bars []app.StatBar) {
	peak := 0
	for _, b := range bars {
		peak = max(peak, b.Count)
	}
	// Colours are read when drawn, so a theme change shows with the next load.
	for i, o := range c.legend.Objects {
		sw := o.(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*canvas.Rectangle)
		sw.FillColor = theme.Color(resultColors[i])
	}
	c.legend.Refresh()
	c.rows.Objects = nil
	if len(bars) == 0 {
		c.rows.Add(widget.NewLabel("没有符合条件的申报记录"))
	}
	for _, b := range bars {
		label := widget.NewLabel(b.Label)
		label.Truncation = fyne.TextTruncateEllipsis
		label.Alignment = fyne.TextAlignTrailing
		l := stackLayout{}
		var objs []fyne.CanvasObject
		for i, n := range []int{b.Certified, b.InProgress, b.Returned} {
			if peak > 0 {
				l.parts = append(l.parts, float32(n)/float32(peak))
			} else {
				l.parts = append(l.parts, 0)
			}
			objs = append(objs, canvas.NewRectangle(theme.Color(resultColors[i])))
		}
		objs = append(objs, widget.NewLabel(strconv.Itoa(b.Count)))
		c.rows.Add(container.NewBorder(nil, nil,
			container.NewGridWrap(fyne.NewSize(barLabelWidth, label.MinSize().Height), label), nil,
			container.New(l, objs...)))
	}
	c.rows.Refresh()
}

// stackLayout lays out the segments of one bar side by side, each taking
// its part of the width left after the count, and the count right after.
type stackLayout struct{ parts []float32 }

func (l stackLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	count := objs[len(objs)-1]
	cs := count.MinSize()
	room := size.Width - cs.Width - theme.Padding()
	h := size.Height * 0.6
	x := float32(0)
	for i, part := range l.parts {
		w := room * part
		if part > 0 && w < 2 {
			w = 2 // a count of one still shows
		}
		objs[i].Resize(fyne.NewSize(w, h))
		objs[i].Move(fyne.NewPos(x, (size.Height-h)/2))
		x += w
	}
	count.Resize(cs)
	count.Move(fyne.NewPos(x+theme.Padding(), (size.Height-cs.Height)/2))
}

func (l stackLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	cs := objs[len(objs)-1].MinSize()
	return fyne.NewSize(cs.Width+theme.Padding()+40, cs.Height)
}

var _ fyne.Layout = stackLayout{}
