package server

import (
	"context"
	"fmt"
)

// The unit hierarchy is a closure table (unit_tree): every (ancestor,
// descendant) pair with its depth, including each unit as its own ancestor
// at depth 0. Subtree checks and listings are one index lookup each.

// inSubtree reports whether unitID is root or one of its descendants.
func inSubtree(ctx context.Context, q queryer, root, unitID string) (bool, error) {
	if root == "" || unitID == "" {
		return false, nil
	}
	var one int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM unit_tree WHERE ancestor = ? AND descendant = ?`,
		root, unitID).Scan(&one)
	if err != nil {
		return false, fmt.Errorf("subtree check: %w", err)
	}
	return one > 0, nil
}

// ancestors lists unitID and every unit above it, nearest first.
func ancestors(ctx context.Context, q queryer, unitID string) ([]string, error) {
	return queryStrings(ctx, q, `SELECT ancestor FROM unit_tree WHERE descendant = ? ORDER BY depth`, unitID)
}

// children lists the units directly below unitID.
func children(ctx context.Context, q queryer, unitID string) ([]string, error) {
	return queryStrings(ctx, q, `SELECT id FROM units WHERE parent_id = ?`, unitID)
}

func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// insertClosure adds the closure rows of a new leaf unit under parent
// (none when parent is empty: an unregistered unit or the root).
func (t *txn) insertClosure(ctx context.Context, id, parent string) error {
	if err := t.exec(ctx, `INSERT INTO unit_tree(ancestor, descendant, depth) VALUES (?, ?, 0)`, id, id); err != nil {
		return fmt.Errorf("closure of %s: %w", id, err)
	}
	if parent == "" {
		return nil
	}
	err := t.exec(ctx, `INSERT INTO unit_tree(ancestor, descendant, depth)
		SELECT ancestor, ?, depth + 1 FROM unit_tree WHERE descendant = ?`, id, parent)
	if err != nil {
		return fmt.Errorf("closure of %s: %w", id, err)
	}
	return nil
}

// moveUnit hangs unit id, with its whole subtree, below newParent. It fixes
// the closure table and the feeds: ancestors the subtree leaves get
// `remove` for everything in it, ancestors it joins get the current state.
// The caller saves the unit's own record (parent_id, version) afterwards.
func (t *txn) moveUnit(ctx context.Context, id, oldParent, newParent string) error {
	before, err := ancestors(ctx, t.tx, id)
	if err != nil {
		return fmt.Errorf("move unit: %w", err)
	}
	// Cut every link from outside the subtree into it, then link the new
	// parent's ancestors to every unit of the subtree.
	clear(t.viewers)
	if err := t.exec(ctx, `DELETE FROM unit_tree
		WHERE descendant IN (SELECT descendant FROM unit_tree WHERE ancestor = ?1)
		  AND ancestor IN (SELECT ancestor FROM unit_tree WHERE descendant = ?1 AND depth > 0)`, id); err != nil {
		return fmt.Errorf("move unit: cut: %w", err)
	}
	if err := t.exec(ctx, `INSERT INTO unit_tree(ancestor, descendant, depth)
		SELECT p.ancestor, s.descendant, p.depth + s.depth + 1
		FROM unit_tree p, unit_tree s WHERE p.descendant = ? AND s.ancestor = ?`, newParent, id); err != nil {
		return fmt.Errorf("move unit: link: %w", err)
	}
	after, err := ancestors(ctx, t.tx, id)
	if err != nil {
		return fmt.Errorf("move unit: %w", err)
	}
	lost, gained := difference(before, after), difference(after, before)
	if err := t.refanSubtree(ctx, id, lost, gained); err != nil {
		return fmt.Errorf("move unit: %w", err)
	}
	return t.refanParentView(ctx, id, oldParent, newParent)
}

// difference returns the elements of a that are not in b.
func difference(a, b []string) []string {
	in := make(map[string]bool, len(b))
	for _, s := range b {
		in[s] = true
	}
	var out []string
	for _, s := range a {
		if !in[s] {
			out = append(out, s)
		}
	}
	return out
}
