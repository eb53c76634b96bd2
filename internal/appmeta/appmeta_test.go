package appmeta

import (
	"os"
	"strconv"
	"testing"
)

// TestFyneAppTOML: the file every build reads parses, and its icon exists.
func TestFyneAppTOML(t *testing.T) {
	b, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("../../" + m.Icon); err != nil {
		t.Fatalf("icon %q: %v", m.Icon, err)
	}
	if m.Combined() != m.Version+"."+itoa(m.Build) {
		t.Fatalf("Combined() = %q", m.Combined())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestParseRefuses(t *testing.T) {
	for name, toml := range map[string]string{
		"not toml":      "[Details\n",
		"two-part":      "[Details]\nName='a'\nID='b'\nVersion='1.2'\nBuild=1\n",
		"suffix":        "[Details]\nName='a'\nID='b'\nVersion='1.2.3-rc1'\nBuild=1\n",
		"leading zero":  "[Details]\nName='a'\nID='b'\nVersion='1.02.3'\nBuild=1\n",
		"no name":       "[Details]\nID='b'\nVersion='1.2.3'\nBuild=1\n",
		"no build":      "[Details]\nName='a'\nID='b'\nVersion='1.2.3'\n",
		"build as text": "[Details]\nName='a'\nID='b'\nVersion='1.2.3'\nBuild='1'\n",
	} {
		if _, err := Parse([]byte(toml)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}
