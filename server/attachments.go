package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"titledesk/model"
)

func errAttachmentType() error {
	return &model.Error{Kind: model.KindInvalid, Code: model.CodeAttachmentType, Title: "附件类型不支持",
		Detail: "只能上传PDF、JPEG或PNG文件"}
}

func errAttachmentHash() error {
	return &model.Error{Kind: model.KindInvalid, Code: model.CodeAttachmentHash, Title: "附件校验失败",
		Detail: "文件内容与其SHA-256摘要不符，请重新上传"}
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request, c *caller) {
	sha := r.PathValue("sha256")
	if !model.ValidSHA256(sha) {
		s.writeProblem(w, r, errBadRequest("附件摘要应为64位小写十六进制SHA-256"))
		return
	}
	if r.ContentLength > s.cfg.MaxAttachment {
		s.writeProblem(w, r, errTooLarge(s.cfg.MaxAttachment))
		return
	}
	att, created, err := s.storeAttachment(r.Context(), c, sha, r.Body)
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, att)
}

// storeAttachment keeps an uploaded file's bytes and records it.
// Uploading a file that is already stored is harmless.
func (s *Server) storeAttachment(ctx context.Context, c *caller, sha string, body io.Reader) (model.Attachment, bool, error) {
	att, err := s.files.put(ctx, sha, body, s.copyChecked)
	if err != nil {
		return att, false, err
	}
	created, err := s.recordAttachment(ctx, c, att)
	return att, created, err
}

// copyChecked copies body to dst and returns its metadata, or the problem
// with it: too large, unsupported type, or a digest that does not match.
func (s *Server) copyChecked(dst io.Writer, body io.Reader, sha string) (model.Attachment, error) {
	h := sha256.New()
	head := &headBuffer{max: model.SniffLength}
	n, err := io.Copy(io.MultiWriter(dst, h, head), io.LimitReader(body, s.cfg.MaxAttachment+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return model.Attachment{}, errTooLarge(s.cfg.MaxAttachment)
		}
		return model.Attachment{}, errBadRequest("读取上传内容失败")
	}
	if n > s.cfg.MaxAttachment {
		return model.Attachment{}, errTooLarge(s.cfg.MaxAttachment)
	}
	ct, ok := model.SniffAttachment(head.buf)
	if !ok {
		return model.Attachment{}, errAttachmentType()
	}
	if hex.EncodeToString(h.Sum(nil)) != sha {
		return model.Attachment{}, errAttachmentHash()
	}
	return model.Attachment{SHA256: sha, Size: n, ContentType: ct}, nil
}

// headBuffer keeps the first bytes written to it, for type sniffing.
type headBuffer struct {
	buf []byte
	max int
}

func (b *headBuffer) Write(p []byte) (int, error) {
	if room := b.max - len(b.buf); room > 0 {
		b.buf = append(b.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// recordAttachment marks the file stored and remembers the uploader. It
// reports whether the file is new to the caller: false only when the caller
// could already use it (attachmentUsable), so the answer never tells whether
// someone outside the caller's scope holds the same file (201 either way,
// like hole 4's creates).
func (s *Server) recordAttachment(ctx context.Context, c *caller, att model.Attachment) (bool, error) {
	created := false
	err := s.write(ctx, func(t *txn) error {
		_, usable, err := attachmentUsable(ctx, t.tx, c, att.SHA256)
		if err != nil {
			return err
		}
		created = !usable
		if err := t.exec(ctx, `INSERT INTO attachments(sha256, size, content_type, stored, created_at) VALUES (?, ?, ?, 1, ?)
			ON CONFLICT(sha256) DO UPDATE SET size = excluded.size, content_type = excluded.content_type, stored = 1`,
			att.SHA256, att.Size, att.ContentType, millis(t.now)); err != nil {
			return err
		}
		return t.exec(ctx, `INSERT INTO attachment_uploads(sha256, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, att.SHA256, c.AccountID)
	})
	if err != nil {
		return false, fmt.Errorf("record attachment: %w", err)
	}
	return created, nil
}

func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request, c *caller) {
	sha := r.PathValue("sha256")
	if !model.ValidSHA256(sha) {
		s.writeProblem(w, r, errNotFound("附件"))
		return
	}
	ct, err := s.readableAttachment(r.Context(), c, sha)
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	f, err := s.files.open(r.Context(), sha)
	if errors.Is(err, os.ErrNotExist) {
		s.writeProblem(w, r, errNotFound("附件"))
		return
	}
	if err != nil {
		s.writeProblem(w, r, fmt.Errorf("open attachment: %w", err))
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", ct)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+sha+`"`)
	http.ServeContent(w, r, "", time.Time{}, f)
}

// attachmentUsable is the one rule for who may use a stored file (SEC-2),
// for downloads and for every command that names a file: the caller
// uploaded it, or an application the caller can read already references
// it. Because a command may reference only a file its sender can already
// use, adding a reference never lets anyone read a file they could not
// read before: knowing a hash is not enough. It returns the stored
// metadata; a file not stored, or not the caller's to use, is false.
func attachmentUsable(ctx context.Context, q queryer, c *caller, sha string) (model.Attachment, bool, error) {
	att := model.Attachment{SHA256: sha}
	err := q.QueryRowContext(ctx, `SELECT size, content_type FROM attachments WHERE sha256 = ? AND stored = 1`, sha).
		Scan(&att.Size, &att.ContentType)
	if isNoRows(err) {
		return att, false, nil
	}
	if err != nil {
		return att, false, fmt.Errorf("load attachment: %w", err)
	}
	var n int
	query := `SELECT (SELECT COUNT(*) FROM attachment_uploads WHERE sha256 = ?1 AND account_id = ?2) +
		(SELECT COUNT(*) FROM (SELECT 1 FROM application_attachments aa
			JOIN applications a ON a.id = aa.application_id
			JOIN unit_tree t ON t.descendant = a.unit_id
			WHERE aa.sha256 = ?1 AND t.ancestor = ?3 LIMIT 1) AS hit)`
	args := []any{sha, c.AccountID, c.UnitID}
	if c.Role == model.RoleApplicant {
		query = `SELECT (SELECT COUNT(*) FROM attachment_uploads WHERE sha256 = ?1 AND account_id = ?2) +
			(SELECT COUNT(*) FROM (SELECT 1 FROM application_attachments aa
				JOIN applications a ON a.id = aa.application_id
				WHERE aa.sha256 = ?1 AND a.applicant_id = ?3 LIMIT 1) AS hit)`
		args = []any{sha, c.AccountID, c.ApplicantID}
	}
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return att, false, fmt.Errorf("attachment scope: %w", err)
	}
	return att, n > 0, nil
}

// readableAttachment answers the file's type when the caller may read it.
func (s *Server) readableAttachment(ctx context.Context, c *caller, sha string) (string, error) {
	att, ok, err := attachmentUsable(ctx, s.reader, c, sha)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", errNotFound("附件")
	}
	return att.ContentType, nil
}
