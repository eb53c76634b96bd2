package server

import (
	"context"
	"slices"
	"strings"
	"testing"

	"titledesk/internal/storetest"
)

func TestRebind(t *testing.T) {
	tests := []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		{`WHERE x = ?1 AND y = ?2 OR z = ?1`, `WHERE x = $1 AND y = $2 OR z = $1`},
		{`WHERE x = ?2 AND y = ?`, `WHERE x = $2 AND y = $3`},                     // SQLite: bare ? follows the largest so far
		{`WHERE a = '?' AND b = ?`, `WHERE a = '?' AND b = $1`},                   // string literal
		{`WHERE a = 'it''s ?' AND b = ?`, `WHERE a = 'it''s ?' AND b = $1`},       // doubled quote
		{`SELECT "col?" FROM t WHERE b = ?`, `SELECT "col?" FROM t WHERE b = $1`}, // quoted identifier
		{"-- is it? yes\nSELECT ?", "-- is it? yes\nSELECT $1"},                   // line comment
		{`/* why? */ SELECT ? /* and ? */`, `/* why? */ SELECT $1 /* and ? */`},   // block comments
		{`VALUES (?, ?, ?), (?, ?, ?)`, `VALUES ($1, $2, $3), ($4, $5, $6)`},      // multi-row insert
		{`SELECT ?10, ?`, `SELECT $10, $11`},                                      // two-digit numbers
		{`WHERE a = 'unterminated ?`, `WHERE a = 'unterminated ?`},                // broken literal stays as is
		{`SELECT 1 /* open ?`, `SELECT 1 /* open ?`},                              // broken comment stays as is
		{`UPDATE counters SET value = ? WHERE name = 'feed_seq'`, `UPDATE counters SET value = $1 WHERE name = 'feed_seq'`},
	}
	for _, tt := range tests {
		if got := rebind(tt.in); got != tt.want {
			t.Errorf("rebind(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMigrationsPairUp: every schema version exists for both stores, so a
// version number means the same schema on each.
func TestMigrationsPairUp(t *testing.T) {
	versions := func(store string) []int {
		ms, err := loadMigrations(store)
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for _, m := range ms {
			out = append(out, m.Version)
		}
		return out
	}
	if s, p := versions(StoreSQLite), versions(StorePostgres); !slices.Equal(s, p) || len(s) == 0 {
		t.Fatalf("SQLite migrations %v, PostgreSQL %v", s, p)
	}
}

// TestSchemasMatch: after all migrations both stores have the same tables
// with the same columns (PostgreSQL adds attachment_files), which is what
// admin migrate copies.
func TestSchemasMatch(t *testing.T) {
	url := storetest.RequirePostgres(t)
	ctx := context.Background()
	columns := func(cfg Config) map[string]string {
		srv, err := Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		tables, err := tableNames(ctx, srv.reader, srv.dialect)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, table := range tables {
			rows, err := srv.reader.QueryContext(ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			rows.Close()
			slices.Sort(cols)
			out[table] = strings.Join(cols, ",")
		}
		return out
	}
	lite, pg := columns(Config{DataDir: t.TempDir()}), columns(Config{Database: url})
	if _, ok := pg["attachment_files"]; !ok {
		t.Fatal("PostgreSQL has no attachment_files")
	}
	delete(pg, "attachment_files")
	for table, cols := range lite {
		if pg[table] != cols {
			t.Errorf("%s: SQLite (%s), PostgreSQL (%s)", table, cols, pg[table])
		}
	}
	for table := range pg {
		if _, ok := lite[table]; !ok {
			t.Errorf("%s exists only on PostgreSQL", table)
		}
	}
}
