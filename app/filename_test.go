package app_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"titledesk/app"
	"titledesk/report"
)

// TestSafeFileNamesOpen: names a person may have or type — slashes, the
// characters Windows refuses, control and bidi characters, trailing dots,
// device names, very long names — become file names Windows accepts, that
// keep what can be kept, and that a PDF written under them opens
// (pdftotext reads it back).
func TestSafeFileNamesOpen(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	dir := t.TempDir()
	names := map[string]string{
		"slash":         "审核表-张/三",
		"windows":       `审核表-王?*:"<>|五`,
		"backslash":     `a\b`,
		"controls":      "李\x00四\u202e\t",
		"trailing dots": "审核表-赵六. . .",
		"device":        "CON",
		"device.ext":    "nul.pdf",
		"long":          strings.Repeat("阿卜杜热合曼·买买提艾力", 20),
		"empty":         "///",
		"dot name":      "买买提·艾力",
	}
	for what, name := range names {
		t.Run(what, func(t *testing.T) {
			safe := app.SafeFileName(name + ".pdf")
			if strings.ContainsAny(safe, "/\\:*?\"<>|") || strings.ContainsFunc(safe, func(r rune) bool { return r < ' ' || r == '\u202e' }) {
				t.Fatalf("%q → %q still holds a refused character", name, safe)
			}
			base := strings.TrimSuffix(safe, ".pdf")
			if base == "" || strings.HasSuffix(base, ".") || strings.HasSuffix(base, " ") || utf8.RuneCountInString(safe) > 80 || len(safe) > 240 {
				t.Fatalf("%q → %q", name, safe)
			}
			if stem := strings.ToUpper(strings.SplitN(base, ".", 2)[0]); stem == "CON" || stem == "NUL" {
				t.Fatalf("%q → %q is a device name", name, safe)
			}
			if !strings.HasSuffix(safe, ".pdf") {
				t.Fatalf("%q lost its extension: %q", name, safe)
			}
			path := filepath.Join(dir, safe)
			f, err := os.Create(path)
			if err != nil {
				t.Fatalf("create %q: %v", safe, err)
			}
			err = report.WriteTable(f, report.TableReport{Title: name, Columns: []report.Column{{Header: "姓名", Width: 1}}, Rows: [][]string{{"王伟"}}})
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("pdftotext", path, "-").Output()
			if err != nil || !strings.Contains(string(out), "王伟") {
				t.Fatalf("pdftotext %q: %v %q", safe, err, out)
			}
		})
	}
	if got := app.SafeFileName("审核表-张/三.pdf"); got != "审核表-张／三.pdf" {
		t.Errorf("a slash becomes %q, want the full-width ／", got)
	}
}
