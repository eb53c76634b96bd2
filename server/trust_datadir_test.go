package server

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"titledesk/api"
)

// TestDataDirPrivateAnyPath is issue 8 hole 8: whatever the data
// directory's name ('#', '?', '%', spaces, Chinese) the database is created
// inside it; a directory and files that existed with wider modes end up
// 0700 and 0600 (database, WAL, shared memory, attachments); the temporary
// files of uploads a crash interrupted are gone after start-up.
func TestDataDirPrivateAnyPath(t *testing.T) {
	for _, name := range []string{"data", "a#b", "a?b", "100%", "a%23b", "空 格#?%"} {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, name)
			shard := filepath.Join(dir, attachmentDir, "ab")
			if err := os.MkdirAll(shard, 0o755); err != nil {
				t.Fatal(err)
			}
			os.Chmod(dir, 0o755)
			leftover := filepath.Join(shard, ".upload-123456")
			stored := filepath.Join(shard, "abcd") // a kept file, left readable by others
			for _, f := range []string{leftover, stored} {
				if err := os.WriteFile(f, []byte("%PDF-"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			srv, err := Open(context.Background(), Config{DataDir: dir, PasswordCost: bcrypt.MinCost})
			if err != nil {
				t.Fatal(err)
			}
			// Write something so the WAL and shared-memory files exist.
			if _, err := srv.CreateUnit(context.Background(), fixtureWorld().Units[0]); err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			entries, _ := os.ReadDir(parent)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			sort.Strings(names)
			if len(names) != 1 || names[0] != name {
				t.Fatalf("files beside the data directory: %q", names)
			}
			modes := map[string]os.FileMode{dir: 0o700, filepath.Join(dir, attachmentDir): 0o700, shard: 0o700,
				filepath.Join(dir, dbFileName): 0o600, filepath.Join(dir, dbFileName+"-wal"): 0o600,
				filepath.Join(dir, dbFileName+"-shm"): 0o600, stored: 0o600}
			for p, want := range modes {
				fi, err := os.Stat(p)
				if err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				if fi.Mode().Perm() != want {
					t.Errorf("%s: mode %v, want %v", filepath.Base(p), fi.Mode().Perm(), want)
				}
			}
			if _, err := os.Stat(leftover); !os.IsNotExist(err) {
				t.Errorf("the interrupted upload's temporary file is still there: %v", err)
			}
		})
	}
}

// TestDataDirWidenedModesNarrowed: a data directory, database and WAL that
// an older version or an operator left at 0755/0644 are narrowed at the
// next start.
func TestDataDirWidenedModesNarrowed(t *testing.T) {
	ts := newTestServer(t)
	if ts.srv.dialect.name() != StoreSQLite {
		t.Skip("the data directory belongs to the SQLite store; this runs in the SQLite pass")
	}
	ts.login(userDept1) // writes: the WAL exists
	ts.stop()
	paths := []string{ts.dir, filepath.Join(ts.dir, dbFileName), filepath.Join(ts.dir, dbFileName+"-wal")}
	for i, p := range paths {
		mode := os.FileMode(0o644)
		if i == 0 {
			mode = 0o755
		}
		if err := os.Chmod(p, mode); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	ts.start()
	ts.login(userDept1)
	for i, p := range paths {
		want := os.FileMode(0o600)
		if i == 0 {
			want = 0o700
		}
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm() != want {
			t.Errorf("%s: %v, want %v", filepath.Base(p), fi.Mode().Perm(), want)
		}
	}
	if resp := ts.do("GET", api.Base+"/health", "", nil); resp.StatusCode != 200 {
		t.Fatalf("health after restart: %d", resp.StatusCode)
	}
}
