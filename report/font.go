package report

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"

	"codeberg.org/go-pdf/fpdf"

	"titledesk/assets"
)

// Font families registered in every document: the CJK face, and the rare
// face for what it lacks (registered only when a document needs it).
const (
	fontFamily = "cjk"
	rareFamily = "cjkrare"
)

// replacementRune stands in for characters neither font can draw (control
// characters, scripts we do not embed) so nothing is silently dropped from
// an official record; MissingGlyphs names them before printing.
const replacementRune = '□'

// puaFirst..puaLast is the Private Use Area block the rare face's subset
// maps supplementary-plane characters to, per document: fpdf reads only
// format 4 (BMP) cmaps. The text is tagged with its real characters
// (ActualText), so copying and searching the PDF give them back.
const (
	puaFirst rune = 0xE000
	puaLast  rune = 0xF8FF
)

// fontFile is one parsed TrueType font with the advances fpdf will use.
type fontFile struct {
	ttf    *ttfFont
	widths []uint16        // BMP rune -> advance in 1/1000 em as fpdf rounds it; 0 = cannot draw
	high   map[rune]uint16 // the same for supplementary-plane runes
}

func newFontFile(data []byte) (*fontFile, error) {
	t, err := parseTTF(data)
	if err != nil {
		return nil, err
	}
	f := &fontFile{ttf: t, widths: make([]uint16, 0x10000), high: map[rune]uint16{}}
	scale := 1000 / float64(t.unitsPerEm)
	// fpdf rounds the same way (utf8fontfile.go parseHMTXTable).
	width := func(g uint16) uint16 {
		if w := int(scale*float64(t.advance(int(g))) + 0.5); w > 0 && w < 0xFFFF {
			return uint16(w)
		}
		return 0
	}
	for r, g := range t.cmap {
		if g != 0 && r != 0 && r != 0xFFFF {
			f.widths[r] = width(g)
		}
	}
	for r, g := range t.cmapHigh {
		if w := width(g); g != 0 && w != 0 {
			f.high[r] = w
		}
	}
	return f, nil
}

// advance is r's width in 1/1000 em, 0 if the font cannot draw it.
func (f *fontFile) advance(r rune) uint16 {
	if r >= 0 && r < 0x10000 {
		return f.widths[r]
	}
	return f.high[r]
}

// face is what reports print with: WenQuanYi Micro Hei, and for the rare
// name characters it lacks (CJK Extensions A and B, …) the rare face,
// inflated on first need. Parsed once, measured without fpdf (the layout
// pass runs before the document exists), subset per document.
type face struct {
	ttf    *ttfFont
	widths []uint16 // the main font's advances (fontFile.widths)
	main   *fontFile
}

var (
	faceOnce sync.Once
	faceVal  *face
	faceErr  error

	rareOnce sync.Once
	rareVal  *fontFile
	rareErr  error
)

// loadFace parses assets.FontCJK on first use.
func loadFace() (*face, error) {
	faceOnce.Do(func() {
		f, err := newFontFile(assets.FontCJK)
		if err != nil {
			faceErr = fmt.Errorf("report: parse CJK font: %w", err)
			return
		}
		if f.widths[replacementRune] == 0 || f.widths[' '] == 0 {
			faceErr = fmt.Errorf("report: CJK font lacks %q or space", replacementRune)
			return
		}
		faceVal = &face{ttf: f.ttf, widths: f.widths, main: f}
	})
	return faceVal, faceErr
}

// rare inflates and parses assets.FontHanFallback on first use (~25 MB,
// only when some document has a character the main font lacks). A broken
// rare font leaves those characters as □, named by MissingGlyphs.
func rare() *fontFile {
	rareOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(assets.FontHanFallback))
		if err == nil {
			var data []byte
			if data, err = io.ReadAll(zr); err == nil {
				rareVal, err = newFontFile(data)
			}
		}
		if err != nil {
			rareErr = fmt.Errorf("report: rare CJK font: %w", err)
		}
	})
	return rareVal
}

// inRare reports whether r is drawn with the rare face (the main font
// lacks it and the rare face has it).
func (f *face) inRare(r rune) bool {
	if f.main.advance(r) != 0 || r < 0x3400 || unicode.IsControl(r) {
		return false
	}
	rf := rare()
	return rf != nil && rf.advance(r) != 0
}

// advance is r's width in 1/1000 em in the face that draws it, 0 if none does.
func (f *face) advance(r rune) uint16 {
	if w := f.main.advance(r); w != 0 {
		return w
	}
	if f.inRare(r) {
		return rare().advance(r)
	}
	return 0
}

// has reports whether one of the fonts draws r (□ replaces what none does).
func (f *face) has(r rune) bool { return f.advance(r) != 0 }

// clean makes s printable with the face: tabs become spaces, CR and other
// control characters go, characters without a glyph become □. Newlines stay
// (wrap treats them as paragraph breaks). The common case returns s itself.
func (f *face) clean(s string) string {
	ok := true
	for _, r := range s {
		if r != '\n' && f.main.advance(r) == 0 {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteRune(' ')
		case unicode.IsControl(r) || r == 0xFEFF || r == 0x200B:
			// drop: CR, zero-width and other invisible characters
		case !f.has(r):
			b.WriteRune(replacementRune)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// width returns the advance of cleaned text s in mm at size pt.
func (f *face) width(s string, size float64) float64 {
	units := 0
	for _, r := range s {
		units += int(f.advance(r))
	}
	return float64(units) * size / 1000 * ptToMM
}

func (f *face) runeWidth(r rune, size float64) float64 {
	return float64(f.advance(r)) * size / 1000 * ptToMM
}

// fontRun is a piece of a cleaned line drawn with one font.
type fontRun struct {
	text string
	rare bool
}

// runs splits cleaned text s into pieces by the font that draws them; the
// common case (main font only) is one run.
func (f *face) runs(s string) []fontRun {
	var out []fontRun
	start, cur := 0, false
	for i, r := range s {
		isRare := f.inRare(r)
		if i > 0 && isRare != cur {
			out = append(out, fontRun{s[start:i], cur})
			start = i
		}
		cur = isRare
	}
	return append(out, fontRun{s[start:], cur})
}

// fonts are the fonts of one document: which rare characters it embeds and
// the code points they are written at.
type fonts struct {
	rare bool          // the rare face is registered
	pua  map[rune]rune // supplementary-plane rune -> its code in the rare subset
}

// register adds the subsets of the fonts holding runes to pdf and reports a
// font fpdf could not take (it only surfaces in Err, not as a panic).
func (f *face) register(pdf *fpdf.Fpdf, runes map[rune]struct{}) (*fonts, error) {
	list := make([]rune, 0, len(runes)+1)
	var rareList []rune
	for r := range runes {
		if f.inRare(r) {
			rareList = append(rareList, r)
		} else {
			list = append(list, r)
		}
	}
	// Page totals are only known in the drawing pass: embed every digit.
	list = append(list, replacementRune, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9')
	pdf.AddUTF8FontFromBytes(fontFamily, "", f.ttf.subset(list, nil))
	if pdf.Err() {
		return nil, fmt.Errorf("report: register CJK font: %w", pdf.Error())
	}
	doc := &fonts{}
	if len(rareList) > 0 {
		slices.Sort(rareList)
		doc.rare, doc.pua = true, map[rune]rune{}
		next := puaFirst
		for _, r := range rareList {
			if r >= 0x10000 && next <= puaLast { // more than 6,400 distinct ones: see runeCode
				doc.pua[r] = next
				next++
			}
		}
		pdf.AddUTF8FontFromBytes(rareFamily, "", rare().ttf.subset(rareList, doc.pua))
		if pdf.Err() {
			return nil, fmt.Errorf("report: register rare CJK font: %w", pdf.Error())
		}
	}
	pdf.SetFont(fontFamily, "", 10)
	if pdf.Err() {
		return nil, fmt.Errorf("report: select CJK font: %w", pdf.Error())
	}
	return doc, nil
}

// encode is a rare run as written into the document: supplementary-plane
// characters at their code in the subset (□ for one beyond the Private Use
// Area, which no real document reaches), and the run's real text for
// ActualText as UTF-16BE hex, or "" when the two are the same.
func (d *fonts) encode(s string) (code, actual string) {
	var b strings.Builder
	mapped := false
	for _, r := range s {
		if r < 0x10000 {
			b.WriteRune(r)
			continue
		}
		mapped = true
		if c, ok := d.pua[r]; ok {
			b.WriteRune(c)
		} else {
			b.WriteRune(replacementRune)
		}
	}
	if !mapped {
		return s, ""
	}
	var hex strings.Builder
	hex.WriteString("FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&hex, "%04X", u)
	}
	return b.String(), hex.String()
}
