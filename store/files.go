package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"titledesk/model"
)

// MaxFileSize is the largest attachment accepted (the server's limit too).
const MaxFileSize = 20 << 20

// PutFile keeps an attachment locally until it is uploaded (and for
// viewing): sealed (SEC-4), content-addressed by the SHA-256 of its
// plaintext under the files directory beside the database, written
// atomically (temp file, fsync, rename), type checked by content. Its name
// is sealed too. The returned Attachment is what a command references.
func (s *Store) PutFile(ctx context.Context, name string, kind model.AttachmentKind, data []byte) (model.Attachment, error) {
	k, err := s.keyring()
	if err != nil {
		return model.Attachment{}, err
	}
	if err := checkFile(name, kind, data); err != nil {
		return model.Attachment{}, err
	}
	ctype, _ := model.SniffAttachment(data)
	sum := sha256.Sum256(data)
	a := model.Attachment{SHA256: hex.EncodeToString(sum[:]), Name: name, Kind: kind, Size: int64(len(data)), ContentType: ctype}
	if err := s.writeFile(a.SHA256, k.seal(nil, purposeFile, a.SHA256, data)); err != nil {
		return model.Attachment{}, err
	}
	_, err = s.writer.ExecContext(ctx, `INSERT INTO files(sha256, name, kind, size, content_type, created_at)
		VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING`, a.SHA256, k.sealString(purposeFileName, a.SHA256, a.Name),
		string(a.Kind), a.Size, a.ContentType, millis(s.Now()))
	if err != nil {
		return model.Attachment{}, fmt.Errorf("record file: %w", err)
	}
	return a, nil
}

func checkFile(name string, kind model.AttachmentKind, data []byte) error {
	invalid := func(detail string) error {
		return &model.Error{Kind: model.KindInvalid, Code: model.CodeAttachmentType, Title: "附件无法添加", Detail: detail,
			Fields: map[string]string{"attachments": detail}}
	}
	switch {
	case len(data) == 0:
		return invalid("文件“" + name + "”是空文件")
	case len(data) > MaxFileSize:
		return &model.Error{Kind: model.KindTooLarge, Code: model.CodeTooLarge, Title: "附件过大",
			Detail: fmt.Sprintf("文件“%s”超过 %d MB，请压缩后再上传", name, MaxFileSize>>20)}
	case !kind.Valid():
		return invalid("请选择附件类型")
	}
	if _, ok := model.SniffAttachment(data); !ok {
		return invalid("文件“" + name + "”不是 PDF、JPG 或 PNG 格式，只能上传这三种格式的文件")
	}
	return nil
}

// writeFile stores a sealed file under its hash; an existing file of the
// same size is complete (it was renamed into place), so it is kept.
func (s *Store) writeFile(sha string, sealed []byte) error {
	final := s.filePath(sha)
	if st, err := os.Stat(final); err == nil && st.Size() == int64(len(sealed)) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return fmt.Errorf("create files directory: %w", err)
	}
	return writeAtomic(final, sealed)
}

// writeAtomic replaces the file at final with data: temp file in the same
// directory, fsync, rename, directory fsync.
func writeAtomic(final string, data []byte) error {
	dir := filepath.Dir(final)
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("write file: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write file: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("write file: %w", err)
	}
	return syncDir(dir)
}

// syncDir makes the rename durable; some systems (Windows) cannot open a
// directory for sync, which is fine there.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	d.Sync()
	return nil
}

func (s *Store) filePath(sha string) string { return filepath.Join(s.filesDir, sha[:2], sha) }

// HasFile reports whether this computer holds the file with hash sha.
func (s *Store) HasFile(sha string) bool {
	if !model.ValidSHA256(sha) {
		return false
	}
	_, err := os.Stat(s.filePath(sha))
	return err == nil
}

// FileData is the plaintext of a held file (to upload it, or to hand it
// to a viewer), checked against its hash. A file not held is a
// KindNotFound *model.Error; one that does not open or does not match its
// hash is removed (it is fetched again when needed) and reported.
func (s *Store) FileData(ctx context.Context, sha string) ([]byte, error) {
	if !model.ValidSHA256(sha) {
		return nil, fmt.Errorf("invalid sha256 %q", sha)
	}
	k, err := s.keyring()
	if err != nil {
		return nil, err
	}
	p := s.filePath(sha)
	sealed, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, notFound("该附件文件")
	}
	if err != nil {
		return nil, fmt.Errorf("read file: %w", err)
	}
	data, err := k.open(nil, purposeFile, sha, sealed)
	if sum := sha256.Sum256(data); err != nil || hex.EncodeToString(sum[:]) != sha {
		os.Remove(p)
		return nil, fmt.Errorf("held file %s is damaged: %w", sha[:12], errors.Join(err, errOpen))
	}
	return data, nil
}

// UnuploadedFiles lists the files the server does not have yet, oldest first.
func (s *Store) UnuploadedFiles(ctx context.Context) ([]model.Attachment, error) {
	k, err := s.keyring()
	if err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT sha256, name, kind, size, content_type FROM files
		WHERE uploaded = 0 ORDER BY created_at, sha256`)
	if err != nil {
		return nil, fmt.Errorf("read files: %w", err)
	}
	defer rows.Close()
	var out []model.Attachment
	for rows.Next() {
		var (
			a    model.Attachment
			name []byte
		)
		if err := rows.Scan(&a.SHA256, &name, &a.Kind, &a.Size, &a.ContentType); err != nil {
			return nil, err
		}
		if a.Name, err = k.openString(purposeFileName, a.SHA256, name); err != nil {
			return nil, fmt.Errorf("read file name: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// MarkUploaded records that the server holds the file (kept locally for viewing).
func (s *Store) MarkUploaded(ctx context.Context, sha string) error {
	_, err := s.writer.ExecContext(ctx, `UPDATE files SET uploaded = 1 WHERE sha256 = ?`, sha)
	return err
}
