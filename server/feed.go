package server

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"titledesk/api"
	"titledesk/model"
)

// Viewer keys of the feed table. A unit sees what is scoped to its subtree,
// an applicant its own records, an account its stock comments, everyone the
// shared reference data. One caller's keys never carry the same change twice
// (each kind goes to one family of keys), so a change's seq is unique within
// any caller's merged feed and the cursor can be a plain seq.
const viewerAll = "*"

func unitViewer(id string) string      { return "u:" + id }
func applicantViewer(id string) string { return "p:" + id }
func accountViewer(id string) string   { return "a:" + id }

func unitViewers(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = unitViewer(id)
	}
	return out
}

// viewers are the feed keys a caller reads.
func (c *caller) viewers() []string {
	if c.Role == model.RoleApplicant {
		return []string{applicantViewer(c.ApplicantID), accountViewer(c.AccountID), viewerAll}
	}
	return []string{unitViewer(c.UnitID), accountViewer(c.AccountID), viewerAll}
}

// ownViewer is the key under which the caller receives messages.
func (c *caller) ownViewer() string {
	if c.Role == model.RoleApplicant {
		return applicantViewer(c.ApplicantID)
	}
	return unitViewer(c.UnitID)
}

// emit records one change of one entity for every viewer. A viewer's older
// row for the entity is replaced, so its feed holds only the latest state.
func (t *txn) emit(ctx context.Context, kind, id, op string, version int64, viewers []string) error {
	if len(viewers) == 0 {
		return nil
	}
	seq, err := t.nextSeq(ctx)
	if err != nil {
		return err
	}
	if t.feedBuf != nil {
		for _, v := range viewers {
			*t.feedBuf = append(*t.feedBuf, feedEntry{v, kind, id, op, version, seq})
		}
		return nil
	}
	// One multi-row statement per change: a fan-out of five costs one
	// round trip into SQLite, not five.
	args := make([]any, 0, 6*len(viewers))
	for _, v := range viewers {
		args = append(args, v, kind, id, op, version, seq)
	}
	if err := t.exec(ctx, upsertFeedRows(len(viewers)), args...); err != nil {
		return fmt.Errorf("feed %s %s: %w", kind, op, err)
	}
	return nil
}

// upsertFeedRows is the feed upsert for n rows. The statement text depends
// only on n, so the transaction's statement cache holds one per fan-out width.
func upsertFeedRows(n int) string {
	return `INSERT INTO feed(viewer, kind, entity_id, op, version, seq) VALUES (?, ?, ?, ?, ?, ?)` +
		strings.Repeat(`, (?, ?, ?, ?, ?, ?)`, n-1) +
		` ON CONFLICT(viewer, kind, entity_id) DO UPDATE SET op = excluded.op, version = excluded.version, seq = excluded.seq`
}

// feedEntry is one buffered feed row.
type feedEntry struct {
	viewer, kind, id, op string
	version, seq         int64
}

// flushFeed writes buffered feed rows sorted by primary key, which turns
// hundreds of thousands of random B-tree inserts into appends, in
// multi-row INSERTs to save per-statement overhead. Of several rows for one
// key the latest wins, except that an attachment a viewer already holds
// keeps its first row (as emitAttachments does).
func (t *txn) flushFeed(ctx context.Context, rows []feedEntry) error {
	sortFeed(rows)
	const batch = 150 // 6 parameters a row, well under SQLite's limit
	args := make([]any, 0, batch*6)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		err := t.exec(ctx, upsertFeedRows(len(args)/6), args...)
		args = args[:0]
		return err
	}
	for i, r := range rows {
		if i+1 < len(rows) && rows[i+1].viewer == r.viewer && rows[i+1].kind == r.kind && rows[i+1].id == r.id {
			if r.kind == api.KindAttachment && r.op == api.OpUpsert && rows[i+1].op == api.OpUpsert {
				rows[i+1] = r
			}
			continue
		}
		args = append(args, r.viewer, r.kind, r.id, r.op, r.version, r.seq)
		if len(args) == batch*6 {
			if err := flush(); err != nil {
				return fmt.Errorf("feed: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	return nil
}

// sortFeed orders rows by (viewer, kind, id, seq). Grouping by viewer
// first spares the sort from comparing long, mostly equal viewer keys.
func sortFeed(rows []feedEntry) {
	groups := map[string][]feedEntry{}
	for _, r := range rows {
		groups[r.viewer] = append(groups[r.viewer], r)
	}
	viewers := make([]string, 0, len(groups))
	for v := range groups {
		viewers = append(viewers, v)
	}
	slices.Sort(viewers)
	out := rows[:0]
	for _, v := range viewers {
		g := groups[v]
		slices.SortFunc(g, func(a, b feedEntry) int {
			return cmp.Or(strings.Compare(a.kind, b.kind), strings.Compare(a.id, b.id), cmpInt64(a.seq, b.seq))
		})
		out = append(out, g...)
	}
}

// scopeViewers are the units that have unitID in their subtree.
// The result is cached for the transaction; callers must not modify it.
func (t *txn) scopeViewers(ctx context.Context, unitID string) ([]string, error) {
	if v, ok := t.viewers[unitID]; ok {
		return v, nil
	}
	anc, err := ancestors(ctx, t.tx, unitID)
	if err != nil {
		return nil, fmt.Errorf("feed viewers: %w", err)
	}
	// Clipped so a caller's append copies instead of writing into the cache.
	v := slices.Clip(unitViewers(anc))
	t.viewers[unitID] = v
	return v, nil
}

// unitRecordViewers see a unit's record: its subtree's ancestors (itself
// included) and its direct children, to whom it is the superior.
func (t *txn) unitRecordViewers(ctx context.Context, unitID string) ([]string, error) {
	v, err := t.scopeViewers(ctx, unitID)
	if err != nil {
		return nil, err
	}
	kids, err := children(ctx, t.tx, unitID)
	if err != nil {
		return nil, fmt.Errorf("feed viewers: %w", err)
	}
	return append(slices.Clone(v), unitViewers(kids)...), nil
}

// emitAttachments makes attachment metadata visible to viewers that do not
// hold it yet; a viewer that already has it is left alone, so passing one
// publicity file with a batch of 500 applications costs 500 no-op writes,
// not 500 feed entries.
func (t *txn) emitAttachments(ctx context.Context, hashes, viewers []string) error {
	if len(hashes) == 0 || len(viewers) == 0 {
		return nil
	}
	seq, err := t.nextSeq(ctx)
	if err != nil {
		return err
	}
	for _, h := range hashes {
		for _, v := range viewers {
			if t.feedBuf != nil {
				*t.feedBuf = append(*t.feedBuf, feedEntry{v, api.KindAttachment, h, api.OpUpsert, 1, seq})
				continue
			}
			err := t.exec(ctx, `INSERT INTO feed(viewer, kind, entity_id, op, version, seq) VALUES (?, ?, ?, ?, 1, ?)
				ON CONFLICT(viewer, kind, entity_id) DO UPDATE SET op = excluded.op, seq = excluded.seq
				WHERE feed.op <> excluded.op`, v, api.KindAttachment, h, api.OpUpsert, seq)
			if err != nil {
				return fmt.Errorf("feed attachment: %w", err)
			}
		}
	}
	return nil
}

// refanSubtree re-targets the feed of everything scoped to root's subtree
// after the subtree moved: lost ancestors get `remove`, gained ones the
// current state.
func (t *txn) refanSubtree(ctx context.Context, root string, lost, gained []string) error {
	if len(lost) == 0 && len(gained) == 0 {
		return nil
	}
	lostV, gainedV := unitViewers(lost), unitViewers(gained)
	const sub = ` IN (SELECT descendant FROM unit_tree WHERE ancestor = ?)`
	scoped := []struct{ kind, query string }{
		{api.KindUnit, `SELECT id, version FROM units WHERE id` + sub},
		{api.KindApplicant, `SELECT id, version FROM applicants WHERE unit_id` + sub},
		{api.KindApplication, `SELECT id, version FROM applications WHERE unit_id` + sub},
		{api.KindExpert, `SELECT id, version FROM experts WHERE unit_id` + sub},
		{api.KindDuplicate, `SELECT id, version FROM duplicate_flags WHERE flagged = 1 AND unit_id` + sub},
	}
	for _, s := range scoped {
		refs, err := t.versions(ctx, s.query, root)
		if err != nil {
			return fmt.Errorf("refan %s: %w", s.kind, err)
		}
		for _, r := range refs {
			if err := t.emit(ctx, s.kind, r.id, api.OpRemove, r.version, lostV); err != nil {
				return err
			}
			if err := t.emit(ctx, s.kind, r.id, api.OpUpsert, r.version, gainedV); err != nil {
				return err
			}
		}
	}
	return t.refanAttachments(ctx, root, lost, gainedV)
}

type versionRef struct {
	id      string
	version int64
}

func (t *txn) versions(ctx context.Context, query string, args ...any) ([]versionRef, error) {
	rows, err := t.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []versionRef
	for rows.Next() {
		var r versionRef
		if err := rows.Scan(&r.id, &r.version); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// refanAttachments moves attachment metadata with the applications of a
// moved subtree. A lost ancestor keeps a file that one of its remaining
// applications still references.
func (t *txn) refanAttachments(ctx context.Context, root string, lost, gainedV []string) error {
	hashes, err := queryStrings(ctx, t.tx, `SELECT DISTINCT aa.sha256 FROM application_attachments aa
		JOIN applications a ON a.id = aa.application_id
		WHERE a.unit_id IN (SELECT descendant FROM unit_tree WHERE ancestor = ?)`, root)
	if err != nil {
		return fmt.Errorf("refan attachments: %w", err)
	}
	if err := t.emitAttachments(ctx, hashes, gainedV); err != nil {
		return err
	}
	for _, h := range hashes {
		for _, unit := range lost {
			still, err := referencedInSubtree(ctx, t.tx, h, unit)
			if err != nil {
				return err
			}
			if !still {
				if err := t.emit(ctx, api.KindAttachment, h, api.OpRemove, 1, []string{unitViewer(unit)}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// referencedInSubtree reports whether an application in unit's subtree names the file.
func referencedInSubtree(ctx context.Context, q queryer, sha, unit string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM application_attachments aa
		JOIN applications a ON a.id = aa.application_id
		JOIN unit_tree t ON t.descendant = a.unit_id
		WHERE aa.sha256 = ? AND t.ancestor = ? LIMIT 1`, sha, unit).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("attachment scope: %w", err)
	}
	return n > 0, nil
}

// refanParentView gives a moved unit the record of its new superior and
// takes away the old one's: a unit sees its parent, not its grandparents.
func (t *txn) refanParentView(ctx context.Context, id, oldParent, newParent string) error {
	self := []string{unitViewer(id)}
	if oldParent != "" && oldParent != newParent {
		var v int64
		if err := t.tx.QueryRowContext(ctx, `SELECT version FROM units WHERE id = ?`, oldParent).Scan(&v); err != nil {
			return fmt.Errorf("old parent: %w", err)
		}
		if err := t.emit(ctx, api.KindUnit, oldParent, api.OpRemove, v, self); err != nil {
			return err
		}
	}
	if newParent == "" {
		return nil
	}
	var v int64
	if err := t.tx.QueryRowContext(ctx, `SELECT version FROM units WHERE id = ?`, newParent).Scan(&v); err != nil {
		return fmt.Errorf("new parent: %w", err)
	}
	return t.emit(ctx, api.KindUnit, newParent, api.OpUpsert, v, self)
}
