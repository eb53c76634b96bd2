package model

import (
	"fmt"
	"strings"
	"testing"
)

// TestMaskPersonalNumbers: every way an ID number or a mobile number is
// written into free text comes out masked, and the digits around it that
// are not one stay as typed.
func TestMaskPersonalNumbers(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"18 digits", "依据身份证110101198001011234更正", "依据身份证1101**********1234更正"},
		{"18 with X", "ID 11010119800101123X", "ID 1101**********123X"},
		{"18 with lower-case x", "号码11010119800101123x。", "号码1101**********123X。"},
		{"15-digit old ID", "旧证号 110101800101123 已换发", "旧证号 1101*******1123 已换发"},
		{"full-width digits and Ｘ", "证号１１０１０１１９８００１０１１２３Ｘ", "证号1101**********123X"},
		{"grouped with spaces", "110101 19800101 123X 核对", "1101**********123X 核对"},
		{"grouped with hyphens", "110101-19800101-1234", "1101**********1234"},
		{"ideographic space and dash", "110101\u300019800101\u2014123X", "1101**********123X"},
		{"zero-width characters inside", "1101\u200b0119800101\u200b1234", "1101**********1234"},
		{"two IDs", "110101198001011234与120101198005061234", "1101**********1234与1201**********1234"},
		{"a longer digit run", "卡号 6222021234567890123", "卡号 6222***********0123"},
		{"mobile", "联系电话13812345678", "联系电话138****5678"},
		{"mobile grouped", "电话 138 1234 5678。", "电话 138****5678。"},
		{"mobile with +86", "+86 138-1234-5678", "+86 138****5678"},
		{"mobile with +86 run together", "+8613812345678", "+86138****5678"},
		{"mobile with 0086", "0086 13812345678", "0086 138****5678"},
		{"full-width mobile", "１３８１２３４５６７８", "138****5678"},
		{"ID then mobile", "110101198001011234 13812345678", "1101**********1234 138****5678"},
		{"date and numbers stay", "2026-03-01 第12号 共3份", "2026-03-01 第12号 共3份"},
		{"a landline stays", "022-23456789", "022-23456789"},
		{"a uuid stays", "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000001"},
		{"ten digits stay", "1381234567", "1381234567"},
		{"not a mobile prefix", "12812345678", "12812345678"},
		{"no digits", "津人社发〔二〇二六〕号文", "津人社发〔二〇二六〕号文"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MaskPersonalNumbers(tt.in)
			if got != tt.want {
				t.Errorf("MaskPersonalNumbers(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := MaskPersonalNumbers(got); again != got {
				t.Errorf("masking twice changes %q to %q", got, again)
			}
		})
	}
}

// TestMaskPersonalNumbersLeavesNoID: generated ID numbers in every
// notation, in text, never survive with more than eight of their digits.
func TestMaskPersonalNumbersLeavesNoID(t *testing.T) {
	for seq := 0; seq < 200; seq += 7 {
		id := MakeIDNumber("12", Date(fmt.Sprintf("%d-%02d-%02d", 1960+seq%40, 1+seq%12, 1+seq%28)), seq, seq%2 == 0)
		for _, written := range []string{id, id[:6] + " " + id[6:14] + " " + id[14:], id[:6] + "-" + id[6:],
			toFullWidth(id), "身份证" + id + "，"} {
			got := MaskPersonalNumbers(written)
			if strings.Contains(NormalizeIDNumber(got), id[4:14]) {
				t.Fatalf("%q masked to %q", written, got)
			}
		}
	}
}

func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == 'X' {
			return r + 0xFEE0
		}
		return r
	}, s)
}
