package server

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"titledesk/api"
	"titledesk/model"
)

// Duplicate applications (BEY-5): the same ID number with more than one
// application under review in one year anywhere in the city. Every write of
// an application goes through trackDuplicates (putApplication, the world
// import), which keeps duplicate_keys current and re-flags the groups it
// touched; a flag goes to the viewers of the flagged application only, and
// says nothing of the other.

// idKey is what duplicate_keys holds instead of the ID number.
func idKey(idNumber string) string {
	sum := sha256.Sum256([]byte("titledesk-duplicates\x00" + model.NormalizeIDNumber(idNumber)))
	return hex.EncodeToString(sum[:])
}

type dupKey struct {
	key  string
	year int
	open bool
}

// trackDuplicates records app's key and re-flags the groups it left and joined.
func (t *txn) trackDuplicates(ctx context.Context, app model.Application) error {
	idn := ""
	if app.Applicant != nil {
		idn = app.Applicant.IDNumber
	} else if p, ok, err := t.applicant(ctx, app.ApplicantID); err != nil {
		return err
	} else if ok {
		idn = p.IDNumber
	}
	now := dupKey{idKey(idn), app.Year, model.UnderReview(app.Stage) && idn != ""}
	var was dupKey
	var open int
	err := t.tx.QueryRowContext(ctx, `SELECT id_key, year, open FROM duplicate_keys WHERE application_id = ?`,
		app.ID).Scan(&was.key, &was.year, &open)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("duplicate key: %w", err)
	default:
		was.open = open == 1
	}
	if was == now {
		return nil
	}
	if err := t.exec(ctx, `INSERT INTO duplicate_keys(application_id, id_key, year, unit_id, open) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(application_id) DO UPDATE SET id_key = excluded.id_key, year = excluded.year,
			unit_id = excluded.unit_id, open = excluded.open`,
		app.ID, now.key, now.year, app.UnitID, boolInt(now.open)); err != nil {
		return fmt.Errorf("duplicate key: %w", err)
	}
	if !now.open {
		if err := t.setDuplicateFlag(ctx, app.ID, app.UnitID, nil); err != nil {
			return err
		}
	}
	if was.open && (was.key != now.key || was.year != now.year || !now.open) {
		if err := t.reflagGroup(ctx, was.key, was.year); err != nil {
			return err
		}
	}
	if now.open {
		return t.reflagGroup(ctx, now.key, now.year)
	}
	return nil
}

// reflagGroup flags every open application of one key and year when there
// are two or more, and unflags a lone one.
func (t *txn) reflagGroup(ctx context.Context, key string, year int) error {
	rows, err := t.tx.QueryContext(ctx, `SELECT application_id, unit_id FROM duplicate_keys
		WHERE id_key = ? AND year = ? AND open = 1`, key, year)
	if err != nil {
		return fmt.Errorf("duplicate group: %w", err)
	}
	type member struct{ id, unit string }
	var group []member
	for rows.Next() {
		var m member
		if err := rows.Scan(&m.id, &m.unit); err != nil {
			rows.Close()
			return fmt.Errorf("duplicate group: %w", err)
		}
		group = append(group, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("duplicate group: %w", err)
	}
	for _, m := range group {
		var flag *model.DuplicateFlag
		if len(group) > 1 {
			flag = &model.DuplicateFlag{ApplicationID: m.id, Year: year, SameUnit: true}
			for _, o := range group {
				if o.id != m.id && o.unit != m.unit {
					flag.SameUnit = false
				}
			}
		}
		if err := t.setDuplicateFlag(ctx, m.id, m.unit, flag); err != nil {
			return err
		}
	}
	return nil
}

// setDuplicateFlag stores and announces a flag (nil: none) when it changed.
func (t *txn) setDuplicateFlag(ctx context.Context, appID, unitID string, flag *model.DuplicateFlag) error {
	var (
		version int64
		flagged int
		data    string
	)
	err := t.tx.QueryRowContext(ctx, `SELECT version, flagged, data FROM duplicate_flags WHERE id = ?`, appID).
		Scan(&version, &flagged, &data)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("duplicate flag: %w", err)
	}
	exists := err == nil
	if flag == nil && (!exists || flagged == 0) {
		return nil
	}
	newData := "{}"
	if flag != nil {
		newData = mustJSON(flag)
	}
	if exists && (flagged == 1) == (flag != nil) && data == newData {
		return nil
	}
	version++
	if err := t.exec(ctx, `INSERT INTO duplicate_flags(id, unit_id, flagged, version, data) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET unit_id = excluded.unit_id, flagged = excluded.flagged,
			version = excluded.version, data = excluded.data`,
		appID, unitID, boolInt(flag != nil), version, newData); err != nil {
		return fmt.Errorf("duplicate flag: %w", err)
	}
	viewers, err := t.scopeViewers(ctx, unitID)
	if err != nil {
		return err
	}
	op := api.OpUpsert
	if flag == nil {
		op = api.OpDelete
	}
	return t.emit(ctx, api.KindDuplicate, appID, op, version, viewers)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
