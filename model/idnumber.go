package model

import (
	"strings"
	"time"
	"unicode/utf8"
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
	idMinBirthYear = 1900
)

var (
	idWeights    = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheckChars = "10X98765432"
)

// NormalizeIDNumber trims surrounding spaces and upper-cases a trailing x, the
// form in which ID numbers are stored and compared.
func NormalizeIDNumber(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ParseIDNumber checks an 18-character citizen ID number (GB 11643-1999) and
// reads the province, birth date and gender from it. The input is normalised
// first, so a lowercase x is accepted. Errors never repeat the number.
func ParseIDNumber(s string) (IDInfo, error) {
	return parseIDNumber(s, DateOf(time.Now()))
}

// parseIDNumber is ParseIDNumber with today's date passed in, for tests.
func parseIDNumber(s string, today Date) (IDInfo, error) {
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
	if !birth.Valid() || birth < Date("1900-01-01") || birth > today {
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
