package model

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// IDInfo is what a 居民身份证号码 (GB 11643-1999) says about its holder.
type IDInfo struct {
	Province     string // two-digit provincial-level code, e.g. "12"
	ProvinceName string // e.g. "天津市"
	BirthDate    Date
	Gender       Gender
}

// provinceNames are the 34 provincial-level administrative divisions
// (GB/T 2260); 71, 81 and 82 are Taiwan, Hong Kong and Macao.
var provinceNames = map[string]string{
	"11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
	"21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
	"31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
	"41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
	"50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
	"61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
	"71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}

// ProvinceName returns the Chinese name of a two-digit provincial-level code,
// or "" when the code is unknown.
func ProvinceName(code string) string { return provinceNames[code] }

const (
	idNumberLen    = 18
	idTitle        = "身份证号码无效"
	idDetailLength = "长度应为18位"
	idDetailChars  = "含有非法字符"
	idDetailRegion = "地区代码无效"
	idDetailBirth  = "出生日期无效"
	idDetailCheck  = "校验位错误"
)

var (
	idWeights    = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheckChars = "10X98765432"
)

// NormalizeIDNumber is the one form in which ID numbers are stored, compared
// and searched: NFKC (full-width digits and Ｘ become ASCII), invisible
// characters, white space and every kind of hyphen or dash removed (people
// group the digits as 120101 19800506 123X or 120101-19800506-123X), and a
// lower-case x upper-cased. It is idempotent and checks nothing.
func NormalizeIDNumber(s string) string {
	s = norm.NFKC.String(CleanText(s))
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || isDash(r) || isStrippedInvisible(r) {
			return -1
		}
		return r
	}, s))
}

// isDash reports the hyphens, dashes and minus signs people type between
// digit groups.
func isDash(r rune) bool {
	return r == '-' || (r >= 0x2010 && r <= 0x2015) || r == 0x2212 || r == 0xFE58 || r == 0xFE63 || r == 0xFF0D
}

// ParseIDNumber checks the format of a citizen ID number (GB 11643-1999): 18
// characters, a known provincial-level region code, a real calendar date of
// birth and the MOD 11-2 check character; it reads the province, birth date
// and gender. The input is normalized first (NormalizeIDNumber). Format is
// all it judges: a well-formed number of someone born before 1900 is valid
// (the standard's own example 440524188001010014 is born in 1880); whether
// the birth date is plausible for an applicant or an expert is
// CheckPersonAge's question. Errors never repeat the number.
func ParseIDNumber(s string) (IDInfo, error) {
	n := NormalizeIDNumber(s)
	if utf8.RuneCountInString(n) != idNumberLen {
		return IDInfo{}, idError(idDetailLength)
	}
	for i := 0; i < idNumberLen; i++ {
		c := n[i]
		if !isDigit(c) && !(i == idNumberLen-1 && c == 'X') {
			return IDInfo{}, idError(idDetailChars)
		}
	}
	province := n[:2]
	name, ok := provinceNames[province]
	if !ok {
		return IDInfo{}, idError(idDetailRegion)
	}
	birth := Date(n[6:10] + "-" + n[10:12] + "-" + n[12:14])
	if !birth.Valid() {
		return IDInfo{}, idError(idDetailBirth)
	}
	if idCheckChar(n[:17]) != n[17] {
		return IDInfo{}, idError(idDetailCheck)
	}
	g := GenderFemale
	if (n[16]-'0')%2 == 1 {
		g = GenderMale
	}
	return IDInfo{Province: province, ProvinceName: name, BirthDate: birth, Gender: g}, nil
}

// Plausible ages of a person named in a form, in whole years on the day of
// the check. MinWorkingAge is the minimum age of employment (《中华人民共和国
// 劳动法》第十五条: no employer may hire anyone under sixteen); nobody born
// before EarliestPlausibleBirth is still applying or reviewing.
const (
	MinWorkingAge          = 16
	EarliestPlausibleBirth = Date("1900-01-01")
)

// CheckPersonAge judges whether a birth date (from a valid ID number) is
// plausible for a working person on the date today: not in the future, not
// before EarliestPlausibleBirth, at least MinWorkingAge years old. who names
// the person in the message (申报人, 专家). It returns "" when plausible. This
// is separate from ParseIDNumber: the number itself may be perfectly valid.
func CheckPersonAge(who string, birth, today Date) string {
	switch {
	case birth > today:
		return fmt.Sprintf("身份证号码中的出生日期（%s）晚于今天，不能作为%s", birth, who)
	case birth < EarliestPlausibleBirth:
		return fmt.Sprintf("身份证号码格式正确，但出生日期（%s）早于1900年，不符合%s的年龄", birth, who)
	case AgeOn(birth, today) < MinWorkingAge:
		return fmt.Sprintf("按身份证号码中的出生日期，%s未满%d周岁", who, MinWorkingAge)
	}
	return ""
}

// AgeOn is the age in whole years on date on of someone born on birth (a
// 29 February birthday falls on 1 March in common years); -1 when either date
// is invalid.
func AgeOn(birth, on Date) int {
	b, err1 := birth.Time()
	t, err2 := on.Time()
	if err1 != nil || err2 != nil {
		return -1
	}
	age := t.Year() - b.Year()
	if t.Month() < b.Month() || (t.Month() == b.Month() && t.Day() < b.Day()) {
		age--
	}
	return age
}

func idError(detail string) *Error {
	return &Error{Kind: KindInvalid, Code: CodeIDNumber, Title: idTitle, Detail: detail,
		Fields: map[string]string{"id_number": detail}}
}

// idCheckChar computes the MOD 11-2 check character of 17 ASCII digits.
func idCheckChar(body string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// MaskIDNumber shows only the first and last four characters of an ID number
// (e.g. 1201**********123X), for lists and logs. The length is kept; a value
// too short to mask safely becomes all asterisks.
func MaskIDNumber(s string) string {
	r := []rune(NormalizeIDNumber(s))
	if len(r) <= 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-8) + string(r[len(r)-4:])
}

// MakeIDNumber builds a valid ID number for seeds and tests: region
// province+"0101", the given birth date, a three-digit sequence (seq mod 1000,
// nudged by one so its parity matches the gender) and the right check
// character. Inputs that cannot form a number (an unknown layout of province
// or birth) give a string that ParseIDNumber rejects.
func MakeIDNumber(province string, birth Date, seq int, male bool) string {
	if seq < 0 {
		seq = -seq
	}
	seq %= 1000
	if male {
		seq |= 1
	} else {
		seq &^= 1
	}
	body := province + "0101" + strings.ReplaceAll(string(birth), "-", "") +
		string([]byte{byte('0' + seq/100), byte('0' + seq/10%10), byte('0' + seq%10)})
	if len(body) != 17 {
		return body
	}
	for i := 0; i < 17; i++ {
		if !isDigit(body[i]) {
			return body
		}
	}
	return body + string(idCheckChar(body))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// ID-number search texts (ParseIDQuery).
var (
	// idQueryWhole is a GB 11643 citizen number: 17 digits and a check character.
	idQueryWhole = regexp.MustCompile(`^[0-9]{17}[0-9X]$`)
	// idQueryMasked is a number as the lists show it: 1201**********123X.
	idQueryMasked = regexp.MustCompile(`^([0-9]{4})\*+([0-9]{3}[0-9X])$`)
	// idQueryFour is four characters a masked column shows at one end; X
	// can only be the last character of a number.
	idQueryFour = regexp.MustCompile(`^[0-9]{3}[0-9X]$`)
)

// IDQuery is a search text read as an ID number (ParseIDQuery). A number
// matches when Whole is set and equal to it; else when it starts with First
// and ends with Last if Both; else when it starts with First (if set) or
// ends with Last (if set).
type IDQuery struct {
	Whole       string // all 18 characters
	First, Last string // four characters each
	Both        bool   // both ends must match (a masked number was typed)
}

// ParseIDQuery reads search text as an ID number, the one rule for every
// list (the cache applies it through keyed indexes, store/idsearch.go; the
// expert list on numbers held in the clear, IDQuery.Matches):
//
//   - a whole number finds that number;
//   - a masked number as a list shows it (1201**********123X) finds both of
//     its ends;
//   - four characters find the first four or the last four, the two ends a
//     masked column shows (ending in X: only the last four).
//
// The text is normalized like stored numbers (NormalizeIDNumber: full-width
// digits, spaces, hyphens, lower-case x). Other text is not an ID number:
// ok is false.
func ParseIDQuery(text string) (q IDQuery, ok bool) {
	n := NormalizeIDNumber(text)
	switch {
	case idQueryWhole.MatchString(n):
		return IDQuery{Whole: n}, true
	case idQueryMasked.MatchString(n):
		m := idQueryMasked.FindStringSubmatch(n)
		return IDQuery{First: m[1], Last: m[2], Both: true}, true
	case idQueryFour.MatchString(n) && !strings.HasSuffix(n, "X"):
		return IDQuery{First: n, Last: n}, true
	case idQueryFour.MatchString(n):
		return IDQuery{Last: n}, true
	}
	return IDQuery{}, false
}

// Matches reports whether the ID number (normalized here) is one q finds;
// a number that is not 18 characters long matches nothing.
func (q IDQuery) Matches(number string) bool {
	n := NormalizeIDNumber(number)
	if !idQueryWhole.MatchString(n) {
		return false
	}
	first, last := q.First != "" && n[:4] == q.First, q.Last != "" && n[14:] == q.Last
	switch {
	case q.Whole != "":
		return n == q.Whole
	case q.Both:
		return first && last
	}
	return first || last
}
