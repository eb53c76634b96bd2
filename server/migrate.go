package server

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"

	"titledesk/internal/sqlmig"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one embedded .sql file (see internal/sqlmig).
type migration = sqlmig.Migration

func loadMigrations() ([]migration, error) { return sqlmig.Load(migrationFiles, "migrations") }

// migrate applies every embedded migration newer than the database's schema
// version, each in its own transaction together with its version row, so a
// crash leaves the schema at a known version.
func migrate(ctx context.Context, db *sql.DB, now time.Time) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var current int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	all, err := loadMigrations()
	if err != nil {
		return err
	}
	if n := len(all); n > 0 && current > all[n-1].Version {
		return fmt.Errorf("database schema version %d is newer than this server (%d)", current, all[n-1].Version)
	}
	for _, m := range all {
		if m.Version <= current {
			continue
		}
		if err := applyMigration(ctx, db, m, now); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, m migration, now time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, now.UnixMilli()); err != nil {
		return fmt.Errorf("migration %s: record version: %w", m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", m.Name, err)
	}
	return nil
}
