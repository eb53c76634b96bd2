package server

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"titledesk/model"
)

// Attachment bytes, content-addressed by SHA-256. With SQLite they are
// files below Config.DataDir; with PostgreSQL rows of attachment_files, so
// every server on the database reads the same files and a database backup
// or standby carries them (docs/decisions.md). Metadata, uploaders and
// references are tables in both stores.

// attachmentDir is below Config.DataDir; files live at attachments/ab/<sha256>.
const attachmentDir = "attachments"

// checkFunc copies an upload to dst while checking its size, type and
// digest, and returns its metadata (Server.copyChecked).
type checkFunc func(dst io.Writer, body io.Reader, sha string) (model.Attachment, error)

// attachmentFiles keeps the bytes of checked uploads.
type attachmentFiles interface {
	// put checks body with check and keeps it under sha. Keeping a file
	// twice is harmless; a failed check keeps nothing.
	put(ctx context.Context, sha string, body io.Reader, check checkFunc) (model.Attachment, error)
	// open returns the bytes of sha, or an error wrapping os.ErrNotExist.
	open(ctx context.Context, sha string) (io.ReadSeekCloser, error)
}

// dirFiles keeps files at DIR/attachments/ab/<sha256>.
type dirFiles struct{ root string }

func (f dirFiles) path(sha string) string { return filepath.Join(f.root, sha[:2], sha) }

// put writes into a temporary file while checking, then renames it into
// place after an fsync, so a crash never leaves a half file under its hash.
func (f dirFiles) put(_ context.Context, sha string, body io.Reader, check checkFunc) (model.Attachment, error) {
	dir := filepath.Dir(f.path(sha))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return model.Attachment{}, fmt.Errorf("attachment dir: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return model.Attachment{}, fmt.Errorf("attachment temp: %w", err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name()) // no-op after a successful rename
	}()
	att, err := check(tmp, body, sha)
	if err != nil {
		return att, err
	}
	if err := tmp.Sync(); err != nil {
		return att, fmt.Errorf("attachment sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return att, fmt.Errorf("attachment close: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path(sha)); err != nil {
		return att, fmt.Errorf("attachment rename: %w", err)
	}
	return att, syncDir(dir)
}

func (f dirFiles) open(_ context.Context, sha string) (io.ReadSeekCloser, error) {
	return os.Open(f.path(sha))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("attachment dir sync: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("attachment dir sync: %w", err)
	}
	return nil
}

// dbFiles keeps files in the attachment_files table.
type dbFiles struct{ db *sql.DB }

// put holds the checked upload in memory (at most Config.MaxAttachment)
// and inserts it in a transaction of its own: it takes no write lock, so a
// 20 MiB upload never holds up other writers, and two servers storing one
// file at once leave one row.
func (f dbFiles) put(ctx context.Context, sha string, body io.Reader, check checkFunc) (model.Attachment, error) {
	var buf bytes.Buffer
	att, err := check(&buf, body, sha)
	if err != nil {
		return att, err
	}
	if _, err := f.db.ExecContext(ctx, `INSERT INTO attachment_files(sha256, data) VALUES (?, ?)
		ON CONFLICT DO NOTHING`, sha, buf.Bytes()); err != nil {
		return att, fmt.Errorf("store attachment: %w", err)
	}
	return att, nil
}

func (f dbFiles) open(ctx context.Context, sha string) (io.ReadSeekCloser, error) {
	var data []byte
	err := f.db.QueryRowContext(ctx, `SELECT data FROM attachment_files WHERE sha256 = ?`, sha).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("attachment %s: %w", sha, os.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("read attachment: %w", err)
	}
	return nopSeekCloser{bytes.NewReader(data)}, nil
}

type nopSeekCloser struct{ *bytes.Reader }

func (nopSeekCloser) Close() error { return nil }

// prepareDataDir makes the SQLite data directory the server user's alone
// (0700, also when it existed wider) with its attachments below, and
// removes the temporary files of uploads a crash interrupted.
func prepareDataDir(dataDir string) error {
	root := filepath.Join(dataDir, attachmentDir)
	for _, d := range []string{dataDir, root} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
		if err := os.Chmod(d, 0o700); err != nil {
			return err
		}
	}
	return filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case e.IsDir():
			return os.Chmod(p, 0o700)
		case strings.HasPrefix(e.Name(), ".upload-"):
			return os.Remove(p)
		}
		return os.Chmod(p, 0o600)
	})
}
