package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"titledesk/api"
	"titledesk/model"
)

// Unit reads one cached unit; ok is false when it is not in the cache.
func (s *Store) Unit(ctx context.Context, id string) (u model.Unit, ok bool, err error) {
	ok, err = s.record(ctx, s.reader, api.KindUnit, id, &u)
	return u, ok, err
}

// InSubtree reports whether id is rootID or one of its descendants (one
// primary-key lookup in the closure table).
func (s *Store) InSubtree(ctx context.Context, rootID, id string) (bool, error) {
	var in bool
	err := s.reader.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM unit_tree WHERE ancestor = ? AND descendant = ?)`, rootID, id).Scan(&in)
	return in, err
}

// UnitRow is one line of the 下级单位管理 tree.
type UnitRow struct {
	Unit     model.Unit
	Depth    int  // 0 for the root
	Children int  // direct children in the cache
	Match    bool // the name matched the search (ancestors are shown for context)
}

// UnitTree lists rootID's subtree in tree order (parents before children,
// siblings by name) with depths (UNIT-2). With a search text it keeps the
// units whose name contains it and their ancestors, so the tree stays connected.
func (s *Store) UnitTree(ctx context.Context, rootID, search string) ([]UnitRow, error) {
	keys, err := s.keyring()
	if err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx, `WITH RECURSIVE t(id, depth, path) AS (
			SELECT id, 0, name || char(31) || id FROM units WHERE id = ?
			UNION ALL
			SELECT u.id, t.depth + 1, t.path || char(30) || u.name || char(31) || u.id
			FROM t JOIN units u ON u.parent_id = t.id WHERE t.depth < 64)
		SELECT u.id, u.data, t.depth, (SELECT COUNT(*) FROM units c WHERE c.parent_id = u.id)
		FROM t JOIN units u ON u.id = t.id ORDER BY t.path`, rootID)
	if err != nil {
		return nil, fmt.Errorf("read unit tree: %w", err)
	}
	defer rows.Close()
	var out []UnitRow
	for rows.Next() {
		var (
			r      UnitRow
			id     string
			sealed []byte
		)
		if err := rows.Scan(&id, &sealed, &r.Depth, &r.Children); err != nil {
			return nil, err
		}
		if err := decodeRecord(keys, api.KindUnit, id, sealed, &r.Unit); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return filterTree(out, strings.TrimSpace(search)), nil
}

// filterTree keeps matching rows and their ancestors; rows are in pre-order.
func filterTree(rows []UnitRow, search string) []UnitRow {
	if search == "" {
		for i := range rows {
			rows[i].Match = true
		}
		return rows
	}
	keep := make([]bool, len(rows))
	var stack []int // indexes of the current row's ancestors
	for i := range rows {
		for len(stack) > 0 && rows[stack[len(stack)-1]].Depth >= rows[i].Depth {
			stack = stack[:len(stack)-1]
		}
		if strings.Contains(rows[i].Unit.Name, search) {
			rows[i].Match, keep[i] = true, true
			for _, a := range stack {
				keep[a] = true
			}
		}
		stack = append(stack, i)
	}
	out := rows[:0]
	for i, r := range rows {
		if keep[i] {
			out = append(out, r)
		}
	}
	return out
}

// Registrations lists self-registrations that chose unitID as superior, in
// one status (RegistrationPending for 下级单位注册审核), oldest first.
func (s *Store) Registrations(ctx context.Context, unitID string, status model.RegistrationStatus) ([]model.Registration, error) {
	return queryRecords[model.Registration](ctx, s, api.KindRegistration, `SELECT id, data FROM registrations
		WHERE parent_id = ? AND status = ? ORDER BY submitted_at, id`, unitID, string(status))
}

// Recipients searches message recipients in rootID's subtree (MSG-1): units
// by name, applicants by name or ID number (whole, or four characters at
// either end, see idQuery). limit 0: 100 of each.
func (s *Store) Recipients(ctx context.Context, rootID, search string, limit int) ([]model.Recipient, error) {
	if limit <= 0 {
		limit = 100
	}
	keys, err := s.keyring()
	if err != nil {
		return nil, err
	}
	t := strings.TrimSpace(search)
	sub := "%" + escapeLike(t) + "%"
	personCond := model.NameSearchSQL("p.name") + ` LIKE ? ESCAPE '\'`
	personArgs := []any{rootID, "%" + escapeLike(model.NameSearchKey(t)) + "%"}
	if idCond, idArgs := idQuery(keys, "p.id_index", t); idCond != "" {
		personCond += ` OR ` + idCond
		personArgs = append(personArgs, idArgs...)
	}
	var out []model.Recipient
	err = s.read(ctx, func(tx *sql.Tx) error {
		units, err := recipientRows(ctx, tx, model.RecipientUnit, `SELECT u.id, u.name FROM unit_tree t JOIN units u ON u.id = t.descendant
			WHERE t.ancestor = ? AND t.depth > 0 AND u.name LIKE ? ESCAPE '\' ORDER BY t.depth, u.name LIMIT ?`, rootID, sub, limit)
		if err != nil {
			return err
		}
		people, err := recipientRows(ctx, tx, model.RecipientApplicant, `SELECT p.id, p.name FROM unit_tree t JOIN applicants p ON p.unit_id = t.descendant
			WHERE t.ancestor = ? AND (`+personCond+`) ORDER BY p.name, p.id LIMIT ?`, append(personArgs, limit)...)
		out = append(units, people...)
		return err
	})
	return out, err
}

func recipientRows(ctx context.Context, tx *sql.Tx, kind model.RecipientKind, query string, args ...any) ([]model.Recipient, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search recipients: %w", err)
	}
	defer rows.Close()
	var out []model.Recipient
	for rows.Next() {
		r := model.Recipient{Kind: kind}
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
