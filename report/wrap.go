package report

import (
	"strings"

	"titledesk/internal/linebreak"
)

// wrap splits cleaned text into lines no wider than w mm at size pt, by
// the Chinese line-breaking rules of internal/linebreak. Newlines are hard
// breaks; an empty text gives no lines.
func (f *face) wrap(text string, w, size float64) []string {
	if text == "" {
		return nil
	}
	var lines []string
	width := func(r rune) float64 { return f.runeWidth(r, size) }
	for para := range strings.SplitSeq(text, "\n") {
		rs := []rune(para)
		if len(rs) == 0 {
			lines = append(lines, "")
			continue
		}
		start := 0
		for _, next := range append(linebreak.Starts(rs, w, width), len(rs)) {
			lines = append(lines, strings.TrimRight(string(rs[start:next]), " "))
			start = next
		}
	}
	return lines
}
