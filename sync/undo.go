package sync

import (
	"context"

	"titledesk/api"
	"titledesk/store"
)

// Undo is 【撤销】 (BEY-7): the newest queued command of an entity (kind is
// an api.Kind*) leaves the outbox while it has never been sent, and the
// entity shows as it was before it — the server's copy with its older
// queued commands re-applied, exactly as after a pull. The removed command
// is returned so what was typed with it can be kept. A command already
// pushed is refused with store.CodeAlreadySent (its answer may be on its
// way); nothing queued is refused as KindNotFound. The push checks each
// command is still queued when it marks it sent, in its own transaction,
// so an undone command is never sent.
func (e *Engine) Undo(ctx context.Context, kind, entityID string) (api.Command, error) {
	actor, err := e.actor()
	if err != nil {
		return api.Command{}, err
	}
	var cmd api.Command
	err = e.store.Do(ctx, func(tx *store.Tx) error {
		// An undone unit.create must not take units queued below it along.
		if err := tx.DetachLocalUnits(); err != nil {
			return err
		}
		var err error
		cmd, err = tx.UndoLast(kind, entityID, e.reapply(actor))
		return err
	})
	if err != nil {
		return api.Command{}, err
	}
	e.refreshCounts(ctx)
	return cmd, nil
}
