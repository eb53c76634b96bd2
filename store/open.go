package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"

	"titledesk/internal/sqlfile"
	"titledesk/model"
)

// Store is one cache database: one server, one user.
type Store struct {
	// Now is the clock; tests replace it right after Open.
	Now func() time.Time

	path     string
	filesDir string
	writer   *sql.DB // one connection; BEGIN IMMEDIATE so writers queue in Go
	reader   *sql.DB // WAL snapshots while a write is in progress
	calendar atomic.Pointer[model.Calendar]
	keys     atomic.Pointer[keyring] // nil while locked (see keys.go)
}

// driverName is go-sqlite3 with the cache's per-connection settings.
const driverName = "sqlite3-titledesk-cache"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		// Sorts, transient indexes, statement journals and VACUUM's copy
		// stay in memory: an SQLite temp file would hold plaintext names
		// (and, before the first unlock of an old cache, everything).
		// secure_delete zeroes what a delete or update frees, so an old
		// key envelope or a migrated plaintext row leaves no trace in
		// free space.
		_, err := c.Exec(`PRAGMA temp_store = MEMORY; PRAGMA secure_delete = ON`, nil)
		return err
	}})
}

// DefaultPath is the cache file for serverURL and username: one database per
// server and user in AppDataDir (local, not roaming). The file name is a
// hash, so it reveals neither the server nor the person.
func DefaultPath(serverURL, username string) (string, error) {
	dir, err := AppDataDir()
	if err != nil {
		return "", fmt.Errorf("find local application data directory: %w", err)
	}
	h := sha256.Sum256([]byte(normalizeServer(serverURL) + "\x00" + strings.ToLower(strings.TrimSpace(username))))
	return filepath.Join(dir, "cache-"+hex.EncodeToString(h[:12])+".db"), nil
}

// normalizeServer makes "HTTPS://Host:443/" and "https://host:443" the same server.
func normalizeServer(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return strings.ToLower(s)
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	return u.String()
}

// Open opens (creating if needed) the cache at path and migrates it. The
// directory is created 0700 and the file 0600 before SQLite touches it;
// SQLite gives its -wal and -shm files the database file's mode.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := sqlfile.CreatePrivate(path); err != nil {
		return nil, err
	}
	s := &Store{Now: time.Now, path: path, filesDir: filesDirOf(path)}
	var err error
	if s.writer, s.reader, err = openPools(path); err != nil {
		return nil, err
	}
	if err := s.init(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) init(ctx context.Context) error {
	if err := s.finishInterrupted(ctx); err != nil {
		return err
	}
	if err := migrate(ctx, s.writer); err != nil {
		return err
	}
	_, err := s.ensureDeviceID(ctx)
	return err // the calendar is read at unlock: it is sealed
}

func openPools(path string) (writer, reader *sql.DB, err error) {
	params := url.Values{}
	params.Set("_journal_mode", "WAL")
	params.Set("_foreign_keys", "on")
	params.Set("_busy_timeout", "5000")
	params.Set("_synchronous", "NORMAL")
	// A page of thousands of changes dirties index pages all over the
	// tables (UUID keys are random); with SQLite's default 2 MB cache the
	// writer spills and re-reads them constantly. 64 MB keeps a whole page
	// in memory (measured: several times faster initial sync).
	wp := url.Values{"_txlock": {"immediate"}, "_cache_size": {"-65536"}}
	for k, v := range params {
		wp[k] = v
	}
	writer, err = sql.Open(driverName, sqlfile.URI(path)+"?"+wp.Encode())
	if err != nil {
		return nil, nil, fmt.Errorf("open cache: %w", err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxLifetime(0)
	if err := writer.Ping(); err != nil {
		writer.Close()
		return nil, nil, fmt.Errorf("open cache %s: %w", path, err)
	}
	params.Set("_query_only", "true")
	// 已审核列表 and statistics visit thousands of applications rows at
	// random (~20 MB of them at 50,000 applications): with a 16 MB cache
	// every visit re-read its page from the OS (measured 18 ms → 7 ms for
	// one 5,000-row count). The cache fills only as far as pages are read.
	params.Set("_cache_size", "-65536")
	reader, err = sql.Open(driverName, sqlfile.URI(path)+"?"+params.Encode())
	if err != nil {
		writer.Close()
		return nil, nil, fmt.Errorf("open cache: %w", err)
	}
	n := max(2, runtime.GOMAXPROCS(0))
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	return writer, reader, nil
}

// Close forgets the key and closes the database.
func (s *Store) Close() error {
	s.Lock()
	return errors.Join(s.reader.Close(), s.writer.Close())
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// write runs fn in one write transaction, committed when fn returns nil.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// read runs fn in a read transaction: all its queries see one snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// queryer is what *sql.DB and *sql.Tx share.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// notFound is the Chinese not-found error a screen can show as it is.
func notFound(what string) error {
	return &model.Error{Kind: model.KindNotFound, Code: model.CodeNotFound, Title: "未找到" + what,
		Detail: what + "不存在或已不在本单位的管理范围内，请同步后再试"}
}

func millis(t time.Time) int64 { return t.UnixMilli() }

func optMillis(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func fromMillis(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return time.UnixMilli(ms.Int64)
}

// FilesDir is the folder of the held files (sealed), beside the database.
func (s *Store) FilesDir() string { return s.filesDir }
