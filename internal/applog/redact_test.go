package applog

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestScrub(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"18-digit ID", "applicant 120101199001011234 failed", "applicant [id-number] failed"},
		{"ID ending in X", "id=11010519491231002X.", "id=[id-number]."},
		{"ID ending in lower x", "11010519491231002x", "[id-number]"},
		{"full-width ID", "身份证号１２０１０１１９９００１０１１２３Ｘ有误", "身份证号[id-number]有误"},
		{"ID with spaces", "120101 19900101 1234", "[id-number]"},
		{"ID with hyphens", "120101-19900101-1234", "[id-number]"},
		{"ID then phone", "bad row: 120101197211262432 18454604342", "bad row: [id-number] [phone]"},
		{"ID with X then phone", "11010519491231002X 139-1234-5678.", "[id-number] [phone]."},
		{"grouped ID with X", "120101 19900101 123X", "[id-number]"},
		{"15-digit old ID", "old 120101900101123 ok", "old [id-number] ok"},
		{"mobile", "电话13912345678无效", "电话[phone]无效"},
		{"mobile grouped", "139-1234-5678 and 139 1234 5678", "[phone] and [phone]"},
		{"mobile +86", "+8613912345678", "+[phone]"},
		{"mobile 0086", "0086 139 1234 5678", "[id-number]"}, // 15 digits: still masked
		{"landline", "tel 022-23456789", "tel [phone]"},
		{"bearer", `Authorization: Bearer abc.DEF-123_x, next`, `Authorization: Bearer [redacted], next`},
		{"session token", "token EAV_JhXy4kbwGkXyRcyyt7rfL74woW0AKMcK1TCohJ0 here", "token [redacted] here"},
		{"URL password", `dial postgres://titledesk:S3cret@db:5432/td?sslmode=require failed`, `dial postgres://titledesk:[redacted]@db:5432/td?sslmode=require failed`},
		{"URL without password", "postgres://titledesk@db/td and http://127.0.0.1:8080/x", "postgres://titledesk@db/td and http://127.0.0.1:8080/x"},
		// what must stay readable
		{"port and counts", "listening 127.0.0.1:8080, 19968 changes in 1070 ms", "listening 127.0.0.1:8080, 19968 changes in 1070 ms"},
		{"millis", "at 1732958400000", "at 1732958400000"},
		{"sha256 prefix", "sha256 3f2a9c01b7e4 refused", "sha256 3f2a9c01b7e4 refused"},
		{"hex hash", "f58055912345678901234567890abcdef", "f58055912345678901234567890abcdef"},
		{"uuid", "device 6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab", "device 6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab"},
		{"date", "2026-11-30 09:31:02", "2026-11-30 09:31:02"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Scrub(tc.in); got != tc.want {
				t.Errorf("Scrub(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

func TestRedactHandler(t *testing.T) {
	const id, phone, pw = "120101199001011234", "13912345678", "S3cret-pass"
	var buf bytes.Buffer
	log := New(&buf, slog.LevelDebug)
	log = log.With("user_phone", phone) // WithAttrs is scrubbed too
	log.WithGroup("req").Info("login for "+id,
		"password", pw, "Token", "anything", "id_number", "x", "New-Password", pw,
		"err", fmt.Errorf("wrap: %w", errors.New("身份证号 "+id+" 校验位错误")),
		"who", stringer{"phone " + phone},
		"n", int64(13912345678), "count", 42,
		slog.Group("form", "phone", phone, "note", "call "+phone),
		"any", []string{id})
	out := buf.String()
	for _, secret := range []string{id, phone, pw, "anything"} {
		if strings.Contains(out, secret) {
			t.Errorf("log line holds %q:\n%s", secret, out)
		}
	}
	for _, keep := range []string{"count=42", "req.password=" + Redacted, "login for [id-number]"} {
		if !strings.Contains(out, keep) {
			t.Errorf("log line lacks %q:\n%s", keep, out)
		}
	}
}
