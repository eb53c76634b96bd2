package server

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"titledesk/api"
	"titledesk/model"
)

// visibleApplication loads an application the caller may see: an
// applicant's own, or one whose unit is in the caller's subtree. Anything
// else is "not found", exactly like a missing ID.
func (x *command) visibleApplication(ctx context.Context, id string) (model.Application, error) {
	app, ok, err := x.t.application(ctx, id)
	if err != nil {
		return app, err
	}
	if !ok {
		return app, errNotFound("申报")
	}
	if x.c.Role == model.RoleApplicant {
		if app.ApplicantID != x.c.ApplicantID {
			return model.Application{}, errNotFound("申报")
		}
		return app, nil
	}
	in, err := x.inScope(ctx, app.UnitID)
	if err != nil {
		return app, err
	}
	if !in {
		return model.Application{}, errNotFound("申报")
	}
	return app, nil
}

// transition runs one workflow step through the model's state machine and
// stores the result.
func (x *command) transition(ctx context.Context, id string, tr model.Transition) (outcome, error) {
	app, err := x.visibleApplication(ctx, id)
	if err != nil {
		return outcome{}, err
	}
	if err := model.CheckVersion(app, x.base); err != nil {
		return outcome{}, err
	}
	env, units := x.env(ctx)
	next, err := model.Apply(app, x.c.actor(), tr, env)
	if units.err != nil {
		return outcome{}, units.err
	}
	if err != nil {
		return outcome{}, err
	}
	if err := x.t.putApplication(ctx, next); err != nil {
		return outcome{}, err
	}
	return outcome{next.ID, next.Version}, nil
}

// applicationSubmit submits the caller's own draft; the application keeps
// a copy of the applicant's record as it is now (SEC-1).
func (x *command) applicationSubmit(ctx context.Context) (outcome, error) {
	a := x.args.(*api.SubmitArgs)
	tr := model.Transition{Action: model.ActionSubmit, Fixed: a.Fixed}
	if x.c.Role == model.RoleApplicant {
		p, ok, err := x.t.applicant(ctx, x.c.ApplicantID)
		if err != nil {
			return outcome{}, err
		}
		if ok {
			tr.Applicant = &p
		}
	}
	return x.transition(ctx, a.ApplicationID, tr)
}

func (x *command) applicationPass(ctx context.Context) (outcome, error) {
	a := x.args.(*api.PassArgs)
	tr := model.Transition{Action: model.ActionPass, Opinion: a.Opinion, Appointment: a.Appointment}
	var err error
	if tr.Attachments, err = x.uploaded(ctx, a.Attachments); err != nil {
		return outcome{}, err
	}
	if a.Recommendation != nil {
		rec := *a.Recommendation
		if rec.Attachments, err = x.uploaded(ctx, rec.Attachments); err != nil {
			return outcome{}, err
		}
		tr.Recommendation = &rec
	}
	return x.transition(ctx, a.ApplicationID, tr)
}

func (x *command) applicationReject(ctx context.Context) (outcome, error) {
	a := x.args.(*api.RejectArgs)
	return x.transition(ctx, a.ApplicationID, model.Transition{Action: model.ActionReject, Opinion: a.Opinion,
		Problems: a.Problems})
}

func (x *command) applicationWithdraw(ctx context.Context) (outcome, error) {
	a := x.args.(*api.ApplicationRefArgs)
	return x.transition(ctx, a.ApplicationID, model.Transition{Action: model.ActionWithdraw})
}

func (x *command) applicationCertify(ctx context.Context) (outcome, error) {
	a := x.args.(*api.CertifyArgs)
	return x.transition(ctx, a.ApplicationID, model.Transition{Action: model.ActionCertify,
		CertificateNo: strings.TrimSpace(a.CertificateNo)})
}

// uploaded checks every file a command names against the one access rule
// (attachmentUsable) and takes its size and type from what the server
// stored, not from what the client claims. A file the caller may not use
// answers exactly like one never uploaded.
func (x *command) uploaded(ctx context.Context, files []model.Attachment) ([]model.Attachment, error) {
	if len(files) == 0 {
		return nil, nil
	}
	out := make([]model.Attachment, len(files))
	for i, f := range files {
		meta, ok, err := attachmentUsable(ctx, x.t.tx, x.c, f.SHA256)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, &model.Error{Kind: model.KindInvalid, Code: model.CodeAttachmentMissing, Title: "附件尚未上传",
				Detail: "附件“" + truncateRunes(f.Name, 60) + "”尚未上传到服务器，请稍后重试",
				Fields: map[string]string{"attachments": "附件尚未上传"}}
		}
		f.Size, f.ContentType = meta.Size, meta.ContentType
		out[i] = f
	}
	return out, nil
}

// applicationCreate creates or edits a draft: an applicant for themself, or
// a unit for its staff (an applicant whose unit is in its subtree). A draft
// or returned application may be edited; once submitted it may not.
func (x *command) applicationCreate(ctx context.Context) (outcome, error) {
	if err := x.requireRole(model.RoleApplicant, model.RoleEmployer, model.RoleDepartment); err != nil {
		return outcome{}, err
	}
	a := x.args.(*api.ApplicationCreateArgs)
	person, err := x.applicantForDraft(ctx, a.Applicant)
	if err != nil {
		return outcome{}, err
	}
	app, err := x.draft(ctx, person, a.Application)
	if err != nil {
		return outcome{}, err
	}
	if x.elsewhere {
		return outcome{}, &errTakenElsewhere{id: app.ID}
	}
	if err := x.t.putApplicant(ctx, person); err != nil {
		return outcome{}, err
	}
	if err := x.t.putApplication(ctx, app); err != nil {
		return outcome{}, err
	}
	if err := x.t.refreshEconomics(ctx, app.UnitID); err != nil {
		return outcome{}, err
	}
	return outcome{app.ID, app.Version}, nil
}

// applicantForDraft validates the applicant part and merges it with the
// stored record. An applicant's unit is fixed by their account.
func (x *command) applicantForDraft(ctx context.Context, in model.Applicant) (model.Applicant, error) {
	if !api.ValidUUID(in.ID) {
		return in, errValidation("applicant.id", "申报人标识无效")
	}
	cur, exists, err := x.t.applicant(ctx, in.ID)
	if err != nil {
		return in, err
	}
	if x.c.Role == model.RoleApplicant && (in.ID != x.c.ApplicantID || !exists) {
		return in, errNotFound("申报人")
	}
	if x.c.Role != model.RoleApplicant && exists {
		visible, err := x.inScope(ctx, cur.UnitID)
		if err != nil {
			return in, err
		}
		if !visible { // someone else's person: checked as a new one, answered as if created
			x.elsewhere, exists, cur = true, false, model.Applicant{}
		}
	}
	if x.c.Role != model.RoleApplicant && !exists {
		if _, err := x.scopedUnit(ctx, in.UnitID, "申报单位"); err != nil {
			return in, err
		}
	}
	// A person's unit decides who sees them; moving them is not a form edit.
	if exists {
		if in.UnitID != "" && in.UnitID != cur.UnitID {
			return in, errValidation("unit_id", "申报人所在单位不能在此修改，请联系所在单位")
		}
		in.UnitID = cur.UnitID
	}
	if err := in.Validate(model.DateOf(x.t.now)); err != nil {
		return in, err
	}
	if exists {
		if err := x.t.checkIdentityFrozen(ctx, cur, in); err != nil {
			return in, err
		}
	}
	in.Version = cur.Version + 1
	in.UpdatedAt = x.t.now
	return in, nil
}

// draft builds the new or edited draft application from the client's form,
// keeping every workflow field the server owns.
func (x *command) draft(ctx context.Context, person model.Applicant, form model.Application) (model.Application, error) {
	if !api.ValidUUID(form.ID) {
		return form, errValidation("application.id", "申报标识无效")
	}
	cur, exists, err := x.t.application(ctx, form.ID)
	if err != nil {
		return form, err
	}
	app := model.Application{ID: form.ID, ApplicantID: person.ID, UnitID: person.UnitID, Stage: model.StageDraft}
	if exists && (cur.ApplicantID != person.ID || x.elsewhere) {
		visible := false
		if x.c.Role != model.RoleApplicant {
			if visible, err = x.inScope(ctx, cur.UnitID); err != nil {
				return form, err
			}
		}
		if visible {
			return form, orDuplicate(nil, "该申报已存在，属于另一位申报人")
		}
		x.elsewhere, exists = true, false
	}
	if exists {
		if cur.Stage != model.StageDraft && cur.Stage != model.StageReturned {
			return form, errConflict(model.CodeInvalidTransition, "当前环节不能执行此操作", "申报已提交，正在审核中，不能修改")
		}
		if err := model.CheckVersion(cur, x.base); err != nil {
			return form, err
		}
		app = cur
	}
	app.Year, app.Series, app.Specialty, app.Level = form.Year, form.Series, strings.TrimSpace(form.Specialty), form.Level
	app.TitleName, app.Method, app.Achievements = strings.TrimSpace(form.TitleName), form.Method, form.Achievements
	if err := validateApplicationForm(app, x.t.now.Year()); err != nil {
		return form, err
	}
	files, err := x.uploaded(ctx, form.Attachments)
	if err != nil {
		return form, err
	}
	app.Attachments = mergeFiles(app.Attachments, files)
	app.Version++
	app.UpdatedAt = x.t.now
	return app, nil
}

func mergeFiles(have, added []model.Attachment) []model.Attachment {
	out := append([]model.Attachment(nil), have...)
	for _, f := range added {
		dup := false
		for _, h := range out {
			dup = dup || (h.SHA256 == f.SHA256 && h.Kind == f.Kind)
		}
		if !dup {
			out = append(out, f)
		}
	}
	return out
}

func validateApplicationForm(app model.Application, thisYear int) error {
	fe := model.FieldErrors{}
	if app.Year < 2000 || app.Year > thisYear+1 {
		fe.Add("year", "申报年度无效")
	}
	if !app.Series.Valid() {
		fe.Add("series", "请选择职称系列")
	}
	if app.Specialty == "" {
		fe.Add("specialty", "请填写专业")
	}
	if !app.Level.Valid() {
		fe.Add("level", "请选择级别")
	}
	if app.TitleName == "" {
		fe.Add("title_name", "请填写申报职称名称")
	}
	if !app.Method.Valid() {
		fe.Add("method", "请选择评价方式")
	}
	if utf8.RuneCountInString(app.Achievements) > 5000 {
		fe.Add("achievements", "主要业绩不超过5000字")
	}
	return fe.Err(model.CodeValidation, "申报信息有误")
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// orNotFound passes a storage error through and turns "no" into not found.
func orNotFound(err error, what string) error {
	if err != nil {
		return err
	}
	return errNotFound(what)
}

// checkIdentityFrozen refuses a change of the frozen fields (SEC-1) while
// any of the person's applications is past draft/returned: once submitted,
// who they are and what they are judged on is corrected only by the city
// office (Server.CorrectApplicant).
func (t *txn) checkIdentityFrozen(ctx context.Context, cur, next model.Applicant) error {
	changed := model.FrozenChanges(cur, next)
	if len(changed) == 0 {
		return nil
	}
	stages, err := queryStrings(ctx, t.tx, `SELECT DISTINCT stage FROM applications WHERE applicant_id = ?`, cur.ID)
	if err != nil {
		return fmt.Errorf("identity check: %w", err)
	}
	for _, st := range stages {
		if model.Stage(st).FreezesIdentity() {
			return model.ErrIdentityFrozen(changed)
		}
	}
	return nil
}
