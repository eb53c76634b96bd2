package model

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The text rules every input goes through before it is validated, on the
// client before a command is queued and on the server before it is applied
// (CleanInput). Three groups of characters are treated differently:
//
//   - invisible formatting that web pages and word processors leave in
//     copied text is removed silently (isStrippedInvisible);
//   - characters that make stored text differ from what a reader sees are
//     refused with a field message (forbiddenRune): C0 and C1 controls other
//     than newline and tab, DEL, the bidirectional embeddings, overrides and
//     isolates (the "Trojan Source" characters, CVE-2021-42574), Unicode tag
//     characters, interlinear annotation marks, noncharacters, lone
//     surrogates and invalid UTF-8;
//   - line and paragraph separators become newlines.
//
// Everything else is kept as typed: Chinese punctuation, the ideographic
// space, emoji (with their zero-width joiners) and CJK compatibility
// ideographs in names.

// isStrippedInvisible reports the invisible format characters removed from
// every input: soft hyphen, combining grapheme joiner, Arabic letter mark,
// Hangul fillers, Mongolian vowel separator and free variation selectors'
// neighbour U+180E, zero-width space, left-to-right and right-to-left marks,
// word joiner and the invisible operators, zero-width no-break space (BOM)
// and the halfwidth Hangul filler. The bidirectional marks U+200E/U+200F/U+061C
// are stripped rather than refused: they cannot reorder text the way
// embeddings, overrides and isolates do, and pasted web text is full of them.
func isStrippedInvisible(r rune) bool {
	switch r {
	case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E,
		0x200B, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064,
		0x3164, 0xFEFF, 0xFFA0:
		return true
	}
	return false
}

// forbiddenRune names a character refused in every text field, or "".
func forbiddenRune(r rune) string {
	switch {
	case r == utf8.RuneError: // U+FFFD: what broken encoding leaves behind
		return "无效的字符编码"
	case r == '\n' || r == '\t':
		return ""
	case r < 0x20 || r == 0x7F:
		return "控制字符"
	case r >= 0x80 && r <= 0x9F:
		return "控制字符"
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return "文字方向控制符"
	case r >= 0x206A && r <= 0x206F: // deprecated format characters (symmetric swapping, shaping)
		return "格式控制符"
	case r >= 0xE0000 && r <= 0xE007F: // tag characters: invisible text
		return "不可见的标签字符"
	case r >= 0xFFF9 && r <= 0xFFFB: // interlinear annotation
		return "格式控制符"
	case r >= 0xD800 && r <= 0xDFFF:
		return "无效的字符编码"
	case r >= 0xFDD0 && r <= 0xFDEF, r&0xFFFE == 0xFFFE:
		return "非字符码位"
	}
	return ""
}

// TextProblem explains why s may not be stored in a text field, or returns
// "". It names the first offending character by position (counted from 1)
// and code point, never the surrounding text.
func TextProblem(s string) string {
	pos := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		pos++
		if r == utf8.RuneError && size <= 1 {
			return fmt.Sprintf("第%d个字符编码无效，请删除后重新输入", pos)
		}
		if what := forbiddenRune(r); what != "" {
			return fmt.Sprintf("第%d个字符是不允许的%s（U+%04X），请删除后重新输入", pos, what, r)
		}
		i += size
	}
	return ""
}

// CleanText is the normalization of free text (opinions, reasons, message
// bodies, unit names, addresses…): CR LF, CR and the Unicode line and
// paragraph separators become LF, the no-break spaces become ordinary spaces,
// invisible format characters are removed and surrounding white space
// (including the ideographic space) is trimmed. No Unicode normalization
// form is applied: NFKC would turn Chinese full-width punctuation (，：（）)
// into ASCII. Characters TextProblem refuses are kept so that it can name
// them; bytes that are not UTF-8 become U+FFFD, which it refuses too.
// CleanText is idempotent.
func CleanText(s string) string {
	if isPlainASCII(s) {
		return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError) // as JSON decoding does; TextProblem refuses it
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // the LF follows
			}
			b.WriteByte('\n')
		case r == 0x2028 || r == 0x2029:
			b.WriteByte('\n')
		case r == 0x00A0 || r == 0x2007 || r == 0x202F:
			b.WriteByte(' ')
		case isStrippedInvisible(r):
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimFunc(b.String(), unicode.IsSpace)
}

// isPlainASCII reports printable ASCII plus tab and newline: the common case,
// which needs no rune decoding.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c == '\r' {
			return false
		}
	}
	return true
}

// SingleLine collapses every run of white space (newlines, tabs, the
// ideographic space) into one ASCII space: for fields that hold one line,
// such as names and titles.
func SingleLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// foldWidth maps the full-width forms of ASCII (U+FF01–U+FF5E) to ASCII and
// the ideographic space to a space, leaving everything else, CJK
// compatibility ideographs included, untouched.
func foldWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

// NameSeparator is the one separator dot stored in names (U+00B7 MIDDLE DOT),
// as in 买买提·艾力: the form GB 18030 and the public-security household
// register use for transliterated minority and foreign names.
const NameSeparator = '·'

// isNameDot reports the characters people type for the separator dot of a
// transliterated name: the middle dots of Latin-1, Greek, Katakana (full and
// half width), Latin (sinological dot) and the word-separator dot, bullets
// and operator dots, the hyphenation point, one-dot leader, full stops of
// every width, and the Ethiopic and runic word separators.
func isNameDot(r rune) bool {
	switch r {
	case 0x00B7, // · MIDDLE DOT
		0x0387, // · GREEK ANO TELEIA
		0x02D9, // ˙ DOT ABOVE
		0x16EB, // ᛫ RUNIC SINGLE PUNCTUATION
		0x1361, // ፡ ETHIOPIC WORDSPACE
		0x2022, // • BULLET
		0x2024, // ․ ONE DOT LEADER
		0x2027, // ‧ HYPHENATION POINT
		0x2219, // ∙ BULLET OPERATOR
		0x22C5, // ⋅ DOT OPERATOR
		0x25CF, // ● BLACK CIRCLE
		0x2981, // ⦁ Z NOTATION SPOT
		0x2E31, // ⸱ WORD SEPARATOR MIDDLE DOT
		0x2E33, // ⸳ RAISED DOT
		0x30FB, // ・ KATAKANA MIDDLE DOT
		0xA78F, // ꞏ LATIN LETTER SINOLOGICAL DOT
		0xFE52, // ﹒ SMALL FULL STOP
		0xFF0E, // ． FULLWIDTH FULL STOP (already "." after foldWidth)
		0xFF65, // ･ HALFWIDTH KATAKANA MIDDLE DOT
		0x3002, // 。 IDEOGRAPHIC FULL STOP (what a Chinese IME gives for ".")
		0xFF61, // ｡ HALFWIDTH IDEOGRAPHIC FULL STOP
		'.':
		return true
	}
	return false
}

// NormalizeName is the one form of a person's name, stored and compared:
// CleanText, one line, full-width Latin letters and digits folded to ASCII,
// every separator-dot variant (isNameDot) turned into U+00B7 with the spaces
// around it removed, repeated dots collapsed and dots at either end dropped,
// and the spaces people put between Chinese characters for alignment
// (张  三) removed. Spaces between Latin words (John Smith) stay, single.
// It is idempotent.
func NormalizeName(s string) string {
	s = SingleLine(strings.Map(func(r rune) rune {
		r = foldWidth(r)
		if isNameDot(r) {
			return NameSeparator
		}
		return r
	}, CleanText(s)))
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i, r := range rs {
		switch r {
		case ' ':
			prev, next := lastRune(out), nextNonSpace(rs, i)
			if prev == NameSeparator || next == NameSeparator || (isHan(prev) && isHan(next)) {
				continue
			}
		case NameSeparator:
			if len(out) == 0 || lastRune(out) == NameSeparator {
				continue
			}
			if lastRune(out) == ' ' {
				out = out[:len(out)-1]
			}
		}
		out = append(out, r)
	}
	return strings.Trim(string(out), " "+string(NameSeparator))
}

func lastRune(rs []rune) rune {
	if len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1]
}

func nextNonSpace(rs []rune, i int) rune {
	for _, r := range rs[i+1:] {
		if r != ' ' {
			return r
		}
	}
	return 0
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// NameSearchKey is what name searches compare: NormalizeName without the
// separator dots and spaces, lower-cased, so 买买提·艾力, 买买提•艾力,
// 买买提 ． 艾力 and 买买提艾力 are one. Stores compare it against the stored
// name with its U+00B7 and spaces removed (see NameSearchSQL).
func NameSearchKey(s string) string {
	return asciiLower(strings.NewReplacer(string(NameSeparator), "", " ", "").Replace(NormalizeName(s)))
}

// asciiLower lower-cases A–Z only, as SQL's LOWER does in both stores.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// NameSearchSQL is the SQL expression that turns a stored (normalized) name
// column into its NameSearchKey, for `… LIKE ?` with a NameSearchKey
// argument. SQLite's LOWER folds ASCII only, as asciiLower does.
func NameSearchSQL(column string) string {
	return "LOWER(REPLACE(REPLACE(" + column + ", '" + string(NameSeparator) + "', ''), ' ', ''))"
}
