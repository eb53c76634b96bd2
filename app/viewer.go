package app

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"titledesk/model"
)

// DocumentViewer opens a file in the system's viewer (DC-4: printed PDFs
// are opened there, ready to print; REV-2: attachments). Tests replace it
// so no viewer is launched.
type DocumentViewer interface {
	Open(path string) error
}

// SystemViewer hands the file to the desktop: xdg-open on Linux, open on
// macOS, the URL protocol handler on Windows. It does not wait for the viewer.
type SystemViewer struct{}

func (SystemViewer) Open(path string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", path)
	case "darwin":
		cmd = exec.Command("open", path)
	default:
		cmd = exec.Command("xdg-open", path)
	}
	if err := cmd.Start(); err != nil {
		return &model.Error{Kind: model.KindInvalid, Code: "viewer", Title: "无法打开文件",
			Detail: fmt.Sprintf("没有找到可以打开该文件的程序，文件已保存在：%s", path)}
	}
	go cmd.Wait() // reap it; the viewer lives on its own
	return nil
}

// printName is the file name of a printed PDF called name: the name and
// the time it was printed, so two prints of one list are told apart when
// saved (【另存为…】). The file goes into the session's private folder
// (openFiles): a review sheet holds ID numbers and phone numbers.
func printName(name string) string {
	return fmt.Sprintf("%s-%s.pdf", name, time.Now().Format("20060102-150405"))
}

// A file name is cut to maxFileNameRunes characters and maxFileNameBytes
// bytes of UTF-8: inside every system's limit (Linux and macOS: 255 bytes
// per name; Windows: 255 UTF-16 units, 260 per path by default).
const (
	maxFileNameRunes = 80
	maxFileNameBytes = 240
)

// fullWidth replaces what Windows refuses in a file name (and / for every
// system) with the full-width look-alike, so "A/B" stays readable as "A／B".
var fullWidth = strings.NewReplacer(`/`, "／", `\`, "＼", `:`, "：", `*`, "＊", `?`, "？", `"`, "＂", `<`, "＜", `>`, "＞", `|`, "｜")

// SafeFileName makes name a file name every system accepts and Explorer
// shows as typed: path separators and the characters Windows reserves
// (\ / : * ? " < > |) become their full-width forms, control and bidi
// characters go, trailing dots and spaces go, a reserved device name
// (CON, NUL, COM1, …) gets a "_" in front, and it is cut to
// maxFileNameRunes keeping the extension. An empty result is "文件".
func SafeFileName(name string) string {
	name = fullWidth.Replace(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\uFEFF' {
			return -1
		}
		return r
	}, name)
	ext := filepath.Ext(name)
	if utf8.RuneCountInString(ext) > 10 {
		ext = ""
	}
	base := strings.TrimRight(strings.TrimSuffix(name, ext), ". ")
	r := []rune(base)
	for len(r) > 0 && (len(r)+utf8.RuneCountInString(ext) > maxFileNameRunes || len(string(r))+len(ext) > maxFileNameBytes) {
		r = r[:len(r)-1]
	}
	base = strings.TrimRight(string(r), ". ")
	base = strings.TrimSpace(base)
	if base == "" {
		base = "文件"
	}
	if reservedDeviceName(base) {
		base = "_" + base
	}
	return base + strings.TrimRight(ext, ". ")
}

// reservedDeviceName: Windows opens a device, not a file, for these names
// whatever the extension.
func reservedDeviceName(base string) bool {
	stem, _, _ := strings.Cut(strings.ToUpper(base), ".")
	switch stem {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	return len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) && stem[3] >= '1' && stem[3] <= '9'
}

// currentUser keeps two accounts of one computer out of each other's folder.
func currentUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if u := os.Getenv("USERNAME"); u != "" {
		return u
	}
	return "user"
}
