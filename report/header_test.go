package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// word is one word pdftotext -bbox found, in points from the page's top left.
type word struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

var bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// words are the words of one page (1-based) with their boxes.
func words(t *testing.T, path string, page int) []word {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), path, "-")
	var ws []word
	for _, m := range bboxWord.FindAllStringSubmatch(string(out), -1) {
		f := func(i int) float64 { v, _ := strconv.ParseFloat(m[i], 64); return v }
		ws = append(ws, word{m[5], f(1), f(2), f(3), f(4)})
	}
	return ws
}

// TestRunningHeaderNeverOverlaps: on a continuation page the running
// header's title, applicant and number never overlap, for every name length
// a name may have (a 12-character minority name, 20 characters, 30).
func TestRunningHeaderNeverOverlaps(t *testing.T) {
	requirePoppler(t)
	names := map[string]string{
		"short":         "王伟",
		"12 characters": "阿卜杜热合曼·买买提艾力",
		"20 characters": "阿卜杜热合曼·买买提艾力·吐尔逊江",
		"30 characters": "阿卜杜热合曼·买买提艾力·吐尔逊江·艾合买提·热依拉",
	}
	for name, applicant := range names {
		t.Run(name, func(t *testing.T) {
			in := longFlowFixture(800)
			in.Applicant.Name = applicant
			path := savePDF(t, sheetPDF(t, in))
			if pageCount(t, path) < 2 {
				t.Fatal("the fixture has no continuation page")
			}
			var header []word
			for _, w := range words(t, path, 2) {
				if w.yMax < margin*72/25.4 { // above the content box: the running header
					header = append(header, w)
				}
			}
			joined := ""
			for _, w := range header {
				joined += w.text
			}
			if !strings.Contains(joined, "续页") || !strings.Contains(joined, strings.ReplaceAll(applicant, "·", "")[:3]) {
				t.Fatalf("header words %q", joined)
			}
			for i, a := range header {
				for _, b := range header[i+1:] {
					if a.xMin < b.xMax-0.5 && b.xMin < a.xMax-0.5 && a.yMin < b.yMax-0.5 && b.yMin < a.yMax-0.5 {
						t.Errorf("%q %v overlaps %q %v", a.text, box(a), b.text, box(b))
					}
				}
			}
		})
	}
}

func box(w word) string {
	return fmt.Sprintf("[%.0f,%.0f–%.0f,%.0f]", w.xMin, w.yMin, w.xMax, w.yMax)
}

// TestMissingGlyphsAreNamed: characters neither font can draw — an emoji,
// an Extension G ideograph — are listed before printing, once each and
// sorted; rare name characters the fallback draws (Extensions A and B) and a
// sheet the main font covers list none.
func TestMissingGlyphsAreNamed(t *testing.T) {
	in := panelFixture()
	if got, err := MissingGlyphs([]SheetInput{in}); err != nil || got != nil {
		t.Fatalf("a covered sheet: %q, %v", got, err)
	}
	in.Applicant.Name = "王䶮𠀾"
	in.Application.Achievements = "𪚥 和 䶮"
	if got, err := MissingGlyphs([]SheetInput{in}); err != nil || got != nil {
		t.Fatalf("rare characters the fallback draws: %q, %v", string(got), err)
	}
	in.Application.Achievements = "\U00030000 😀 和 \U00030000"
	got, err := MissingGlyphs([]SheetInput{in, panelFixture()})
	if err != nil || string(got) != "😀\U00030000" {
		t.Fatalf("missing = %q, %v; want 😀 and U+30000", string(got), err)
	}
}
