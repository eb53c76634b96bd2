package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/report"
)

// chartView draws a report.Chart natively with canvas objects, from the
// same layout (report.Chart.Marks) and colours as the printed report, so
// the screen and the PDF show one picture. One canvas object per mark is
// kept and moved when the widget is resized.
type chartView struct {
	widget.BaseWidget
	chart report.Chart
	plotH float32 // height of the plot of a shares or line chart
}

func newChartView(plotH float32) *chartView {
	v := &chartView{plotH: plotH}
	v.ExtendBaseWidget(v)
	return v
}

// set shows ch. UI goroutine only.
func (v *chartView) set(ch report.Chart) {
	v.chart = ch
	v.Refresh()
}

func (v *chartView) CreateRenderer() fyne.WidgetRenderer { return &chartRenderer{v: v} }

// chartMetrics measure with the theme's font, in Fyne's units.
func chartMetrics() report.ChartMetrics {
	text := float64(theme.CaptionTextSize()) + 1
	return report.ChartMetrics{TitleSize: float64(theme.TextSize()), TextSize: text, BarMax: text * 2, Swatch: text * 0.8,
		TextWidth: func(s string, size float64) float64 {
			return float64(fyne.MeasureText(s, float32(size), fyne.TextStyle{}).Width)
		},
		LineHeight: func(size float64) float64 { return size * 1.45 },
	}
}

type chartRenderer struct {
	v       *chartView
	objects []fyne.CanvasObject
	size    fyne.Size
}

func (r *chartRenderer) marks(size fyne.Size) []report.Mark {
	return r.v.chart.Marks(float64(size.Width), float64(size.Height), chartMetrics())
}

func (r *chartRenderer) Layout(size fyne.Size) {
	r.size = size
	marks := r.marks(size)
	if len(marks) != len(r.objects) {
		r.build(marks)
	}
	for i, m := range marks {
		place(r.objects[i], m)
	}
}

func (r *chartRenderer) MinSize() fyne.Size {
	h := r.v.chart.Height(chartMetrics(), float64(r.v.plotH))
	return fyne.NewSize(240, float32(h))
}

func (r *chartRenderer) Refresh() {
	r.build(r.marks(r.size))
	r.Layout(r.size)
	canvas.Refresh(r.v)
}

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *chartRenderer) Destroy()                     {}

// build makes one canvas object per mark, coloured by the mark and theme.
func (r *chartRenderer) build(marks []report.Mark) {
	r.objects = make([]fyne.CanvasObject, len(marks))
	fg := theme.Color(theme.ColorNameForeground)
	for i, m := range marks {
		switch m.Kind {
		case report.MarkRect:
			r.objects[i] = canvas.NewRectangle(m.Color)
		case report.MarkLine:
			l := canvas.NewLine(m.Color)
			l.StrokeWidth = 2
			if m.H == 0 {
				l.StrokeWidth = 1
			}
			r.objects[i] = l
		default:
			t := canvas.NewText(m.Text, fg)
			if m.Color != (color.NRGBA{}) {
				t.Color = m.Color
			}
			t.TextSize = float32(m.Size)
			t.TextStyle.Bold = m.Bold
			t.Alignment = map[report.Align]fyne.TextAlign{report.AlignLeft: fyne.TextAlignLeading,
				report.AlignCenter: fyne.TextAlignCenter, report.AlignRight: fyne.TextAlignTrailing}[m.Align]
			r.objects[i] = t
		}
	}
}

// place moves o to where mark m says.
func place(o fyne.CanvasObject, m report.Mark) {
	if l, ok := o.(*canvas.Line); ok {
		l.Position1 = fyne.NewPos(float32(m.X), float32(m.Y))
		l.Position2 = fyne.NewPos(float32(m.X+m.W), float32(m.Y+m.H))
		return
	}
	o.Move(fyne.NewPos(float32(m.X), float32(m.Y)))
	o.Resize(fyne.NewSize(float32(m.W), float32(m.H)))
}
