package store

import (
	"fmt"

	"titledesk/api"
)

// DetachLocalUnits takes the units the server does not have (created by a
// queued unit.create: their shadow holds no server copy) out of the
// closure table as ancestors. Restoring such a unit deletes it, and
// deleting a unit drops its subtree; but whatever a queued command put
// below it (a new child, a unit moved there with its applicants and
// applications) has a shadow of its own and is rebased on its own, so only
// the unit itself may go. The sync engine calls it before ReapplyPending
// and MarkResult; the table is rebuilt from units.parent_id at commit.
func (t *Tx) DetachLocalUnits() error {
	res, err := t.tx.ExecContext(t.ctx, `DELETE FROM unit_tree WHERE depth > 0 AND ancestor IN
		(SELECT id FROM shadows WHERE kind = ? AND data IS NULL)`, api.KindUnit)
	if err != nil {
		return fmt.Errorf("detach local units: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	a, err := t.applier()
	if err != nil {
		return err
	}
	a.treeDirty = true
	return nil
}
