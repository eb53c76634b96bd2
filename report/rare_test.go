package report

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
)

// TestRareNameCharactersPrint: a name with a CJK Extension A character
// (王䶮) or Extension B characters (𠀾, 𪚥, 𠮷 — in the BMP's Private Use Area
// in the document, tagged with their real text) prints them with the
// fallback face: pdftotext finds the name, and the rendered page has ink
// in each character's box, as much as an ordinary character has.
func TestRareNameCharactersPrint(t *testing.T) {
	requirePoppler(t)
	for _, name := range []string{"王䶮", "张𠀾", "𪚥", "李𠮷明", "王䶮𠀾𪚥"} {
		t.Run(name, func(t *testing.T) {
			in := panelFixture()
			in.Applicant.Name = name
			in.Application.Achievements = "申报人" + name + "主持设计" // the same in a wrapped paragraph
			path := savePDF(t, sheetPDF(t, in))
			fontsEmbedded(t, path)
			all := text(t, path, 1)
			if strings.Count(all, name) < 2 {
				t.Fatalf("%q not extracted twice from page 1:\n%s", name, all)
			}
			page := render(t, path)
			found := 0
			for _, w := range words(t, path, 1) {
				rs := []rune(w.text)
				if !strings.Contains(w.text, name) || len(rs) != len([]rune(name)) {
					continue // only words that are the name alone (the 姓名 cell)
				}
				found++
				per := (w.xMax - w.xMin) / float64(len(rs))
				for i, r := range rs {
					x0 := w.xMin + float64(i)*per
					ink := inkIn(page, x0, w.yMin, x0+per, w.yMax)
					t.Logf("%q: %.1f%% ink", r, ink*100)
					if ink < 0.04 {
						t.Errorf("%q: %.0f%% ink in its box, a blank or missing glyph", r, ink*100)
					}
				}
			}
			if found == 0 {
				t.Fatalf("no word is the name %q", name)
			}
		})
	}
}

// TestRareRunsKeepWidths: a line mixing both fonts is measured with each
// character's own advance, so wrapping keeps lines within their width.
func TestRareRunsKeepWidths(t *testing.T) {
	face, err := loadFace()
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("王䶮𠀾伟", 40)
	if w := face.width("王䶮𠀾伟", 10); w < 3.9*10*ptToMM || w > 4.1*10*ptToMM {
		t.Fatalf("four ideographs are %.2f mm at 10 pt", w)
	}
	for _, l := range face.wrap(line, 50, 10) {
		if w := face.width(l, 10); w > 50+0.001 {
			t.Errorf("line %q is %.1f mm wide, limit 50", l, w)
		}
	}
	got := face.runs("王䶮𠀾伟A")
	want := []fontRun{{"王", false}, {"䶮𠀾", true}, {"伟A", false}}
	if len(got) != len(want) {
		t.Fatalf("runs = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("run %d = %v, want %v", i, got[i], want[i])
		}
	}
}

// render draws page 1 at 150 dpi.
func render(t *testing.T, path string) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(run(t, "pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", path)))
	if err != nil {
		t.Fatalf("decode rendered page: %v", err)
	}
	return img
}

// inkIn is the share of dark pixels in the box given in points.
func inkIn(img image.Image, x0, y0, x1, y1 float64) float64 {
	const k = 150.0 / 72
	ink, all := 0, 0
	for y := int(y0 * k); y < int(y1*k); y++ {
		for x := int(x0 * k); x < int(x1*k); x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			all++
			if r+g+b < 3*0x8000 {
				ink++
			}
		}
	}
	if all == 0 {
		return 0
	}
	return float64(ink) / float64(all)
}
