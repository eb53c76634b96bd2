package model

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "11010519491231002x", " 12010119800506123X ", "",
		"110105194912310021", "1101051949123100AX", "999999999999999999", "120101190002290010",
		"身份证号码身份证号码身份证号码身份证", "12010119800506123\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		info, err := ParseIDNumber(s)
		n := NormalizeIDNumber(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeIDNumber || e.Kind != KindInvalid {
				t.Fatalf("error %v is not an id_number_invalid *Error", err)
			}
			// Only a digit-bearing input could be a leaked number; the fixed
			// Chinese messages contain short inputs like "身份证" by chance.
			if utf8.RuneCountInString(n) >= 8 && strings.ContainsAny(n, "0123456789") &&
				strings.Contains(e.Error()+e.Title+e.Detail+fieldText(e), n) {
				t.Fatalf("error repeats the input")
			}
			return
		}
		if len(n) != 18 {
			t.Fatalf("accepted %d bytes", len(n))
		}
		again, err := ParseIDNumber(n)
		if err != nil || again != info {
			t.Fatalf("normalised number re-parsed as %+v, %v; first %+v", again, err, info)
		}
		if idCheckChar(n[:17]) != n[17] {
			t.Fatalf("accepted a wrong check character")
		}
		if m := MaskIDNumber(s); utf8.RuneCountInString(m) != 18 || m[:4] != n[:4] || m[14:] != n[14:] {
			t.Fatalf("mask %q does not keep length and ends", m)
		}
		if ProvinceName(info.Province) != info.ProvinceName || !info.BirthDate.Valid() {
			t.Fatalf("inconsistent info %+v", info)
		}
		made := MakeIDNumber(info.Province, info.BirthDate, int(n[14]-'0')*100+int(n[15]-'0')*10+int(n[16]-'0'), info.Gender == GenderMale)
		if madeInfo, err := ParseIDNumber(made); err != nil || madeInfo != info {
			t.Fatalf("MakeIDNumber from accepted info gave %+v, %v", madeInfo, err)
		}
		if made[14:17] != n[14:17] {
			t.Fatalf("MakeIDNumber changed a sequence whose parity already matched")
		}
	})
}

func fieldText(e *Error) string {
	var b strings.Builder
	for k, v := range e.Fields {
		b.WriteString(k + v)
	}
	return b.String()
}
