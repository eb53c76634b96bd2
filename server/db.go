package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"titledesk/internal/sqljson"
	"titledesk/model"
)

// txn is one write transaction. It holds the database's write lock from
// its first statement to commit (dialect.lockWrite), hands out feed
// sequence numbers from memory and writes the counter back once at commit:
// nobody else can allocate in between, in this process or another.
type txn struct {
	tx       *sql.Tx
	d        dialect
	now      time.Time
	seq      int64
	seqDirty bool
	// Caches valid for the whole transaction: dropped when a savepoint
	// rolls back, and the viewer cache whenever the tree changes.
	units   map[string]model.Unit
	viewers map[string][]string  // unit → viewer keys of it and its ancestors
	stmts   map[string]*sql.Stmt // prepared once per transaction: bulk imports repeat a few statements
	// feedBuf, when set, collects feed rows instead of writing them, so a
	// bulk import can insert them in key order (see flushFeed).
	feedBuf *[]feedEntry
	head    auditHead       // the audit chain's end (audit.go)
	cal     *model.Calendar // the calendar, read once per transaction: nobody else writes while it holds the lock
}

// write runs fn in a write transaction and commits it when fn returns nil.
func (s *Server) write(ctx context.Context, fn func(t *txn) error) error {
	// Waiting for the connection (SQLite) or the lock (PostgreSQL) counts
	// as waiting: a long push yields to it (Server.yieldWrite).
	s.waiting.Add(1)
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		s.waiting.Add(-1)
		return fmt.Errorf("begin: %w", err)
	}
	t := &txn{tx: tx, d: s.dialect, now: s.now(), units: map[string]model.Unit{}, viewers: map[string][]string{},
		stmts: map[string]*sql.Stmt{}}
	t.seq, err = s.dialect.lockWrite(ctx, tx)
	s.waiting.Add(-1)
	if err != nil {
		tx.Rollback()
		return fmt.Errorf("take the write lock: %w", err)
	}
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
	if err := t.storeAuditCounter(ctx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// read runs fn in a read transaction: every query in it sees one snapshot.
func (s *Server) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.reader.BeginTx(ctx, s.dialect.readOptions())
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

func (t *txn) exec(ctx context.Context, query string, args ...any) error {
	if !t.d.prepareInTx() {
		_, err := t.tx.ExecContext(ctx, query, args...)
		return err
	}
	st, err := t.stmt(ctx, query)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

// queryRow is QueryRowContext through the transaction's prepared statements,
// for lookups every command of a push repeats.
func (t *txn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if !t.d.prepareInTx() {
		return t.tx.QueryRowContext(ctx, query, args...)
	}
	st, err := t.stmt(ctx, query)
	if err != nil {
		return t.tx.QueryRowContext(ctx, query, args...) // reports the same error on Scan
	}
	return st.QueryRowContext(ctx, args...)
}

func (t *txn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	st, ok := t.stmts[query]
	if !ok {
		var err error
		if st, err = t.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		t.stmts[query] = st
	}
	return st, nil
}

// nextSeq returns the next feed sequence number.
func (t *txn) nextSeq(ctx context.Context) (int64, error) {
	t.seq++
	t.seqDirty = true
	return t.seq, nil
}

// isUniqueViolation reports a UNIQUE or PRIMARY KEY constraint failure.
func (t *txn) isUniqueViolation(err error) bool { return err != nil && t.d.isUniqueViolation(err) }

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
		t.cal = nil
		t.head.loaded = false // dirty stays: the counter is recomputed at commit
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

func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func decodeJSON(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode stored %T: %w", v, err)
	}
	return nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
