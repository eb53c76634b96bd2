package sqlfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCreatePrivateNarrowsWhatExists(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x#y?z%20", "db.sqlite")
	if err := CreatePrivate(path); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil && p == path {
			t.Fatal(err)
		}
		os.Chmod(p, 0o644)
	}
	if err := CreatePrivate(path); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", p, fi.Mode(), err)
		}
	}
	if b, _ := os.ReadFile(path); string(b) != "x" {
		t.Fatal("an existing database lost its content")
	}
}

func TestURI(t *testing.T) {
	for in, want := range map[string]string{
		"/data/a#b/t.db":  "file:/data/a%23b/t.db",
		"/data/a?b/t.db":  "file:/data/a%3fb/t.db",
		"/data/100%/t.db": "file:/data/100%25/t.db",
		"/数据/空 格/t.db":    "file:/数据/空 格/t.db",
	} {
		if got := URI(in); got != want {
			t.Errorf("URI(%q) = %q, want %q", in, got, want)
		}
	}
}
