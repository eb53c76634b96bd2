package app

import (
	"errors"
	"strings"
	"testing"
)

// TestPlainHTTPRefused is SEC-5 on the desktop: an http:// address of
// another computer is refused, with the reason in Chinese and a pointer to
// 设置, unless the person confirmed it; https:// and this computer's own
// addresses (demo mode) always work.
func TestPlainHTTPRefused(t *testing.T) {
	cases := []struct {
		url     string
		refused bool
	}{
		{"http://10.1.2.3:8080", true},
		{"http://zc.rsj.tj.gov.cn", true},
		{"HTTP://192.168.0.10", true},
		{"http://[fe80::1]:8080", true},
		{"http://127.0.0.1:8080", false},
		{"http://127.8.9.10", false},
		{"http://localhost:18080", false},
		{"http://LOCALHOST", false},
		{"http://[::1]:8080", false},
		{"https://zc.rsj.tj.gov.cn", false},
		{"https://10.1.2.3:8443", false},
	}
	for _, tc := range cases {
		t.Run(tc.url, func(t *testing.T) {
			err := checkServerURL(Credentials{ServerURL: tc.url})
			var le *LoginError
			if got := errors.As(err, &le) && le.PlainHTTP != ""; got != tc.refused {
				t.Fatalf("refused %v (%v), want %v", got, err, tc.refused)
			}
			if tc.refused {
				if !strings.Contains(le.Message, "未加密") || !strings.Contains(le.Message, "【设置】") {
					t.Fatalf("the reason is not given: %q", le.Message)
				}
				if err := checkServerURL(Credentials{ServerURL: tc.url, PlainHTTPConfirmed: true}); err != nil {
					t.Fatalf("confirmed in 设置, still refused: %v", err)
				}
			}
		})
	}
}
