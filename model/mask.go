package model

import "strings"

// MaskPhone shows a mobile number as its first three and last four digits
// (138****5678), the display convention of Chinese carriers and public
// notices; anything that is not an 11-digit mobile number after
// NormalizePhone is returned all asterisks, so nothing leaks through.
func MaskPhone(s string) string {
	d := NormalizePhone(s)
	if !mobileRE.MatchString(d) {
		return strings.Repeat("*", len([]rune(d)))
	}
	return d[:3] + "****" + d[7:]
}

// MaskPersonalNumbers hides the ID numbers and mobile phone numbers written
// anywhere in free text (a reason typed at an admin tool, a username box
// holding someone's ID number), for records that must never hold them such
// as the server's audit log. What it masks, however the digits are written
// (ASCII or full-width, grouped with spaces, U+3000, hyphens or dashes, or
// zero-width characters between them):
//   - an ID number (GB 11643: 18 characters, the last a digit or X; the
//     15-digit numbers issued before 1999), and any other unbroken run of
//     15 or more digits, as MaskIDNumber shows them (1201**********123X);
//   - a mobile number (11 digits starting 13–19), also after a +86, 0086 or
//     86 country code, as MaskPhone shows it (138****5678).
//
// Digit groups separated by at most three separator characters are read as
// one number when together they make one of these; letters and other
// characters end a number. Text without such numbers is returned unchanged.
func MaskPersonalNumbers(s string) string {
	chunks := digitChunks(s)
	if len(chunks) == 0 {
		return s
	}
	var b strings.Builder
	last := 0 // bytes of s copied so far
	for i := 0; i < len(chunks); {
		j, masked := matchNumber(chunks, i)
		if j < 0 {
			i++
			continue
		}
		b.WriteString(s[last:chunks[i].start])
		b.WriteString(masked)
		last = chunks[j].end
		i = j + 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// digitChunk is a run of digits in the text, ending at an X when one
// follows the digits; digits holds them as ASCII.
type digitChunk struct {
	start, end int // byte offsets in the text
	digits     string
	x          bool // ends with X (only an ID number's last character)
	joined     bool // only separators stand between it and the next chunk
}

// digitChunks finds the runs of digits in s, each marked joined when one
// to three separators and nothing else stand between it and the next.
func digitChunks(s string) []digitChunk {
	var chunks []digitChunk
	open := false // the last chunk is still growing
	seps := -1    // separators since the last chunk ended; -1: something else came
	for off, r := range s {
		end := off + len(string(r))
		d, isDigit := asciiDigit(r)
		switch {
		case isDigit:
			n := len(chunks)
			if open && !chunks[n-1].x {
				chunks[n-1].digits += string(d)
				chunks[n-1].end = end
				continue
			}
			if n > 0 && !open && seps >= 1 && seps <= 3 && !chunks[n-1].x {
				chunks[n-1].joined = true
			}
			chunks = append(chunks, digitChunk{start: off, end: end, digits: string(d)})
			open = true
		case open && isX(r) && !chunks[len(chunks)-1].x:
			c := &chunks[len(chunks)-1]
			c.digits += "X"
			c.end, c.x = end, true
		case isNumberSeparator(r):
			if open {
				open, seps = false, 0
			}
			if seps >= 0 {
				seps++
			}
		default: // a letter or any other character ends the number
			open, seps = false, -1
		}
	}
	return chunks
}

// matchNumber reads the longest ID or mobile number made of chunks i..j
// (joined by separators only) and returns j and its masked form, or -1.
func matchNumber(chunks []digitChunk, i int) (int, string) {
	if c := chunks[i]; (c.digits == "86" || c.digits == "0086") && c.joined {
		if j, _ := matchNumber(chunks, i+1); j >= 0 && spanDigits(chunks[i+1:j+1]) == 11 {
			return -1, "" // a country code before a mobile number: the number is masked, the code stays
		}
	}
	var all string
	best, masked := -1, ""
	for j := i; j < len(chunks); j++ {
		all += chunks[j].digits
		if len(all) > 18 && j > i {
			break
		}
		if m, ok := maskNumber(all, j == i); ok {
			best, masked = j, m
		}
		if !chunks[j].joined || chunks[j].x {
			break
		}
	}
	return best, masked
}

func spanDigits(chunks []digitChunk) int {
	n := 0
	for _, c := range chunks {
		n += len(c.digits)
	}
	return n
}

// maskNumber masks digits when they make an ID number or a mobile number
// (with or without China's country code); single: one unbroken run.
func maskNumber(digits string, single bool) (string, bool) {
	body := strings.TrimSuffix(digits, "X")
	switch {
	case len(digits) == 18 || (len(digits) == 15 && body == digits):
		return MaskIDNumber(digits), true
	case single && len(digits) > 15 && body == digits:
		return MaskIDNumber(digits), true
	case body != digits:
		return "", false
	case mobileRE.MatchString(digits):
		return MaskPhone(digits), true
	case single && len(digits) == 13 && strings.HasPrefix(digits, "86") && mobileRE.MatchString(digits[2:]):
		return "86" + MaskPhone(digits[2:]), true
	}
	return "", false
}

// asciiDigit reads an ASCII or full-width digit.
func asciiDigit(r rune) (byte, bool) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r), true
	case r >= '０' && r <= '９':
		return byte(r-'０') + '0', true
	}
	return 0, false
}

func isX(r rune) bool { return r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ' }

// isNumberSeparator: what people (or someone hiding a number) put between
// digit groups: spaces, hyphens and dashes, invisible characters.
func isNumberSeparator(r rune) bool {
	return r == ' ' || r == '\u3000' || r == '\u00a0' || r == '\t' || isDash(r) || isStrippedInvisible(r)
}
