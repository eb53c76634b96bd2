package model

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

var (
	mobileRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	// A landline is an area code (010, 02X, or 0 and three digits) then a
	// local number of 7 or 8 digits that cannot start with 0 or 1, with an
	// optional extension. The area code may be bracketed, or followed by a
	// hyphen or space, or run straight into the number: the 3-or-4-digit
	// split is unambiguous because 3-digit codes all start with 01 or 02.
	landlineRE = regexp.MustCompile(`^(?:\((?:010|02[0-9]|0[3-9][0-9]{2})\) ?|(?:010|02[0-9]|0[3-9][0-9]{2})[- ]?)[2-9][0-9]{6,7}(?:-[0-9]{1,6})?$`)
	// countryPrefixRE is China's country code written before a number:
	// +86, 0086, (+86) or (86), with or without a space or hyphen after it.
	countryPrefixRE = regexp.MustCompile(`^(?:\(\+?86\)|\+ ?86|0086)[ -]?`)
)

// NormalizePhone is the one form of a phone number: NFKC (full-width digits,
// brackets and hyphens become ASCII), invisible characters removed, every
// dash a hyphen, runs of spaces one space, and China's country code
// (+86, 0086, (+86)) dropped — with the trunk 0 restored before an area code
// written internationally (+86 22 2345 6789 → 022 2345 6789). A mobile number
// in groups (138 1234 5678, 138-1234-5678) becomes its 11 digits; a landline
// whose grouping the format does not allow (022 2345 6789) loses the spaces
// inside its local number. An input that fits no format is returned cleaned
// but otherwise as typed, for ValidPhone to refuse. It is idempotent.
func NormalizePhone(s string) string {
	s = SingleLine(norm.NFKC.String(CleanText(s)))
	s = strings.Map(func(r rune) rune {
		if isDash(r) {
			return '-'
		}
		return r
	}, s)
	intl := false
	for {
		loc := countryPrefixRE.FindStringIndex(s)
		if loc == nil || loc[1] == 0 {
			break
		}
		s, intl = strings.TrimSpace(s[loc[1]:]), true
	}
	if intl && s != "" && s[0] != '0' && s[0] != '(' && !mobileRE.MatchString(digitsOnly(s)) {
		s = "0" + s
	}
	if d := digitsOnly(s); mobileRE.MatchString(d) && onlyPhoneGrouping(s) {
		return d
	}
	if landlineRE.MatchString(s) {
		return s
	}
	if t := strings.ReplaceAll(s, " ", ""); landlineRE.MatchString(t) {
		return t
	}
	return s
}

func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// onlyPhoneGrouping reports digits grouped by spaces, hyphens or brackets.
func onlyPhoneGrouping(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return !unicode.IsDigit(r) && r != ' ' && r != '-' && r != '(' && r != ')'
	}) < 0
}

// ValidMobile reports whether s, normalized (NormalizePhone), is a mainland
// mobile number: 11 digits starting 13–19.
func ValidMobile(s string) bool { return mobileRE.MatchString(NormalizePhone(s)) }

// ValidPhone reports whether s, normalized (NormalizePhone), is a mobile
// number or a landline with its area code, such as 022-23456789,
// 02223456789, (022)2345678 or 022-23456789-801. Full-width brackets and
// hyphens, as typed by Chinese input methods, and +86/0086 are accepted.
func ValidPhone(s string) bool {
	n := NormalizePhone(s)
	return mobileRE.MatchString(n) || landlineRE.MatchString(n)
}
