package report

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
)

// ChartKind is how a Chart is drawn.
type ChartKind int

const (
	// ChartBars: one horizontal bar per category, its segments the series
	// stacked, the total after the bar (e.g. 各系列申报人次 by 审核结果).
	ChartBars ChartKind = iota
	// ChartShares: one column per category stacked to 100 %, each segment
	// a series' share of the category (e.g. 历年审核结果构成).
	ChartShares
	// ChartLine: one line per series across the categories, each point
	// labelled with its value (e.g. 历年申报人次趋势).
	ChartLine
)

// Chart is a chart of 查询统计 (STAT-1). The screen (package ui) and the
// printed report draw the same value, with the same colours.
type Chart struct {
	Kind       ChartKind
	Title      string
	Categories []string      // bar labels, or the x axis
	Series     []ChartSeries // stacked segments, or lines; Values[i] is Categories[i]'s
}

// ChartSeries is one named row of values, one per category.
type ChartSeries struct {
	Name   string
	Values []float64
}

// Total is category i's sum over the series.
func (ch Chart) Total(i int) float64 {
	t := 0.0
	for _, s := range ch.Series {
		if i < len(s.Values) {
			t += s.Values[i]
		}
	}
	return t
}

// Peak is the largest total (bars) or value (lines) of any category.
func (ch Chart) Peak() float64 {
	p := 0.0
	for i := range ch.Categories {
		if ch.Kind == ChartLine {
			for _, s := range ch.Series {
				if i < len(s.Values) {
					p = math.Max(p, s.Values[i])
				}
			}
			continue
		}
		p = math.Max(p, ch.Total(i))
	}
	return p
}

// ChartPalette is the colour of series i (i modulo its length), chosen to
// tell apart on screen, on paper and for the common colour deficiencies
// (Tableau 10): blue, red, orange, teal, green, … so the outcomes
// 通过, 不通过, 退回, 在审, 取得证书 read blue, red, orange, teal, green.
var ChartPalette = []color.NRGBA{
	{0x4E, 0x79, 0xA7, 0xFF}, {0xE1, 0x57, 0x59, 0xFF}, {0xF2, 0x8E, 0x2B, 0xFF}, {0x76, 0xB7, 0xB2, 0xFF},
	{0x59, 0xA1, 0x4F, 0xFF}, {0xED, 0xC9, 0x48, 0xFF}, {0xB0, 0x7A, 0xA1, 0xFF}, {0xFF, 0x9D, 0xA7, 0xFF},
	{0x9C, 0x75, 0x5F, 0xFF}, {0xBA, 0xB0, 0xAC, 0xFF},
}

// SeriesColor is the colour of series i.
func SeriesColor(i int) color.NRGBA { return ChartPalette[i%len(ChartPalette)] }

// FormatCount prints a count without a fraction.
func FormatCount(v float64) string { return strconv.FormatFloat(math.Round(v), 'f', -1, 64) }

// FormatShare prints a share 0…1 as a whole percentage.
func FormatShare(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }

// MarkKind is what a Mark draws.
type MarkKind int

const (
	MarkRect MarkKind = iota // a filled box X, Y, W, H
	MarkText                 // Text in the box X, Y, W, H (H is one line), aligned by Align
	MarkLine                 // a line from (X, Y) to (X+W, Y+H)
)

// Mark is one drawing instruction of a chart, in the caller's units (mm
// for the PDF, device-independent pixels on screen).
type Mark struct {
	Kind       MarkKind
	X, Y, W, H float64
	Color      color.NRGBA // rect fill, line stroke; text: zero is the foreground colour
	Text       string
	Size       float64 // text size in the caller's font units
	Align      Align
	Bold       bool
}

// ChartMetrics are how the caller measures text: its sizes and functions.
type ChartMetrics struct {
	TitleSize, TextSize float64
	TextWidth           func(s string, size float64) float64
	LineHeight          func(size float64) float64
	// BarMax is the thickest bar; Swatch the legend's colour box.
	BarMax, Swatch float64
}

// Height is the height ch wants at metrics m: bars grow with the
// categories, the other kinds take plotH for their plot.
func (ch Chart) Height(m ChartMetrics, plotH float64) float64 {
	head := m.LineHeight(m.TitleSize) + m.LineHeight(m.TextSize)*1.3
	if ch.Kind == ChartBars {
		return head + float64(max(len(ch.Categories), 1))*m.BarMax + m.BarMax/3
	}
	return head + plotH
}

// Marks lays ch out in a box of w × h from (0, 0). The number of marks
// depends on the chart only, not on the box, so a screen can keep one
// object per mark and move them when the box changes.
func (ch Chart) Marks(w, h float64, m ChartMetrics) []Mark {
	l := chartLayout{ch: ch, m: m}
	l.text(0, 0, w, ch.Title, m.TitleSize, AlignLeft, true)
	y := m.LineHeight(m.TitleSize)
	y = l.legend(y, w)
	body := math.Max(h-y, m.LineHeight(m.TextSize)*3)
	switch ch.Kind {
	case ChartBars:
		l.bars(y, w, body)
	case ChartShares:
		l.shares(y, w, body)
	case ChartLine:
		l.line(y, w, body)
	}
	return l.marks
}

type chartLayout struct {
	ch    Chart
	m     ChartMetrics
	marks []Mark
}

func (l *chartLayout) text(x, y, w float64, s string, size float64, a Align, bold bool) {
	l.marks = append(l.marks, Mark{Kind: MarkText, X: x, Y: y, W: w, H: l.m.LineHeight(size), Text: s, Size: size, Align: a, Bold: bold})
}

func (l *chartLayout) rect(x, y, w, h float64, c color.NRGBA) {
	l.marks = append(l.marks, Mark{Kind: MarkRect, X: x, Y: y, W: math.Max(w, 0), H: math.Max(h, 0), Color: c})
}

// legend names the series (a single bar series needs none); returns y below it.
func (l *chartLayout) legend(y, w float64) float64 {
	lh := l.m.LineHeight(l.m.TextSize)
	if len(l.ch.Series) < 2 && l.ch.Kind != ChartLine {
		return y + lh*0.3
	}
	x := 0.0
	sw := l.m.Swatch
	for i, s := range l.ch.Series {
		tw := l.m.TextWidth(s.Name, l.m.TextSize)
		l.rect(x, y+(lh-sw)/2, sw, sw, SeriesColor(i))
		l.text(x+sw*1.3, y, tw+1, s.Name, l.m.TextSize, AlignLeft, false)
		x += sw*1.3 + tw + sw*1.6
	}
	return y + lh*1.3
}

func (l *chartLayout) bars(y, w, h float64) {
	ch, m := l.ch, l.m
	lh := m.LineHeight(m.TextSize)
	labelW := 0.0
	for _, c := range ch.Categories {
		labelW = math.Max(labelW, m.TextWidth(c, m.TextSize))
	}
	labelW = math.Min(labelW+m.Swatch, w*0.35)
	peak := ch.Peak()
	countW := m.TextWidth(FormatCount(peak), m.TextSize) + m.Swatch
	room := math.Max(w-labelW-countW, 0)
	bh := math.Min(m.BarMax, h/float64(max(len(ch.Categories), 1)))
	for i, c := range ch.Categories {
		by := y + float64(i)*bh
		l.text(0, by+(bh-lh)/2, labelW-m.Swatch/2, c, m.TextSize, AlignRight, false)
		bx := labelW
		for k, s := range ch.Series {
			sw := 0.0
			if i < len(s.Values) && s.Values[i] > 0 && peak > 0 {
				sw = math.Max(room*s.Values[i]/peak, 1)
			}
			l.rect(bx, by+bh*0.15, sw, bh*0.7, SeriesColor(k))
			bx += sw
		}
		l.text(bx+m.Swatch/3, by+(bh-lh)/2, countW, FormatCount(ch.Total(i)), m.TextSize, AlignLeft, false)
	}
}

func (l *chartLayout) shares(y, w, h float64) {
	ch, m := l.ch, l.m
	lh := m.LineHeight(m.TextSize)
	plotH := math.Max(h-lh*1.2, lh)
	slot := w / float64(max(len(ch.Categories), 1))
	colW := math.Min(slot*0.7, m.BarMax*4)
	for i, c := range ch.Categories {
		cx := float64(i)*slot + (slot-colW)/2
		total := ch.Total(i)
		top := y + plotH
		for k, s := range ch.Series {
			share := 0.0
			if i < len(s.Values) && total > 0 {
				share = s.Values[i] / total
			}
			sh := plotH * share
			top -= sh
			l.rect(cx, top, colW, sh, SeriesColor(k))
			label := ""
			if sh >= lh && colW >= m.TextWidth("100%", m.TextSize) {
				label = FormatShare(share)
			}
			l.text(cx, top+(sh-lh)/2, colW, label, m.TextSize, AlignCenter, false)
		}
		l.text(float64(i)*slot, y+plotH+lh*0.1, slot, c, m.TextSize, AlignCenter, false)
	}
}

func (l *chartLayout) line(y, w, h float64) {
	ch, m := l.ch, l.m
	lh := m.LineHeight(m.TextSize)
	top := y + lh // room for the value above the highest point
	plotH := math.Max(h-2.2*lh, lh)
	slot := w / float64(max(len(ch.Categories), 1))
	peak := math.Max(ch.Peak(), 1)
	l.marks = append(l.marks, Mark{Kind: MarkLine, X: 0, Y: top + plotH, W: w, Color: color.NRGBA{0xA0, 0xA0, 0xA0, 0xFF}})
	dot := m.Swatch * 0.6
	for k, s := range ch.Series {
		var px, py float64
		for i := range ch.Categories {
			v := 0.0
			if i < len(s.Values) {
				v = s.Values[i]
			}
			cx, cy := float64(i)*slot+slot/2, top+plotH*(1-v/peak)
			if i > 0 {
				l.marks = append(l.marks, Mark{Kind: MarkLine, X: px, Y: py, W: cx - px, H: cy - py, Color: SeriesColor(k)})
			}
			l.rect(cx-dot/2, cy-dot/2, dot, dot, SeriesColor(k))
			l.text(cx-slot/2, cy-lh-dot/2, slot, FormatCount(v), m.TextSize, AlignCenter, false)
			px, py = cx, cy
		}
	}
	for i, c := range ch.Categories {
		l.text(float64(i)*slot, top+plotH+lh*0.1, slot, c, m.TextSize, AlignCenter, false)
	}
}

// pdfChartMetrics are the printed chart's sizes, in mm and pt.
func (c *canvas) pdfChartMetrics() ChartMetrics {
	return ChartMetrics{TitleSize: 11, TextSize: 8, BarMax: 6, Swatch: 3,
		TextWidth:  func(s string, size float64) float64 { return c.face.width(c.face.clean(s), size) },
		LineHeight: lineHeight}
}

// drawChart draws ch across the content width at c.y and advances y. In
// the measuring pass it only collects the characters it prints.
func (c *canvas) drawChart(ch Chart) {
	m := c.pdfChartMetrics()
	w, h := c.contentWidth(), ch.Height(m, 62)
	c.keep(h)
	for _, mk := range ch.Marks(w, h, m) {
		x, y := c.left+mk.X, c.y+mk.Y
		switch mk.Kind {
		case MarkText:
			c.text(x, y, mk.W, c.face.clean(mk.Text), mk.Size, mk.Align, mk.Bold)
		case MarkRect:
			if c.drawing() && mk.W > 0 && mk.H > 0 {
				c.pdf.SetFillColor(int(mk.Color.R), int(mk.Color.G), int(mk.Color.B))
				c.pdf.Rect(x, y, mk.W, mk.H, "F")
			}
		case MarkLine:
			if c.drawing() {
				c.pdf.SetDrawColor(int(mk.Color.R), int(mk.Color.G), int(mk.Color.B))
				c.pdf.SetLineWidth(0.5)
				c.pdf.Line(x, y, x+mk.W, y+mk.H)
				c.pdf.SetDrawColor(0, 0, 0)
				c.pdf.SetLineWidth(lineWidth)
			}
		}
	}
	c.y += h + 4
}
