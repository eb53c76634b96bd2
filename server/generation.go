package server

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"titledesk/api"
	"titledesk/internal/filecopy"
	"titledesk/model"
)

// The database's generation (migration 0006) and the feed cursor that
// carries it. A cursor is "<generation>.<seq>": the last feed seq the client
// holds, in the database it was read from. After a restore from a backup
// the seqs start again from the backup's, and a client's old position would
// silently skip or repeat history; its generation tells the server so. A
// generation is made when the database is created, written fresh into
// every backup copy (stampCopy) and at every restore (RestoreSQLite, or
// NewGeneration after restoring a PostgreSQL dump).

// queryRower is what a read or write transaction offers for one row.
type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// generationOf reads the generation of the database q belongs to.
func generationOf(ctx context.Context, q queryRower) (string, error) {
	var g string
	if err := q.QueryRowContext(ctx, `SELECT id FROM generation WHERE one = 1`).Scan(&g); err != nil {
		return "", fmt.Errorf("read database generation: %w", err)
	}
	return g, nil
}

// newGeneration is a fresh random generation id.
func newGeneration() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails on supported systems
	return hex.EncodeToString(b)
}

// ensureGeneration gives a new database its generation; several servers
// starting at once on one database agree on the first one written.
func (s *Server) ensureGeneration(ctx context.Context) error {
	return s.write(ctx, func(t *txn) error {
		return t.exec(ctx, `INSERT INTO generation(one, id) VALUES (1, ?) ON CONFLICT DO NOTHING`, newGeneration())
	})
}

// renewGeneration is the one way a database gets a new generation: a
// fresh generation id, and every session ends. A restored database holds
// the sessions of the backup's moment, among them ones revoked since — by a
// logout, a lock or a password reset the restore has undone — so none may
// answer again; every desktop logs in again (docs/decisions.md). exec runs
// one statement in the caller's transaction or connection.
func renewGeneration(ctx context.Context, exec func(ctx context.Context, query string, args ...any) error) (string, error) {
	g := newGeneration()
	if err := exec(ctx, `UPDATE generation SET id = ? WHERE one = 1`, g); err != nil {
		return "", fmt.Errorf("new generation: %w", err)
	}
	if err := exec(ctx, `DELETE FROM sessions`); err != nil {
		return "", fmt.Errorf("new generation: end sessions: %w", err)
	}
	return g, nil
}

// NewGeneration writes a fresh generation into the database and ends every
// session (renewGeneration), so every desktop logs in again and pulls
// everything again at its next sync: after restoring a backup by other
// means than RestoreSQLite (a PostgreSQL dump). restoredFrom names the
// backup for the audit log ("" when unknown).
func (s *Server) NewGeneration(ctx context.Context, restoredFrom string) (string, error) {
	var g string
	err := s.write(ctx, func(t *txn) error {
		var err error
		if g, err = renewGeneration(ctx, t.exec); err != nil {
			return err
		}
		detail := "数据库世代 " + g + "，已结束全部会话"
		if restoredFrom != "" {
			detail = "从备份恢复：" + restoredFrom + "，" + detail
		}
		return t.auditAdmin(ctx, s.cfg.Operator, "new_generation", "", detail)
	})
	if err != nil {
		return "", fmt.Errorf("new generation: %w", err)
	}
	return g, nil
}

// feedCursor is a parsed cursor: the empty cursor has seq 0 and no
// generation; one from a server before generations (a bare seq) has none
// either and is taken as this generation's, up to the feed's head.
type feedCursor struct {
	generation string
	seq        int64
}

// String is the cursor in the database of generation g.
func (c feedCursor) String(g string) string { return g + "." + strconv.FormatInt(c.seq, 10) }

// parseCursor reads an opaque cursor; a malformed one is bad_request.
func parseCursor(s string) (feedCursor, error) {
	if s == "" {
		return feedCursor{}, nil
	}
	gen, seqText, dotted := strings.Cut(s, ".")
	if !dotted {
		gen, seqText = "", s
	}
	n, err := strconv.ParseInt(seqText, 10, 64)
	if err != nil || n < 0 || (dotted && !validGeneration(gen)) {
		return feedCursor{}, errBadRequest("同步游标无效，请重新同步")
	}
	return feedCursor{generation: gen, seq: n}, nil
}

func validGeneration(g string) bool {
	if len(g) != 32 {
		return false
	}
	_, err := hex.DecodeString(g)
	return err == nil
}

// errCursorReset answers a cursor of another generation or ahead of the
// feed's head (HTTP 410): the client pulls again from the start.
func errCursorReset() error {
	return &model.Error{Kind: model.KindGone, Code: api.CodeCursorReset, Title: "服务器数据已恢复",
		Detail: "服务器数据已从备份恢复，本机数据需要重新同步"}
}

// checkCursor refuses a cursor the database cannot continue from and
// returns the database's generation.
func checkCursor(ctx context.Context, tx *sql.Tx, c feedCursor) (string, error) {
	g, err := generationOf(ctx, tx)
	if err != nil {
		return "", err
	}
	if c.generation != "" && c.generation != g {
		return "", errCursorReset()
	}
	var head int64
	if err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'feed_seq'`).Scan(&head); err != nil {
		return "", fmt.Errorf("read feed head: %w", err)
	}
	if c.seq > head {
		return "", errCursorReset()
	}
	return g, nil
}

// checkPushCursor refuses a push from a cache whose feed position this
// database cannot continue from: its commands were decided on a state the
// restored server may not hold, so the client pulls again first.
func (s *Server) checkPushCursor(ctx context.Context, cursor string) error {
	cur, err := parseCursor(cursor)
	if err != nil {
		return err
	}
	return s.read(ctx, func(tx *sql.Tx) error {
		_, err := checkCursor(ctx, tx, cur)
		return err
	})
}

// stampCopy gives a backup copy what it must not share with the database
// it was taken from (renewGeneration): a generation of its own (issue 9's
// sync contract), so that clients which synced past the backup are told to
// pull again after a restore (cursor_reset) instead of waiting for changes
// the restored database will number again; and no sessions, so no token of
// before — revoked since or not — opens the restored database.
func stampCopy(ctx context.Context, db *sql.DB) error {
	_, err := renewGeneration(ctx, func(ctx context.Context, query string, args ...any) error {
		_, err := db.ExecContext(ctx, query, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("stamp the copy: %w", err)
	}
	return nil
}

// RestoreSQLite makes the backup file (BackupSQLite) the database of
// dataDir, under a new generation (a backup restored twice is two
// generations). The servers on dataDir must be stopped. The live database's
// -wal and -shm go: replayed onto the restored file they would corrupt it.
// Attachment files are restored separately (docs/admin-guide.md); the
// audit entry is NewGeneration's.
func RestoreSQLite(ctx context.Context, file, dataDir string) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	dst := filepath.Join(dataDir, dbFileName)
	tmp := dst + ".restoring"
	if err := filecopy.Copy(file, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore: %w", err)
	}
	if err := stampFile(ctx, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dst + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return syncDir(dataDir)
}

// stampFile writes a fresh generation into the SQLite file at path.
func stampFile(ctx context.Context, path string) error {
	db, err := sql.Open(driverName, "file:"+path+"?mode=rw&_journal_mode=DELETE")
	if err != nil {
		return err
	}
	defer db.Close()
	if err := stampCopy(ctx, db); err != nil {
		return err
	}
	return db.Close()
}
