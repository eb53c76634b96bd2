package report

import (
	"strings"
	"unicode"
)

// Chinese line-breaking rules (禁则): these never start a line…
const noLineStart = "，。、；：？！）】》」』〉〕”’…—·%‰,.;:?!)]}>"

// …and these never end one.
const noLineEnd = "（【《「『〈〔“‘([{<"

// isWide reports characters that may be broken before and after, like
// ideographs and full-width punctuation; runs of other characters (Latin
// words, numbers, ID numbers) are kept together unless they are longer than
// a line.
func isWide(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x30FF) || // CJK punctuation, kana
		(r >= 0xFF00 && r <= 0xFFEF) || // full-width forms
		(r >= 0xAC00 && r <= 0xD7AF)) // Hangul
}

// wrap splits cleaned text into lines no wider than w mm at size pt.
// Newlines are hard breaks; an empty text gives no lines.
func (f *face) wrap(text string, w, size float64) []string {
	if text == "" {
		return nil
	}
	var lines []string
	for para := range strings.SplitSeq(text, "\n") {
		lines = f.wrapParagraph(lines, []rune(para), w, size)
	}
	return lines
}

func canBreakBefore(rs []rune, i int) bool {
	prev, cur := rs[i-1], rs[i]
	if strings.ContainsRune(noLineStart, cur) || strings.ContainsRune(noLineEnd, prev) {
		return false
	}
	if cur == ' ' {
		return false // break after the spaces, not before them
	}
	return prev == ' ' || isWide(prev) || isWide(cur)
}

func (f *face) wrapParagraph(lines []string, rs []rune, w, size float64) []string {
	if len(rs) == 0 {
		return append(lines, "")
	}
	emit := func(a, b int) {
		for b > a && rs[b-1] == ' ' {
			b--
		}
		lines = append(lines, string(rs[a:b]))
	}
	start, lastBreak := 0, -1
	lineW := 0.0
	for i := 0; i < len(rs); i++ {
		if i > start && canBreakBefore(rs, i) {
			lastBreak = i
		}
		rw := f.runeWidth(rs[i], size)
		if lineW+rw <= w || i == start || rs[i] == ' ' {
			lineW += rw
			continue
		}
		// rs[i] does not fit: end the line at the last break opportunity,
		// or cut here when the line is one unbreakable run.
		end := i
		if lastBreak > start {
			end = lastBreak
		}
		emit(start, end)
		for end < len(rs) && rs[end] == ' ' {
			end++
		}
		start, lastBreak, lineW = end, -1, 0
		i = start - 1
	}
	if start < len(rs) {
		emit(start, len(rs))
	}
	return lines
}
