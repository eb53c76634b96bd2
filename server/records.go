package server

import (
	"context"
	"database/sql"
	"fmt"

	"titledesk/api"
	"titledesk/model"
)

// Loading and saving entities inside a write transaction. Every put writes
// the row and its feed changes together, so no write can forget the feed.

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// unit loads a unit, from the transaction's cache when it can.
func (t *txn) unit(ctx context.Context, id string) (model.Unit, bool, error) {
	if u, ok := t.units[id]; ok {
		return u, true, nil
	}
	var u model.Unit
	ok, err := loadJSON(ctx, t.tx, &u, `SELECT data FROM units WHERE id = ?`, id)
	if err != nil {
		return u, false, fmt.Errorf("load unit: %w", err)
	}
	if ok {
		t.units[id] = u
	}
	return u, ok, nil
}

// putUnit stores a unit. A new unit gets its closure rows first, so the
// feed fan-out below already sees it in the tree.
func (t *txn) putUnit(ctx context.Context, u model.Unit, isNew bool) error {
	var err error
	if isNew {
		err = t.exec(ctx, `INSERT INTO units(id, parent_id, kind, version, data) VALUES (?, ?, ?, ?, ?)`,
			u.ID, nullable(u.ParentID), u.Kind, u.Version, mustJSON(u))
		if err == nil {
			err = t.insertClosure(ctx, u.ID, u.ParentID)
		}
	} else {
		err = t.exec(ctx, `UPDATE units SET parent_id = ?, kind = ?, version = ?, data = ? WHERE id = ?`,
			nullable(u.ParentID), u.Kind, u.Version, mustJSON(u), u.ID)
	}
	if err != nil {
		return fmt.Errorf("save unit: %w", err)
	}
	t.units[u.ID] = u
	viewers, err := t.unitRecordViewers(ctx, u.ID)
	if err != nil {
		return err
	}
	return t.emit(ctx, api.KindUnit, u.ID, api.OpUpsert, u.Version, viewers)
}

// refreshEconomics keeps the derived Unit.HasEconomicsApplicants (HOME-2)
// in step with the unit's applications.
func (t *txn) refreshEconomics(ctx context.Context, unitID string) error {
	has, err := hasEconomicsApplications(ctx, t.tx, unitID)
	if err != nil {
		return err
	}
	u, ok, err := t.unit(ctx, unitID)
	if err != nil || !ok || u.HasEconomicsApplicants == has {
		return err
	}
	u.HasEconomicsApplicants = has
	u.Version++
	u.UpdatedAt = t.now
	return t.putUnit(ctx, u, false)
}

func hasEconomicsApplications(ctx context.Context, q queryer, unitID string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM applications WHERE unit_id = ? AND series = ? LIMIT 1) AS hit`,
		unitID, model.SeriesEconomics).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("economics check: %w", err)
	}
	return n > 0, nil
}

func (t *txn) applicant(ctx context.Context, id string) (model.Applicant, bool, error) {
	var a model.Applicant
	ok, err := loadJSON(ctx, t.tx, &a, `SELECT data FROM applicants WHERE id = ?`, id)
	if err != nil {
		return a, false, fmt.Errorf("load applicant: %w", err)
	}
	return a, ok, nil
}

func (t *txn) putApplicant(ctx context.Context, a model.Applicant) error {
	err := t.exec(ctx, `INSERT INTO applicants(id, unit_id, version, data) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET unit_id = excluded.unit_id, version = excluded.version, data = excluded.data`,
		a.ID, a.UnitID, a.Version, mustJSON(a))
	if err != nil {
		return fmt.Errorf("save applicant: %w", err)
	}
	viewers, err := t.scopeViewers(ctx, a.UnitID)
	if err != nil {
		return err
	}
	return t.emit(ctx, api.KindApplicant, a.ID, api.OpUpsert, a.Version, append(viewers, applicantViewer(a.ID)))
}

func (t *txn) application(ctx context.Context, id string) (model.Application, bool, error) {
	var a model.Application
	ok, err := loadJSON(ctx, t.tx, &a, `SELECT data FROM applications WHERE id = ?`, id)
	if err != nil {
		return a, false, fmt.Errorf("load application: %w", err)
	}
	return a, ok, nil
}

// putApplication stores an application, the files it references, and its
// feed changes (the application and any file a viewer does not hold yet).
func (t *txn) putApplication(ctx context.Context, app model.Application) error {
	err := t.exec(ctx, `INSERT INTO applications(id, applicant_id, unit_id, series, stage, holder_unit_id, version, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET applicant_id = excluded.applicant_id, unit_id = excluded.unit_id,
			series = excluded.series, stage = excluded.stage, holder_unit_id = excluded.holder_unit_id,
			version = excluded.version, data = excluded.data`,
		app.ID, app.ApplicantID, app.UnitID, app.Series, app.Stage, nullable(app.HolderUnitID), app.Version, mustJSON(app))
	if err != nil {
		return fmt.Errorf("save application: %w", err)
	}
	hashes := attachmentHashes(app)
	for _, h := range hashes {
		if err := t.exec(ctx, `INSERT INTO application_attachments(application_id, sha256) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			app.ID, h); err != nil {
			return fmt.Errorf("save application files: %w", err)
		}
	}
	viewers, err := t.scopeViewers(ctx, app.UnitID)
	if err != nil {
		return err
	}
	viewers = append(viewers, applicantViewer(app.ApplicantID))
	if err := t.emit(ctx, api.KindApplication, app.ID, api.OpUpsert, app.Version, viewers); err != nil {
		return err
	}
	if err := t.emitAttachments(ctx, hashes, viewers); err != nil {
		return err
	}
	return t.trackDuplicates(ctx, app)
}

// attachmentHashes lists the distinct files an application references.
func attachmentHashes(app model.Application) []string {
	var out []string
	seen := map[string]bool{}
	add := func(files []model.Attachment) {
		for _, f := range files {
			if !seen[f.SHA256] {
				seen[f.SHA256] = true
				out = append(out, f.SHA256)
			}
		}
	}
	add(app.Attachments)
	if app.Recommendation != nil {
		add(app.Recommendation.Attachments)
	}
	return out
}

// registrationRow is a registration with the indexed columns the server checks.
type registrationRow struct {
	reg        model.Registration
	unitID     string
	superiorID string
}

func (t *txn) registration(ctx context.Context, id string) (registrationRow, bool, error) {
	var r registrationRow
	var data []byte
	err := t.tx.QueryRowContext(ctx, `SELECT unit_id, superior_id, data FROM registrations WHERE id = ?`, id).
		Scan(&r.unitID, &r.superiorID, &data)
	if err == sql.ErrNoRows {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("load registration: %w", err)
	}
	if err := decodeJSON(data, &r.reg); err != nil {
		return r, false, err
	}
	return r, true, nil
}

// putRegistration stores a registration for the registering unit and its
// chosen superior; oldSuperior, when it differs, loses it from its list.
func (t *txn) putRegistration(ctx context.Context, unitID string, reg model.Registration, oldSuperior string) error {
	superior := reg.Unit.ParentID
	err := t.exec(ctx, `INSERT INTO registrations(id, unit_id, superior_id, status, version, data) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET superior_id = excluded.superior_id, status = excluded.status,
			version = excluded.version, data = excluded.data`,
		reg.ID, unitID, superior, reg.Status, reg.Version, mustJSON(reg))
	if err != nil {
		return fmt.Errorf("save registration: %w", err)
	}
	if oldSuperior != "" && oldSuperior != superior {
		if err := t.emit(ctx, api.KindRegistration, reg.ID, api.OpRemove, reg.Version,
			[]string{unitViewer(oldSuperior)}); err != nil {
			return err
		}
	}
	return t.emit(ctx, api.KindRegistration, reg.ID, api.OpUpsert, reg.Version,
		[]string{unitViewer(superior), unitViewer(unitID)})
}

func (t *txn) expert(ctx context.Context, id string) (model.Expert, bool, error) {
	var e model.Expert
	ok, err := loadJSON(ctx, t.tx, &e, `SELECT data FROM experts WHERE id = ?`, id)
	if err != nil {
		return e, false, fmt.Errorf("load expert: %w", err)
	}
	return e, ok, nil
}

func (t *txn) putExpert(ctx context.Context, e model.Expert) error {
	err := t.exec(ctx, `INSERT INTO experts(id, unit_id, version, data) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET unit_id = excluded.unit_id, version = excluded.version, data = excluded.data`,
		e.ID, e.UnitID, e.Version, mustJSON(e))
	if err != nil {
		return fmt.Errorf("save expert: %w", err)
	}
	viewers, err := t.scopeViewers(ctx, e.UnitID)
	if err != nil {
		return err
	}
	return t.emit(ctx, api.KindExpert, e.ID, api.OpUpsert, e.Version, viewers)
}

func (t *txn) putCommittee(ctx context.Context, c model.Committee) error {
	err := t.exec(ctx, `INSERT INTO committees(id, version, data) VALUES (?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET version = excluded.version, data = excluded.data`, c.ID, c.Version, mustJSON(c))
	if err != nil {
		return fmt.Errorf("save committee: %w", err)
	}
	return t.emit(ctx, api.KindCommittee, c.ID, api.OpUpsert, c.Version, []string{viewerAll})
}

// putMessageView stores one viewer's copy of a message.
func (t *txn) putMessageView(ctx context.Context, viewer string, m model.Message) error {
	err := t.exec(ctx, `INSERT INTO message_views(message_id, viewer, inbound, version, data) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(message_id, viewer) DO UPDATE SET version = excluded.version, data = excluded.data`,
		m.ID, viewer, m.Inbound, m.Version, mustJSON(m))
	if err != nil {
		return fmt.Errorf("save message: %w", err)
	}
	return t.emit(ctx, api.KindMessage, m.ID, api.OpUpsert, m.Version, []string{viewer})
}

func (t *txn) putStockComment(ctx context.Context, accountID string, c model.StockComment) error {
	err := t.exec(ctx, `INSERT INTO stock_comments(id, account_id, version, data) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET version = excluded.version, data = excluded.data`,
		c.ID, accountID, c.Version, mustJSON(c))
	if err != nil {
		return fmt.Errorf("save stock comment: %w", err)
	}
	return t.emit(ctx, api.KindStockComment, c.ID, api.OpUpsert, c.Version, []string{accountViewer(accountID)})
}
