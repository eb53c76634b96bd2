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

// SaveDraft stores d (replacing any earlier draft of the application). The
// opinion and form are sealed: what a reviewer types may name anyone.
func (s *Store) SaveDraft(ctx context.Context, d Draft) error {
	k, err := s.keyring()
	if err != nil {
		return err
	}
	form := string(d.Form)
	if form == "" {
		form = "null"
	}
	if !json.Valid([]byte(form)) {
		return fmt.Errorf("draft form is not JSON")
	}
	_, err = s.writer.ExecContext(ctx, `INSERT INTO drafts(application_id, opinion, form, updated_at) VALUES(?, ?, ?, ?)
		ON CONFLICT(application_id) DO UPDATE SET opinion = excluded.opinion, form = excluded.form, updated_at = excluded.updated_at`,
		d.ApplicationID, k.sealString(purposeDraft, d.ApplicationID, d.Opinion),
		k.sealString(purposeDraftForm, d.ApplicationID, form), millis(s.Now()))
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return nil
}

// Draft loads the draft of an application; ok is false when there is none.
func (s *Store) Draft(ctx context.Context, applicationID string) (d Draft, ok bool, err error) {
	k, err := s.keyring()
	if err != nil {
		return Draft{}, false, err
	}
	dp, err := draftIn(ctx, k, s.reader, applicationID)
	if err != nil || dp == nil {
		return Draft{}, false, err
	}
	return *dp, true, nil
}

// draftIn reads the draft of an application; nil when there is none.
func draftIn(ctx context.Context, k *keyring, q queryer, id string) (*Draft, error) {
	var (
		opinion, form []byte
		at            int64
	)
	err := q.QueryRowContext(ctx, `SELECT opinion, form, updated_at FROM drafts WHERE application_id = ?`, id).Scan(&opinion, &form, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read draft: %w", err)
	}
	d := Draft{ApplicationID: id, UpdatedAt: time.UnixMilli(at)}
	if d.Opinion, err = k.openString(purposeDraft, id, opinion); err != nil {
		return nil, fmt.Errorf("read draft: %w", err)
	}
	plainForm, err := k.open(nil, purposeDraftForm, id, form)
	if err != nil {
		return nil, fmt.Errorf("read draft: %w", err)
	}
	if string(plainForm) != "null" {
		d.Form = plainForm
	}
	return &d, nil
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
