package app

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFileName: the copy handed to a viewer carries the extension of its
// type (the system picks the program by it), whatever the name said, and
// is a safe file name (SafeFileName, tested on its own).
func TestFileName(t *testing.T) {
	tests := []struct {
		name, ext, want string
	}{
		{"扫描件.pdf", ".pdf", "扫描件.pdf"},
		{"扫描件", ".pdf", "扫描件.pdf"},
		{"SCAN.PDF", ".pdf", "SCAN.PDF"},
		{"毕业证.jpeg", ".jpg", "毕业证.jpeg"},
		{"毕业证.png", ".jpg", "毕业证.png.jpg"}, // the bytes are JPEG: the viewer must think so too
		{"照片", ".png", "照片.png"},
		{"report.pdf.exe", ".pdf", "report.pdf.exe.pdf"},
		{"CON", ".pdf", "_CON.pdf"},
		{"", ".png", "文件.png"},
		{"公示结果", "", "公示结果"},
	}
	for _, tt := range tests {
		if got := fileName(tt.name, tt.ext); got != tt.want {
			t.Errorf("fileName(%q, %q) = %q, want %q", tt.name, tt.ext, got, tt.want)
		}
	}
	for _, name := range []string{`..\..\Windows\evil.pdf`, "../../etc/passwd", "a:b*c?d|e<f>g\".pdf", "x\u202Egnp.pdf"} {
		got := fileName(name, ".pdf")
		if strings.ContainsAny(got, `/\:*?"<>|`+"\u202E") || filepath.Ext(got) != ".pdf" || filepath.Base(got) != got {
			t.Errorf("fileName(%q) = %q: not one safe .pdf name", name, got)
		}
	}
}
