package app

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

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

// printPath is a new file name for a printed PDF called name, in a private
// TitleDesk folder of the system's temporary directory (the PDFs hold
// personal data: the folder and files are the user's only).
func printPath(name string) (string, error) {
	dir := filepath.Join(os.TempDir(), "TitleDesk-"+currentUser())
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("print: create folder: %w", err)
	}
	return filepath.Join(dir, fmt.Sprintf("%s-%s.pdf", name, time.Now().Format("20060102-150405.000"))), nil
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
