package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// The PostgreSQL store (OPS-1): Config.Database is a postgres:// URL.
// Several server processes may share the database; nothing in one process
// guards correctness (see dialect.lockWrite). Attachments live in the
// database too (attachment_files), so the servers share no directory and a
// pg_dump or a standby holds everything.

// Pool sizes per server process. Writers queue on the database's write
// lock, so more writer connections would only wait there.
const (
	pgWriterConns = 4
	pgMinReaders  = 8
)

// migrationLockKey is the advisory lock several servers starting at once
// take around each schema migration ("TD" "mg").
const migrationLockKey = 0x5444_6d67

func openPostgres(ctx context.Context, dsn string) (writer, reader *sql.DB, err error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's message may quote the URL; ours names it without a password.
		return nil, nil, fmt.Errorf("database URL %s is not valid", RedactURL(dsn))
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "titledesk-server"
	}
	connector := rebindConnector{inner: stdlib.GetConnector(*cfg)}
	writer = sql.OpenDB(connector)
	writer.SetMaxOpenConns(pgWriterConns)
	writer.SetMaxIdleConns(pgWriterConns)
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, nil, fmt.Errorf("connect to %s: %w", RedactURL(dsn), err)
	}
	reader = sql.OpenDB(connector)
	n := max(pgMinReaders, runtime.GOMAXPROCS(0)*2)
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	return writer, reader, nil
}

// RedactURL hides the password of a database URL for messages and logs.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// postgresDialect is PostgreSQL's side of dialect.
type postgresDialect struct{}

func (postgresDialect) name() string { return StorePostgres }

// lockWrite locks the feed counter's row until commit. Every write
// transaction takes it first, before it reads anything it decides on, so
// writers of all processes run one after another as on SQLite, and under
// READ COMMITTED each of their statements sees what the previous writer
// committed.
func (postgresDialect) lockWrite(ctx context.Context, tx *sql.Tx) (int64, error) {
	// The advisory lock is granted in the order it was asked for: a row
	// lock alone lets a writer that just committed take the row again
	// before the one that waited wakes up, so a long push sliced into
	// transactions could keep every other writer out (SEC-6).
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, pgWriteLockKey); err != nil {
		return 0, err
	}
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'feed_seq' FOR UPDATE`).Scan(&seq)
	return seq, err
}

// pgWriteLockKey names the server's write lock among advisory locks.
const pgWriteLockKey int64 = 0x7469746c6564 // "titled"

// readOptions: REPEATABLE READ gives every query of a feed page the same
// snapshot, as a SQLite read transaction does.
func (postgresDialect) readOptions() *sql.TxOptions {
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

func (postgresDialect) prepareInTx() bool { return false }

func (postgresDialect) isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func (postgresDialect) idsIn(column string, ids []string) (string, any) {
	return column + ` = ANY(?)`, ids
}

func (postgresDialect) tablesQuery() string {
	return `SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`
}

func (postgresDialect) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(migrationLockKey))
	return err
}
