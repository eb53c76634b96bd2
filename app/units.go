package app

import (
	"context"
	"fmt"

	"titledesk/api"
	"titledesk/model"
)

// Units is the unit form of 首页 (HOME-1, HOME-2): the logged-in unit's own
// basic information.
type Units struct{ s *Session }

// UnitForm is what 【基本信息维护】 edits.
type UnitForm struct {
	Mode       UnitFormMode // FormOwnUnit unless a 下级单位管理 form
	Unit       model.Unit
	ParentName string // 上级单位, shown read-only
	// RequireEconomics: the unit has 经济系列 applicants, so the last four
	// fields are mandatory (HOME-2).
	RequireEconomics bool
}

// LockedFieldHint is shown beside the fields a unit cannot change (ACC-1).
const LockedFieldHint = "如需修改请联系市职称办"

// Mine reads the logged-in unit's form.
func (u Units) Mine(ctx context.Context) (UnitForm, error) {
	_, st, err := u.s.current()
	if err != nil {
		return UnitForm{}, err
	}
	me, _ := u.s.Me()
	d, err := st.Dashboard(ctx, me.UnitID)
	if err != nil {
		return UnitForm{}, fmt.Errorf("unit form: %w", err)
	}
	if d.Unit.ID == "" {
		return UnitForm{}, &model.Error{Kind: model.KindNotFound, Code: model.CodeNotFound, Title: "单位信息尚未同步",
			Detail: "本单位信息尚未同步到本机，请联网后点击【立即同步】"}
	}
	f := UnitForm{Unit: d.Unit, RequireEconomics: d.Unit.HasEconomicsApplicants || d.EconomicsWarning}
	if d.Unit.ParentID != "" {
		if p, ok, err := st.Unit(ctx, d.Unit.ParentID); err == nil && ok {
			f.ParentName = p.Name
		}
	}
	return f, nil
}

// SaveMine validates the form (field-level Chinese messages in the error's
// Fields) and queues unit.update; the change shows at once and reaches the
// server with the next sync. Locked fields are refused, whatever the UI did.
func (u Units) SaveMine(ctx context.Context, edited model.Unit) error {
	eng, _, err := u.s.current()
	if err != nil {
		return err
	}
	cur, err := u.Mine(ctx)
	if err != nil {
		return err
	}
	was := cur.Unit
	if locked := changedLockedFields(was, edited); len(locked) > 0 {
		fe := model.FieldErrors{}
		for _, k := range locked {
			fe.Add(k, "该项不能自行修改，"+LockedFieldHint)
		}
		err := fe.Err(model.CodeLockedField, "单位信息有误").(*model.Error)
		err.Kind = model.KindForbidden
		return err
	}
	// Fields the form does not edit come from the cached unit.
	edited.ID, edited.Kind, edited.Version = was.ID, was.Kind, was.Version
	edited.HasEconomicsApplicants, edited.UpdatedAt = was.HasEconomicsApplicants, was.UpdatedAt
	if err := edited.Validate(cur.RequireEconomics); err != nil {
		return err
	}
	if err := eng.Enqueue(ctx, api.CmdUnitUpdate, was.Version, api.UnitArgs{Unit: edited}); err != nil {
		return fmt.Errorf("save unit: %w", err)
	}
	return nil
}

// changedLockedFields names the ACC-1 fields that differ (model.LockedUnitFields).
func changedLockedFields(was, now model.Unit) []string {
	var out []string
	if was.Name != now.Name {
		out = append(out, "name")
	}
	if was.CreditCode != now.CreditCode {
		out = append(out, "credit_code")
	}
	if was.ParentID != now.ParentID {
		out = append(out, "parent_id")
	}
	if was.Type != now.Type {
		out = append(out, "type")
	}
	return out
}
