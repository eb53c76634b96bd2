// Package atrest checks files for personal data stored readable: the tests
// of the client cache (store, sync, app) scan the database, its -wal and
// journal and the held files for every ID number and phone number of
// their fixtures, and for the magic bytes of readable PDF, JPEG or PNG
// files. It is used by tests only.
package atrest

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"titledesk/server/demo"
)

// Finding is one readable value found in a file.
type Finding struct {
	File  string // the file's path
	Value string // the value found, or "PDF", "JPEG", "PNG" for a readable file
}

// minLen is the shortest value worth looking for: shorter ones (and the
// empty string) would match unrelated bytes.
const minLen = 8

// CacheFiles lists the files of the cache at dbPath: the database, its
// -wal and -journal (those that exist) and every file under heldDir.
func CacheFiles(dbPath, heldDir string) (db, held []string) {
	for _, p := range []string{dbPath, dbPath + "-wal", dbPath + "-journal"} {
		if _, err := os.Stat(p); err == nil {
			db = append(db, p)
		}
	}
	filepath.WalkDir(heldDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			held = append(held, p)
		}
		return nil
	})
	return db, held
}

// Scan reads db and held and reports every value of values (of at least
// eight bytes) found in them, and every held file that starts like a
// readable PDF, JPEG or PNG. Values are found in one pass per file (indexed
// by their first eight bytes), so thousands of values over a database of
// tens of megabytes take well under a second.
func Scan(db, held, values []string) ([]Finding, error) {
	byPrefix := map[string][]string{}
	for _, v := range values {
		if len(v) >= minLen {
			byPrefix[v[:minLen]] = append(byPrefix[v[:minLen]], v)
		}
	}
	var out []Finding
	scan := func(path string, isHeld bool) error {
		data, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if isHeld {
			if kind := Magic(data); kind != "" {
				out = append(out, Finding{path, kind})
			}
		}
		for i := 0; i+minLen <= len(data); i++ {
			for _, v := range byPrefix[string(data[i:i+minLen])] {
				if bytes.HasPrefix(data[i:], []byte(v)) {
					out = append(out, Finding{path, v})
				}
			}
		}
		return nil
	}
	for _, p := range db {
		if err := scan(p, false); err != nil {
			return out, err
		}
	}
	for _, p := range held {
		if err := scan(p, true); err != nil {
			return out, err
		}
	}
	return out, nil
}

// Magic names the format of a readable PDF, JPEG or PNG file, "" otherwise.
// A PDF header may follow up to 1,024 bytes of other data.
func Magic(data []byte) string {
	switch {
	case bytes.Contains(data[:min(len(data), 1024+5)], []byte("%PDF-")):
		return "PDF"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "JPEG"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG"
	}
	return ""
}

// Masked shows a found value as a test may log it: its first and last
// four characters.
func Masked(v string) string {
	if len(v) <= 8 {
		return strings.Repeat("*", len(v))
	}
	return v[:4] + strings.Repeat("*", len(v)-8) + v[len(v)-4:]
}

// WorldValues are the ID numbers and phone numbers of a demo world: every
// applicant's, expert's, unit contact's and registered unit's.
func WorldValues(w *demo.World) []string {
	var out []string
	for _, p := range w.Applicants {
		out = append(out, p.IDNumber, p.Phone)
	}
	for _, e := range w.Experts {
		out = append(out, e.IDNumber, e.Phone)
	}
	for _, u := range w.Units {
		out = append(out, u.Phone)
	}
	for _, r := range w.Registrations {
		out = append(out, r.Unit.Phone)
	}
	return out
}
