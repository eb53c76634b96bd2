package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"titledesk/internal/storetest"
	"titledesk/server"
)

// TestAdminBackupRestoreGeneration: `admin backup` gives the copy a new
// database generation, `admin restore` puts it back under yet another one,
// `admin new-generation` renews it in place, and the audit log names them.
func TestAdminBackupRestoreGeneration(t *testing.T) {
	if storetest.Postgres() {
		t.Skip("SQLite's backup and restore")
	}
	ctx := context.Background()
	data, backup := t.TempDir(), filepath.Join(t.TempDir(), "backup.db")
	srv, err := server.Open(ctx, server.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	generation := func(file string) string {
		t.Helper()
		db, err := sql.Open("sqlite3", "file:"+file+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var g string
		if err := db.QueryRow(`SELECT id FROM generation`).Scan(&g); err != nil {
			t.Fatal(err)
		}
		return g
	}
	db := filepath.Join(data, "titledesk.db")
	seen := map[string]string{"live": generation(db)}
	var out bytes.Buffer
	for _, step := range []struct {
		name string
		args []string
		file string
	}{
		{"backup", []string{"admin", "backup", "--data", data, "--to", backup}, backup},
		{"restore", []string{"admin", "restore", "--data", data, "--from", backup}, db},
		{"new-generation", []string{"admin", "new-generation", "--data", data}, db},
	} {
		if err := run(ctx, step.args, strings.NewReader(""), &out, &out); err != nil {
			t.Fatalf("%v: %v\n%s", step.args, err, out.String())
		}
		g := generation(step.file)
		for name, other := range seen {
			if g == other {
				t.Errorf("%s kept the generation of %s", step.name, name)
			}
		}
		seen[step.name] = g
	}
	out.Reset()
	if err := run(ctx, []string{"admin", "audit", "--data", data}, strings.NewReader(""), &out, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Count(out.String(), "new_generation") != 2 {
		t.Errorf("the audit log does not name the restore and the new generation:\n%s", out.String())
	}
	if err := run(ctx, []string{"admin", "restore", "--data", data}, strings.NewReader(""), &out, &out); err == nil {
		t.Error("restore without --from ran")
	}
}
