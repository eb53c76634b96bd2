package sync

import (
	"context"
	"fmt"
	"os"

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

// FetchFile makes an attachment the feed named available locally (to open
// in the system viewer) and returns its path: a file this device holds is
// returned as is, any other is downloaded once (hash checked) and kept.
func (e *Engine) FetchFile(ctx context.Context, a model.Attachment) (string, error) {
	if p, err := e.store.FilePath(a.SHA256); err == nil {
		return p, nil
	}
	if err := e.ensureSession(ctx); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp("", "titledesk-download-*")
	if err != nil {
		return "", fmt.Errorf("download: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := e.client.DownloadFile(ctx, a.SHA256, tmp); err != nil {
		return "", err
	}
	data, err := os.ReadFile(tmp.Name())
	if err != nil {
		return "", fmt.Errorf("download: %w", err)
	}
	if _, err := e.store.PutFile(ctx, a.Name, a.Kind, data); err != nil {
		return "", err
	}
	if err := e.store.MarkUploaded(ctx, a.SHA256); err != nil {
		return "", err
	}
	return e.store.FilePath(a.SHA256)
}
