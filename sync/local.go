package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"titledesk/api"
	"titledesk/model"
	"titledesk/store"
)

// PassInput is what 【通过】 carries besides the application (REV-5, REV-11).
type PassInput struct {
	Opinion        string
	Recommendation *model.Recommendation // 本单位人员审核: 推荐和公示
	Appointment    *model.Appointment    // 自主聘任审核: 聘任信息
	Attachments    []model.Attachment    // from AddAttachment
}

// AppRef names an application and the version the user decided on.
type AppRef struct {
	ID          string
	BaseVersion int64
}

// Pass queues 通过 of one application.
func (e *Engine) Pass(ctx context.Context, appID string, baseVersion int64, in PassInput) error {
	return e.PassBatch(ctx, []AppRef{{appID, baseVersion}}, in)
}

// PassBatch queues 批量通过 (REV-6): the same opinion and forms for every
// application, all or nothing — one refused locally refuses the batch, so
// the user fixes the form once and submits again.
func (e *Engine) PassBatch(ctx context.Context, apps []AppRef, in PassInput) error {
	cmds := make([]localCommand, len(apps))
	for i, a := range apps {
		cmds[i] = localCommand{api.CmdApplicationPass, a.BaseVersion, api.PassArgs{ApplicationID: a.ID, Opinion: in.Opinion,
			Recommendation: in.Recommendation, Appointment: in.Appointment, Attachments: in.Attachments}}
	}
	return e.enqueue(ctx, cmds)
}

// Reject queues 不通过 with its reason (REV-7).
func (e *Engine) Reject(ctx context.Context, appID string, baseVersion int64, opinion string) error {
	return e.RejectBatch(ctx, []AppRef{{appID, baseVersion}}, opinion)
}

// RejectBatch queues 批量不通过 with one opinion, all or nothing.
func (e *Engine) RejectBatch(ctx context.Context, apps []AppRef, opinion string) error {
	cmds := make([]localCommand, len(apps))
	for i, a := range apps {
		cmds[i] = localCommand{api.CmdApplicationReject, a.BaseVersion, api.RejectArgs{ApplicationID: a.ID, Opinion: opinion}}
	}
	return e.enqueue(ctx, cmds)
}

// Withdraw queues 撤回 (REV-13).
func (e *Engine) Withdraw(ctx context.Context, appID string, baseVersion int64) error {
	return e.Enqueue(ctx, api.CmdApplicationWithdraw, baseVersion, api.ApplicationRefArgs{ApplicationID: appID})
}

// Enqueue queues any command type with its api.*Args value. Application
// transitions are decided by model.Apply on the cached application and
// shown at once; stock comments, message.read and unit.update are written
// optimistically too; the other types show up after the next sync.
func (e *Engine) Enqueue(ctx context.Context, cmdType string, baseVersion int64, args any) error {
	return e.enqueue(ctx, []localCommand{{cmdType, baseVersion, args}})
}

// AddAttachment keeps a file locally (type checked by content) until the
// next sync uploads it; pass the returned Attachment in PassInput.
func (e *Engine) AddAttachment(ctx context.Context, name string, kind model.AttachmentKind, data []byte) (model.Attachment, error) {
	return e.store.PutFile(ctx, name, kind, data)
}

type localCommand struct {
	typ  string
	base int64
	args any
}

// enqueue applies and queues cmds in one transaction: a crash leaves all the
// optimistic changes with their outbox rows, or none. A command the model
// refuses returns its *model.Error and nothing is queued.
func (e *Engine) enqueue(ctx context.Context, cmds []localCommand) error {
	actor, err := e.actor()
	if err != nil {
		return err
	}
	err = e.store.Do(ctx, func(tx *store.Tx) error {
		for _, c := range cmds {
			cmd, err := envelope(c)
			if err != nil {
				return err
			}
			if err := applyLocal(tx, actor, cmd); err != nil {
				return err
			}
			if _, err := tx.Enqueue(c.typ, c.base, cmd.Args); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	e.refreshCounts(ctx)
	e.Nudge()
	return nil
}

// envelope encodes args and checks them the way the server will (strict
// decoding), so a malformed command is refused now rather than after a push.
func envelope(c localCommand) (api.Command, error) {
	raw, err := json.Marshal(c.args)
	if err != nil {
		return api.Command{}, fmt.Errorf("encode %s: %w", c.typ, err)
	}
	cmd := api.Command{Type: c.typ, BaseVersion: c.base, Args: raw}
	if _, err := api.DecodeArgs(cmd); err != nil {
		return api.Command{}, err
	}
	return cmd, nil
}

// applyLocal gives a command its optimistic effect inside tx.
func applyLocal(tx *store.Tx, actor model.Actor, cmd api.Command) error {
	args, err := api.DecodeArgs(cmd)
	if err != nil {
		return err
	}
	if id, tr, ok := transitionOf(args, cmd.Type); ok {
		return applyTransition(tx, actor, id, cmd.BaseVersion, tr)
	}
	switch a := args.(type) {
	case *api.StockCommentArgs:
		c := a.Comment
		c.Version = cmd.BaseVersion + 1
		return tx.Put(api.KindStockComment, c.ID, c.Version, c)
	case *api.StockCommentDeleteArgs:
		return tx.Delete(api.KindStockComment, a.CommentID)
	case *api.MessageReadArgs:
		return markRead(tx, a.MessageID)
	case *api.UnitArgs:
		if cmd.Type == api.CmdUnitUpdate {
			return updateUnit(tx, a.Unit, cmd.BaseVersion)
		}
	}
	// Creates, registrations, experts and sent messages appear with the
	// next pull: the server fills in what the screens show of them.
	return nil
}

// markRead shows an inbox message as read (HOME-3) until the server's copy
// arrives.
func markRead(tx *store.Tx, id string) error {
	var m model.Message
	ok, err := tx.Get(api.KindMessage, id, &m)
	if err != nil || !ok || m.ReadAt != nil {
		return err
	}
	now := tx.Now()
	m.ReadAt = &now
	return tx.Put(api.KindMessage, m.ID, m.Version, m)
}

// updateUnit shows a saved unit form. The server re-checks every field and
// the locked ones (ACC-1); here only the version must match.
func updateUnit(tx *store.Tx, u model.Unit, base int64) error {
	cur, ok := tx.Unit(u.ID)
	if !ok {
		return nil
	}
	if base != 0 && base != cur.Version {
		return model.Errorf(model.KindConflict, model.CodeVersionConflict, "单位信息已被他人更新",
			"您修改时看到的是第%d版，本地已是第%d版，请刷新后重新修改", base, cur.Version)
	}
	u.Version = cur.Version + 1
	u.UpdatedAt = tx.Now()
	return tx.Put(api.KindUnit, u.ID, u.Version, u)
}

// transitionOf maps an application command onto the state machine's input.
func transitionOf(args any, cmdType string) (string, model.Transition, bool) {
	switch a := args.(type) {
	case *api.PassArgs:
		return a.ApplicationID, model.Transition{Action: model.ActionPass, Opinion: a.Opinion,
			Recommendation: a.Recommendation, Appointment: a.Appointment, Attachments: a.Attachments}, true
	case *api.RejectArgs:
		return a.ApplicationID, model.Transition{Action: model.ActionReject, Opinion: a.Opinion}, true
	case *api.CertifyArgs:
		return a.ApplicationID, model.Transition{Action: model.ActionCertify, CertificateNo: a.CertificateNo}, true
	case *api.ApplicationRefArgs:
		action := model.ActionWithdraw
		if cmdType == api.CmdApplicationSubmit {
			action = model.ActionSubmit
		}
		return a.ApplicationID, model.Transition{Action: action}, true
	}
	return "", model.Transition{}, false
}

// applyTransition is the same decision the server makes (model.Apply on the
// version the user saw), written as the optimistic view.
func applyTransition(tx *store.Tx, actor model.Actor, id string, base int64, tr model.Transition) error {
	app, err := tx.Application(id)
	if err != nil {
		return err
	}
	if err := model.CheckVersion(app, base); err != nil {
		return err
	}
	next, err := model.Apply(app, actor, tr, tx.Env())
	if err != nil {
		return err
	}
	if tr.Action == model.ActionPass || tr.Action == model.ActionReject {
		if err := tx.DeleteDraft(id); err != nil {
			return err
		}
	}
	return tx.PutApplication(next)
}

// reapply is ReapplyPending's callback: a command that no longer applies to
// the fresh server state is skipped and stays queued — the server will
// answer it with a conflict the user sees; only storage errors abort.
func (e *Engine) reapply(actor model.Actor) func(tx *store.Tx, cmd api.Command) error {
	return func(tx *store.Tx, cmd api.Command) error {
		err := applyLocal(tx, actor, cmd)
		var me *model.Error
		if errors.As(err, &me) {
			return nil
		}
		return err
	}
}
