package model

import (
	"regexp"
	"strings"
)

var (
	mobileRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	// A landline is an area code (010, 02X, or 0 and three digits) then a
	// local number of 7 or 8 digits that cannot start with 0 or 1, with an
	// optional extension. The area code may be bracketed, or followed by a
	// hyphen or space, or run straight into the number: the 3-or-4-digit
	// split is unambiguous because 3-digit codes all start with 01 or 02.
	landlineRE     = regexp.MustCompile(`^(?:\((?:010|02[0-9]|0[3-9][0-9]{2})\) ?|(?:010|02[0-9]|0[3-9][0-9]{2})[- ]?)[2-9][0-9]{6,7}(?:-[0-9]{1,6})?$`)
	fullWidthPhone = strings.NewReplacer("（", "(", "）", ")", "－", "-")
)

// ValidMobile reports whether s is a mainland mobile number: 11 digits
// starting 13–19.
func ValidMobile(s string) bool { return mobileRE.MatchString(s) }

// ValidPhone reports whether s is a mobile number or a landline with its area
// code, such as 022-23456789, 02223456789, (022)2345678 or 022-23456789-801.
// Full-width brackets and hyphens, as typed by Chinese input methods, are
// accepted.
func ValidPhone(s string) bool {
	if ValidMobile(s) {
		return true
	}
	return landlineRE.MatchString(fullWidthPhone.Replace(s))
}
