package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The real binary under C locales with a codeset starts without Fyne's
// "Error parsing user locale" complaint (internal/clocale), and the other
// locales stay quiet too.
func TestNoLocaleComplaint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the app")
	}
	bin := filepath.Join(t.TempDir(), "titledesk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, env := range [][]string{
		{"LANG=C.UTF-8"}, {"LC_ALL=C.UTF-8"}, {"LANG=zh_CN.UTF-8", "LC_MESSAGES=C.utf8"},
		{"LANG=POSIX.UTF-8"}, {"LANG=C"}, {"LANG=zh_CN.UTF-8"}, {"LANG=en_US.UTF-8"}, {},
	} {
		t.Run(strings.Join(env, " "), func(t *testing.T) {
			for _, args := range [][]string{{"-version"}, {}} { // {}: no display, one line
				cmd := exec.Command(bin, args...)
				cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "DISPLAY=", "WAYLAND_DISPLAY="}, env...)
				out, _ := cmd.CombinedOutput()
				if strings.Contains(string(out), "locale") || strings.Contains(string(out), "Fyne error") {
					t.Errorf("%v %v:\n%s", env, args, out)
				}
				if len(args) == 0 && strings.Count(strings.TrimSpace(string(out)), "\n") != 0 {
					t.Errorf("%v without a display: want one line, got\n%s", env, out)
				}
			}
		})
	}
}
