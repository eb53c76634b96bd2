package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"titledesk/internal/sqlfile"
)

// Online backup of the SQLite store (OPS-2). PostgreSQL has its own tools
// (pg_dump, pg_basebackup, streaming replication; docs/admin-guide.md).

// BackupReport describes a finished backup.
type BackupReport struct {
	File       string
	Bytes      int64
	FeedSeq    int64 // the newest change the copy holds
	AuditSeq   int64 // the newest audit entry the copy holds
	Results    int64 // stored command results
	Integrity  string
	Duration   time.Duration
	Attachment string // the directory whose files the copy references
}

// ErrBackupExists is returned when the backup file is already there.
var ErrBackupExists = errors.New("server: backup file exists")

// BackupSQLite copies the database in dataDir to file while servers keep
// serving it. VACUUM INTO reads one snapshot in a read transaction, so the
// copy holds every transaction committed before it started — every command
// a server acknowledged by then — and writers are not held up. The copy is
// written beside file, checked with PRAGMA integrity_check, given what a
// copy must not share with its original (stampCopy), synced, and renamed
// into place, so file never names a partial copy. Attachment files are not
// in it: they are immutable and named by their SHA-256, so a copy of the
// attachments/ directory taken after this holds every file the backup
// references.
func BackupSQLite(ctx context.Context, dataDir, file string) (*BackupReport, error) {
	start := time.Now()
	src := filepath.Join(dataDir, dbFileName)
	if _, err := os.Stat(src); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Stat(file); err == nil {
		return nil, fmt.Errorf("%w: %s", ErrBackupExists, file)
	}
	// The copy holds personal data: readable by its owner only. VACUUM INTO
	// writes into an empty file that exists.
	tmp := file + ".partial"
	os.Remove(tmp)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	f.Close()
	defer os.Remove(tmp) // no-op after the rename
	// mode=rw: never create an empty database where the real one is missing.
	db, err := sql.Open(driverName, sqlfile.URI(src)+"?mode=rw&_busy_timeout=10000")
	if err != nil {
		return nil, fmt.Errorf("backup: open: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return nil, fmt.Errorf("backup: copy: %w", err)
	}
	rep, err := checkCopy(ctx, tmp)
	if err != nil {
		return nil, err
	}
	if err := syncFile(tmp); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, file); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := syncDir(filepath.Dir(file)); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	fi, err := os.Stat(file)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	rep.File, rep.Bytes, rep.Duration = file, fi.Size(), time.Since(start)
	rep.Attachment = filepath.Join(dataDir, attachmentDir)
	return rep, nil
}

// checkCopy stamps a fresh copy and checks it.
func checkCopy(ctx context.Context, path string) (*BackupReport, error) {
	db, err := sql.Open(driverName, sqlfile.URI(path)+"?mode=rw")
	if err != nil {
		return nil, fmt.Errorf("backup: open copy: %w", err)
	}
	defer db.Close()
	if err := stampCopy(ctx, db); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	rep := &BackupReport{}
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&rep.Integrity); err != nil {
		return nil, fmt.Errorf("backup: integrity check: %w", err)
	}
	if rep.Integrity != "ok" {
		return nil, fmt.Errorf("backup: the copy fails PRAGMA integrity_check: %s", rep.Integrity)
	}
	err = db.QueryRowContext(ctx, `SELECT
		(SELECT value FROM counters WHERE name = 'feed_seq'),
		(SELECT COALESCE(MAX(seq), 0) FROM audit_log),
		(SELECT COUNT(*) FROM command_results)`).Scan(&rep.FeedSeq, &rep.AuditSeq, &rep.Results)
	if err != nil {
		return nil, fmt.Errorf("backup: read the copy: %w", err)
	}
	return rep, nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
