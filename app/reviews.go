package app

import (
	"context"
	"errors"
	"fmt"

	"titledesk/model"
	"titledesk/store"
	tdsync "titledesk/sync"
)

// Reviews is 单位审核 (REV-1..13): the six lists, the review view, 通过 /
// 不通过 / 撤回 one or many, drafts, stock comments, attachments and printing.
// Every action goes through the sync engine's outbox, so it works offline
// and shows at once with a 待同步 mark.
type Reviews struct {
	s *Session
	a *App // for App.Viewer, which opens sheets and attachments
	// PrintDir is where printed PDFs go; "" = a TitleDesk folder in the
	// system's temporary directory.
	PrintDir string
}

// Aliases of the store's list types, so the UI need not import store.
type (
	QueueQuery   = store.QueueQuery
	QueuePage    = store.Page[QueueRow]
	Sort         = store.Sort
	SortColumn   = store.SortColumn
	ReviewDetail = store.ApplicationDetail
	// PassInput is what 【通过】 carries: opinion, 推荐和公示 (本单位人员审核),
	// 聘任信息 (自主聘任审核) and uploaded attachments.
	PassInput = tdsync.PassInput
)

// ReviewedList is 已审核列表 as a QueueQuery.Stage (REV-13).
const ReviewedList = store.ReviewedList

// SortUpdated orders by the last change (已审核列表's default, newest first).
const SortUpdated = store.SortUpdated

// ReviewLists are the six lists of 单位审核 in menu order.
var ReviewLists = append(append([]model.Stage(nil), model.DepartmentQueues...), ReviewedList)

// ListTitle is the Chinese name of a review list.
func ListTitle(stage model.Stage) string {
	if stage == ReviewedList {
		return "已审核列表"
	}
	return stage.Label()
}

// Item names one application an action is taken on: its ID, the version
// the person saw (the command is decided on it) and a name for messages.
type Item struct {
	ID      string
	Version int64
	Name    string
}

// ItemOf is the Item of a list row.
func ItemOf(r QueueRow) Item { return Item{ID: r.ID, Version: r.Version, Name: r.ApplicantName} }

// Result is the outcome of a batch action for one application.
type Result struct {
	Item Item
	Err  error // nil: queued (待同步)
}

// List reads one page of a review list of the logged-in unit.
func (r *Reviews) List(ctx context.Context, q QueueQuery) (QueuePage, error) {
	_, st, err := r.s.current()
	if err != nil {
		return QueuePage{}, err
	}
	me, _ := r.s.Me()
	if q, err = r.dueQuery(ctx, q); err != nil {
		return QueuePage{}, err
	}
	page, err := st.ReviewQueue(ctx, me.UnitID, q)
	if err != nil {
		return QueuePage{}, fmt.Errorf("review list: %w", err)
	}
	return page, nil
}

// Matching is every row of the list q describes — its stage, filters and
// sort; its paging is ignored — for 全选: a clerk ticking 全选 means every
// applicant the filters show, not only the rows loaded so far. Rows with
// a queued action are included (Pending); the caller decides which it may
// tick. One read of the cache, no ID numbers.
func (r *Reviews) Matching(ctx context.Context, q QueueQuery) ([]QueueRow, error) {
	_, st, err := r.s.current()
	if err != nil {
		return nil, err
	}
	me, _ := r.s.Me()
	if q, err = r.dueQuery(ctx, q); err != nil {
		return nil, err
	}
	var rows []QueueRow
	err = st.EachQueueRow(ctx, me.UnitID, q, false, func(row QueueRow, total int) error {
		if rows == nil {
			rows = make([]QueueRow, 0, total)
		}
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("review list: %w", err)
	}
	return rows, nil
}

// Detail reads one application with its applicant, unit, flow names,
// pending commands and draft (REV-2, REV-4).
func (r *Reviews) Detail(ctx context.Context, id string) (ReviewDetail, error) {
	_, st, err := r.s.current()
	if err != nil {
		return ReviewDetail{}, err
	}
	return st.ApplicationDetail(ctx, id)
}

// Pass queues 通过 (REV-5, REV-8..12). A form the state machine refuses
// comes back with field-level messages (FieldErrors) and nothing is queued.
func (r *Reviews) Pass(ctx context.Context, it Item, in PassInput) error {
	eng, _, err := r.s.current()
	if err != nil {
		return err
	}
	return eng.Pass(ctx, it.ID, it.Version, in)
}

// Reject queues 不通过 with its reason (REV-7): back to the applicant.
func (r *Reviews) Reject(ctx context.Context, it Item, reason string) error {
	return r.Return(ctx, it, ReturnInput{Opinion: reason})
}

// ReturnInput is what a 不通过 says: the 一次性告知 problems ticked from the
// checklist (BEY-3) and the free text; the text is required only when
// nothing is ticked.
type ReturnInput struct {
	Opinion  string
	Problems []model.ReturnProblem
}

// Return queues 不通过 with its 一次性告知 list (REV-7, BEY-3).
func (r *Reviews) Return(ctx context.Context, it Item, in ReturnInput) error {
	if err := model.ValidateReturn(in.Opinion, in.Problems); err != nil {
		return err
	}
	eng, _, err := r.s.current()
	if err != nil {
		return err
	}
	return eng.ReturnBatch(ctx, []tdsync.AppRef{{ID: it.ID, BaseVersion: it.Version}}, in.Opinion, in.Problems)
}

// Withdraw queues 撤回 (REV-13). The cache may not know yet that the next
// level acted; then the server refuses it and its reason comes back as a
// 同步冲突. It names no base version: whether 撤回 is still possible is
// exactly what the state machine decides on the server's current state
// (the last step must be this unit's pass), and a version check first
// would hide that reason ("上一级已经办理…") behind a generic "已被他人更新".
func (r *Reviews) Withdraw(ctx context.Context, it Item) error {
	eng, _, err := r.s.current()
	if err != nil {
		return err
	}
	return eng.Withdraw(ctx, it.ID, 0)
}

// PassBatch is 【批量通过】 (REV-6): one form for all, one command per
// application. A form that is wrong for any of them is returned as the
// error with its field messages, and nothing is queued, so the person fixes
// it once. Otherwise each application gets its own result: one that moved
// on meanwhile does not hold back the others.
func (r *Reviews) PassBatch(ctx context.Context, items []Item, in PassInput) ([]Result, error) {
	eng, _, err := r.s.current()
	if err != nil {
		return nil, err
	}
	switch err := eng.PassBatch(ctx, refs(items), in); {
	case err == nil:
		return results(items), nil
	case isFormError(err) || !isModelError(err):
		return nil, err
	}
	out := make([]Result, len(items))
	for i, it := range items {
		out[i] = Result{Item: it, Err: eng.Pass(ctx, it.ID, it.Version, in)}
	}
	return out, nil
}

// RejectBatch is 【批量不通过】 (REV-7) with one reason for all.
func (r *Reviews) RejectBatch(ctx context.Context, items []Item, reason string) ([]Result, error) {
	return r.ReturnBatch(ctx, items, ReturnInput{Opinion: reason})
}

// ReturnBatch is 【批量不通过】 with one 一次性告知 list and text for all
// (REV-7, BEY-3): all queued at once, else each on its own.
func (r *Reviews) ReturnBatch(ctx context.Context, items []Item, in ReturnInput) ([]Result, error) {
	if err := model.ValidateReturn(in.Opinion, in.Problems); err != nil {
		return nil, err
	}
	eng, _, err := r.s.current()
	if err != nil {
		return nil, err
	}
	switch err := eng.ReturnBatch(ctx, refs(items), in.Opinion, in.Problems); {
	case err == nil:
		return results(items), nil
	case !isModelError(err):
		return nil, err
	}
	out := make([]Result, len(items))
	for i, it := range items {
		out[i] = Result{Item: it, Err: eng.ReturnBatch(ctx, refs([]Item{it}), in.Opinion, in.Problems)}
	}
	return out, nil
}

func refs(items []Item) []tdsync.AppRef {
	out := make([]tdsync.AppRef, len(items))
	for i, it := range items {
		out[i] = tdsync.AppRef{ID: it.ID, BaseVersion: it.Version}
	}
	return out
}

func results(items []Item) []Result {
	out := make([]Result, len(items))
	for i, it := range items {
		out[i] = Result{Item: it}
	}
	return out
}

// isFormError: the shared form (or opinion) is what the model refused.
func isFormError(err error) bool {
	var me *model.Error
	if !errors.As(err, &me) {
		return false
	}
	switch me.Code {
	case model.CodeRecommendation, model.CodePublicityTooShort, model.CodeAppointment, model.CodePostStatusForm,
		model.CodeAttachmentMissing, model.CodeOpinionRequired, model.CodeValidation:
		return true
	}
	return len(me.Fields) > 0
}

func isModelError(err error) bool {
	var me *model.Error
	return errors.As(err, &me)
}

// WorkingDays counts working days from start to end with the cached
// holiday calendar (the publicity rule, REV-5). No I/O: the calendar is
// held in memory.
func (r *Reviews) WorkingDays(start, end model.Date) int {
	_, st, err := r.s.current()
	if err != nil {
		return model.DefaultCalendar().WorkingDays(start, end)
	}
	return st.Calendar().WorkingDays(start, end)
}

// CalendarWarning is the notice to show beside a 公示期 that falls in a
// year whose holiday arrangement was not imported yet (BEY-1):
// "2027年放假安排尚未导入，已按法定节假日计算", or "".
func (r *Reviews) CalendarWarning(start, end model.Date) string {
	_, st, err := r.s.current()
	if err != nil {
		return model.DefaultCalendar().FallbackWarning(start, end)
	}
	return st.Calendar().FallbackWarning(start, end)
}

// FormKind is the form 【通过】 needs in a list.
type FormKind int

const (
	FormNone           FormKind = iota
	FormRecommendation          // 单位推荐和公示 (本单位人员审核, REV-5)
	FormAppointment             // 聘任信息 (自主聘任审核, REV-11)
)

// FormFor is the form 【通过】 needs in the list of stage.
func FormFor(stage model.Stage) FormKind {
	switch stage {
	case model.StageOwnUnit:
		return FormRecommendation
	case model.StageSelfAppoint:
		return FormAppointment
	}
	return FormNone
}

// NeedsPostStatusForm names the applications among ids whose unit is a
// 全面实行岗位管理的事业单位: their pass needs the 事业单位岗位情况表.
func (r *Reviews) NeedsPostStatusForm(ctx context.Context, ids []string) ([]string, error) {
	var names []string
	for _, id := range ids {
		d, err := r.Detail(ctx, id)
		if err != nil {
			return nil, err
		}
		if d.Unit.PostManaged {
			names = append(names, d.Applicant.Name)
		}
	}
	return names, nil
}
