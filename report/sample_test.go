package report

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestSampleSheet renders docs/sample-sheet.png when TITLEDESK_SAMPLE=1.
func TestSampleSheet(t *testing.T) {
	if os.Getenv("TITLEDESK_SAMPLE") != "1" {
		t.Skip("set TITLEDESK_SAMPLE=1 to regenerate docs/sample-sheet.png")
	}
	dir := t.TempDir()
	if d := os.Getenv("TITLEDESK_SAMPLE_DIR"); d != "" {
		dir = d
	}
	pdfPath := filepath.Join(dir, "sample.pdf")
	f, err := os.Create(pdfPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteSheet(f, panelFixture()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out := filepath.Join("..", "docs", "sample-sheet")
	if b, err := exec.Command("pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", pdfPath, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
}
