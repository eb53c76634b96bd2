package app

import (
	"context"
	"fmt"

	"titledesk/api"
	"titledesk/model"
	"titledesk/store"
)

// UnitNode is one unit of the 下级单位管理 tree (UNIT-2).
type UnitNode struct {
	Unit     model.Unit
	Depth    int  // 0: the logged-in unit
	Match    bool // the name matched the search (ancestors are shown for context)
	Children int
	Queued   bool // a create or update of it waits to be synced (待同步)
}

// Tree lists the logged-in unit and its whole subtree in tree order
// (parents first, siblings by name). A search keeps the units whose name
// contains it and their ancestors.
func (u Units) Tree(ctx context.Context, search string) ([]UnitNode, error) {
	_, st, err := u.s.current()
	if err != nil {
		return nil, err
	}
	me, _ := u.s.Me()
	rows, err := st.UnitTree(ctx, me.UnitID, search)
	if err != nil {
		return nil, fmt.Errorf("unit tree: %w", err)
	}
	queued, err := st.PendingByEntity(ctx, api.KindUnit)
	if err != nil {
		return nil, fmt.Errorf("unit tree: %w", err)
	}
	out := make([]UnitNode, len(rows))
	for i, r := range rows {
		out[i] = UnitNode{Unit: r.Unit, Depth: r.Depth, Match: r.Match, Children: r.Children, Queued: len(queued[r.Unit.ID]) > 0}
	}
	return out, nil
}

// UnitFormMode says what the unit form edits.
type UnitFormMode int

const (
	// FormOwnUnit is 【基本信息维护】: locked fields read-only (ACC-1).
	FormOwnUnit UnitFormMode = iota
	// FormNewSubunit is 【新增下级单位】 (UNIT-3): every field editable.
	FormNewSubunit
	// FormSubunit is 【修改单位信息】 on a descendant (UNIT-4): the
	// department may change the locked fields too.
	FormSubunit
)

// NewSubunitForm is an empty form for a unit under parentID (this unit or a
// descendant).
func (u Units) NewSubunitForm(ctx context.Context, parentID string) (UnitForm, error) {
	_, st, err := u.s.current()
	if err != nil {
		return UnitForm{}, err
	}
	parent, err := u.inMySubtree(ctx, st, parentID)
	if err != nil {
		return UnitForm{}, err
	}
	return UnitForm{Mode: FormNewSubunit, ParentName: parent.Name,
		Unit: model.Unit{ParentID: parent.ID, Kind: model.UnitEmployer}}, nil
}

// SubunitForm reads a descendant's form for 【修改单位信息】.
func (u Units) SubunitForm(ctx context.Context, id string) (UnitForm, error) {
	_, st, err := u.s.current()
	if err != nil {
		return UnitForm{}, err
	}
	me, _ := u.s.Me()
	if id == me.UnitID {
		return UnitForm{}, &model.Error{Kind: model.KindForbidden, Code: model.CodeLockedField, Title: "不能修改本单位",
			Detail: "本单位信息请在首页【基本信息维护】中修改，单位名称等锁定信息" + LockedFieldHint}
	}
	unit, err := u.inMySubtree(ctx, st, id)
	if err != nil {
		return UnitForm{}, err
	}
	f := UnitForm{Mode: FormSubunit, Unit: unit, RequireEconomics: unit.HasEconomicsApplicants}
	if p, ok, err := st.Unit(ctx, unit.ParentID); err == nil && ok {
		f.ParentName = p.Name
	}
	return f, nil
}

// CreateSubunit validates the form (field-level Chinese messages) and
// queues unit.create under u.ParentID. The new unit shows in the tree at
// once, marked 待同步, and is the server's after the next sync.
func (u Units) CreateSubunit(ctx context.Context, unit model.Unit) (model.Unit, error) {
	eng, st, err := u.s.current()
	if err != nil {
		return unit, err
	}
	if _, err := u.inMySubtree(ctx, st, unit.ParentID); err != nil {
		return unit, err
	}
	if unit.Kind != model.UnitEmployer && unit.Kind != model.UnitDepartment {
		return unit, fieldError("kind", "下级单位只能是用人单位或职称业务主管部门")
	}
	unit.ID, unit.Version, unit.HasEconomicsApplicants = api.NewUUID(), 0, false
	if err := unit.Validate(false); err != nil {
		return unit, err
	}
	if err := eng.Enqueue(ctx, api.CmdUnitCreate, 0, api.UnitArgs{Unit: unit}); err != nil {
		return unit, fmt.Errorf("create unit: %w", err)
	}
	if created, ok, err := st.Unit(ctx, unit.ID); err == nil && ok {
		return created, nil
	}
	return unit, nil
}

// UpdateSubunit queues unit.update of a descendant (UNIT-4), locked fields
// included; a new parent must be in the subtree and not below the unit.
func (u Units) UpdateSubunit(ctx context.Context, edited model.Unit) error {
	eng, st, err := u.s.current()
	if err != nil {
		return err
	}
	cur, err := u.SubunitForm(ctx, edited.ID)
	if err != nil {
		return err
	}
	was := cur.Unit
	if edited.ParentID != was.ParentID {
		if _, err := u.inMySubtree(ctx, st, edited.ParentID); err != nil {
			return fieldError("parent_id", "上级单位必须是本单位或本单位的下级单位")
		}
		if below, err := st.InSubtree(ctx, was.ID, edited.ParentID); err != nil || below {
			if err != nil {
				return fmt.Errorf("update unit: %w", err)
			}
			return fieldError("parent_id", "不能把单位移到它自己或它的下级单位之下")
		}
	}
	edited.Kind, edited.Version = was.Kind, was.Version
	edited.HasEconomicsApplicants, edited.UpdatedAt = was.HasEconomicsApplicants, was.UpdatedAt
	if err := edited.Validate(cur.RequireEconomics); err != nil {
		return err
	}
	if err := eng.Enqueue(ctx, api.CmdUnitUpdate, was.Version, api.UnitArgs{Unit: edited}); err != nil {
		return fmt.Errorf("update unit: %w", err)
	}
	return nil
}

// inMySubtree reads a unit that is the logged-in unit or one of its
// descendants; anything else reads as not found.
func (u Units) inMySubtree(ctx context.Context, st *store.Store, id string) (model.Unit, error) {
	me, _ := u.s.Me()
	notFound := &model.Error{Kind: model.KindNotFound, Code: model.CodeNotFound, Title: "单位不存在",
		Detail: "该单位不在本单位的管理范围内，或尚未同步到本机"}
	if id == "" {
		return model.Unit{}, notFound
	}
	in, err := st.InSubtree(ctx, me.UnitID, id)
	if err != nil {
		return model.Unit{}, fmt.Errorf("read unit: %w", err)
	}
	unit, ok, err := st.Unit(ctx, id)
	if err != nil {
		return model.Unit{}, fmt.Errorf("read unit: %w", err)
	}
	if !in || !ok {
		return model.Unit{}, notFound
	}
	return unit, nil
}
