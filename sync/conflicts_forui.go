package sync

import (
	"bytes"
	"context"

	"titledesk/model"
	"titledesk/store"
)

// ResolveConflict settles one 同步冲突 (DC-1). With reapply the refused
// command is queued again with its args unchanged (the user's opinion and
// forms), decided on the entity's current version and shown at once like
// any local action; if the state machine refuses it now (e.g. 撤回 after the
// next level acted) the conflict stays and the refusal is returned. Without
// reapply the conflict is dropped. Either way the status counts update.
func (e *Engine) ResolveConflict(ctx context.Context, id int64, reapply bool) error {
	actor, err := e.actor()
	if err != nil {
		return err
	}
	err = e.store.Do(ctx, func(tx *store.Tx) error {
		// Queued on the entity's current (cached) version, then given its
		// optimistic effect on that same version.
		cmd, err := tx.ResolveConflict(id, reapply)
		if err != nil || !reapply {
			return err
		}
		return applyLocal(tx, actor, cmd)
	})
	if err != nil {
		return err
	}
	e.refreshCounts(ctx)
	if reapply {
		e.Nudge()
	}
	return nil
}

// FetchFile makes an attachment the feed named available on this computer
// (to open it in a viewer, through the store): a file held already is
// left as it is, any other is downloaded once (hash and type checked) and
// kept, sealed like every held file. Nothing is written to disk before it
// is sealed.
func (e *Engine) FetchFile(ctx context.Context, a model.Attachment) error {
	if e.store.HasFile(a.SHA256) {
		return nil
	}
	if err := e.ensureSession(ctx); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := e.client.DownloadFile(ctx, a.SHA256, &buf); err != nil {
		return err
	}
	if _, err := e.store.PutFile(ctx, a.Name, a.Kind, buf.Bytes()); err != nil {
		return err
	}
	return e.store.MarkUploaded(ctx, a.SHA256)
}
