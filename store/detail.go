package store

import (
	"context"
	"database/sql"
	"fmt"

	"titledesk/api"
	"titledesk/model"
)

// ApplicationDetail is what the review view and 【查看经办流程】 show.
type ApplicationDetail struct {
	Application model.Application
	Applicant   model.Applicant   // as submitted (Application.Applicant), else the current record
	Unit        model.Unit        // the applicant's unit at submission
	UnitNames   map[string]string // unit id → name for the holder and every flow step's units
	Pending     []int64           // seqs of queued commands on it (待同步)
	Draft       *Draft            // what the reviewer typed and did not submit
}

// ApplicationDetail reads one application with everything around it in one
// snapshot. A missing application is a KindNotFound *model.Error.
func (s *Store) ApplicationDetail(ctx context.Context, id string) (ApplicationDetail, error) {
	var d ApplicationDetail
	err := s.read(ctx, func(tx *sql.Tx) error {
		ok, err := s.record(ctx, tx, api.KindApplication, id, &d.Application)
		if err != nil {
			return fmt.Errorf("read application: %w", err)
		}
		if !ok {
			return notFound("该申报")
		}
		// A submitted application shows the applicant as submitted (SEC-1),
		// whatever the person's record says now.
		if snap := d.Application.Applicant; snap != nil {
			d.Applicant = *snap
		} else if _, err := s.record(ctx, tx, api.KindApplicant, d.Application.ApplicantID, &d.Applicant); err != nil {
			return fmt.Errorf("read applicant: %w", err)
		}
		if _, err := s.record(ctx, tx, api.KindUnit, d.Application.UnitID, &d.Unit); err != nil {
			return fmt.Errorf("read unit: %w", err)
		}
		if d.UnitNames, err = flowUnitNames(ctx, tx, d.Application); err != nil {
			return err
		}
		if d.Pending, err = pendingSeqs(ctx, tx, id); err != nil {
			return err
		}
		keys, err := s.keyring()
		if err != nil {
			return err
		}
		d.Draft, err = draftIn(ctx, keys, tx, id)
		return err
	})
	return d, err
}

func flowUnitNames(ctx context.Context, tx *sql.Tx, app model.Application) (map[string]string, error) {
	names := map[string]string{}
	ids := []string{app.HolderUnitID, app.UnitID}
	for _, st := range app.Flow {
		ids = append(ids, st.UnitID, st.FromHolder, st.ToHolder)
		if st.UnitID != "" && st.UnitName != "" {
			names[st.UnitID] = st.UnitName // as it was called then
		}
	}
	for _, id := range ids {
		if _, done := names[id]; done || id == "" {
			continue
		}
		var n string
		err := tx.QueryRowContext(ctx, `SELECT name FROM units WHERE id = ?`, id).Scan(&n)
		if err != nil && err != sql.ErrNoRows {
			return nil, fmt.Errorf("read unit name: %w", err)
		}
		names[id] = n
	}
	return names, nil
}

func pendingSeqs(ctx context.Context, tx *sql.Tx, id string) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq FROM outbox WHERE entity_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, err
		}
		out = append(out, seq)
	}
	return out, rows.Err()
}

// Applicant reads one cached applicant.
func (s *Store) Applicant(ctx context.Context, id string) (p model.Applicant, ok bool, err error) {
	ok, err = s.record(ctx, s.reader, api.KindApplicant, id, &p)
	return p, ok, err
}

// Attachment reads the metadata of a file the feed named.
func (s *Store) Attachment(ctx context.Context, sha string) (a model.Attachment, ok bool, err error) {
	ok, err = s.record(ctx, s.reader, api.KindAttachment, sha, &a)
	return a, ok, err
}
