package model

import (
	"errors"
	"strings"
	"testing"
)

const testToday Date = "2025-06-30"

func TestParseIDNumber(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   IDInfo
		detail string // "" means valid
	}{
		{"standard example female", "11010519491231002X", IDInfo{"11", "北京市", "1949-12-31", GenderFemale}, ""},
		{"lowercase x and spaces", "  11010519491231002x ", IDInfo{"11", "北京市", "1949-12-31", GenderFemale}, ""},
		{"made male Tianjin", MakeIDNumber("12", "1985-07-15", 123, true), IDInfo{"12", "天津市", "1985-07-15", GenderMale}, ""},
		{"made female Macao", MakeIDNumber("82", "2000-02-29", 124, false), IDInfo{"82", "澳门特别行政区", "2000-02-29", GenderFemale}, ""},
		{"born today", MakeIDNumber("65", testToday, 1, true), IDInfo{"65", "新疆维吾尔自治区", testToday, GenderMale}, ""},
		{"born 1900-01-01", MakeIDNumber("31", "1900-01-01", 2, false), IDInfo{"31", "上海市", "1900-01-01", GenderFemale}, ""},
		// GB 11643-1999's own second example: born 1880, a valid number.
		{"standard example born 1880", "440524188001010014", IDInfo{"44", "广东省", "1880-01-01", GenderMale}, ""},
		{"before 1900", MakeIDNumber("12", "1899-12-31", 1, true), IDInfo{"12", "天津市", "1899-12-31", GenderMale}, ""},
		{"tomorrow is well-formed", MakeIDNumber("12", testToday.AddDays(1), 1, true), IDInfo{"12", "天津市", testToday.AddDays(1), GenderMale}, ""},
		{"full-width digits and Ｘ", "１１０１０５１９４９１２３１００２Ｘ", IDInfo{"11", "北京市", "1949-12-31", GenderFemale}, ""},
		{"full-width ｘ", "11010519491231002ｘ", IDInfo{"11", "北京市", "1949-12-31", GenderFemale}, ""},
		{"grouped with spaces", "110105 19491231 002X", IDInfo{"11", "北京市", "1949-12-31", GenderFemale}, ""},
		{"grouped with hyphens and dashes", "110105-19491231‐002X", IDInfo{"11", "北京市", "1949-12-31", GenderFemale}, ""},
		{"ideographic space and zero-width", "\u3000110105\u200b19491231002X\ufeff", IDInfo{"11", "北京市", "1949-12-31", GenderFemale}, ""},
		{"empty", "", IDInfo{}, idDetailLength},
		{"17 chars", "11010519491231002", IDInfo{}, idDetailLength},
		{"19 chars", "11010519491231002X1", IDInfo{}, idDetailLength},
		{"15-digit old format", "110105491231002", IDInfo{}, idDetailLength},
		{"letter inside", "1101051949123100AX", IDInfo{}, idDetailChars},
		{"X not last", "X10105194912310021", IDInfo{}, idDetailChars},
		{"full-width digit, one missing", "1101051949123100２", IDInfo{}, idDetailLength},
		{"inner space, digit missing", "110105 9491231002X", IDInfo{}, idDetailLength},
		{"letter in the birth date", "110105194912A1002X", IDInfo{}, idDetailChars},
		{"unknown province 10", "100105194912310020", IDInfo{}, idDetailRegion},
		{"unknown province 66", MakeIDNumber("66", "1980-01-01", 1, true), IDInfo{}, idDetailRegion},
		{"unknown province 91", MakeIDNumber("91", "1980-01-01", 1, true), IDInfo{}, idDetailRegion},
		{"month 13", MakeIDNumber("12", "1980-13-01", 1, true), IDInfo{}, idDetailBirth},
		{"Feb 30", MakeIDNumber("12", "1980-02-30", 1, true), IDInfo{}, idDetailBirth},
		{"Feb 29 non-leap", MakeIDNumber("12", "1999-02-29", 1, true), IDInfo{}, idDetailBirth},
		{"wrong check digit", "110105194912310021", IDInfo{}, idDetailCheck},
		{"transposed digits", "11010519491231200X", IDInfo{}, idDetailCheck},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseIDNumber(tt.in)
			if tt.detail == "" {
				if err != nil {
					t.Fatalf("ParseIDNumber: %v", err)
				}
				if got != tt.want {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error", err)
			}
			if e.Kind != KindInvalid || e.Code != CodeIDNumber || e.Title != "身份证号码无效" || e.Detail != tt.detail {
				t.Fatalf("got %+v, want detail %q", e, tt.detail)
			}
			if n := NormalizeIDNumber(tt.in); len(n) >= 8 && strings.Contains(e.Error(), n) {
				t.Fatalf("error %q repeats the ID number", e.Error())
			}
		})
	}
}

// TestCheckPersonAge: format validity is ParseIDNumber's, plausibility is
// this rule's, with the boundary day on each side.
func TestCheckPersonAge(t *testing.T) {
	tests := []struct {
		name  string
		birth Date
		want  string // substring of the message; "" = plausible
	}{
		{"born 1899-12-31", "1899-12-31", "早于1900年，不符合申报人的年龄"},
		{"born 1900-01-01", "1900-01-01", ""},
		{"16 today", "2009-06-30", ""},
		{"16 tomorrow", "2009-07-01", "未满16周岁"},
		{"born today", testToday, "未满16周岁"},
		{"born tomorrow", testToday.AddDays(1), "晚于今天"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckPersonAge("申报人", tt.birth, testToday)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Fatalf("CheckPersonAge(%s) = %q, want %q", tt.birth, got, tt.want)
			}
		})
	}
}

func TestAgeOn(t *testing.T) {
	tests := []struct {
		birth, on Date
		want      int
	}{
		{"2000-02-29", "2016-02-28", 15},
		{"2000-02-29", "2016-02-29", 16},
		{"2000-02-29", "2017-02-28", 16},
		{"2000-02-29", "2017-03-01", 17},
		{"1980-06-30", "2025-06-29", 44},
		{"1980-06-30", "2025-06-30", 45},
		{"bad", "2025-06-30", -1},
	}
	for _, tt := range tests {
		if got := AgeOn(tt.birth, tt.on); got != tt.want {
			t.Errorf("AgeOn(%s, %s) = %d, want %d", tt.birth, tt.on, got, tt.want)
		}
	}
}

func TestIDNumberAllProvinces(t *testing.T) {
	codes := []string{"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
		"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"}
	if len(codes) != 34 || len(provinceNames) != 34 {
		t.Fatalf("want 34 provinces, have %d codes and %d names", len(codes), len(provinceNames))
	}
	for _, c := range codes {
		info, err := ParseIDNumber(MakeIDNumber(c, "1970-01-01", 7, true))
		if err != nil {
			t.Fatalf("province %s: %v", c, err)
		}
		if info.ProvinceName == "" || info.ProvinceName != ProvinceName(c) {
			t.Fatalf("province %s: name %q", c, info.ProvinceName)
		}
	}
}

func TestMakeIDNumber(t *testing.T) {
	tests := []struct {
		name string
		seq  int
		male bool
		want string // sequence digits
	}{
		{"odd stays male", 123, true, "123"},
		{"even made odd for male", 122, true, "123"},
		{"odd made even for female", 123, false, "122"},
		{"even stays female", 0, false, "000"},
		{"wraps at 1000", 1001, true, "001"},
		{"negative", -42, false, "042"},
		{"999 male", 999, true, "999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := MakeIDNumber("12", "1980-05-06", tt.seq, tt.male)
			if len(n) != 18 || n[:14] != "12010119800506" || n[14:17] != tt.want {
				t.Fatalf("MakeIDNumber = %s, want prefix 12010119800506%s", n, tt.want)
			}
			info, err := ParseIDNumber(n)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if (info.Gender == GenderMale) != tt.male {
				t.Fatalf("gender %s", info.Gender)
			}
		})
	}
	if n := MakeIDNumber("1", "1980-05-06", 1, true); len(n) == 18 {
		t.Fatalf("bad province gave an 18-character number %s", n)
	}
}

func TestMaskIDNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"12010119800506123X", "1201**********123X"},
		{" 12010119800506123x ", "1201**********123X"},
		{"123456789", "1234*6789"},
		{"12345678", "********"},
		{"", ""},
		{"身份证号码一二三四五", "身份证号**二三四五"},
	}
	for _, tt := range tests {
		if got := MaskIDNumber(tt.in); got != tt.want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
