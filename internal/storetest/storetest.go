// Package storetest chooses the store the server's tests run on, so the
// same suites run once on SQLite and once on PostgreSQL (OPS-1).
//
// Environment:
//
//	TITLEDESK_TEST_STORE  sqlite (default) or postgres: the store of every
//	                      server a test starts.
//	TITLEDESK_TEST_PG     a PostgreSQL URL whose role may create schemas
//	                      (scripts/pg.sh start prints one). Each test gets a
//	                      schema of its own, dropped when it ends.
//
// Tests that only make sense on PostgreSQL (several servers on one
// database, moving a deployment from SQLite) call RequirePostgres: without
// TITLEDESK_TEST_PG they skip with a message saying how to run them, and
// under CI=true they fail instead, so CI cannot pass without them. In an
// explicit SQLite pass (TITLEDESK_TEST_STORE=sqlite) they skip: they run in
// the PostgreSQL pass.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Environment variables.
const (
	EnvStore = "TITLEDESK_TEST_STORE"
	EnvPG    = "TITLEDESK_TEST_PG"
)

const howTo = `set TITLEDESK_TEST_PG to a PostgreSQL URL (eval "$(bash scripts/pg.sh start /tmp/titledesk-pg)" starts a private cluster)`

// Postgres reports whether the server tests run on PostgreSQL.
func Postgres() bool { return os.Getenv(EnvStore) == "postgres" }

// Name is the store the server tests run on, for logs.
func Name() string {
	if Postgres() {
		return "postgres"
	}
	return "sqlite"
}

// Database returns the server's Config.Database for a new, empty store of
// the selected kind: "" for SQLite (the caller's DataDir holds it), or the
// URL of a fresh PostgreSQL schema.
func Database(t testing.TB) string {
	t.Helper()
	if !Postgres() {
		return ""
	}
	if os.Getenv(EnvPG) == "" {
		t.Fatalf("%s=postgres but %s is empty: %s", EnvStore, EnvPG, howTo)
	}
	return NewSchema(t)
}

// RequirePostgres returns the URL of a fresh PostgreSQL schema for a test
// that needs PostgreSQL whatever the selected store, or skips (fails under
// CI=true) without one.
func RequirePostgres(t testing.TB) string {
	t.Helper()
	if os.Getenv(EnvStore) == "sqlite" {
		t.Skip("PostgreSQL test: runs in the PostgreSQL pass (" + EnvStore + "=postgres)")
	}
	if os.Getenv(EnvPG) == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("PostgreSQL test cannot run in CI: " + howTo)
		}
		t.Skip("PostgreSQL test skipped: " + howTo)
	}
	return NewSchema(t)
}

// NewSchema creates an empty schema in the TITLEDESK_TEST_PG database and
// returns a URL whose connections use it; it is dropped when t ends.
func NewSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPG)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPG, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPG, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens a plain connection pool on a URL NewSchema returned, for
// tests that look into or tamper with the database behind the server.
func Open(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Describe names the store for a test log line.
func Describe() string {
	if Postgres() {
		return fmt.Sprintf("PostgreSQL (%s)", os.Getenv(EnvPG))
	}
	return "SQLite"
}
