package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"titledesk/api"
	"titledesk/model"
)

// CodeAlreadySent is the client-side refusal of 撤销 for a command that has
// left this computer: the server may have applied it, so only its own
// rules (撤回) can take it back. It never travels on the wire.
const CodeAlreadySent = "already_sent"

// QueuedAction is the newest queued command of one entity, as 【撤销】
// offers it: Undoable while it has never been sent (BEY-7).
type QueuedAction struct {
	Command  api.Command
	Undoable bool
}

// LastQueued is the newest queued command of each of ids that has one, in
// one query over the outbox. The review lists and the review view ask it
// which 【撤销】 to offer.
func (s *Store) LastQueued(ctx context.Context, ids []string) (map[string]QueuedAction, error) {
	out := make(map[string]QueuedAction, len(ids))
	for start := 0; start < len(ids); start += 500 { // SQLite's parameter limit
		chunk := ids[start:min(len(ids), start+500)]
		args := make([]any, len(chunk))
		marks := make([]byte, 0, 2*len(chunk))
		for i, id := range chunk {
			args[i] = id
			if i > 0 {
				marks = append(marks, ',')
			}
			marks = append(marks, '?')
		}
		rows, err := s.reader.QueryContext(ctx, `SELECT o.entity_id, o.seq, o.id, o.type, o.base_version, o.args, o.state
			FROM outbox o WHERE o.entity_id IN (`+string(marks)+`)
			AND o.seq = (SELECT MAX(seq) FROM outbox p WHERE p.entity_id = o.entity_id)`, args...)
		if err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		err = scanQueued(rows, out)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func scanQueued(rows *sql.Rows, out map[string]QueuedAction) error {
	defer rows.Close()
	for rows.Next() {
		var (
			id, args, state string
			q               QueuedAction
		)
		if err := rows.Scan(&id, &q.Command.Seq, &q.Command.ID, &q.Command.Type, &q.Command.BaseVersion, &args, &state); err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		q.Command.Args = []byte(args)
		q.Undoable = state == StatePending
		out[id] = q
	}
	return rows.Err()
}

// UndoLast is 【撤销】 (BEY-7): it takes the newest queued command of an
// entity out of the outbox — only while it has never been sent — and puts
// the entity back as it was before: the server's copy, with the entity's
// older queued commands re-applied on top by reapply (the sync engine's
// optimistic effect, as after a pull). The removed command is returned, so
// what was typed with it can be kept as a draft. Its seq is not reused.
//
// Errors: KindNotFound when nothing is queued for the entity; KindConflict
// with CodeAlreadySent when the newest command has been pushed (the answer
// may be on its way; 撤回 is the way back then). Whatever fails, nothing
// changes.
func (t *Tx) UndoLast(kind, entityID string, reapply func(tx *Tx, cmd api.Command) error) (api.Command, error) {
	var (
		seq   int64
		state string
	)
	err := t.tx.QueryRowContext(t.ctx, `SELECT seq, state FROM outbox WHERE entity_id = ? ORDER BY seq DESC LIMIT 1`, entityID).
		Scan(&seq, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return api.Command{}, &model.Error{Kind: model.KindNotFound, Code: model.CodeNotFound, Title: "没有可撤销的操作",
			Detail: "该操作已同步到服务器或已被撤销，无需撤销"}
	}
	if err != nil {
		return api.Command{}, fmt.Errorf("read outbox: %w", err)
	}
	if state != StatePending {
		return api.Command{}, &model.Error{Kind: model.KindConflict, Code: CodeAlreadySent, Title: "操作已提交，无法撤销",
			Detail: "该操作已开始提交到服务器，不能再撤销；同步完成后如需更改，请在已审核列表中【撤回】"}
	}
	row, _, err := t.outboxRow(seq)
	if err != nil {
		return api.Command{}, err
	}
	if row.kind != kind {
		return api.Command{}, fmt.Errorf("undo: command #%d changes a %s, not a %s", seq, row.kind, kind)
	}
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM outbox WHERE seq = ?`, seq); err != nil {
		return api.Command{}, fmt.Errorf("undo: %w", err)
	}
	if err := t.rebase(kind, entityID, reapply); err != nil {
		return api.Command{}, err
	}
	return row.cmd, nil
}

// rebase restores the server's copy of one entity and re-applies its still
// queued commands in seq order; with none left the shadow goes.
func (t *Tx) rebase(kind, id string, reapply func(tx *Tx, cmd api.Command) error) error {
	if err := t.restore(kind, id); err != nil {
		return err
	}
	cmds, err := t.PendingFor(id)
	if err != nil {
		return err
	}
	for _, c := range cmds {
		if err := reapply(t, c); err != nil {
			return fmt.Errorf("re-apply %s #%d: %w", c.Type, c.Seq, err)
		}
	}
	return t.dropShadowIfSettled(kind, id)
}
