// Package sqlfile names and guards the SQLite files that hold personal data,
// for the server's database and the desktop cache alike: a path becomes a
// file: URI that any character survives, and the file, its WAL and its
// shared-memory index are readable by their owner only.
package sqlfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// URI is path as an SQLite file: URI. '?' and '#' would end the path there
// (a folder named "C#" opened another file) and '%' would start an escape,
// so the three are percent-encoded, which SQLite decodes.
func URI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// CreatePrivate makes sure the database file at path exists with mode 0600
// in a directory that exists, before SQLite opens it: SQLite gives its WAL
// and shared-memory files the database file's permissions. A file that
// exists keeps its content and loses any wider mode; so do its WAL and
// shared-memory files when present.
func CreatePrivate(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	return Restrict(path)
}

// Restrict sets mode 0600 on the database at path and on its -wal and -shm
// files where they exist.
func Restrict(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restrict %s: %w", filepath.Base(p), err)
		}
	}
	return nil
}
