package model

import "testing"

func TestPhoneValidMobile(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"13812345678", true},
		{"19912345678", true},
		{"15022223333", true},
		{"12812345678", false}, // second digit 2
		{"10812345678", false},
		{"23812345678", false},
		{"1381234567", false},   // 10 digits
		{"138123456789", false}, // 12 digits
		{"1381234567a", false},
		{"138 1234 5678", true},  // grouped: normalized first
		{"+8613812345678", true}, // country code: normalized first
		{"", false},
		{"１３８１２３４５６７８", true}, // full-width digits: normalized first
		{"+86 1381234567", false},
		{"138 1234 5678 9", false},
	}
	for _, tt := range tests {
		if got := ValidMobile(tt.in); got != tt.want {
			t.Errorf("ValidMobile(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestPhoneValidPhone(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"13812345678", true},
		{"022-23456789", true},
		{"02223456789", true},
		{"(022)2345678", true},
		{"(022) 23456789", true},
		{"（022）23456789", true},
		{"022－23456789", true},
		{"022 23456789", true},
		{"010-62345678", true},
		{"0571-87654321", true},
		{"05718765432", true},
		{"0571-8765432", true},
		{"022-23456789-801", true},
		{"12812345678", false},
		{"23456789", false},      // no area code
		{"022-0345678", false},   // local number starts with 0
		{"022-1345678", false},   // local number starts with 1
		{"022-234567", false},    // too short
		{"022-234567890", false}, // too long
		{"22-23456789", false},   // area code without 0
		{"(022-23456789", false}, // unbalanced
		{"022--23456789", false}, // double hyphen
		{"022-23456789-", false}, // empty extension
		{"022-2345678x", false},  // letter
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidPhone(tt.in); got != tt.want {
			t.Errorf("ValidPhone(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestNormalizePhone covers the kind: full-width forms, invisible
// characters, +86/0086/(+86) in every spacing, grouped mobiles, landlines
// written internationally, and inputs that stay invalid.
func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
		valid    bool
	}{
		{"13812345678", "13812345678", true},
		{"+86 138 1234 5678", "13812345678", true},
		{"+86-138-1234-5678", "13812345678", true},
		{"+8613812345678", "13812345678", true},
		{"0086 13812345678", "13812345678", true},
		{"008613812345678", "13812345678", true},
		{"(+86)13812345678", "13812345678", true},
		{"（＋８６）１３８ １２３４ ５６７８", "13812345678", true},
		{"＋８６　１３８１２３４５６７８", "13812345678", true},
		{"\u200b138\u200b1234\u200b5678\ufeff", "13812345678", true},
		{" 138-1234-5678 ", "13812345678", true},
		{"138–1234–5678", "13812345678", true}, // en dashes
		{"+86 22 2345 6789", "02223456789", true},
		{"+86-22-23456789", "022-23456789", true},
		{"0086 22 23456789", "022 23456789", true},
		{"022-23456789", "022-23456789", true},
		{"022 2345 6789", "02223456789", true},
		{"（022）23456789", "(022)23456789", true},
		{"022－23456789－801", "022-23456789-801", true},
		{"+86", "", false},
		{"+1 650 253 0000", "+1 650 253 0000", false},
		{"23456789", "23456789", false},
		{"138\u202e12345678", "138\u202e12345678", false},
	}
	for _, tt := range tests {
		got := NormalizePhone(tt.in)
		if got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := NormalizePhone(got); again != got {
			t.Errorf("NormalizePhone not idempotent on %q: %q", got, again)
		}
		if v := ValidPhone(tt.in); v != tt.valid {
			t.Errorf("ValidPhone(%q) = %v, want %v", tt.in, v, tt.valid)
		}
	}
}
