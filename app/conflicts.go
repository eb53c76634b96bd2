package app

import (
	"context"
	"errors"
	"time"

	"titledesk/api"
	"titledesk/model"
)

// Conflicts is 同步冲突 (DC-1): actions the server refused, with its reason
// and what the person typed, to re-submit or give up without retyping.
type Conflicts struct{ s *Session }

// Conflict is one refused action as the 同步冲突 view shows it.
type Conflict struct {
	ID      int64
	Action  string // 通过, 不通过, 撤回, 保存常用意见, …
	Subject string // e.g. "张三 高级工程师"
	Kind    string // api.Kind* of the entity
	// EntityID is the application (or other entity) the action was on.
	EntityID string
	Reason   string // the server's reason, in Chinese
	Code     string // the server's problem code
	Opinion  string // the opinion or 不通过 reason typed, kept
	// Form is true when a 推荐和公示 or 聘任信息 form is kept with it.
	Form bool
	At   time.Time

	args any // decoded command args
}

var actionLabels = map[string]string{
	api.CmdApplicationPass: "通过", api.CmdApplicationReject: "不通过", api.CmdApplicationWithdraw: "撤回",
	api.CmdStockCommentSave: "保存常用意见", api.CmdStockCommentDelete: "删除常用意见",
	api.CmdExportFullIDs:    "导出完整身份证号（审计记录）",
	api.CmdReturnReasonSave: "保存一次性告知问题", api.CmdReturnReasonDelete: "删除一次性告知问题",
	api.CmdReturnReasonAdopt: "修改一次性告知问题清单",
	api.CmdMessageRead:       "标记已读", api.CmdMessageSend: "发送消息", api.CmdUnitUpdate: "修改单位信息",
	api.CmdUnitCreate: "新增下级单位", api.CmdExpertCreate: "新增专家", api.CmdExpertRecommend: "推荐专家",
	api.CmdUnitApproveRegistration: "注册审核通过", api.CmdUnitRejectRegistration: "注册审核不通过",
}

// List reads every conflict, newest first.
func (c Conflicts) List(ctx context.Context) ([]Conflict, error) {
	_, st, err := c.s.current()
	if err != nil {
		return nil, err
	}
	rows, err := st.Conflicts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Conflict, 0, len(rows))
	for _, r := range rows {
		x := Conflict{ID: r.ID, Action: actionLabel(r.Command.Type), Subject: r.EntityName, Kind: r.EntityKind,
			EntityID: r.EntityID, Code: r.Code, Reason: r.Detail, At: r.CreatedAt}
		if x.Reason == "" {
			x.Reason = r.Title
		}
		x.args, _ = api.DecodeArgs(r.Command)
		switch a := x.args.(type) {
		case *api.PassArgs:
			x.Opinion, x.Form = a.Opinion, a.Recommendation != nil || a.Appointment != nil
		case *api.RejectArgs:
			x.Opinion = a.Opinion
		}
		out = append(out, x)
	}
	return out, nil
}

// ByApplication is the newest conflict of each application (for the
// lists' 冲突 mark and the server's reason).
func (c Conflicts) ByApplication(ctx context.Context) (map[string]Conflict, error) {
	all, err := c.List(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]Conflict{}
	for _, x := range all {
		if _, seen := out[x.EntityID]; x.Kind == api.KindApplication && !seen {
			out[x.EntityID] = x
		}
	}
	return out, nil
}

// Resubmit queues the refused action again, unchanged, on the current
// version (重新提交). If it cannot apply now, the reason is returned and the
// conflict stays.
func (c Conflicts) Resubmit(ctx context.Context, id int64) error {
	eng, _, err := c.s.current()
	if err != nil {
		return err
	}
	return eng.ResolveConflict(ctx, id, true)
}

// Discard gives the action up (放弃). What was typed for an application
// is kept as its draft (unless one exists), so reviewing it again starts
// from the same text.
func (c Conflicts) Discard(ctx context.Context, x Conflict) error {
	eng, _, err := c.s.current()
	if err != nil {
		return err
	}
	if x.Kind == api.KindApplication {
		if err := c.keepAsDraft(ctx, x); err != nil {
			return err
		}
	}
	return eng.ResolveConflict(ctx, x.ID, false)
}

func (c Conflicts) keepAsDraft(ctx context.Context, x Conflict) error {
	return keepTyped(ctx, &Reviews{s: c.s}, x.EntityID, x.args)
}

// keepTyped saves what was typed with a command that is given up (放弃 of
// a 同步冲突, 撤销 of a queued action) as the application's draft, unless a
// draft was typed since, so reviewing it again starts from the same text.
func keepTyped(ctx context.Context, r *Reviews, appID string, args any) error {
	d, ok := typedDraft(args)
	if !ok {
		return nil
	}
	if _, had, err := r.LoadDraft(ctx, appID); err != nil || had {
		return err
	}
	err := r.SaveDraft(ctx, appID, d)
	var me *model.Error
	if errors.As(err, &me) && me.Kind == model.KindNotFound {
		return nil // the application left this unit's scope
	}
	return err
}

// typedDraft is the opinion, 不通过 reason and form a pass or reject carried.
func typedDraft(args any) (Draft, bool) {
	var d Draft
	switch a := args.(type) {
	case *api.PassArgs:
		d.Opinion = a.Opinion
		if a.Recommendation != nil {
			d.Fields, d.Attachments = RecommendationFields(*a.Recommendation), a.Recommendation.Attachments
		}
		if a.Appointment != nil {
			d.Fields = AppointmentFields(*a.Appointment)
		}
		d.Attachments = append(d.Attachments, a.Attachments...)
	case *api.RejectArgs:
		d.Reason = a.Opinion
	default:
		return d, false
	}
	return d, !d.Empty()
}
