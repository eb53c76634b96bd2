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
		{"138 1234 5678", false},
		{"+8613812345678", false},
		{"", false},
		{"１３８１２３４５６７８", false}, // full-width digits
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
