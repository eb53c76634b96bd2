package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"titledesk/model"
)

// MaxFileSize is the largest attachment accepted (the server's limit too).
const MaxFileSize = 20 << 20

// PutFile keeps an attachment locally until it is uploaded: content-addressed
// by SHA-256 under the files directory beside the database, written
// atomically (temp file, fsync, rename), type checked by content. The
// returned Attachment is what a command references.
func (s *Store) PutFile(ctx context.Context, name string, kind model.AttachmentKind, data []byte) (model.Attachment, error) {
	if err := checkFile(name, kind, data); err != nil {
		return model.Attachment{}, err
	}
	ctype, _ := model.SniffAttachment(data)
	sum := sha256.Sum256(data)
	a := model.Attachment{SHA256: hex.EncodeToString(sum[:]), Name: name, Kind: kind, Size: int64(len(data)), ContentType: ctype}
	if err := s.writeFile(a.SHA256, data); err != nil {
		return model.Attachment{}, err
	}
	_, err := s.writer.ExecContext(ctx, `INSERT INTO files(sha256, name, kind, size, content_type, created_at)
		VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING`, a.SHA256, a.Name, string(a.Kind), a.Size, a.ContentType, millis(s.Now()))
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

// writeFile stores data under its hash; an existing file is complete (it was
// renamed into place), so it is kept.
func (s *Store) writeFile(sha string, data []byte) error {
	final := s.filePath(sha)
	if st, err := os.Stat(final); err == nil && st.Size() == int64(len(data)) {
		return nil
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create files directory: %w", err)
	}
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

// FilePath is where the bytes of a locally held file are (for upload or to
// open in the system viewer). It fails for a malformed hash or a file not held.
func (s *Store) FilePath(sha string) (string, error) {
	if !model.ValidSHA256(sha) {
		return "", fmt.Errorf("invalid sha256 %q", sha)
	}
	p := s.filePath(sha)
	if _, err := os.Stat(p); err != nil {
		return "", notFound("该附件文件")
	}
	return p, nil
}

// UnuploadedFiles lists the files the server does not have yet, oldest first.
func (s *Store) UnuploadedFiles(ctx context.Context) ([]model.Attachment, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT sha256, name, kind, size, content_type FROM files
		WHERE uploaded = 0 ORDER BY created_at, sha256`)
	if err != nil {
		return nil, fmt.Errorf("read files: %w", err)
	}
	defer rows.Close()
	var out []model.Attachment
	for rows.Next() {
		var a model.Attachment
		if err := rows.Scan(&a.SHA256, &a.Name, &a.Kind, &a.Size, &a.ContentType); err != nil {
			return nil, err
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
