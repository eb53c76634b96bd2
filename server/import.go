package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"titledesk/api"
	"titledesk/model"
	"titledesk/server/demo"
)

// ErrNotEmpty is returned by ImportWorld when the database already holds units.
var ErrNotEmpty = errors.New("server: database is not empty")

// ImportWorld bulk-loads a generated world into an empty database in one
// transaction, with every feed entry the same data would have produced
// through commands. Accounts sharing a password share one salted hash at
// the server's cost (Config.PasswordCost): seeding thousands of demo logins
// costs one bcrypt per distinct password, and their passwords are public
// anyway.
func (s *Server) ImportWorld(ctx context.Context, w *demo.World) error {
	// Files first: if the transaction fails they are orphans, which
	// content addressing makes harmless.
	files := make([]model.Attachment, 0, len(w.Files))
	for _, f := range w.Files {
		att, err := s.files.put(ctx, f.Attachment.SHA256, bytes.NewReader(f.Data), s.copyChecked)
		if err != nil {
			return fmt.Errorf("import world: file %s: %w", f.Attachment.Name, err)
		}
		files = append(files, att)
	}
	err := s.write(ctx, func(t *txn) error {
		var n int
		if err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrNotEmpty
		}
		im := newImporter(t, w)
		im.cost = s.cfg.PasswordCost
		if err := im.files(ctx, files); err != nil {
			return err
		}
		var feed []feedEntry
		t.feedBuf = &feed
		steps := []func(context.Context) error{im.units, im.applicants, im.accounts, im.applications,
			im.registrations, im.committees, im.experts, im.messages, im.stockComments, im.calendar, im.deadlines}
		for _, step := range steps {
			if err := step(ctx); err != nil {
				return err
			}
		}
		t.feedBuf = nil
		return t.flushFeed(ctx, feed)
	})
	if err != nil {
		return fmt.Errorf("import world: %w", err)
	}
	return nil
}

// importer keeps the hierarchy in memory so fan-out needs no queries.
type importer struct {
	t        *txn
	w        *demo.World
	anc      map[string][]string // unit → viewer keys of it and its ancestors
	kids     map[string][]string // unit → viewer keys of its children
	unitByID map[string]model.Unit
	people   map[string]model.Applicant
	econ     map[string]bool // units with 经济系列 applications (HOME-2)
	regUnits []model.Unit    // registering units missing from w.Units
	known    map[string]bool // attachment rows written
	cost     int             // bcrypt cost of seeded passwords
}

func newImporter(t *txn, w *demo.World) *importer {
	im := &importer{t: t, w: w, anc: map[string][]string{}, kids: map[string][]string{},
		known: map[string]bool{}, unitByID: map[string]model.Unit{}, people: map[string]model.Applicant{}, econ: map[string]bool{}}
	listed := map[string]bool{}
	for _, u := range w.Units {
		listed[u.ID] = true
		if u.ParentID != "" {
			im.kids[u.ParentID] = append(im.kids[u.ParentID], unitViewer(u.ID))
		}
	}
	// A pending registration's unit exists as a unit without a superior.
	for _, r := range w.Registrations {
		if !listed[r.Unit.ID] {
			listed[r.Unit.ID] = true
			u := r.Unit
			u.ParentID = ""
			im.regUnits = append(im.regUnits, u)
		}
	}
	for _, a := range w.Applications {
		if a.Series == model.SeriesEconomics {
			im.econ[a.UnitID] = true
		}
	}
	return im
}

func version(v int64) int64 { return max(v, 1) }

func (im *importer) units(ctx context.Context) error {
	for _, u := range append(append([]model.Unit(nil), im.w.Units...), im.regUnits...) {
		u.Version, u.HasEconomicsApplicants = version(u.Version), im.econ[u.ID]
		if u.UpdatedAt.IsZero() {
			u.UpdatedAt = im.t.now
		}
		if err := im.t.exec(ctx, `INSERT INTO units(id, parent_id, kind, version, data) VALUES (?, ?, ?, ?, ?)`,
			u.ID, nullable(u.ParentID), u.Kind, u.Version, mustJSON(u)); err != nil {
			return fmt.Errorf("unit %s: %w", u.ID, err)
		}
		chain := []string{u.ID}
		if u.ParentID != "" {
			parent, ok := im.anc[u.ParentID]
			if !ok {
				return fmt.Errorf("unit %s: parent %s comes later or is missing", u.ID, u.ParentID)
			}
			for _, v := range parent {
				chain = append(chain, v[len("u:"):])
			}
		}
		for depth, a := range chain {
			if err := im.t.exec(ctx, `INSERT INTO unit_tree(ancestor, descendant, depth) VALUES (?, ?, ?)`,
				a, u.ID, depth); err != nil {
				return fmt.Errorf("unit %s closure: %w", u.ID, err)
			}
		}
		im.anc[u.ID] = unitViewers(chain)
		im.unitByID[u.ID] = u
		viewers := append(append([]string(nil), im.anc[u.ID]...), im.kids[u.ID]...)
		if err := im.t.emit(ctx, api.KindUnit, u.ID, api.OpUpsert, u.Version, viewers); err != nil {
			return err
		}
	}
	return nil
}

// scope is the viewers of something scoped to unitID plus extra keys.
func (im *importer) scope(unitID string, extra ...string) ([]string, error) {
	v, ok := im.anc[unitID]
	if !ok {
		return nil, fmt.Errorf("unknown unit %s", unitID)
	}
	return append(append([]string(nil), v...), extra...), nil
}

// byID returns a copy of items sorted by ID: inserting in key order keeps
// the primary-key B-trees appending instead of splitting pages at random.
func byID[T any](items []T, id func(T) string) []T {
	out := slices.Clone(items)
	slices.SortFunc(out, func(a, b T) int { return strings.Compare(id(a), id(b)) })
	return out
}

func (im *importer) applicants(ctx context.Context) error {
	for _, p := range byID(im.w.Applicants, func(p model.Applicant) string { return p.ID }) {
		p.Version = version(p.Version)
		if err := im.t.exec(ctx, `INSERT INTO applicants(id, unit_id, version, data) VALUES (?, ?, ?, ?)`,
			p.ID, p.UnitID, p.Version, mustJSON(p)); err != nil {
			return fmt.Errorf("applicant %s: %w", p.ID, err)
		}
		viewers, err := im.scope(p.UnitID, applicantViewer(p.ID))
		if err != nil {
			return fmt.Errorf("applicant %s: %w", p.ID, err)
		}
		if err := im.t.emit(ctx, api.KindApplicant, p.ID, api.OpUpsert, p.Version, viewers); err != nil {
			return err
		}
		im.people[p.ID] = p
	}
	return nil
}

func (im *importer) accounts(ctx context.Context) error {
	hashes := map[string][]byte{}
	for _, a := range im.w.Accounts {
		h, ok := hashes[a.Password]
		if !ok {
			var err error
			if h, err = bcrypt.GenerateFromPassword([]byte(a.Password), im.cost); err != nil {
				return fmt.Errorf("account %s: hash: %w", a.Account.Username, err)
			}
			hashes[a.Password] = h
		}
		if err := im.t.insertAccount(ctx, a.Account, h); err != nil {
			return fmt.Errorf("account %s: %w", a.Account.Username, err)
		}
	}
	return nil
}

func (im *importer) applications(ctx context.Context) error {
	for _, app := range byID(im.w.Applications, func(a model.Application) string { return a.ID }) {
		app.Version = version(app.Version)
		if p, ok := im.people[app.ApplicantID]; ok && app.Applicant == nil && app.Stage != model.StageDraft {
			app.Applicant = &p // a seeded submission keeps its applicant's record like a real one (SEC-1)
		}
		if err := im.attachmentRows(ctx, app); err != nil {
			return err
		}
		if err := im.t.exec(ctx, `INSERT INTO applications(id, applicant_id, unit_id, series, stage, holder_unit_id, version, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, app.ID, app.ApplicantID, app.UnitID, app.Series, app.Stage,
			nullable(app.HolderUnitID), app.Version, mustJSON(app)); err != nil {
			return fmt.Errorf("application %s: %w", app.ID, err)
		}
		hashes := attachmentHashes(app)
		for _, h := range hashes {
			if err := im.t.exec(ctx, `INSERT INTO application_attachments(application_id, sha256) VALUES (?, ?) ON CONFLICT DO NOTHING`,
				app.ID, h); err != nil {
				return fmt.Errorf("application %s files: %w", app.ID, err)
			}
		}
		viewers, err := im.scope(app.UnitID, applicantViewer(app.ApplicantID))
		if err != nil {
			return fmt.Errorf("application %s: %w", app.ID, err)
		}
		if err := im.t.emit(ctx, api.KindApplication, app.ID, api.OpUpsert, app.Version, viewers); err != nil {
			return err
		}
		if err := im.t.emitAttachments(ctx, hashes, viewers); err != nil {
			return err
		}
		if err := im.t.trackDuplicates(ctx, app); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) files(ctx context.Context, files []model.Attachment) error {
	for _, f := range files {
		im.known[f.SHA256] = true
		if err := im.t.exec(ctx, `INSERT INTO attachments(sha256, size, content_type, stored, created_at)
			VALUES (?, ?, ?, 1, ?) ON CONFLICT DO NOTHING`, f.SHA256, f.Size, f.ContentType, millis(im.t.now)); err != nil {
			return fmt.Errorf("file %s: %w", f.SHA256, err)
		}
	}
	return nil
}

// attachmentRows records the metadata of the files a seeded application
// names. Files not among World.Files have no bytes (stored = 0): they are
// listed, never served.
func (im *importer) attachmentRows(ctx context.Context, app model.Application) error {
	files := append([]model.Attachment(nil), app.Attachments...)
	if app.Recommendation != nil {
		files = append(files, app.Recommendation.Attachments...)
	}
	for _, f := range files {
		if im.known[f.SHA256] {
			continue
		}
		im.known[f.SHA256] = true
		if err := im.t.exec(ctx, `INSERT INTO attachments(sha256, size, content_type, stored, created_at)
			VALUES (?, ?, ?, 0, ?) ON CONFLICT DO NOTHING`, f.SHA256, f.Size, f.ContentType, millis(im.t.now)); err != nil {
			return fmt.Errorf("application %s attachment: %w", app.ID, err)
		}
	}
	return nil
}

func (im *importer) registrations(ctx context.Context) error {
	for _, r := range im.w.Registrations {
		r.Version = version(r.Version)
		if err := im.t.putRegistration(ctx, r.Unit.ID, r, ""); err != nil {
			return fmt.Errorf("registration %s: %w", r.ID, err)
		}
	}
	return nil
}

func (im *importer) committees(ctx context.Context) error {
	for _, c := range im.w.Committees {
		c.Version = version(c.Version)
		if err := im.t.putCommittee(ctx, c); err != nil {
			return fmt.Errorf("committee %s: %w", c.ID, err)
		}
	}
	return nil
}

func (im *importer) experts(ctx context.Context) error {
	for _, e := range im.w.Experts {
		e.Version = version(e.Version)
		if err := im.t.exec(ctx, `INSERT INTO experts(id, unit_id, version, data) VALUES (?, ?, ?, ?)`,
			e.ID, e.UnitID, e.Version, mustJSON(e)); err != nil {
			return fmt.Errorf("expert %s: %w", e.ID, err)
		}
		viewers, err := im.scope(e.UnitID)
		if err != nil {
			return fmt.Errorf("expert %s: %w", e.ID, err)
		}
		if err := im.t.emit(ctx, api.KindExpert, e.ID, api.OpUpsert, e.Version, viewers); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) messages(ctx context.Context) error {
	for _, ms := range im.w.Messages {
		m := ms.Message
		m.Version, m.ReadAt = version(m.Version), nil
		if err := im.t.exec(ctx, `INSERT INTO messages(id, sender_unit_id, sent_at) VALUES (?, ?, ?)`,
			m.ID, m.SenderUnitID, millis(m.SentAt)); err != nil {
			return fmt.Errorf("message %s: %w", m.ID, err)
		}
		sent := m
		sent.Inbound, sent.Recipients = false, im.named(ms.Recipients)
		if err := im.t.putMessageView(ctx, unitViewer(m.SenderUnitID), sent); err != nil {
			return err
		}
		for _, r := range ms.Recipients {
			inbox := m
			inbox.Inbound, inbox.Recipients = true, nil
			if ms.ReadBy[r.ID] {
				// The seed says who read it, not when: an hour after sending.
				at := m.SentAt.Add(time.Hour)
				inbox.ReadAt = &at
			}
			if err := im.t.putMessageView(ctx, recipientViewer(r), inbox); err != nil {
				return err
			}
		}
	}
	return nil
}

// named fills in recipient names the seed left empty.
func (im *importer) named(rs []model.Recipient) []model.Recipient {
	out := append([]model.Recipient(nil), rs...)
	for i, r := range out {
		if r.Name != "" {
			continue
		}
		if r.Kind == model.RecipientApplicant {
			out[i].Name = im.people[r.ID].Name
		} else {
			out[i].Name = im.unitByID[r.ID].Name
		}
	}
	return out
}

func (im *importer) stockComments(ctx context.Context) error {
	for _, sc := range im.w.StockComments {
		c := sc.Comment
		c.Version = version(c.Version)
		if err := im.t.putStockComment(ctx, sc.AccountID, c); err != nil {
			return fmt.Errorf("stock comment %s: %w", c.ID, err)
		}
	}
	return nil
}

func (im *importer) calendar(ctx context.Context) error {
	if len(im.w.Calendar) == 0 {
		return nil
	}
	return im.t.putCalendar(ctx, model.NewCalendar(im.w.Calendar).Entries())
}

func (im *importer) deadlines(ctx context.Context) error {
	for _, d := range im.w.Deadlines {
		if err := d.Validate(); err != nil {
			return fmt.Errorf("deadlines %d: %w", d.Year, err)
		}
		if err := im.t.putDoc(ctx, "deadlines", api.KindDeadline, strconv.Itoa(d.Year), d); err != nil {
			return err
		}
	}
	return nil
}
