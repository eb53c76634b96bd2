// Package linebreak is the one rule for breaking Chinese text into lines,
// shared by the printed sheets (report) and the 审核意见 box (ui): ideographs
// and full-width punctuation may break before and after, runs of other
// characters (Latin words, numbers, ID numbers) stay whole unless longer
// than a line, and the line-breaking rules (禁则) keep closing punctuation
// off a line's start and opening brackets off its end.
package linebreak

import (
	"strings"
	"unicode"
)

// Chinese line-breaking rules (禁则): these never start a line…
const noLineStart = "，。、；：？！）】》」』〉〕”’…—·%‰,.;:?!)]}>"

// …and these never end one.
const noLineEnd = "（【《「『〈〔“‘([{<"

// IsWide reports characters that may be broken before and after, like
// ideographs and full-width punctuation.
func IsWide(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x30FF) || // CJK punctuation, kana
		(r >= 0xFF00 && r <= 0xFFEF) || // full-width forms
		(r >= 0xAC00 && r <= 0xD7AF)) // Hangul
}

func canBreakBefore(rs []rune, i int) bool {
	prev, cur := rs[i-1], rs[i]
	if strings.ContainsRune(noLineStart, cur) || strings.ContainsRune(noLineEnd, prev) {
		return false
	}
	if cur == ' ' {
		return false // break after the spaces, not before them
	}
	return prev == ' ' || IsWide(prev) || IsWide(cur)
}

// Starts breaks one paragraph (no newline in it) into lines no wider than
// w, each rune as wide as width says (any unit, w in the same), and returns
// the index where each line after the first starts, ascending. Spaces at a
// break stay at the end of the line before (a caller drawing lines trims
// them); a line holds at least one rune. The cost is linear in len(rs).
func Starts(rs []rune, w float64, width func(rune) float64) []int {
	var starts []int
	start, lastBreak := 0, -1
	lineW := 0.0
	for i := 0; i < len(rs); i++ {
		if i > start && canBreakBefore(rs, i) {
			lastBreak = i
		}
		rw := width(rs[i])
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
		for end < len(rs) && rs[end] == ' ' {
			end++
		}
		if end >= len(rs) {
			break
		}
		starts = append(starts, end)
		start, lastBreak, lineW = end, -1, 0
		i = start - 1
	}
	return starts
}
