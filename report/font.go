package report

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"codeberg.org/go-pdf/fpdf"

	"titledesk/assets"
)

// fontFamily is the name the CJK face is registered under in every document.
const fontFamily = "cjk"

// replacementRune stands in for characters the font cannot draw (rare
// characters outside the BMP, control characters) so nothing is silently
// dropped from an official record.
const replacementRune = '□'

// face is the CJK font: parsed once, measured without fpdf (the layout pass
// runs before the document exists), subset per document.
type face struct {
	ttf    *ttfFont
	widths []uint16 // BMP rune -> advance in 1/1000 em as fpdf rounds it; 0 = cannot draw
}

var (
	faceOnce sync.Once
	faceVal  *face
	faceErr  error
)

// loadFace parses assets.FontCJK on first use.
func loadFace() (*face, error) {
	faceOnce.Do(func() {
		t, err := parseTTF(assets.FontCJK)
		if err != nil {
			faceErr = fmt.Errorf("report: parse CJK font: %w", err)
			return
		}
		f := &face{ttf: t, widths: make([]uint16, 0x10000)}
		scale := 1000 / float64(t.unitsPerEm)
		for r, g := range t.cmap {
			if g == 0 || r == 0 || r == 0xFFFF {
				continue
			}
			// fpdf rounds the same way (utf8fontfile.go parseHMTXTable).
			if w := int(scale*float64(t.advance(int(g))) + 0.5); w > 0 && w < 0xFFFF {
				f.widths[r] = uint16(w)
			}
		}
		if f.widths[replacementRune] == 0 || f.widths[' '] == 0 {
			faceErr = fmt.Errorf("report: CJK font lacks %q or space", replacementRune)
			return
		}
		faceVal = f
	})
	return faceVal, faceErr
}

// has reports whether the face draws r (□ replaces what it does not).
func (f *face) has(r rune) bool { return r < 0x10000 && f.widths[r] != 0 }

// clean makes s printable with the face: tabs become spaces, CR and other
// control characters go, characters without a glyph become □. Newlines stay
// (wrap treats them as paragraph breaks). The common case returns s itself.
func (f *face) clean(s string) string {
	ok := true
	for _, r := range s {
		if r != '\n' && (r >= 0x10000 || f.widths[r] == 0) {
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
		case r >= 0x10000 || f.widths[r] == 0:
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
		if r < 0x10000 {
			units += int(f.widths[r])
		}
	}
	return float64(units) * size / 1000 * ptToMM
}

func (f *face) runeWidth(r rune, size float64) float64 {
	if r >= 0x10000 {
		return 0
	}
	return float64(f.widths[r]) * size / 1000 * ptToMM
}

// register adds the subset of the face holding runes to pdf and reports a
// font fpdf could not take (it only surfaces in Err, not as a panic).
func (f *face) register(pdf *fpdf.Fpdf, runes map[rune]struct{}) error {
	list := make([]rune, 0, len(runes)+1)
	for r := range runes {
		list = append(list, r)
	}
	// Page totals are only known in the drawing pass: embed every digit.
	list = append(list, replacementRune, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9')
	pdf.AddUTF8FontFromBytes(fontFamily, "", f.ttf.subset(list))
	if pdf.Err() {
		return fmt.Errorf("report: register CJK font: %w", pdf.Error())
	}
	pdf.SetFont(fontFamily, "", 10)
	if pdf.Err() {
		return fmt.Errorf("report: select CJK font: %w", pdf.Error())
	}
	return nil
}
