package report

import (
	"math"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
)

const (
	ptToMM = 25.4 / 72
	margin = 20.0 // mm, all four sides of the content box

	padX = 1.6 // mm, text inset inside a cell
	padY = 1.2

	lineSpacing = 1.42 // line height / font size

	// A row taller than this is split across pages rather than moved whole
	// to the next page (a long opinion must not leave a half-empty page).
	maxUnsplitRow = 50.0
)

// Colours of the form, as grey levels.
const (
	greyLabel   = 242 // label cells
	greyHeading = 224 // section headings and table headers
	greyFooter  = 90  // running header and footer text
)

// Align is the horizontal alignment of text in a cell.
type Align int

// Alignments; the zero value is AlignLeft.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// canvas lays out one report (a sheet, or a table report) page by page. The
// same layout code runs twice: first with pdf == nil to count pages and
// collect the characters to embed, then drawing for real with the page total
// known. Measuring uses the face's own metrics, so both passes break pages at
// exactly the same places.
type canvas struct {
	pdf   *fpdf.Fpdf // nil in the measuring pass
	face  *face
	fonts *fonts            // the drawing pass: the document's fonts
	runes map[rune]struct{} // measuring pass: every character printed
	// missing (measuring pass, may be nil) collects the characters the face
	// has no glyph for, which print as □.
	missing map[rune]struct{}

	width, height float64 // page size, mm
	left, right   float64 // content box, mm
	top, bottom   float64
	y             float64 // next free line, mm

	page, total int // page within this report, and the total (drawing pass)

	// inset is the text inset inside a cell in mm; 0 is padX. A fitted
	// table in small type insets less (fitInset).
	inset float64

	size float64 // current font size in the document, pt
	grey int     // current text grey level

	pageHeader func() // draws furniture at the top of a page, may move y
	pageFooter func() // draws furniture at the bottom of a page
	onBreak    func() // called after a page break inside a table (repeats its header)
}

func (c *canvas) drawing() bool { return c.pdf != nil }

func (c *canvas) contentWidth() float64 { return c.right - c.left }

// beginPage starts the report's first page or a new one.
func (c *canvas) beginPage() {
	c.page++
	if c.drawing() {
		c.pdf.AddPage()
		c.size = 0 // AddPage re-selects the font; force our next SetFontSize
		c.grey = -1
	}
	c.y = c.top
	if c.pageHeader != nil {
		c.pageHeader()
	}
}

func (c *canvas) endPage() {
	if c.pageFooter != nil {
		c.pageFooter()
	}
}

// breakPage moves to a new page and lets the current table repeat its header.
func (c *canvas) breakPage() {
	c.endPage()
	c.beginPage()
	if c.onBreak != nil {
		c.onBreak()
	}
}

// keep breaks the page unless h mm are left.
func (c *canvas) keep(h float64) {
	if c.y+h > c.bottom+0.01 {
		c.breakPage()
	}
}

func (c *canvas) remaining() float64 { return c.bottom - c.y }

func lineHeight(size float64) float64 { return size * ptToMM * lineSpacing }

// lines cleans and wraps text for a cell of width w (padding included).
func (c *canvas) lines(text string, w, size float64) []string {
	c.noteMissing(text)
	text = c.face.clean(text)
	if !c.drawing() {
		for _, r := range text {
			c.runes[r] = struct{}{}
		}
	}
	return c.face.wrap(text, w-2*c.insetX(), size)
}

// insetX is the text inset inside a cell, mm.
func (c *canvas) insetX() float64 {
	if c.inset > 0 {
		return c.inset
	}
	return padX
}

func (c *canvas) setSize(size float64) {
	if c.size != size {
		c.pdf.SetFontSize(size)
		c.size = size
	}
}

func (c *canvas) setGrey(g int) {
	if c.grey != g {
		c.pdf.SetTextColor(g, g, g)
		c.grey = g
	}
}

// text draws one cleaned line with its baseline placed so the line sits
// centred in a line box whose top is at y.
func (c *canvas) text(x, y, w float64, s string, size float64, a Align, bold bool) {
	if !c.drawing() {
		for _, r := range s {
			c.runes[r] = struct{}{}
		}
		return
	}
	if s == "" {
		return
	}
	switch a {
	case AlignCenter:
		x += (w - c.face.width(s, size)) / 2
	case AlignRight:
		x += w - c.face.width(s, size)
	}
	lh := lineHeight(size)
	// Ideographs fill roughly 0.88 em above to 0.12 em below the baseline.
	base := y + lh/2 + 0.36*size*ptToMM
	c.setSize(size)
	if bold {
		// The face has no bold: fill and stroke the outlines (text render
		// mode 2) for a faux bold that extracts as text only once.
		c.pdf.SetTextRenderingMode(2)
		c.pdf.SetLineWidth(size * ptToMM * 0.03)
	}
	if c.fonts == nil || !c.fonts.rare {
		c.pdf.Text(x, base, s)
	} else {
		for _, r := range c.face.runs(s) {
			c.drawRun(x, base, r, size)
			x += c.face.width(r.text, size)
		}
	}
	if bold {
		c.pdf.SetTextRenderingMode(0)
		c.pdf.SetLineWidth(lineWidth)
	}
}

// drawRun draws one run of a line in its font; a rare run with
// supplementary-plane characters is written at their Private Use Area codes
// inside a marked-content span whose ActualText holds the real characters.
func (c *canvas) drawRun(x, base float64, r fontRun, size float64) {
	if !r.rare {
		c.pdf.Text(x, base, r.text)
		return
	}
	code, actual := c.fonts.encode(r.text)
	c.pdf.SetFont(rareFamily, "", size)
	if actual != "" {
		c.pdf.RawWriteStr("/Span <</ActualText <" + actual + ">>> BDC")
	}
	c.pdf.Text(x, base, code)
	if actual != "" {
		c.pdf.RawWriteStr("EMC")
	}
	c.pdf.SetFont(fontFamily, "", size)
}

// furnitureWidth is the width of a running-header string at furnitureSize.
func (c *canvas) furnitureWidth(s string) float64 {
	return c.face.width(c.face.clean(s), furnitureSize)
}

// textLine measures and draws a single unwrapped string (furniture, titles).
func (c *canvas) textLine(x, y, w float64, s string, size float64, a Align, bold bool) {
	c.noteMissing(s)
	c.text(x, y, w, c.face.clean(s), size, a, bold)
}

// noteMissing records, in the measuring pass, the characters of s that
// will print as □.
func (c *canvas) noteMissing(s string) {
	if c.missing == nil || c.drawing() {
		return
	}
	for _, r := range s {
		if !unicode.IsControl(r) && !c.face.has(r) {
			c.missing[r] = struct{}{}
		}
	}
}

const lineWidth = 0.2 // mm, every rule of the form

func (c *canvas) box(x, y, w, h float64, fill int, border bool) {
	if !c.drawing() {
		return
	}
	style := ""
	if fill >= 0 {
		c.pdf.SetFillColor(fill, fill, fill)
		style = "F"
	}
	if border {
		style += "D"
	}
	if style != "" {
		c.pdf.Rect(x, y, w, h, style)
	}
}

func (c *canvas) hline(x1, x2, y float64) {
	if c.drawing() {
		c.pdf.Line(x1, y, x2, y)
	}
}

// cell is one cell of a table row.
type cell struct {
	text  string
	w     float64 // mm
	size  float64 // pt
	align Align
	fill  int  // grey level, -1 for none
	bold  bool // faux bold
	// top aligns the text to the top of the row instead of centring it.
	top bool
}

type laidCell struct {
	cell
	lines []string
	lh    float64
}

// row draws a bordered table row whose height fits the tallest cell. A row
// that does not fit moves to the next page; one taller than maxUnsplitRow
// continues across pages instead (onBreak repeats the table header). On a
// continuation, a cell whose text is used up shows cont(i) if cont is set
// (the step number and "续", so a torn-off page still says whose row it is).
func (c *canvas) row(cells []cell, minH float64, cont func(i int) string) {
	laid := make([][]string, len(cells))
	h := minH
	for i, cl := range cells {
		laid[i] = c.lines(cl.text, cl.w, cl.size)
		h = math.Max(h, float64(len(laid[i]))*lineHeight(cl.size)+2*padY)
	}
	if h > c.remaining()+0.01 && h <= maxUnsplitRow {
		c.breakPage()
	}
	if h <= c.remaining()+0.01 {
		c.drawCells(cells, laid, h, false)
		return
	}
	// Split: as many lines of every cell as fit, then the rest on the next
	// page(s). At least three lines per piece, or the piece starts a page.
	minLines := 3 * lineHeight(cells[0].size)
	for first := true; ; first = false {
		if c.remaining()-2*padY < minLines {
			c.breakPage()
		}
		room := c.remaining() - 2*padY
		piece := make([][]string, len(cells))
		pieceH := minH
		done := true
		for i, cl := range cells {
			n := min(len(laid[i]), int(room/lineHeight(cl.size)))
			piece[i], laid[i] = laid[i][:n], laid[i][n:]
			if len(laid[i]) > 0 {
				done = false
			}
			if n == 0 && !first && cont != nil {
				piece[i] = c.lines(cont(i), cl.w, cl.size)
			}
			pieceH = math.Max(pieceH, float64(len(piece[i]))*lineHeight(cl.size)+2*padY)
		}
		c.drawCells(cells, piece, pieceH, true)
		if done {
			return
		}
		c.breakPage()
	}
}

// drawCells draws one row (or one piece of a split row) of height h at y
// and advances y. Pieces of a split row align every cell to the top.
func (c *canvas) drawCells(cells []cell, lines [][]string, h float64, top bool) {
	x := c.left
	for i, cl := range cells {
		c.box(x, c.y, cl.w, h, cl.fill, true)
		lh := lineHeight(cl.size)
		ty := c.y + padY
		if !cl.top && !top {
			ty = c.y + (h-float64(len(lines[i]))*lh)/2
		}
		for k, s := range lines[i] {
			c.text(x+c.insetX(), ty+float64(k)*lh, cl.w-2*c.insetX(), s, cl.size, cl.align, cl.bold)
		}
		x += cl.w
	}
	c.y += h
}

func (c *canvas) setGreyIfDrawing(g int) {
	if c.drawing() {
		c.setGrey(g)
	}
}
