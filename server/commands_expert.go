package server

import (
	"context"
	"strings"

	"titledesk/api"
	"titledesk/model"
)

// expertCreate records a new expert for the caller's unit or a unit of its
// subtree (EXP-1). Recommendations are added by expert.recommend only.
func (x *command) expertCreate(ctx context.Context) (outcome, error) {
	if err := x.requireRole(model.RoleDepartment); err != nil {
		return outcome{}, err
	}
	e := x.args.(*api.ExpertCreateArgs).Expert
	if !api.ValidUUID(e.ID) {
		return outcome{}, errValidation("id", "专家标识无效")
	}
	if e.UnitID == "" {
		e.UnitID = x.c.UnitID
	}
	if _, err := x.scopedUnit(ctx, e.UnitID, "推荐单位"); err != nil {
		return outcome{}, err
	}
	if err := e.ValidateOn(model.DateOf(x.t.now)); err != nil {
		return outcome{}, err
	}
	if cur, exists, err := x.t.expert(ctx, e.ID); err != nil {
		return outcome{}, err
	} else if exists {
		visible, err := x.inScope(ctx, cur.UnitID)
		if err != nil {
			return outcome{}, err
		}
		return outcome{}, takenElsewhere(visible, e.ID, "该专家已存在")
	}
	e.IDNumber = model.NormalizeIDNumber(e.IDNumber)
	if info, err := model.ParseIDNumber(e.IDNumber); err == nil {
		e.Gender = info.Gender
	}
	e.Name, e.Phone = strings.TrimSpace(e.Name), strings.TrimSpace(e.Phone)
	e.Recommendations, e.Version, e.UpdatedAt = nil, 1, x.t.now
	if err := x.t.putExpert(ctx, e); err != nil {
		return outcome{}, err
	}
	return outcome{e.ID, e.Version}, nil
}

// expertRecommend recommends an expert to review committees (EXP-2).
// Committees already recommended to keep their status.
func (x *command) expertRecommend(ctx context.Context) (outcome, error) {
	if err := x.requireRole(model.RoleDepartment); err != nil {
		return outcome{}, err
	}
	a := x.args.(*api.ExpertRecommendArgs)
	e, ok, err := x.t.expert(ctx, a.ExpertID)
	if err != nil {
		return outcome{}, err
	}
	if ok {
		if ok, err = x.inScope(ctx, e.UnitID); err != nil {
			return outcome{}, err
		}
	}
	if !ok {
		return outcome{}, errNotFound("专家")
	}
	if err := checkVersion(e.Version, x.base); err != nil {
		return outcome{}, err
	}
	if len(a.CommitteeIDs) == 0 {
		return outcome{}, errValidation("committee_ids", "请选择至少一个评审委员会")
	}
	have := map[string]bool{}
	for _, r := range e.Recommendations {
		have[r.CommitteeID] = true
	}
	added := false
	for _, id := range a.CommitteeIDs {
		if have[id] {
			continue
		}
		var n int
		if err := x.t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM committees WHERE id = ?`, id).Scan(&n); err != nil {
			return outcome{}, err
		}
		if n == 0 {
			return outcome{}, errNotFound("评审委员会")
		}
		have[id], added = true, true
		e.Recommendations = append(e.Recommendations, model.ExpertRecommendation{
			CommitteeID: id, Status: model.ExpertRecommended, At: x.t.now})
	}
	if !added {
		return outcome{e.ID, e.Version}, nil
	}
	e.Version++
	e.UpdatedAt = x.t.now
	if err := x.t.putExpert(ctx, e); err != nil {
		return outcome{}, err
	}
	return outcome{e.ID, e.Version}, nil
}
