package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"titledesk/api"
	"titledesk/model"
)

// Registrations is 下级单位注册审核 (UNIT-1): self-registered units that
// named the logged-in unit as their superior.
type Registrations struct{ s *Session }

// RegistrationRow is one line of the list. Queued is the decision waiting
// to be synced ("" when none): api.CmdUnitApproveRegistration or
// api.CmdUnitRejectRegistration.
type RegistrationRow struct {
	Registration model.Registration
	Queued       string
}

// QueuedLabel is the 状态 column: the registration's status, or the
// decision taken here that has not reached the server yet.
func (r RegistrationRow) QueuedLabel() string {
	switch r.Queued {
	case api.CmdUnitApproveRegistration:
		return "已通过（待同步）"
	case api.CmdUnitRejectRegistration:
		return "已退回（待同步）"
	}
	return r.Registration.Status.Label()
}

// maxReasonRunes matches the server's limit on a 不通过 reason.
const maxReasonRunes = 500

// Pending lists the registrations waiting for this unit, oldest first,
// with the ones decided offline marked. A decision shows in the cache at
// once (status 已通过/已退回), so those rows are found among the decided
// ones: they stay listed until the server has the decision.
func (r Registrations) Pending(ctx context.Context) ([]RegistrationRow, error) {
	_, st, err := r.s.current()
	if err != nil {
		return nil, err
	}
	me, _ := r.s.Me()
	regs, err := st.Registrations(ctx, me.UnitID, model.RegistrationPending)
	if err != nil {
		return nil, fmt.Errorf("registrations: %w", err)
	}
	queued, err := st.PendingByEntity(ctx, api.KindRegistration)
	if err != nil {
		return nil, fmt.Errorf("registrations: %w", err)
	}
	if len(queued) > 0 {
		for _, status := range []model.RegistrationStatus{model.RegistrationApproved, model.RegistrationRejected} {
			decided, err := st.Registrations(ctx, me.UnitID, status)
			if err != nil {
				return nil, fmt.Errorf("registrations: %w", err)
			}
			for _, reg := range decided {
				if len(queued[reg.ID]) > 0 {
					regs = append(regs, reg)
				}
			}
		}
		slices.SortStableFunc(regs, func(a, b model.Registration) int {
			return cmp.Or(a.SubmittedAt.Compare(b.SubmittedAt), strings.Compare(a.ID, b.ID))
		})
	}
	out := make([]RegistrationRow, len(regs))
	for i, reg := range regs {
		out[i] = RegistrationRow{Registration: reg}
		if cmds := queued[reg.ID]; len(cmds) > 0 {
			out[i].Queued = cmds[len(cmds)-1]
		}
	}
	return out, nil
}

// Approve queues 【批量通过】: each unit becomes a subordinate of this unit
// once the server applies it (it then arrives in the tree with the next pull).
func (r Registrations) Approve(ctx context.Context, regs []model.Registration) error {
	return r.decide(ctx, api.CmdUnitApproveRegistration, regs, "")
}

// Reject queues 【批量不通过】 with one reason for all; the reason is required.
func (r Registrations) Reject(ctx context.Context, regs []model.Registration, reason string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return fieldError("reason", "请填写不通过原因")
	case utf8.RuneCountInString(reason) > maxReasonRunes:
		return fieldError("reason", "不通过原因不得超过500字")
	}
	return r.decide(ctx, api.CmdUnitRejectRegistration, regs, reason)
}

func (r Registrations) decide(ctx context.Context, cmd string, regs []model.Registration, reason string) error {
	eng, _, err := r.s.current()
	if err != nil {
		return err
	}
	if len(regs) == 0 {
		return &model.Error{Kind: model.KindInvalid, Code: model.CodeValidation, Title: "请选择单位",
			Detail: "请先勾选要审核的单位"}
	}
	for _, reg := range regs {
		args := api.RegistrationDecisionArgs{RegistrationID: reg.ID, Reason: reason}
		if err := eng.Enqueue(ctx, cmd, reg.Version, args); err != nil {
			return fmt.Errorf("%s: %w", cmd, err)
		}
	}
	return nil
}

// fieldError is a one-field form refusal.
func fieldError(field, msg string) error {
	return &model.Error{Kind: model.KindInvalid, Code: model.CodeValidation, Title: "填写有误", Detail: msg,
		Fields: map[string]string{field: msg}}
}

// Undo is 【撤销】 of a registration decision still waiting to sync
// (BEY-7): the registration is pending again, as before 批量通过/批量不通过.
// Refused once the decision has been sent (store.CodeAlreadySent).
func (r Registrations) Undo(ctx context.Context, reg model.Registration) error {
	eng, _, err := r.s.current()
	if err != nil {
		return err
	}
	_, err = eng.Undo(ctx, api.KindRegistration, reg.ID)
	return err
}
