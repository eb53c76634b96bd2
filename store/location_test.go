package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestAppDataDir: caches go to the local application-data directory of
// each system, never the roaming profile; the folder earlier versions used
// is known, so it can be moved from.
func TestAppDataDir(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	home := func() (string, error) { return "/home/li", nil }
	noHome := func() (string, error) { return "", errors.New("no home") }
	tests := []struct {
		name      string
		e         osEnv
		want, old string
		wantErr   bool
	}{
		{"windows", osEnv{"windows", env(map[string]string{"LOCALAPPDATA": `C:\Users\li\AppData\Local`, "APPDATA": `\\fs01\profiles\li\AppData\Roaming`}), noHome},
			filepath.Join(`C:\Users\li\AppData\Local`, "TitleDesk"), filepath.Join(`\\fs01\profiles\li\AppData\Roaming`, "TitleDesk"), false},
		{"windows without LOCALAPPDATA", osEnv{"windows", env(map[string]string{"APPDATA": `C:\Roaming`}), noHome}, "", "", true},
		{"macOS", osEnv{"darwin", env(nil), home},
			"/home/li/Library/Application Support/TitleDesk", "/home/li/Library/Application Support/TitleDesk", false},
		{"linux defaults", osEnv{"linux", env(nil), home}, "/home/li/.local/share/TitleDesk", "/home/li/.config/TitleDesk", false},
		{"linux XDG", osEnv{"linux", env(map[string]string{"XDG_DATA_HOME": "/data/li", "XDG_CONFIG_HOME": "/conf/li"}), home},
			"/data/li/TitleDesk", "/conf/li/TitleDesk", false},
		{"linux relative XDG is ignored", osEnv{"freebsd", env(map[string]string{"XDG_DATA_HOME": "data"}), home},
			"/home/li/.local/share/TitleDesk", "/home/li/.config/TitleDesk", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.e.appDataDir()
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("appDataDir = %q, %v; want %q", got, err, tt.want)
			}
			if tt.wantErr {
				return
			}
			if old, _ := tt.e.legacyDir(); old != tt.old {
				t.Errorf("legacyDir = %q, want %q", old, tt.old)
			}
		})
	}
}

// TestMoveLegacy: a cache (database, WAL, held files) in the old roaming
// folder is moved once to the local folder and opens there; a move cut
// short is redone; a leftover old copy next to a finished move goes.
func TestMoveLegacy(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	e := osEnv{"linux", func(k string) string {
		return map[string]string{"XDG_DATA_HOME": filepath.Join(root, "local"), "XDG_CONFIG_HOME": filepath.Join(root, "roaming")}[k]
	}, func() (string, error) { return root, nil }}
	newDir, _ := e.appDataDir()
	oldDir, _ := e.legacyDir()
	newPath, oldPath := filepath.Join(newDir, "cache-1.db"), filepath.Join(oldDir, "cache-1.db")

	// An old cache with a WAL (it was not closed cleanly) and a held file.
	s := openUnlocked(t, oldPath)
	if err := s.ApplyChanges(ctx, nil, "cursor-before-the-move"); err != nil {
		t.Fatal(err)
	}
	file, err := s.PutFile(ctx, "公示.pdf", "publicity", pdfBytes)
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(oldPath + "-wal")
	db, _ := os.ReadFile(oldPath)
	s.Close()
	os.WriteFile(oldPath+"-wal", wal, 0o600) // as a crash would leave it
	os.WriteFile(oldPath, db, 0o600)

	// A first move was cut short: a partial copy lies beside the new path.
	os.MkdirAll(newDir, 0o700)
	os.WriteFile(newPath+".moving", []byte("partial"), 0o600)

	if err := e.moveLegacy(newPath); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{oldPath, oldPath + "-wal", filesDirOf(oldPath)} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still in the roaming folder", filepath.Base(p))
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(newDir, "*.moving")); len(leftovers) > 0 {
		t.Errorf("temporary copies left: %v", leftovers)
	}
	s = openUnlocked(t, newPath)
	if c, _ := s.Cursor(ctx); c != "cursor-before-the-move" {
		t.Errorf("cursor after the move = %q (the WAL was not moved with the database)", c)
	}
	if data, err := s.FileData(ctx, file.SHA256); err != nil || !bytes.Equal(data, pdfBytes) {
		t.Errorf("held file after the move: %v", err)
	}
	s.Close()

	// Nothing to do any more; an old copy reappearing next to the moved
	// cache is a leftover and goes, the moved cache stays.
	if err := e.moveLegacy(newPath); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(oldDir, 0o700)
	os.WriteFile(oldPath, db, 0o600)
	if err := e.moveLegacy(newPath); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(oldPath); !os.IsNotExist(err) {
		t.Error("the leftover old copy was kept")
	}
	if got, _ := os.ReadFile(newPath); len(got) == 0 {
		t.Error("the moved cache was lost")
	}
}
