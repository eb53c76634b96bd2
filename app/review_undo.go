package app

import (
	"context"

	"titledesk/api"
)

// QueuedAction is the newest action queued on one application, as 【撤销】
// offers it (BEY-7).
type QueuedAction struct {
	Action   string // 通过, 不通过, 撤回
	Undoable bool   // never sent yet: 【撤销】 takes it back at no cost
}

// Queued names the newest queued action of each of ids that has one (one
// query over the outbox).
func (r *Reviews) Queued(ctx context.Context, ids []string) (map[string]QueuedAction, error) {
	_, st, err := r.s.current()
	if err != nil {
		return nil, err
	}
	last, err := st.LastQueued(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]QueuedAction, len(last))
	for id, q := range last {
		out[id] = QueuedAction{Action: actionLabel(q.Command.Type), Undoable: q.Undoable}
	}
	return out, nil
}

// Undo is 【撤销】 (BEY-7): the newest action queued on the application
// leaves the outbox and the application is as before it — back in the list
// it was decided in — with the opinion, reason and form that were typed
// kept as its draft. It returns the action's label. Once the action has
// been sent to the server it is refused (store.CodeAlreadySent): then only
// 撤回 can take it back, by the server's rules.
func (r *Reviews) Undo(ctx context.Context, it Item) (string, error) {
	eng, _, err := r.s.current()
	if err != nil {
		return "", err
	}
	cmd, err := eng.Undo(ctx, api.KindApplication, it.ID)
	if err != nil {
		return "", err
	}
	args, err := api.DecodeArgs(cmd)
	if err != nil {
		return "", err
	}
	return actionLabel(cmd.Type), keepTyped(ctx, r, it.ID, args)
}

func actionLabel(cmdType string) string {
	if l := actionLabels[cmdType]; l != "" {
		return l
	}
	return cmdType
}

// Undecided reports which of ids still wait in the list that q describes
// (its stage and filters; its paging is ignored) with nothing queued on
// them: the ticked rows a batch may still decide. Rows decided meanwhile —
// in the review view, by 批量通过, on another device — drop out, and so do
// rows the list's filters no longer show, so a batch decides only what the
// person sees and the batch buttons follow that.
func (r *Reviews) Undecided(ctx context.Context, q QueueQuery, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	for start := 0; start < len(ids); start += 500 {
		q.IDs = ids[start:min(len(ids), start+500)]
		q.Offset, q.Limit = 0, len(q.IDs)
		page, err := r.List(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, row := range page.Rows {
			if !row.Pending {
				out[row.ID] = true
			}
		}
	}
	return out, nil
}
