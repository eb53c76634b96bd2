package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"titledesk/api"
	"titledesk/model"
)

func upsertUnit(a *applier, c api.Change) error {
	var u model.Unit
	if err := decode(c, &u); err != nil {
		return err
	}
	if err := a.exec(`INSERT INTO units(id, parent_id, kind, name, version, data) VALUES(?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET parent_id = excluded.parent_id, kind = excluded.kind,
			name = excluded.name, version = excluded.version, data = excluded.data`,
		c.ID, nullString(u.ParentID), string(u.Kind), u.Name, c.Version, a.sealed(c)); err != nil {
		return err
	}
	// Keep the applications' copy of the name in step (only rows that differ).
	if err := a.exec(`UPDATE applications SET unit_name = ? WHERE unit_id = ? AND unit_name <> ?`, u.Name, c.ID, u.Name); err != nil {
		return err
	}
	a.unitNames[c.ID] = u.Name
	a.treeDirty = true
	return nil
}

// dropUnit removes a unit that was deleted or left the scope, and with it its
// whole subtree and the subtree's applicants and applications: none of them
// can be in scope any more.
func dropUnit(a *applier, id string) error {
	const subtree = `(SELECT descendant FROM unit_tree WHERE ancestor = ?1 UNION SELECT ?1)`
	const apps = `(SELECT id FROM applications WHERE unit_id IN ` + subtree + `)`
	for _, q := range []string{
		`DELETE FROM drafts WHERE application_id IN ` + apps,
		`DELETE FROM applications WHERE unit_id IN ` + subtree,
		`DELETE FROM applicants WHERE unit_id IN ` + subtree,
		`DELETE FROM units WHERE id IN ` + subtree,
	} {
		if err := a.exec(q, id); err != nil {
			return err
		}
	}
	clear(a.unitNames)
	a.treeDirty = true
	return nil
}

// unitName is the cached name of a unit ("" when unknown yet).
func (a *applier) unitName(id string) (string, error) {
	if n, ok := a.unitNames[id]; ok {
		return n, nil
	}
	var n string
	if _, err := a.scanRow(`SELECT name FROM units WHERE id = ?`, []any{id}, &n); err != nil {
		return "", err
	}
	a.unitNames[id] = n
	return n, nil
}

// rebuildUnitTree recomputes the closure table from units.parent_id. Units
// are few (thousands at most), so rebuilding once per page that touches them
// is simpler and safer than patching (a unit may arrive before its parent,
// or move under another one). The depth guard stops a corrupt cycle.
func rebuildUnitTree(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM unit_tree`); err != nil {
		return fmt.Errorf("rebuild unit tree: %w", err)
	}
	_, err := tx.ExecContext(ctx, `WITH RECURSIVE t(ancestor, descendant, depth) AS (
			SELECT id, id, 0 FROM units
			UNION ALL
			SELECT t.ancestor, u.id, t.depth + 1 FROM t JOIN units u ON u.parent_id = t.descendant
			WHERE t.depth < 64)
		INSERT OR IGNORE INTO unit_tree(ancestor, descendant, depth) SELECT ancestor, descendant, depth FROM t`)
	if err != nil {
		return fmt.Errorf("rebuild unit tree: %w", err)
	}
	return nil
}

func upsertRegistration(a *applier, c api.Change) error {
	var r model.Registration
	if err := decode(c, &r); err != nil {
		return err
	}
	return a.exec(`INSERT INTO registrations(id, parent_id, status, name, submitted_at, version, data) VALUES(?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET parent_id = excluded.parent_id, status = excluded.status, name = excluded.name,
			submitted_at = excluded.submitted_at, version = excluded.version, data = excluded.data`,
		c.ID, r.Unit.ParentID, string(r.Status), r.Unit.Name, millis(r.SubmittedAt), c.Version, a.sealed(c))
}

// upsertApplicantSQL keeps the sealed ID number of an applicant whose
// number did not change (same blind index), so the copies on its
// applications compare equal and are not rewritten on every pull.
const upsertApplicantSQL = `INSERT INTO applicants(id, unit_id, name, id_number, id_index, gender, education, version, data)
	VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT(id) DO UPDATE SET unit_id = excluded.unit_id, name = excluded.name,
		id_number = CASE WHEN id_index = excluded.id_index THEN id_number ELSE excluded.id_number END,
		id_index = excluded.id_index, gender = excluded.gender, education = excluded.education,
		version = excluded.version, data = excluded.data`

func upsertApplicant(a *applier, c api.Change) error {
	var p model.Applicant
	if err := decode(c, &p); err != nil {
		return err
	}
	idn := model.NormalizeIDNumber(p.IDNumber)
	index := a.keys.idIndex(idn)
	if err := a.exec(upsertApplicantSQL, c.ID, p.UnitID, p.Name, a.keys.sealString(purposeIDNumber, c.ID, idn), index,
		string(p.Gender), strings.TrimSpace(p.Education), c.Version, a.sealed(c)); err != nil {
		return err
	}
	return a.exec(`UPDATE applications SET applicant_name = ?1, id_index = ?2, gender = ?3,
			id_number = (SELECT id_number FROM applicants WHERE id = ?4)
		WHERE applicant_id = ?4 AND snapshot = 0 AND (applicant_name <> ?1 OR id_index <> ?2 OR gender <> ?3)`,
		p.Name, index, string(p.Gender), c.ID)
}

func dropApplicant(a *applier, id string) error {
	const apps = `(SELECT id FROM applications WHERE applicant_id = ?)`
	for _, q := range []string{
		`DELETE FROM drafts WHERE application_id IN ` + apps,
		`DELETE FROM applications WHERE applicant_id = ?`,
		`DELETE FROM applicants WHERE id = ?`,
	} {
		if err := a.exec(q, id); err != nil {
			return err
		}
	}
	return nil
}

// upsertApplicationSQL writes an application's columns, derived in Go
// (decodeApplicationRow); the record itself goes to application_data (see
// migration 0002). The applicant's name, ID number and gender are those of
// the record frozen at submission (?21..?25, SEC-1) when the application
// has one, else the live record's, looked up by the statement; the unit
// name comes from the applier's cache. reviewers feeds reviewed_by
// through triggers, which write nothing when the reviewer set is unchanged.
// (Three scalar subqueries measured faster than an INSERT … SELECT with a
// LEFT JOIN on applicants: the join form cost ~150 µs a row.)
const upsertApplicationSQL = `INSERT INTO applications(id, applicant_id, unit_id, holder_unit_id, stage, year, series,
		level, method, version, submitted_at, returned_at, updated_at, applicant_name, id_number, id_index, gender,
		unit_name, specialty, title_name, withdrawable_by, reviewers, returned_by, education, snapshot)
	VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
		CASE WHEN ?21 THEN ?22 ELSE coalesce((SELECT name FROM applicants WHERE id = ?2), '') END,
		CASE WHEN ?21 THEN ?23 ELSE coalesce((SELECT id_number FROM applicants WHERE id = ?2), x'') END,
		CASE WHEN ?21 THEN ?24 ELSE coalesce((SELECT id_index FROM applicants WHERE id = ?2), x'') END,
		CASE WHEN ?21 THEN ?25 ELSE coalesce((SELECT gender FROM applicants WHERE id = ?2), '') END,
		?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
	ON CONFLICT(id) DO UPDATE SET applicant_id = excluded.applicant_id, unit_id = excluded.unit_id,
		holder_unit_id = excluded.holder_unit_id, stage = excluded.stage, year = excluded.year,
		series = excluded.series, level = excluded.level, method = excluded.method, version = excluded.version,
		submitted_at = excluded.submitted_at, returned_at = excluded.returned_at, updated_at = excluded.updated_at,
		applicant_name = excluded.applicant_name,
		id_number = CASE WHEN id_index = excluded.id_index THEN id_number ELSE excluded.id_number END,
		id_index = excluded.id_index, gender = excluded.gender, snapshot = excluded.snapshot,
		unit_name = excluded.unit_name, specialty = excluded.specialty, title_name = excluded.title_name,
		withdrawable_by = excluded.withdrawable_by, reviewers = excluded.reviewers, returned_by = excluded.returned_by,
		education = excluded.education`

func upsertApplication(a *applier, c api.Change) error {
	r, err := decodeApplicationRow(c.Data)
	if err != nil {
		return fmt.Errorf("decode %s %s: %w", c.Kind, c.ID, err)
	}
	unitName, err := a.unitName(r.unitID)
	if err != nil {
		return err
	}
	var snapID, snapIndex []byte
	if r.snapshot {
		idn := model.NormalizeIDNumber(r.snapIDNumber)
		snapID, snapIndex = a.keys.sealString(purposeIDNumber, r.applicantID, idn), a.keys.idIndex(idn)
	}
	if err := a.exec(upsertApplicationSQL, c.ID, r.applicantID, r.unitID, r.holderUnitID, r.stage, r.year,
		r.series, r.level, r.method, c.Version, r.submittedAt, r.returnedAt, r.updatedAt,
		unitName, r.specialty, r.titleName, r.withdrawableBy, r.reviewers, r.returnedBy, r.education,
		r.snapshot, r.snapName, snapID, snapIndex, r.snapGender); err != nil {
		return err
	}
	return a.exec(`INSERT INTO application_data(id, data) VALUES(?, ?)
		ON CONFLICT(id) DO UPDATE SET data = excluded.data`, c.ID, a.sealed(c))
}

func dropApplication(a *applier, id string) error {
	for _, q := range []string{
		`DELETE FROM drafts WHERE application_id = ?`,
		`DELETE FROM applications WHERE id = ?`,
	} {
		if err := a.exec(q, id); err != nil {
			return err
		}
	}
	return nil
}

func upsertMessage(a *applier, c api.Change) error {
	var m model.Message
	if err := decode(c, &m); err != nil {
		return err
	}
	unread := m.Inbound && m.ReadAt == nil
	// The title is free text (a phone number is often in it): it stays in
	// the sealed record only; the title column is kept empty (migration 0008).
	return a.exec(`INSERT INTO messages(id, inbound, unread, sent_at, title, version, data) VALUES(?, ?, ?, ?, '', ?, ?)
		ON CONFLICT(id) DO UPDATE SET inbound = excluded.inbound, unread = excluded.unread, sent_at = excluded.sent_at,
			version = excluded.version, data = excluded.data`,
		c.ID, boolInt(m.Inbound), boolInt(unread), millis(m.SentAt), c.Version, a.sealed(c))
}

func upsertExpert(a *applier, c api.Change) error {
	var e model.Expert
	if err := decode(c, &e); err != nil {
		return err
	}
	return a.exec(`INSERT INTO experts(id, unit_id, name, updated_at, version, data) VALUES(?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET unit_id = excluded.unit_id, name = excluded.name, updated_at = excluded.updated_at,
			version = excluded.version, data = excluded.data`,
		c.ID, e.UnitID, e.Name, millis(e.UpdatedAt), c.Version, a.sealed(c))
}

func upsertCommittee(a *applier, c api.Change) error {
	var m model.Committee
	if err := decode(c, &m); err != nil {
		return err
	}
	return a.exec(`INSERT INTO committees(id, name, series, version, data) VALUES(?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET name = excluded.name, series = excluded.series, version = excluded.version, data = excluded.data`,
		c.ID, m.Name, string(m.Series), c.Version, a.sealed(c))
}

func upsertStockComment(a *applier, c api.Change) error {
	var m model.StockComment
	if err := decode(c, &m); err != nil {
		return err
	}
	return a.exec(`INSERT INTO stock_comments(id, position, version, data) VALUES(?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET position = excluded.position, version = excluded.version, data = excluded.data`,
		c.ID, m.Position, c.Version, a.sealed(c))
}

func upsertAttachment(a *applier, c api.Change) error {
	var m model.Attachment
	if err := decode(c, &m); err != nil {
		return err
	}
	return a.exec(`INSERT INTO attachments(sha256, version, data) VALUES(?, ?, ?)
		ON CONFLICT(sha256) DO UPDATE SET version = excluded.version, data = excluded.data`,
		c.ID, c.Version, a.sealed(c))
}

func upsertCalendar(a *applier, c api.Change) error {
	var m api.CalendarData
	if err := decode(c, &m); err != nil {
		return err
	}
	a.calDirty = true
	return a.exec(`INSERT INTO calendar(id, version, data) VALUES(?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET version = excluded.version, data = excluded.data`,
		c.ID, c.Version, a.sealed(c))
}

func dropCalendar(a *applier, id string) error {
	a.calDirty = true
	return a.exec(`DELETE FROM calendar WHERE id = ?`, id)
}
