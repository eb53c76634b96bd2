package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

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
	return e.ReturnBatch(ctx, []AppRef{{appID, baseVersion}}, opinion, nil)
}

// RejectBatch queues 批量不通过 with one opinion, all or nothing.
func (e *Engine) RejectBatch(ctx context.Context, apps []AppRef, opinion string) error {
	return e.ReturnBatch(ctx, apps, opinion, nil)
}

// ReturnBatch queues 不通过 of apps with one opinion and one 一次性告知 list
// (BEY-3), all or nothing.
func (e *Engine) ReturnBatch(ctx context.Context, apps []AppRef, opinion string, problems []model.ReturnProblem) error {
	cmds := make([]localCommand, len(apps))
	for i, a := range apps {
		cmds[i] = localCommand{api.CmdApplicationReject, a.BaseVersion,
			api.RejectArgs{ApplicationID: a.ID, Opinion: opinion, Problems: problems}}
	}
	return e.enqueue(ctx, cmds)
}

// Withdraw queues 撤回 (REV-13).
func (e *Engine) Withdraw(ctx context.Context, appID string, baseVersion int64) error {
	return e.Enqueue(ctx, api.CmdApplicationWithdraw, baseVersion, api.ApplicationRefArgs{ApplicationID: appID})
}

// Enqueue queues any command type with its api.*Args value and shows its
// effect at once (applyLocal), in the transaction that queues it.
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
// decoding, the input rules of model.CleanInput), so a malformed command is
// refused now rather than after a push; what is queued is the normalized
// form, so the optimistic effect and the server see the same text.
func envelope(c localCommand) (api.Command, error) {
	raw, err := json.Marshal(c.args)
	if err != nil {
		return api.Command{}, fmt.Errorf("encode %s: %w", c.typ, err)
	}
	cmd := api.Command{Type: c.typ, BaseVersion: c.base, Args: raw}
	clean, err := api.DecodeArgs(cmd)
	if err != nil {
		return api.Command{}, err
	}
	if cmd.Args, err = json.Marshal(clean); err != nil {
		return api.Command{}, fmt.Errorf("encode %s: %w", c.typ, err)
	}
	return cmd, nil
}

// applyLocal gives a command its optimistic effect inside tx. It runs when
// the command is queued and again after every pull while it is pending
// (Engine.reapply), so whatever it writes stays on the screens until the
// server's own copy arrives. What only the server does (recipients' inbox
// copies, moving an approved unit into the tree) comes with the next pull.
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
	case *api.ReturnReasonArgs:
		r := a.Reason
		r.UnitID, r.Version = actor.UnitID, cmd.BaseVersion+1
		return tx.Put(api.KindReturnReason, r.ID, r.Version, r)
	case *api.ReturnReasonDeleteArgs:
		return tx.Delete(api.KindReturnReason, a.ReasonID)
	case *api.ReturnReasonAdoptArgs:
		for _, r := range a.Reasons {
			r.UnitID, r.Version = actor.UnitID, 1
			if err := tx.Put(api.KindReturnReason, r.ID, r.Version, r); err != nil {
				return err
			}
		}
		return nil
	case *api.MessageReadArgs:
		return markRead(tx, a.MessageID)
	case *api.MessageSendArgs:
		return sendMessage(tx, actor, a)
	case *api.UnitArgs:
		if cmd.Type == api.CmdUnitCreate {
			return createUnit(tx, a.Unit)
		}
		return updateUnit(tx, a.Unit, cmd.BaseVersion)
	case *api.ExpertCreateArgs:
		return createExpert(tx, a.Expert)
	case *api.ExpertRecommendArgs:
		return recommendExpert(tx, a, cmd.BaseVersion)
	case *api.RegistrationDecisionArgs:
		return decideRegistration(tx, a, cmd.Type, cmd.BaseVersion)
	}
	// application.create and unit.register are an applicant's and a new
	// unit's commands: this client never queues them.
	return nil
}

// exists reports whether an entity is cached. A create that finds its
// entity there already was applied by the server and pulled (its answer
// was lost): the server's copy stands.
func exists(tx *store.Tx, kind, id string) (bool, error) {
	var v struct{}
	return tx.Get(kind, id, &v)
}

// versionConflict refuses a command decided on another version than the
// cached one, as the server would.
func versionConflict(title string, base, cur int64) error {
	if base == 0 || base == cur {
		return nil
	}
	return model.Errorf(model.KindConflict, model.CodeVersionConflict, title,
		"您修改时看到的是第%d版，本地已是第%d版，请刷新后重新修改", base, cur)
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

// sendMessage shows a sent message in the history (MSG-2) as the server
// will record the sender's copy: version 1, sent now, the recipients as
// given (the server fills in their names from its records).
func sendMessage(tx *store.Tx, actor model.Actor, a *api.MessageSendArgs) error {
	if ok, err := exists(tx, api.KindMessage, a.MessageID); err != nil || ok {
		return err
	}
	sender, _ := tx.Unit(actor.UnitID)
	m := model.Message{ID: a.MessageID, SenderUnitID: actor.UnitID, SenderName: sender.Name,
		Title: strings.TrimSpace(a.Title), Body: a.Body, SentAt: tx.Now(), Recipients: a.Recipients, Version: 1}
	return tx.Put(api.KindMessage, m.ID, m.Version, m)
}

// createUnit shows a new unit in the tree under its parent (UNIT-3) with
// the version the server gives it, so a unit.update queued before the
// sync names the right base. The closure table follows units.parent_id
// when the transaction commits.
func createUnit(tx *store.Tx, u model.Unit) error {
	if ok, err := exists(tx, api.KindUnit, u.ID); err != nil || ok {
		return err
	}
	u.HasEconomicsApplicants, u.Version, u.UpdatedAt = false, 1, tx.Now()
	return tx.Put(api.KindUnit, u.ID, u.Version, u)
}

// updateUnit shows a saved unit form. The server re-checks every field and
// the locked ones (ACC-1); here only the version must match.
func updateUnit(tx *store.Tx, u model.Unit, base int64) error {
	cur, ok := tx.Unit(u.ID)
	if !ok {
		return nil
	}
	if err := versionConflict("单位信息已被他人更新", base, cur.Version); err != nil {
		return err
	}
	u.Version = cur.Version + 1
	u.UpdatedAt = tx.Now()
	return tx.Put(api.KindUnit, u.ID, u.Version, u)
}

// createExpert shows a new expert first in the list (EXP-1), without
// recommendations: expert.recommend adds those, here as on the server.
func createExpert(tx *store.Tx, e model.Expert) error {
	if ok, err := exists(tx, api.KindExpert, e.ID); err != nil || ok {
		return err
	}
	e.IDNumber = model.NormalizeIDNumber(e.IDNumber)
	if info, err := model.ParseIDNumber(e.IDNumber); err == nil {
		e.Gender = info.Gender
	}
	e.Recommendations, e.Version, e.UpdatedAt = nil, 1, tx.Now()
	return tx.Put(api.KindExpert, e.ID, e.Version, e)
}

// recommendExpert adds the committees not recommended to yet, with status
// 已推荐 (EXP-2); one already there keeps its status.
func recommendExpert(tx *store.Tx, a *api.ExpertRecommendArgs, base int64) error {
	var e model.Expert
	ok, err := tx.Get(api.KindExpert, a.ExpertID, &e)
	if err != nil || !ok {
		return err
	}
	if err := versionConflict("专家信息已被他人更新", base, e.Version); err != nil {
		return err
	}
	have := make(map[string]bool, len(e.Recommendations))
	for _, r := range e.Recommendations {
		have[r.CommitteeID] = true
	}
	now, added := tx.Now(), false
	for _, id := range a.CommitteeIDs {
		if have[id] {
			continue
		}
		have[id], added = true, true
		e.Recommendations = append(e.Recommendations, model.ExpertRecommendation{CommitteeID: id, Status: model.ExpertRecommended, At: now})
	}
	if !added {
		return nil
	}
	e.Version++
	e.UpdatedAt = now
	return tx.Put(api.KindExpert, e.ID, e.Version, e)
}

// decideRegistration shows 通过 or 不通过 of a self-registration (UNIT-1).
// The approved unit itself joins the tree with the pull after the push:
// the server moves its branch.
func decideRegistration(tx *store.Tx, a *api.RegistrationDecisionArgs, cmdType string, base int64) error {
	var r model.Registration
	ok, err := tx.Get(api.KindRegistration, a.RegistrationID, &r)
	if err != nil || !ok {
		return err
	}
	if err := versionConflict("注册申请已被他人处理", base, r.Version); err != nil {
		return err
	}
	if r.Status != model.RegistrationPending {
		return model.Errorf(model.KindConflict, model.CodeInvalidTransition, "注册申请已处理", "该注册申请已经审核，不能重复处理")
	}
	now := tx.Now()
	r.Status, r.Reason, r.DecidedAt = model.RegistrationApproved, "", &now
	if cmdType == api.CmdUnitRejectRegistration {
		r.Status, r.Reason = model.RegistrationRejected, strings.TrimSpace(a.Reason)
	}
	r.Version++
	return tx.Put(api.KindRegistration, r.ID, r.Version, r)
}

// transitionOf maps an application command onto the state machine's input.
func transitionOf(args any, cmdType string) (string, model.Transition, bool) {
	switch a := args.(type) {
	case *api.PassArgs:
		return a.ApplicationID, model.Transition{Action: model.ActionPass, Opinion: a.Opinion,
			Recommendation: a.Recommendation, Appointment: a.Appointment, Attachments: a.Attachments}, true
	case *api.RejectArgs:
		return a.ApplicationID, model.Transition{Action: model.ActionReject, Opinion: a.Opinion, Problems: a.Problems}, true
	case *api.SubmitArgs:
		return a.ApplicationID, model.Transition{Action: model.ActionSubmit, Fixed: a.Fixed}, true
	case *api.CertifyArgs:
		return a.ApplicationID, model.Transition{Action: model.ActionCertify, CertificateNo: a.CertificateNo}, true
	case *api.ApplicationRefArgs:
		return a.ApplicationID, model.Transition{Action: model.ActionWithdraw}, true
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
	if tr.Action == model.ActionSubmit { // the application keeps the applicant's record (SEC-1)
		var p model.Applicant
		if ok, err := tx.Get(api.KindApplicant, app.ApplicantID, &p); err != nil {
			return err
		} else if ok {
			tr.Applicant = &p
		}
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
