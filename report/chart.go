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

const (
	chartTitleSize = 11
	chartTextSize  = 8
	chartBarMax    = 6.0 // mm, thickest bar
)

// chartHeight is the height a chart needs at width w, mm.
func chartHeight(ch Chart) float64 {
	head := lineHeight(chartTitleSize) + lineHeight(chartTextSize) + 2
	switch ch.Kind {
	case ChartBars:
		return head + float64(max(len(ch.Categories), 1))*chartBarMax + 2
	default:
		return head + 62
	}
}

// drawChart draws ch in the box at (x, c.y) of width w and advances y. In
// the measuring pass it only collects the characters it prints.
func (c *canvas) drawChart(x, w float64, ch Chart) {
	h := chartHeight(ch)
	c.keep(h)
	y := c.y
	c.text(x, y, w, c.face.clean(ch.Title), chartTitleSize, AlignLeft, true)
	y += lineHeight(chartTitleSize)
	y = c.legend(x, y, w, ch)
	body := h - (y - c.y) - 2
	switch ch.Kind {
	case ChartBars:
		c.bars(x, y, w, body, ch)
	case ChartShares:
		c.shares(x, y, w, body, ch)
	case ChartLine:
		c.lines2(x, y, w, body, ch)
	}
	c.y += h + 4
}

// legend draws a swatch and the name of each series; returns the next y.
func (c *canvas) legend(x, y, w float64, ch Chart) float64 {
	if len(ch.Series) < 2 && ch.Kind != ChartLine {
		return y + lineHeight(chartTextSize) + 2
	}
	lx := x
	for i, s := range ch.Series {
		name := c.face.clean(s.Name)
		tw := c.face.width(name, chartTextSize)
		c.fillRGB(SeriesColor(i))
		c.rect(lx, y+1, 3, 3)
		c.text(lx+4, y, tw+1, name, chartTextSize, AlignLeft, false)
		lx += 4 + tw + 5
	}
	return y + lineHeight(chartTextSize) + 2
}

func (c *canvas) bars(x, y, w, h float64, ch Chart) {
	labelW := 0.0
	for _, l := range ch.Categories {
		labelW = math.Max(labelW, c.face.width(c.face.clean(l), chartTextSize))
	}
	labelW = math.Min(labelW+2, w*0.35)
	countW := c.face.width(FormatCount(ch.Peak()), chartTextSize) + 3
	room := w - labelW - countW
	peak := ch.Peak()
	bh := math.Min(chartBarMax, h/float64(max(len(ch.Categories), 1)))
	for i, l := range ch.Categories {
		by := y + float64(i)*bh
		c.text(x, by+(bh-lineHeight(chartTextSize))/2, labelW-2, c.face.clean(l), chartTextSize, AlignRight, false)
		bx := x + labelW
		for k, s := range ch.Series {
			if i >= len(s.Values) || s.Values[i] <= 0 || peak <= 0 {
				continue
			}
			sw := math.Max(room*s.Values[i]/peak, 0.3)
			c.fillRGB(SeriesColor(k))
			c.rect(bx, by+bh*0.15, sw, bh*0.7)
			bx += sw
		}
		c.text(bx+1, by+(bh-lineHeight(chartTextSize))/2, countW, FormatCount(ch.Total(i)), chartTextSize, AlignLeft, false)
	}
}

func (c *canvas) shares(x, y, w, h float64, ch Chart) {
	n := max(len(ch.Categories), 1)
	labelH := lineHeight(chartTextSize)
	plotH := h - labelH - 1
	slot := w / float64(n)
	colW := math.Min(slot*0.7, 24)
	for i, l := range ch.Categories {
		cx := x + float64(i)*slot + (slot-colW)/2
		total := ch.Total(i)
		top := y + plotH
		for k, s := range ch.Series {
			if i >= len(s.Values) || s.Values[i] <= 0 || total <= 0 {
				continue
			}
			share := s.Values[i] / total
			sh := plotH * share
			top -= sh
			c.fillRGB(SeriesColor(k))
			c.rect(cx, top, colW, sh)
			if sh >= lineHeight(chartTextSize) && colW >= 8 {
				c.text(cx, top+(sh-lineHeight(chartTextSize))/2, colW, FormatShare(share), chartTextSize, AlignCenter, false)
			}
		}
		c.text(x+float64(i)*slot, y+plotH+1, slot, c.face.clean(l), chartTextSize, AlignCenter, false)
	}
}

// lines2 draws a line chart (named so beside canvas.lines, which wraps text).
func (c *canvas) lines2(x, y, w, h float64, ch Chart) {
	n := max(len(ch.Categories), 1)
	labelH := lineHeight(chartTextSize)
	top := y + labelH // room for the value above the highest point
	plotH := h - 2*labelH - 1
	slot := w / float64(n)
	peak := ch.Peak()
	if peak <= 0 {
		peak = 1
	}
	c.strokeGrey(200)
	c.line(x, top+plotH, x+w, top+plotH)
	for k, s := range ch.Series {
		var px, py float64
		for i := range ch.Categories {
			v := 0.0
			if i < len(s.Values) {
				v = s.Values[i]
			}
			cx := x + float64(i)*slot + slot/2
			cy := top + plotH*(1-v/peak)
			c.strokeRGB(SeriesColor(k), 0.6)
			if i > 0 {
				c.line(px, py, cx, cy)
			}
			c.fillRGB(SeriesColor(k))
			c.rect(cx-0.9, cy-0.9, 1.8, 1.8)
			c.text(cx-slot/2, cy-labelH-0.5, slot, FormatCount(v), chartTextSize, AlignCenter, false)
			px, py = cx, cy
		}
	}
	for i, l := range ch.Categories {
		c.text(x+float64(i)*slot, top+plotH+1, slot, c.face.clean(l), chartTextSize, AlignCenter, false)
	}
	c.strokeGrey(0)
}

func (c *canvas) fillRGB(col color.NRGBA) {
	if c.drawing() {
		c.pdf.SetFillColor(int(col.R), int(col.G), int(col.B))
	}
}

func (c *canvas) rect(x, y, w, h float64) {
	if c.drawing() {
		c.pdf.Rect(x, y, w, h, "F")
	}
}

func (c *canvas) line(x1, y1, x2, y2 float64) {
	if c.drawing() {
		c.pdf.Line(x1, y1, x2, y2)
	}
}

func (c *canvas) strokeRGB(col color.NRGBA, width float64) {
	if c.drawing() {
		c.pdf.SetDrawColor(int(col.R), int(col.G), int(col.B))
		c.pdf.SetLineWidth(width)
	}
}

func (c *canvas) strokeGrey(g int) {
	if c.drawing() {
		c.pdf.SetDrawColor(g, g, g)
		c.pdf.SetLineWidth(lineWidth)
	}
}
