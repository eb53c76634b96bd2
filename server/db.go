package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"time"

	"github.com/mattn/go-sqlite3"

	"titledesk/model"

	"titledesk/internal/sqljson"
)

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

// openDB opens two pools on the same file: a single writer connection whose
// transactions take the write lock up front (BEGIN IMMEDIATE), so our own
// writers queue in Go instead of failing with SQLITE_BUSY, and a read pool
// that sees WAL snapshots while a write is in progress.
func openDB(dataDir string) (writer, reader *sql.DB, err error) {
	path := filepath.Join(dataDir, dbFileName)
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
	writer, err = sql.Open(driverName, "file:"+path+"?"+wp.Encode())
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
	reader, err = sql.Open(driverName, "file:"+path+"?"+rp.Encode())
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

// txn is one write transaction. It hands out feed sequence numbers from
// memory and writes the counter back once at commit: the writer pool has a
// single connection, so nobody else can allocate in between.
type txn struct {
	tx        *sql.Tx
	now       time.Time
	seq       int64
	seqLoaded bool
	seqDirty  bool
	// Caches valid for the whole transaction: dropped when a savepoint
	// rolls back, and the viewer cache whenever the tree changes.
	units   map[string]model.Unit
	viewers map[string][]string  // unit → viewer keys of it and its ancestors
	stmts   map[string]*sql.Stmt // prepared once per transaction: bulk imports repeat a few statements
	// feedBuf, when set, collects feed rows instead of writing them, so a
	// bulk import can insert them in key order (see flushFeed).
	feedBuf *[]feedEntry
	head    auditHead // the audit chain's end (audit.go)
}

// write runs fn in a write transaction and commits it when fn returns nil.
func (s *Server) write(ctx context.Context, fn func(t *txn) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &txn{tx: tx, now: s.now(), units: map[string]model.Unit{}, viewers: map[string][]string{},
		stmts: map[string]*sql.Stmt{}}
	if err := fn(t); err != nil {
		tx.Rollback()
		return err
	}
	if t.seqDirty {
		if _, err := tx.ExecContext(ctx, `UPDATE counters SET value = ? WHERE name = 'feed_seq'`, t.seq); err != nil {
			tx.Rollback()
			return fmt.Errorf("store feed counter: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// read runs fn in a read transaction: every query in it sees one snapshot.
func (s *Server) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

func (t *txn) exec(ctx context.Context, query string, args ...any) error {
	st, ok := t.stmts[query]
	if !ok {
		var err error
		if st, err = t.tx.PrepareContext(ctx, query); err != nil {
			return err
		}
		t.stmts[query] = st
	}
	_, err := st.ExecContext(ctx, args...)
	return err
}

// nextSeq returns the next feed sequence number.
func (t *txn) nextSeq(ctx context.Context) (int64, error) {
	if !t.seqLoaded {
		if err := t.tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'feed_seq'`).Scan(&t.seq); err != nil {
			return 0, fmt.Errorf("load feed counter: %w", err)
		}
		t.seqLoaded = true
	}
	t.seq++
	t.seqDirty = true
	return t.seq, nil
}

// savepoint runs fn inside a SAVEPOINT and rolls back to it when fn fails,
// so a refused command leaves nothing behind while its neighbours commit.
func (t *txn) savepoint(ctx context.Context, fn func() error) error {
	if err := t.exec(ctx, `SAVEPOINT cmd`); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	ferr := fn()
	if ferr != nil {
		if err := t.exec(ctx, `ROLLBACK TO cmd`); err != nil {
			return fmt.Errorf("rollback to savepoint: %w", err)
		}
		// The caches may hold values written after the savepoint.
		clear(t.units)
		clear(t.viewers)
		t.head.loaded = false
	}
	if err := t.exec(ctx, `RELEASE cmd`); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return ferr
}

// queryer is what both transaction kinds offer to read helpers.
type queryer = sqljson.Queryer

// loadJSON reads the data column of one row into v (see internal/sqljson).
func loadJSON(ctx context.Context, q queryer, v any, query string, args ...any) (bool, error) {
	return sqljson.Load(ctx, q, v, query, args...)
}

// mustJSON encodes a value the server built itself; model types always encode.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("encode %T: %v", v, err))
	}
	return string(b)
}

// isUniqueViolation reports a UNIQUE or PRIMARY KEY constraint failure.
func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint &&
		(se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func decodeJSON(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode stored %T: %w", v, err)
	}
	return nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
