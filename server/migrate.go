package server

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"path"
	"time"

	"titledesk/internal/sqlmig"
)

// Migrations: migrations/NNNN_name.sql is portable SQL that both stores
// run; migrations/sqlite/ and migrations/postgres/ hold the versions whose
// SQL must differ, one file per store under the same number. Every number
// exists for both stores (TestMigrationsPairUp), so a schema version means
// the same tables on each. Portable SQL sticks to TEXT, BIGINT and
// INTEGER columns, ON CONFLICT … DO NOTHING / DO UPDATE, and no
// store-specific clauses (WITHOUT ROWID, AUTOINCREMENT, BYTEA, SERIAL).
//
//go:embed migrations
var migrationFiles embed.FS

// migration is one embedded .sql file (see internal/sqlmig).
type migration = sqlmig.Migration

// loadMigrations returns the migrations of one store in version order.
func loadMigrations(store string) ([]migration, error) {
	shared, err := sqlmig.Load(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	own, err := sqlmig.Load(migrationFiles, path.Join("migrations", store))
	if err != nil {
		return nil, err
	}
	return sqlmig.Merge(shared, own)
}

// migrate applies every embedded migration newer than the database's
// schema version, each in its own transaction together with its version
// row, so a crash leaves the schema at a known version. Each transaction
// takes the dialect's migration lock and reads the version under it, so
// several servers starting at once on one database apply each migration
// once.
func migrate(ctx context.Context, db *sql.DB, d dialect, now time.Time) error {
	all, err := loadMigrations(d.name())
	if err != nil {
		return err
	}
	for {
		done, err := migrateOne(ctx, db, d, all, now)
		if err != nil || done {
			return err
		}
	}
}

// migrateOne applies the next pending migration; done reports there was none.
func migrateOne(ctx context.Context, db *sql.DB, d dialect, all []migration, now time.Time) (done bool, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	if err := d.lockMigrations(ctx, tx); err != nil {
		return false, fmt.Errorf("migrate: lock: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return false, fmt.Errorf("create schema_migrations: %w", err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	if n := len(all); n > 0 && current > all[n-1].Version {
		return false, fmt.Errorf("database schema version %d is newer than this server (%d)", current, all[n-1].Version)
	}
	var next *migration
	for i := range all {
		if all[i].Version > current {
			next = &all[i]
			break
		}
	}
	if next == nil {
		return true, tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, next.SQL); err != nil {
		return false, fmt.Errorf("migration %s: %w", next.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)`,
		next.Version, next.Name, now.UnixMilli()); err != nil {
		return false, fmt.Errorf("migration %s: record version: %w", next.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %s: commit: %w", next.Name, err)
	}
	return false, nil
}
