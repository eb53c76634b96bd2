package server

import (
	"context"
	"strings"
	"unicode/utf8"

	"titledesk/api"
	"titledesk/model"
)

// requireEconomics is HOME-2's condition: the unit has a 经济系列 application.
func (x *command) requireEconomics(ctx context.Context, unitID string) (bool, error) {
	return hasEconomicsApplications(ctx, x.t.tx, unitID)
}

// unitRegister files a self-registration (UNIT-1): an employer unit that
// has no approved superior yet names one. A pending or returned
// registration may be filed again, possibly naming another superior.
func (x *command) unitRegister(ctx context.Context) (outcome, error) {
	if err := x.requireRole(model.RoleEmployer); err != nil {
		return outcome{}, err
	}
	a := x.args.(*api.UnitRegisterArgs)
	own, ok, err := x.t.unit(ctx, x.c.UnitID)
	if err != nil || !ok {
		return outcome{}, orNotFound(err, "本单位")
	}
	if own.ParentID != "" {
		return outcome{}, errConflict(model.CodeInvalidTransition, "无需注册", "本单位已有上级单位，无需再次注册")
	}
	if !api.ValidUUID(a.RegistrationID) {
		return outcome{}, errValidation("registration_id", "注册申请标识无效")
	}
	form, err := x.registrationForm(ctx, own, a.Unit)
	if err != nil {
		return outcome{}, err
	}
	reg, oldSuperior, err := x.registrationToFile(ctx, a.RegistrationID, own.ID)
	if err != nil {
		return outcome{}, err
	}
	reg.Unit, reg.Status, reg.Reason = form, model.RegistrationPending, ""
	reg.SubmittedAt, reg.DecidedAt = x.t.now, nil
	reg.Version++
	if err := x.t.putRegistration(ctx, own.ID, reg, oldSuperior); err != nil {
		return outcome{}, err
	}
	return outcome{reg.ID, reg.Version}, nil
}

// registrationForm validates the registering unit's form and its superior.
func (x *command) registrationForm(ctx context.Context, own, form model.Unit) (model.Unit, error) {
	if form.ID != "" && form.ID != own.ID {
		return form, errValidation("id", "只能为本单位提交注册申请")
	}
	form.ID, form.Kind = own.ID, own.Kind
	form.Version, form.UpdatedAt, form.HasEconomicsApplicants = 0, x.t.now, own.HasEconomicsApplicants
	sup, ok, err := x.t.unit(ctx, form.ParentID)
	if err != nil {
		return form, err
	}
	if !ok || sup.Kind == model.UnitCityOffice {
		return form, errNotFound("上级单位")
	}
	if below, err := inSubtree(ctx, x.t.tx, own.ID, sup.ID); err != nil || below {
		return form, orValidation(err, "parent_id", "不能选择本单位或下级单位作为上级单位")
	}
	econ, err := x.requireEconomics(ctx, own.ID)
	if err != nil {
		return form, err
	}
	return form, form.Validate(econ)
}

// registrationToFile is the registration a unit.register writes: the one
// named, when it is the unit's own and still open, or a new one. A unit has
// at most one pending registration.
func (x *command) registrationToFile(ctx context.Context, id, unitID string) (model.Registration, string, error) {
	pending, err := queryStrings(ctx, x.t.tx, `SELECT id FROM registrations WHERE unit_id = ? AND status = ? AND id <> ?`,
		unitID, model.RegistrationPending, id)
	if err != nil {
		return model.Registration{}, "", err
	}
	if len(pending) > 0 {
		return model.Registration{}, "", errConflict(model.CodeInvalidTransition, "已有待审核的注册申请",
			"本单位已有一份注册申请正在等待上级单位审核")
	}
	row, exists, err := x.t.registration(ctx, id)
	if err != nil || !exists {
		return model.Registration{ID: id}, "", err
	}
	if row.unitID != unitID {
		return model.Registration{}, "", takenElsewhere(false, id, "")
	}
	if row.reg.Status == model.RegistrationApproved {
		return model.Registration{}, "", errConflict(model.CodeInvalidTransition, "注册申请已通过", "该注册申请已经审核通过")
	}
	if err := checkVersion(row.reg.Version, x.base); err != nil {
		return model.Registration{}, "", err
	}
	return row.reg, row.superiorID, nil
}

// decidableRegistration loads a pending registration addressed to the caller.
func (x *command) decidableRegistration(ctx context.Context, id string) (registrationRow, error) {
	if err := x.requireRole(model.RoleDepartment, model.RoleEmployer); err != nil {
		return registrationRow{}, err
	}
	row, ok, err := x.t.registration(ctx, id)
	if err != nil {
		return row, err
	}
	if !ok || row.superiorID != x.c.UnitID {
		return row, errNotFound("注册申请")
	}
	if err := checkVersion(row.reg.Version, x.base); err != nil {
		return row, err
	}
	if row.reg.Status != model.RegistrationPending {
		return row, errConflict(model.CodeInvalidTransition, "注册申请已处理", "该注册申请已经审核，不能重复处理")
	}
	return row, nil
}

// unitApproveRegistration makes the unit a subordinate of the caller: the
// registered form becomes the unit's record, the closure table gains the
// new branch and the caller's ancestors receive its people and applications.
func (x *command) unitApproveRegistration(ctx context.Context) (outcome, error) {
	a := x.args.(*api.RegistrationDecisionArgs)
	row, err := x.decidableRegistration(ctx, a.RegistrationID)
	if err != nil {
		return outcome{}, err
	}
	u, ok, err := x.t.unit(ctx, row.unitID)
	if err != nil || !ok {
		return outcome{}, orNotFound(err, "注册单位")
	}
	if u.ParentID != "" {
		return outcome{}, errConflict(model.CodeInvalidTransition, "注册单位已有上级单位", "该单位已有上级单位，不能重复审核")
	}
	if err := x.t.moveUnit(ctx, u.ID, "", x.c.UnitID); err != nil {
		return outcome{}, err
	}
	next := row.reg.Unit
	next.ID, next.Kind, next.ParentID = u.ID, u.Kind, x.c.UnitID
	next.HasEconomicsApplicants, next.Version, next.UpdatedAt = u.HasEconomicsApplicants, u.Version+1, x.t.now
	if err := x.t.putUnit(ctx, next, false); err != nil {
		return outcome{}, err
	}
	return x.decideRegistration(ctx, row, model.RegistrationApproved, "")
}

func (x *command) unitRejectRegistration(ctx context.Context) (outcome, error) {
	a := x.args.(*api.RegistrationDecisionArgs)
	reason := strings.TrimSpace(a.Reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return outcome{}, errValidation("reason", "请填写不通过原因（不超过500字）")
	}
	row, err := x.decidableRegistration(ctx, a.RegistrationID)
	if err != nil {
		return outcome{}, err
	}
	return x.decideRegistration(ctx, row, model.RegistrationRejected, reason)
}

func (x *command) decideRegistration(ctx context.Context, row registrationRow, status model.RegistrationStatus, reason string) (outcome, error) {
	reg := row.reg
	now := x.t.now
	reg.Status, reg.Reason, reg.DecidedAt = status, reason, &now
	reg.Version++
	if err := x.t.putRegistration(ctx, row.unitID, reg, row.superiorID); err != nil {
		return outcome{}, err
	}
	return outcome{reg.ID, reg.Version}, nil
}

// unitCreate adds a unit below a node of the caller's subtree (UNIT-3).
func (x *command) unitCreate(ctx context.Context) (outcome, error) {
	if err := x.requireRole(model.RoleDepartment); err != nil {
		return outcome{}, err
	}
	u := x.args.(*api.UnitArgs).Unit
	if !api.ValidUUID(u.ID) {
		return outcome{}, errValidation("id", "单位标识无效")
	}
	if _, err := x.scopedUnit(ctx, u.ParentID, "上级单位"); err != nil {
		return outcome{}, err
	}
	if u.Kind != model.UnitEmployer && u.Kind != model.UnitDepartment {
		return outcome{}, errValidation("kind", "下级单位只能是用人单位或职称业务主管部门")
	}
	if err := u.Validate(false); err != nil {
		return outcome{}, err
	}
	if _, exists, err := x.t.unit(ctx, u.ID); err != nil {
		return outcome{}, err
	} else if exists {
		visible, err := x.inScope(ctx, u.ID)
		if err != nil {
			return outcome{}, err
		}
		return outcome{}, takenElsewhere(visible, u.ID, "该单位已存在")
	}
	u.HasEconomicsApplicants, u.Version, u.UpdatedAt = false, 1, x.t.now
	if err := x.t.putUnit(ctx, u, true); err != nil {
		return outcome{}, err
	}
	return outcome{u.ID, u.Version}, nil
}

// unitUpdate edits a unit of the caller's subtree (HOME-1, UNIT-4). The
// locked fields (ACC-1) change only for strict descendants; for its own
// unit the caller gets locked_field. A new parent moves the whole branch.
func (x *command) unitUpdate(ctx context.Context) (outcome, error) {
	if err := x.requireRole(model.RoleDepartment, model.RoleEmployer, model.RoleCityOffice); err != nil {
		return outcome{}, err
	}
	form := x.args.(*api.UnitArgs).Unit
	cur, err := x.scopedUnit(ctx, form.ID, "单位")
	if err != nil {
		return outcome{}, err
	}
	if err := checkVersion(cur.Version, x.base); err != nil {
		return outcome{}, err
	}
	if form.Kind != "" && form.Kind != cur.Kind {
		return outcome{}, errValidation("kind", "单位类别不能修改")
	}
	next, err := x.applyUnitForm(ctx, cur, form)
	if err != nil {
		return outcome{}, err
	}
	econ, err := x.requireEconomics(ctx, cur.ID)
	if err != nil {
		return outcome{}, err
	}
	if err := next.Validate(econ); err != nil {
		return outcome{}, err
	}
	if next.ParentID != cur.ParentID {
		if err := x.t.moveUnit(ctx, cur.ID, cur.ParentID, next.ParentID); err != nil {
			return outcome{}, err
		}
	}
	next.Version, next.UpdatedAt = cur.Version+1, x.t.now
	if err := x.t.putUnit(ctx, next, false); err != nil {
		return outcome{}, err
	}
	return outcome{next.ID, next.Version}, nil
}

// applyUnitForm merges the form into the stored unit. Locked fields left
// empty mean "unchanged"; changed ones need a superior's hand.
func (x *command) applyUnitForm(ctx context.Context, cur, form model.Unit) (model.Unit, error) {
	next := cur
	next.PostManaged, next.Address, next.PostalCode = form.PostManaged, form.Address, form.PostalCode
	next.Contact, next.Phone, next.Email = form.Contact, form.Phone, form.Email
	next.EconomicType, next.Industry, next.StaffCount, next.Revenue = form.EconomicType, form.Industry, form.StaffCount, form.Revenue
	changed := map[string]bool{
		"name":        form.Name != "" && form.Name != cur.Name,
		"credit_code": form.CreditCode != "" && form.CreditCode != cur.CreditCode,
		"parent_id":   form.ParentID != "" && form.ParentID != cur.ParentID,
		"type":        form.Type != "" && form.Type != cur.Type,
	}
	if cur.ID == x.c.UnitID {
		fields := map[string]string{}
		for _, f := range model.LockedUnitFields {
			if changed[f] {
				fields[f] = "如需修改请联系市职称办"
			}
		}
		if len(fields) > 0 {
			return next, &model.Error{Kind: model.KindForbidden, Code: model.CodeLockedField, Title: "不能修改锁定字段",
				Detail: "单位名称、统一社会信用代码、上级单位和单位类型不能自行修改，如需修改请联系市职称办", Fields: fields}
		}
		return next, nil
	}
	if changed["name"] {
		next.Name = form.Name
	}
	if changed["credit_code"] {
		next.CreditCode = form.CreditCode
	}
	if changed["type"] {
		next.Type = form.Type
	}
	if changed["parent_id"] {
		if _, err := x.scopedUnit(ctx, form.ParentID, "上级单位"); err != nil {
			return next, err
		}
		if below, err := inSubtree(ctx, x.t.tx, cur.ID, form.ParentID); err != nil || below {
			return next, orValidation(err, "parent_id", "不能把单位移到它自己或它的下级单位之下")
		}
		next.ParentID = form.ParentID
	}
	return next, nil
}

// orValidation passes a storage error through and otherwise reports msg on field.
func orValidation(err error, field, msg string) error {
	if err != nil {
		return err
	}
	return errValidation(field, msg)
}

// orDuplicate passes a storage error through and otherwise reports a duplicate ID.
func orDuplicate(err error, detail string) error {
	if err != nil {
		return err
	}
	return &model.Error{Kind: model.KindInvalid, Code: model.CodeDuplicate, Title: "记录已存在", Detail: detail}
}
