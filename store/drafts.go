package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Draft is what a reviewer typed but has not submitted for one application:
// the opinion and any form (recommendation, appointment) as JSON. Drafts
// survive restarts; a pass or reject deletes its draft in the same Do.
type Draft struct {
	ApplicationID string
	Opinion       string
	Form          json.RawMessage // nil when no form was touched
	UpdatedAt     time.Time
}

// SaveDraft stores d (replacing any earlier draft of the application).
func (s *Store) SaveDraft(ctx context.Context, d Draft) error {
	form := string(d.Form)
	if form == "" {
		form = "null"
	}
	if !json.Valid([]byte(form)) {
		return fmt.Errorf("draft form is not JSON")
	}
	_, err := s.writer.ExecContext(ctx, `INSERT INTO drafts(application_id, opinion, form, updated_at) VALUES(?, ?, ?, ?)
		ON CONFLICT(application_id) DO UPDATE SET opinion = excluded.opinion, form = excluded.form, updated_at = excluded.updated_at`,
		d.ApplicationID, d.Opinion, form, millis(s.Now()))
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return nil
}

// Draft loads the draft of an application; ok is false when there is none.
func (s *Store) Draft(ctx context.Context, applicationID string) (d Draft, ok bool, err error) {
	var (
		form string
		at   int64
	)
	err = s.reader.QueryRowContext(ctx, `SELECT opinion, form, updated_at FROM drafts WHERE application_id = ?`, applicationID).
		Scan(&d.Opinion, &form, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Draft{}, false, nil
	}
	if err != nil {
		return Draft{}, false, fmt.Errorf("load draft: %w", err)
	}
	d.ApplicationID, d.UpdatedAt = applicationID, time.UnixMilli(at)
	if form != "null" {
		d.Form = json.RawMessage(form)
	}
	return d, true, nil
}

// DeleteDraft forgets the draft of an application (no error when none).
func (s *Store) DeleteDraft(ctx context.Context, applicationID string) error {
	_, err := s.writer.ExecContext(ctx, `DELETE FROM drafts WHERE application_id = ?`, applicationID)
	return err
}

// DeleteDraft deletes the draft inside the transaction, e.g. with the pass
// that used it.
func (t *Tx) DeleteDraft(applicationID string) error {
	_, err := t.tx.ExecContext(t.ctx, `DELETE FROM drafts WHERE application_id = ?`, applicationID)
	return err
}
