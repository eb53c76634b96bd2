package main

import (
	"database/sql"
	"path/filepath"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"titledesk/internal/storetest"
	"titledesk/server"
)

// testStore is an empty store of the kind the suite runs on
// (internal/storetest), as the command line names it.
type testStore struct {
	cfg   server.Config
	flags []string // --data DIR or --db URL
	raw   func() *sql.DB
	// unguard are the statements that let SQL edit the audit log, as the
	// database's owner could.
	unguard []string
}

func newTestStore(t *testing.T) testStore {
	t.Helper()
	if url := storetest.Database(t); url != "" {
		return testStore{cfg: server.Config{Database: url}, flags: []string{"--db", url},
			raw: func() *sql.DB { return storetest.Open(t, url) }, unguard: []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`}}
	}
	dir := t.TempDir()
	return testStore{cfg: server.Config{DataDir: dir}, flags: []string{"--data", dir},
		raw: func() *sql.DB {
			db, err := sql.Open("sqlite3", filepath.Join(dir, "titledesk.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		unguard: []string{`DROP TRIGGER audit_log_no_update`}}
}

// args is the command line with the store's flags after the subcommand words.
func (s testStore) args(words ...string) []string {
	return append(append([]string(nil), words...), s.flags...)
}
