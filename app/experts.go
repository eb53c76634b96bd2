package app

import (
	"context"
	"fmt"
	"strings"

	"titledesk/api"
	"titledesk/model"
	"titledesk/store"
)

// Experts is 专家推荐 (EXP-1, EXP-2).
type Experts struct{ s *Session }

// Aliases of the store's read models, so the UI need not import store.
type (
	ExpertRow       = store.ExpertRow
	ExpertCommittee = store.ExpertCommittee
)

// ExpertItem is one line of the recommended-experts list.
type ExpertItem struct {
	ExpertRow
	Queued bool // a create or recommendation waits to be synced (待同步)
}

// List is the experts this unit recommended, newest first, each with its
// status per committee.
func (x Experts) List(ctx context.Context) ([]ExpertItem, error) {
	_, st, err := x.s.current()
	if err != nil {
		return nil, err
	}
	me, _ := x.s.Me()
	rows, err := st.Experts(ctx, me.UnitID)
	if err != nil {
		return nil, fmt.Errorf("experts: %w", err)
	}
	queued, err := st.PendingByEntity(ctx, api.KindExpert)
	if err != nil {
		return nil, fmt.Errorf("experts: %w", err)
	}
	out := make([]ExpertItem, len(rows))
	for i, r := range rows {
		out[i] = ExpertItem{ExpertRow: r, Queued: len(queued[r.Expert.ID]) > 0}
	}
	return out, nil
}

// Committees lists the 评审委员会 an expert can be recommended to.
func (x Experts) Committees(ctx context.Context) ([]model.Committee, error) {
	_, st, err := x.s.current()
	if err != nil {
		return nil, err
	}
	cs, err := st.Committees(ctx)
	if err != nil {
		return nil, fmt.Errorf("committees: %w", err)
	}
	return cs, nil
}

// Check validates the 新增专家 form without saving it, so the form can
// refuse a bad ID number before the committees are chosen.
func (x Experts) Check(e model.Expert) error { return normalizeExpert(&e).Validate() }

// Create validates the form (model.Expert.Validate: ID number checksum,
// phone, title, specialty, unit…) and queues expert.create and
// expert.recommend to the chosen committees, in that order. The expert shows
// in the list at once, marked 待同步.
func (x Experts) Create(ctx context.Context, e model.Expert, committeeIDs []string) (model.Expert, error) {
	eng, st, err := x.s.current()
	if err != nil {
		return e, err
	}
	normalizeExpert(&e)
	if err := e.Validate(); err != nil {
		return e, err
	}
	if len(committeeIDs) == 0 {
		return e, fieldError("committee_ids", "请选择至少一个评审委员会")
	}
	me, _ := x.s.Me()
	e.ID, e.UnitID, e.Recommendations = api.NewUUID(), me.UnitID, nil
	if info, err := model.ParseIDNumber(e.IDNumber); err == nil {
		e.Gender = info.Gender
	}
	if err := eng.Enqueue(ctx, api.CmdExpertCreate, 0, api.ExpertCreateArgs{Expert: e}); err != nil {
		return e, fmt.Errorf("create expert: %w", err)
	}
	// The server gives a new expert version 1; the recommendation names it.
	if err := eng.Enqueue(ctx, api.CmdExpertRecommend, 1, api.ExpertRecommendArgs{ExpertID: e.ID, CommitteeIDs: committeeIDs}); err != nil {
		return e, fmt.Errorf("recommend expert: %w", err)
	}
	if rows, err := st.Experts(ctx, e.UnitID); err == nil {
		for _, r := range rows {
			if r.Expert.ID == e.ID {
				return r.Expert, nil
			}
		}
	}
	return e, nil
}

// normalizeExpert trims what people paste with spaces around it.
func normalizeExpert(e *model.Expert) *model.Expert {
	for _, f := range []*string{&e.Name, &e.Phone, &e.Title, &e.Specialty, &e.WorkUnit, &e.Position, &e.Email} {
		*f = strings.TrimSpace(*f)
	}
	e.IDNumber = model.NormalizeIDNumber(e.IDNumber)
	return e
}

// MatchExperts keeps the experts text finds, in their order: by name (every
// separator dot and spacing are one, model.NameSearchKey), by ID number as
// the lists find people (model.ParseIDQuery: the whole number, or the first
// or last four the masked column shows), or by a part of 工作单位 or 专业.
// Empty text keeps all.
func MatchExperts(items []ExpertItem, text string) []ExpertItem {
	t := strings.TrimSpace(text)
	if t == "" {
		return items
	}
	key := model.NameSearchKey(t)
	id, isID := model.ParseIDQuery(t)
	var out []ExpertItem
	for _, it := range items {
		e := it.Expert
		if (key != "" && strings.Contains(model.NameSearchKey(e.Name), key)) || (isID && id.Matches(e.IDNumber)) ||
			strings.Contains(e.WorkUnit, t) || strings.Contains(e.Specialty, t) {
			out = append(out, it)
		}
	}
	return out
}
