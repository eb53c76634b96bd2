package app

import (
	"testing"
	"unicode"

	"titledesk/api"
)

// TestEveryCommandHasAChineseLabel: the conflict list and 【撤销】 name an
// action by actionLabel, which falls back to the raw command type; every
// command the desktop can queue has a Chinese name instead.
func TestEveryCommandHasAChineseLabel(t *testing.T) {
	sent := map[string]bool{ // commands only the applicant's side sends
		api.CmdApplicationCreate: false, api.CmdApplicationSubmit: false, api.CmdApplicationCertify: false, api.CmdUnitRegister: false,
	}
	for _, cmd := range api.AllCommands {
		if s, ok := sent[cmd]; ok && !s {
			continue
		}
		l := actionLabel(cmd)
		if l == cmd || !containsHan(l) {
			t.Errorf("%s is shown as %q", cmd, l)
		}
	}
}

func containsHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
