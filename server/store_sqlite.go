package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"

	"github.com/mattn/go-sqlite3"

	"titledesk/internal/sqlfile"
)

// The embedded SQLite store: one file, titledesk.db, in Config.DataDir,
// with attachments as files beside it.

// dbFileName is the database inside Config.DataDir.
const dbFileName = "titledesk.db"

// driverName is go-sqlite3 with a connect hook for the pragmas the DSN
// cannot set: temp_store=MEMORY keeps the savepoint sub-journals of a push
// batch (one savepoint per command) off the disk, and memory-mapped reads
// let a feed page read its ~2 MB of entity JSON without a pread per page.
const driverName = "sqlite3_titledesk"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 1073741824", nil)
		return err
	}})
}

// openSQLite opens two pools on the same file: a single writer connection whose
// transactions take the write lock up front (BEGIN IMMEDIATE), so our own
// writers queue in Go instead of failing with SQLITE_BUSY, and a read pool
// that sees WAL snapshots while a write is in progress.
func openSQLite(dataDir string) (writer, reader *sql.DB, err error) {
	path := filepath.Join(dataDir, dbFileName)
	// Personal data: the database, its WAL and shared-memory index are the
	// server user's alone, whatever mode an older file had.
	if err := sqlfile.CreatePrivate(path); err != nil {
		return nil, nil, fmt.Errorf("open database: %w", err)
	}
	params := url.Values{}
	params.Set("_journal_mode", "WAL")
	params.Set("_foreign_keys", "on")
	params.Set("_busy_timeout", "10000")
	params.Set("_synchronous", "NORMAL")
	// Reuse prepared statements across calls: commands repeat a few dozen queries.
	params.Set("_stmt_cache_size", "128")
	wp := cloneValues(params)
	wp.Set("_txlock", "immediate")
	// A bulk import or a batch that moves a branch touches B-tree pages
	// all over the feed; SQLite's default 2 MiB cache thrashes on that.
	wp.Set("_cache_size", "-65536")
	writer, err = sql.Open(driverName, sqlfile.URI(path)+"?"+wp.Encode())
	if err != nil {
		return nil, nil, fmt.Errorf("open database: %w", err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	if err := writer.Ping(); err != nil {
		writer.Close()
		return nil, nil, fmt.Errorf("open database %s: %w", path, err)
	}
	rp := cloneValues(params)
	rp.Set("_query_only", "true")
	reader, err = sql.Open(driverName, sqlfile.URI(path)+"?"+rp.Encode())
	if err != nil {
		writer.Close()
		return nil, nil, fmt.Errorf("open database: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	return writer, reader, nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// sqliteDialect is SQLite's side of dialect.
type sqliteDialect struct{}

func (sqliteDialect) name() string { return StoreSQLite }

// lockWrite only reads the counter: the writer pool's transactions begin
// IMMEDIATE, which takes the file's write lock for every process.
func (sqliteDialect) lockWrite(ctx context.Context, tx *sql.Tx) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'feed_seq'`).Scan(&seq)
	return seq, err
}

// readOptions: a read transaction in WAL mode reads one snapshot.
func (sqliteDialect) readOptions() *sql.TxOptions { return &sql.TxOptions{ReadOnly: true} }

func (sqliteDialect) prepareInTx() bool { return true }

func (sqliteDialect) isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint &&
		(se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// idsIn passes the IDs as one JSON array: one statement text whatever
// their number, so the statement cache keeps serving it.
func (sqliteDialect) idsIn(column string, ids []string) (string, any) {
	return column + ` IN (SELECT value FROM json_each(?))`, mustJSON(ids)
}

func (sqliteDialect) tablesQuery() string {
	return `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
}

// lockMigrations: the migration's transaction is IMMEDIATE already.
func (sqliteDialect) lockMigrations(context.Context, *sql.Tx) error { return nil }
