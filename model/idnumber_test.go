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
		{"empty", "", IDInfo{}, idDetailLength},
		{"17 chars", "11010519491231002", IDInfo{}, idDetailLength},
		{"19 chars", "11010519491231002X1", IDInfo{}, idDetailLength},
		{"15-digit old format", "110105491231002", IDInfo{}, idDetailLength},
		{"letter inside", "1101051949123100AX", IDInfo{}, idDetailChars},
		{"X not last", "X10105194912310021", IDInfo{}, idDetailChars},
		{"full-width digit", "11010519491231002０", IDInfo{}, idDetailChars},
		{"inner space", "110105 9491231002X", IDInfo{}, idDetailChars},
		{"unknown province 10", "100105194912310020", IDInfo{}, idDetailRegion},
		{"unknown province 66", MakeIDNumber("66", "1980-01-01", 1, true), IDInfo{}, idDetailRegion},
		{"unknown province 91", MakeIDNumber("91", "1980-01-01", 1, true), IDInfo{}, idDetailRegion},
		{"month 13", MakeIDNumber("12", "1980-13-01", 1, true), IDInfo{}, idDetailBirth},
		{"Feb 30", MakeIDNumber("12", "1980-02-30", 1, true), IDInfo{}, idDetailBirth},
		{"Feb 29 non-leap", MakeIDNumber("12", "1999-02-29", 1, true), IDInfo{}, idDetailBirth},
		{"before 1900", MakeIDNumber("12", "1899-12-31", 1, true), IDInfo{}, idDetailBirth},
		{"tomorrow", MakeIDNumber("12", testToday.AddDays(1), 1, true), IDInfo{}, idDetailBirth},
		{"wrong check digit", "110105194912310021", IDInfo{}, idDetailCheck},
		{"transposed digits", "11010519491231200X", IDInfo{}, idDetailCheck},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseIDNumber(tt.in, testToday)
			if tt.detail == "" {
				if err != nil {
					t.Fatalf("parseIDNumber: %v", err)
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

func TestParseIDNumberUsesToday(t *testing.T) {
	if _, err := ParseIDNumber(MakeIDNumber("12", "1990-01-01", 5, true)); err != nil {
		t.Fatalf("ParseIDNumber: %v", err)
	}
	if _, err := ParseIDNumber(MakeIDNumber("12", "2999-01-01", 5, true)); err == nil {
		t.Fatal("accepted a birth date in the future")
	}
}

func TestIDNumberAllProvinces(t *testing.T) {
	codes := []string{"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
		"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"}
	if len(codes) != 34 || len(provinceNames) != 34 {
		t.Fatalf("want 34 provinces, have %d codes and %d names", len(codes), len(provinceNames))
	}
	for _, c := range codes {
		info, err := parseIDNumber(MakeIDNumber(c, "1970-01-01", 7, true), testToday)
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
			info, err := parseIDNumber(n, testToday)
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
