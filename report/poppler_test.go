package report

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// requirePoppler skips the test when poppler-utils is missing, except in CI
// (CI=true), where the PDF checks must run.
func requirePoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdffonts", "pdftoppm", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not found: CI must install poppler-utils", tool)
			}
			t.Skipf("%s not found: install poppler-utils (apt-get install -y poppler-utils) to run the PDF checks", tool)
		}
	}
}

// savePDF writes data to a temporary file and returns its path.
func savePDF(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.Bytes())
	}
	return out
}

// pageCount reads the number of pages with pdfinfo.
func pageCount(t *testing.T, path string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(run(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo: no page count")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pageSize returns pdfinfo's "Page size" line of page 1.
func pageSize(t *testing.T, path string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Page size:\s+(.*)$`).FindSubmatch(run(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo: no page size")
	}
	return string(m[1])
}

// text extracts the text in content-stream order (pdftotext -raw), of one
// page if page > 0, of the whole document otherwise.
func text(t *testing.T, path string, page int) string {
	t.Helper()
	args := []string{"-raw", "-enc", "UTF-8"}
	if page > 0 {
		args = append(args, "-f", strconv.Itoa(page), "-l", strconv.Itoa(page))
	}
	return string(run(t, "pdftotext", append(args, path, "-")...))
}

// squash drops all white space, so text wrapped over lines compares whole.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// inkRatio renders page 1 at 50 dpi and returns the share of non-white pixels.
func inkRatio(t *testing.T, path string) float64 {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(run(t, "pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", path)))
	if err != nil {
		t.Fatalf("decode rendered page: %v", err)
	}
	b := img.Bounds()
	ink := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xF000 || g < 0xF000 || bl < 0xF000 {
				ink++
			}
		}
	}
	return float64(ink) / float64(b.Dx()*b.Dy())
}

// fontsEmbedded checks pdffonts: at least one font, every font embedded.
func fontsEmbedded(t *testing.T, path string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(run(t, "pdffonts", path))), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no font:\n%s", strings.Join(lines, "\n"))
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// … emb sub uni object ID: emb is the fifth field from the end.
		if len(f) < 6 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %q", l)
		}
	}
}
