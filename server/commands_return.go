package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"titledesk/api"
	"titledesk/model"
)

// The department's 一次性告知 checklist (BEY-3): its own items, seen by its
// own accounts only (viewer u:<unit>), edited like 常用意见.

// ownReturnReason loads an item of the caller's unit; another unit's item
// is not found, exactly like a missing ID.
func (x *command) ownReturnReason(ctx context.Context, id string) (model.ReturnReason, bool, error) {
	var (
		r    model.ReturnReason
		unit string
		data []byte
	)
	err := x.t.tx.QueryRowContext(ctx, `SELECT unit_id, data FROM return_reasons WHERE id = ?`, id).Scan(&unit, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("load return reason: %w", err)
	}
	if unit != x.c.UnitID {
		return r, false, errNotFound("问题清单项")
	}
	return r, true, decodeJSON(data, &r)
}

// returnReasonSave creates or edits one checklist item of the caller's department.
func (x *command) returnReasonSave(ctx context.Context) (outcome, error) {
	if err := x.requireRole(model.RoleDepartment); err != nil {
		return outcome{}, err
	}
	in := x.args.(*api.ReturnReasonArgs).Reason
	if !api.ValidUUID(in.ID) {
		return outcome{}, errValidation("id", "问题清单项标识无效")
	}
	if in.Position < 0 {
		return outcome{}, errValidation("position", "排序位置无效")
	}
	if err := in.Validate(); err != nil {
		return outcome{}, err
	}
	cur, exists, err := x.ownReturnReason(ctx, in.ID)
	if err != nil {
		return outcome{}, err
	}
	if exists {
		if err := checkVersion(cur.Version, x.base); err != nil {
			return outcome{}, err
		}
	}
	next := model.ReturnReason{ID: in.ID, UnitID: x.c.UnitID, Material: in.Material, Text: in.Text,
		Position: in.Position, Version: cur.Version + 1}
	if err := x.t.exec(ctx, `INSERT INTO return_reasons(id, unit_id, version, data) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET version = excluded.version, data = excluded.data`,
		next.ID, next.UnitID, next.Version, mustJSON(next)); err != nil {
		return outcome{}, fmt.Errorf("save return reason: %w", err)
	}
	if err := x.t.emit(ctx, api.KindReturnReason, next.ID, api.OpUpsert, next.Version, []string{unitViewer(x.c.UnitID)}); err != nil {
		return outcome{}, err
	}
	return outcome{next.ID, next.Version}, nil
}

// returnReasonDelete deletes one checklist item; the feed carries a delete.
func (x *command) returnReasonDelete(ctx context.Context) (outcome, error) {
	if err := x.requireRole(model.RoleDepartment); err != nil {
		return outcome{}, err
	}
	id := x.args.(*api.ReturnReasonDeleteArgs).ReasonID
	cur, exists, err := x.ownReturnReason(ctx, id)
	if err != nil {
		return outcome{}, err
	}
	if !exists {
		return outcome{}, errNotFound("问题清单项")
	}
	if err := checkVersion(cur.Version, x.base); err != nil {
		return outcome{}, err
	}
	if err := x.t.exec(ctx, `DELETE FROM return_reasons WHERE id = ?`, id); err != nil {
		return outcome{}, fmt.Errorf("delete return reason: %w", err)
	}
	version := cur.Version + 1
	if err := x.t.emit(ctx, api.KindReturnReason, id, api.OpDelete, version, []string{unitViewer(x.c.UnitID)}); err != nil {
		return outcome{}, err
	}
	return outcome{id, version}, nil
}

// returnReasonAdopt saves a whole checklist for a department that has
// none saved (the default list with the clerk's first change, one command
// for one action). A department with saved items answers
// version_conflict: another account changed the checklist first, and
// adopting would overwrite or duplicate it.
func (x *command) returnReasonAdopt(ctx context.Context) (outcome, error) {
	if err := x.requireRole(model.RoleDepartment); err != nil {
		return outcome{}, err
	}
	list := x.args.(*api.ReturnReasonAdoptArgs).Reasons
	if len(list) == 0 || len(list) > api.MaxReturnReasons {
		return outcome{}, errValidation("reasons", fmt.Sprintf("问题清单应有 1 至 %d 项", api.MaxReturnReasons))
	}
	var saved int
	if err := x.t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM return_reasons WHERE unit_id = ?`, x.c.UnitID).Scan(&saved); err != nil {
		return outcome{}, fmt.Errorf("count return reasons: %w", err)
	}
	if saved > 0 {
		return outcome{}, errConflict(model.CodeVersionConflict, "问题清单已被修改", "本单位的一次性告知问题清单已被其他人修改，请查看后重新操作")
	}
	seen := map[string]bool{}
	for _, in := range list {
		if !api.ValidUUID(in.ID) || seen[in.ID] {
			return outcome{}, errValidation("id", "问题清单项标识无效")
		}
		seen[in.ID] = true
		if in.Position < 0 {
			return outcome{}, errValidation("position", "排序位置无效")
		}
		if err := in.Validate(); err != nil {
			return outcome{}, err
		}
		// an id held by another unit's item is refused like a save of it
		if _, exists, err := x.ownReturnReason(ctx, in.ID); err != nil || exists {
			if err == nil {
				err = errValidation("id", "问题清单项标识无效")
			}
			return outcome{}, err
		}
	}
	for _, in := range list {
		next := model.ReturnReason{ID: in.ID, UnitID: x.c.UnitID, Material: in.Material, Text: in.Text,
			Position: in.Position, Version: 1}
		if err := x.t.exec(ctx, `INSERT INTO return_reasons(id, unit_id, version, data) VALUES (?, ?, ?, ?)`,
			next.ID, next.UnitID, next.Version, mustJSON(next)); err != nil {
			return outcome{}, fmt.Errorf("adopt return reasons: %w", err)
		}
		if err := x.t.emit(ctx, api.KindReturnReason, next.ID, api.OpUpsert, next.Version, []string{unitViewer(x.c.UnitID)}); err != nil {
			return outcome{}, err
		}
	}
	return outcome{list[0].ID, 1}, nil
}
