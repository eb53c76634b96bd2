package app

import (
	"context"
	"fmt"
	"sort"
	"time"

	"titledesk/api"
	"titledesk/model"
)

// The rules that catch problems before a person has to (BEY-3..6), as the
// screens need them. All read the cache; none blocks a decision.

// today is the date in China by the cache's clock.
func (s *Session) today() model.Date {
	if _, st, err := s.current(); err == nil {
		return model.ChinaDate(st.Now())
	}
	return model.ChinaDate(time.Now())
}

// Checks are what the review view shows beside an application: the
// eligibility panel, the duplicate notice and the applicant's marks on the
// last return's problems.
type Checks struct {
	RuleTitle   string                   // e.g. 工程技术人员 副高级（高级工程师）; "" when no rule set covers it
	Eligibility []model.EligibilityCheck // ✓/✗/? lines (BEY-4)
	AsOf        model.Date               // the date the years are counted to
	Note        string                   // the rule set's note
	Duplicate   string                   // 该申报人本年度另有一份申报在审（其他单位）, or "" (BEY-5)
	Marks       []model.FixedProblem     // 一次性告知: marked fixed on resubmission (BEY-3)
}

// Checks judges one application (its frozen applicant record).
func (r *Reviews) Checks(ctx context.Context, d ReviewDetail) (Checks, error) {
	_, st, err := r.s.current()
	if err != nil {
		return Checks{}, err
	}
	app := d.Application
	c := Checks{Marks: app.ResubmissionMarks(), AsOf: r.s.today()}
	if dl, ok, err := st.Deadlines(ctx, app.Year); err != nil {
		return c, err
	} else if ok && dl.ApplyBy.Valid() {
		c.AsOf = dl.ApplyBy
	}
	if rs, ok, err := st.RuleSet(ctx, app.Series, app.Level); err != nil {
		return c, err
	} else if ok {
		c.RuleTitle = fmt.Sprintf("%s %s · %s", rs.Series.Label(), rs.Level.Label(), rs.Title)
		c.Eligibility, c.Note = rs.Check(d.Applicant, app.Method, c.AsOf), rs.Note
	}
	if f, ok, err := st.DuplicateFlag(ctx, app.ID); err != nil {
		return c, err
	} else if ok {
		c.Duplicate = f.Notice()
	}
	return c, nil
}

// ReturnReasons is the department's 一次性告知 checklist by material, or
// the default list (model.DefaultReturnReasons) while it has saved none.
func (r *Reviews) ReturnReasons(ctx context.Context) ([]model.ReturnReason, error) {
	_, st, err := r.s.current()
	if err != nil {
		return nil, err
	}
	list, err := st.ReturnReasons(ctx)
	if err != nil || len(list) > 0 {
		return list, err
	}
	return model.DefaultReturnReasons(), nil
}

// SaveReturnReason adds (empty ID: at the end of its material) or edits
// one checklist item. The first change of the default list adopts it whole
// with the change (one return_reason.adopt), so the department's list
// starts from what it saw and one action queues one command.
func (r *Reviews) SaveReturnReason(ctx context.Context, it model.ReturnReason) error {
	it.Text = model.CleanText(it.Text)
	if err := it.Validate(); err != nil {
		return err
	}
	eng, st, err := r.s.current()
	if err != nil {
		return err
	}
	saved, err := st.ReturnReasons(ctx)
	if err != nil {
		return err
	}
	if len(saved) == 0 {
		list := adoptedDefaults(func(d model.ReturnReason) bool { return false })
		for _, d := range list {
			if it.ID == "" && d.Material == it.Material && d.Text == it.Text {
				return nil // already listed
			}
		}
		// an edit of a default item (no ID yet) is an add of the edited text
		it.ID, it.Version, it.Position = api.NewUUID(), 0, nextPosition(list)
		return eng.Enqueue(ctx, api.CmdReturnReasonAdopt, 0, api.ReturnReasonAdoptArgs{Reasons: append(list, it)})
	}
	if it.ID == "" {
		it.ID, it.Version, it.Position = api.NewUUID(), 0, nextPosition(saved)
	}
	return eng.Enqueue(ctx, api.CmdReturnReasonSave, it.Version, api.ReturnReasonArgs{Reason: it})
}

// DeleteReturnReason deletes one checklist item; deleting from the default
// list adopts the rest of it in one command.
func (r *Reviews) DeleteReturnReason(ctx context.Context, it model.ReturnReason) error {
	eng, st, err := r.s.current()
	if err != nil {
		return err
	}
	saved, err := st.ReturnReasons(ctx)
	if err != nil {
		return err
	}
	if len(saved) == 0 {
		list := adoptedDefaults(func(d model.ReturnReason) bool { return d.Material == it.Material && d.Text == it.Text })
		if len(list) == 0 {
			return &model.Error{Kind: model.KindInvalid, Code: model.CodeValidation, Title: "不能删除最后一项",
				Detail: "问题清单至少保留一项"}
		}
		return eng.Enqueue(ctx, api.CmdReturnReasonAdopt, 0, api.ReturnReasonAdoptArgs{Reasons: list})
	}
	return eng.Enqueue(ctx, api.CmdReturnReasonDelete, it.Version, api.ReturnReasonDeleteArgs{ReasonID: it.ID})
}

// adoptedDefaults is the default checklist less the items drop names, each
// with a new ID: what a department adopts at its first change.
func adoptedDefaults(drop func(model.ReturnReason) bool) []model.ReturnReason {
	var out []model.ReturnReason
	for _, d := range model.DefaultReturnReasons() {
		if !drop(d) {
			d.ID = api.NewUUID()
			out = append(out, d)
		}
	}
	return out
}

// nextPosition is a position after every item of list.
func nextPosition(list []model.ReturnReason) int {
	p := 0
	for _, o := range list {
		p = max(p, o.Position+1)
	}
	return p
}

// DeadlineStatus is 首页's 截止日期 card (BEY-6).
type DeadlineStatus struct {
	Year     int
	All      []model.Deadline
	Next     model.Deadline
	DaysLeft int
	HasNext  bool
	AtRisk   []QueueCount // applications the next deadline would find undone, per list
}

// QueueCount is a number of applications in one list.
type QueueCount struct {
	Stage model.Stage
	Title string // the list's name (退回待修改 for those with the applicant)
	Count int
}

// Deadlines reads the current year's deadlines and counts the work at risk
// of the next one; false when the city office has set none.
func (d Dashboard) Deadlines(ctx context.Context) (DeadlineStatus, bool, error) {
	_, st, err := d.s.current()
	if err != nil {
		return DeadlineStatus{}, false, err
	}
	today := d.s.today()
	dl, ok, err := st.CurrentDeadlines(ctx, today)
	if err != nil || !ok {
		return DeadlineStatus{}, false, err
	}
	out := DeadlineStatus{Year: dl.Year, All: dl.List()}
	out.Next, out.DaysLeft, out.HasNext = dl.Next(today)
	if !out.HasNext {
		return out, true, nil
	}
	me, _ := d.s.Me()
	stages := dl.RiskStages(out.Next)
	counts, err := st.DeadlineCounts(ctx, me.UnitID, dl.Year, stages)
	if err != nil {
		return out, true, err
	}
	for _, s := range stages {
		if s == model.StageUnitReview {
			continue // an employer unit's queue: not a list of the department
		}
		title := ListTitle(s)
		if s == model.StageReturned {
			title = "退回待修改"
		}
		out.AtRisk = append(out.AtRisk, QueueCount{Stage: s, Title: title, Count: counts[s]})
	}
	sort.SliceStable(out.AtRisk, func(i, j int) bool { return out.AtRisk[i].Count > out.AtRisk[j].Count })
	return out, true, nil
}

// dueQuery fills the 临近截止 filter (BEY-6): the list's applications of the
// current deadlines' year whose deadline is near or past.
func (r *Reviews) dueQuery(ctx context.Context, q QueueQuery) (QueueQuery, error) {
	if !q.AtRisk {
		return q, nil
	}
	_, st, err := r.s.current()
	if err != nil {
		return q, err
	}
	today := r.s.today()
	dl, ok, err := st.CurrentDeadlines(ctx, today)
	if err != nil {
		return q, err
	}
	q.DueYear, q.DueStages = -1, nil // no deadlines: nothing is at risk
	if !ok {
		return q, nil
	}
	q.DueYear = dl.Year
	stages := []model.Stage{q.Stage}
	if q.Stage == ReviewedList {
		stages = []model.Stage{model.StageReturned}
	}
	for _, s := range stages {
		if dl.AtRisk(dl.Year, s, today) {
			q.DueStages = append(q.DueStages, s)
		}
	}
	return q, nil
}
