package server

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The server's storage layer: one schema and one query layer over two
// stores, the embedded SQLite default (Config.DataDir) and PostgreSQL
// (Config.Database). Queries are written once with `?` placeholders; the
// PostgreSQL connection rewrites them to `$n` (rebind.go). What the two
// SQL dialects cannot say alike lives here, behind dialect, and nowhere
// else: the cross-process write lock, read snapshots, constraint errors,
// ID lists, the table catalogue and the migration lock. Migrations are
// shared where the SQL is portable and per dialect where it must differ
// (migrate.go).

// dialect is what differs between the stores.
type dialect interface {
	// name is "sqlite" or "postgres".
	name() string
	// lockWrite takes the database's write lock inside a write transaction
	// and returns the feed counter. The lock is held to commit, so every
	// writer of every server process on the database runs after the one
	// before it has committed: feed sequence numbers become visible in
	// order (a reader never passes a change that commits later with a
	// lower seq), the audit chain has one head, and a command's stored
	// result is seen by the next delivery whichever server takes it.
	lockWrite(ctx context.Context, tx *sql.Tx) (feedSeq int64, err error)
	// readOptions open a read transaction whose queries share one snapshot.
	readOptions() *sql.TxOptions
	// prepareInTx says whether a transaction should prepare the statements
	// it repeats (SQLite); pgx already caches them per connection.
	prepareInTx() bool
	// isUniqueViolation reports a UNIQUE or PRIMARY KEY constraint failure.
	isUniqueViolation(err error) bool
	// idsIn is the condition "column is one of ids" with its one argument.
	idsIn(column string, ids []string) (string, any)
	// tablesQuery lists the schema's tables (one name per row, sorted).
	tablesQuery() string
	// lockMigrations serialises schema migrations of several servers
	// starting at once on one database, inside the migration transaction.
	lockMigrations(ctx context.Context, tx *sql.Tx) error
}

// Store names.
const (
	StoreSQLite   = "sqlite"
	StorePostgres = "postgres"
)

// IsPostgresURL reports whether a --db value names a PostgreSQL database.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// openStore opens the store cfg names: its write pool, its read pool and
// its dialect.
func openStore(ctx context.Context, cfg Config) (writer, reader *sql.DB, d dialect, err error) {
	switch {
	case cfg.Database == "":
		writer, reader, err = openSQLite(cfg.DataDir)
		return writer, reader, sqliteDialect{}, err
	case IsPostgresURL(cfg.Database):
		writer, reader, err = openPostgres(ctx, cfg.Database)
		return writer, reader, postgresDialect{}, err
	}
	return nil, nil, nil, fmt.Errorf("Config.Database %q: want a postgres:// URL (or empty for SQLite in DataDir)", RedactURL(cfg.Database))
}

// tableNames lists the tables of the schema.
func tableNames(ctx context.Context, q queryer, d dialect) ([]string, error) {
	return queryStrings(ctx, q, d.tablesQuery())
}
