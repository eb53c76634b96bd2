package applog

import (
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestFileRotates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	f, err := OpenFile(dir, "titledesk.log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if runtime.GOOS != "windows" {
		for path, want := range map[string]os.FileMode{dir: 0o700, f.Path: 0o600} {
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
				t.Fatalf("%s: mode %v (%v), want %v", path, fi.Mode().Perm(), err, want)
			}
		}
	}
	log := New(f, slog.LevelInfo)
	line := strings.Repeat("x", 1000)
	for i := 0; i < (MaxFileMB<<20)/1000+200; i++ { // a little over one file's worth
		log.Info("filler", "i", i, "text", line)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var backups int
	for _, e := range entries {
		if e.Name() != "titledesk.log" && strings.HasPrefix(e.Name(), "titledesk-") && strings.HasSuffix(e.Name(), ".log") {
			backups++
		}
	}
	fi, err := os.Stat(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	if backups != 1 || fi.Size() >= MaxFileMB<<20 {
		t.Fatalf("after %d MB: %d backups, current file %d bytes; want 1 backup and a fresh file", MaxFileMB+1, backups, fi.Size())
	}
}
