package model

import (
	"fmt"
	"time"
)

// Units lets the state machine walk the hierarchy without knowing where it
// is stored: the server answers from its database, the client from its cache.
type Units interface {
	Unit(id string) (Unit, bool)
}

// Env is the world a transition is decided in.
type Env struct {
	Now      time.Time
	Units    Units
	Calendar *Calendar
}

// Actor is who sends a command.
type Actor struct {
	Role        Role
	UnitID      string
	ApplicantID string
	Person      string // the account's name, written into flow steps
}

// Transition is what the actor wants done to one application.
type Transition struct {
	Action         Action
	Opinion        string
	Recommendation *Recommendation // 本单位人员审核 / employer unit pass (REV-5)
	Appointment    *Appointment    // 自主聘任审核 pass (REV-11)
	Attachments    []Attachment    // uploaded with this step
	CertificateNo  string          // certify
	// Applicant is the applicant's current record, required by submit:
	// the application keeps a copy of it (SEC-1).
	Applicant *Applicant
	Problems  []ReturnProblem // reject: the 一次性告知 list (BEY-3)
	Fixed     []int           // submit after a return: the problems marked fixed
}

// CheckVersion refuses a command decided on an older version of the application.
func CheckVersion(app Application, base int64) error {
	if base != 0 && base != app.Version {
		return Errorf(KindConflict, CodeVersionConflict, "申报信息已被他人更新",
			"您审核时看到的是第%d版，服务器上已是第%d版，请刷新后重新审核", base, app.Version)
	}
	return nil
}

// Apply decides t for app as actor and returns the application after it, with
// the new flow step appended and the version incremented. app itself is not
// modified, so a refused transition leaves nothing half done. Server and
// client run this same function: the client optimistically, the server for real.
func Apply(app Application, actor Actor, t Transition, env Env) (Application, error) {
	var (
		next move
		err  error
	)
	switch t.Action {
	case ActionSubmit:
		next, err = decideSubmit(app, actor, t, env)
		if err == nil {
			err = validateFixed(app, t.Fixed)
		}
	case ActionPass:
		next, err = decidePass(app, actor, t, env)
	case ActionReject:
		next, err = decideReject(app, actor, t, env)
	case ActionWithdraw:
		next, err = decideWithdraw(app, actor)
	case ActionCertify:
		next, err = decideCertify(app, actor, t)
	default:
		err = Errorf(KindInvalid, CodeBadRequest, "未知操作", "不支持的操作：%s", t.Action)
	}
	if err != nil {
		return app, err
	}
	return commit(app, actor, t, next, env), nil
}

// move is where the application goes.
type move struct {
	stage  Stage
	holder string
}

func commit(app Application, actor Actor, t Transition, to move, env Env) Application {
	out := app
	out.Flow = append(append([]FlowStep(nil), app.Flow...), FlowStep{
		Seq:        len(app.Flow) + 1,
		UnitID:     actor.UnitID,
		UnitName:   unitName(env, actor),
		Person:     actor.Person,
		Action:     t.Action,
		Opinion:    t.Opinion,
		At:         env.Now,
		FromStage:  app.Stage,
		FromHolder: app.HolderUnitID,
		ToStage:    to.stage,
		ToHolder:   to.holder,
		Problems:   append([]ReturnProblem(nil), t.Problems...),
		Fixed:      append([]int(nil), t.Fixed...),
	})
	out.Stage, out.HolderUnitID = to.stage, to.holder
	out.Version = app.Version + 1
	out.UpdatedAt = env.Now
	now := env.Now
	switch t.Action {
	case ActionSubmit:
		out.SubmittedAt, out.ReturnedAt = &now, nil
		out.Applicant = snapshot(t.Applicant)
	case ActionReject:
		out.ReturnedAt = &now
	case ActionPass:
		if t.Recommendation != nil {
			r := *t.Recommendation
			out.Recommendation = &r
		}
		if t.Appointment != nil {
			a := *t.Appointment
			out.Appointment = &a
		}
		out.Attachments = mergeAttachments(app.Attachments, t.Attachments, t.Recommendation)
	case ActionCertify:
		out.CertificateNo = t.CertificateNo
	}
	return out
}

func unitName(env Env, actor Actor) string {
	if actor.Role == RoleApplicant {
		return "申报人"
	}
	if u, ok := env.Units.Unit(actor.UnitID); ok {
		return u.Name
	}
	return ""
}

func mergeAttachments(have, added []Attachment, rec *Recommendation) []Attachment {
	out := append([]Attachment(nil), have...)
	seen := make(map[string]bool, len(out))
	for _, a := range out {
		seen[a.SHA256+string(a.Kind)] = true
	}
	all := append([]Attachment(nil), added...)
	if rec != nil {
		all = append(all, rec.Attachments...)
	}
	for _, a := range all {
		if key := a.SHA256 + string(a.Kind); !seen[key] {
			seen[key] = true
			out = append(out, a)
		}
	}
	return out
}

func decideSubmit(app Application, actor Actor, t Transition, env Env) (move, error) {
	if actor.Role != RoleApplicant || actor.ApplicantID != app.ApplicantID {
		return move{}, forbidden("只有申报人本人可以提交申报")
	}
	if app.Stage != StageDraft && app.Stage != StageReturned {
		return move{}, invalidTransition(app, "申报已提交，正在审核中")
	}
	if t.Applicant == nil || t.Applicant.ID != app.ApplicantID {
		return move{}, Errorf(KindInternal, CodeInternal, "缺少申报人信息", "提交申报时未能读取申报人信息，请稍后重试")
	}
	u, ok := env.Units.Unit(app.UnitID)
	if !ok {
		return move{}, Errorf(KindInvalid, CodeValidation, "申报单位不存在", "请选择申报单位后再提交")
	}
	switch u.Kind {
	case UnitDepartment:
		return move{StageOwnUnit, u.ID}, nil
	case UnitEmployer:
		return move{StageUnitReview, u.ID}, nil
	}
	return move{}, Errorf(KindInvalid, CodeValidation, "申报单位无效", "%s不能作为申报单位", u.Kind.Label())
}

// reviewRole is the role that acts in a stage.
func reviewRole(s Stage) (Role, bool) {
	switch s {
	case StageUnitReview:
		return RoleEmployer, true
	case StageOwnUnit, StageSubordinate, StageForward, StageSelfAppoint, StageExam:
		return RoleDepartment, true
	case StageCommittee, StageCityOffice:
		return RoleCityOffice, true
	}
	return "", false
}

// checkHolder makes sure actor may review app in its current stage.
func checkHolder(app Application, actor Actor, what string) error {
	role, reviewing := reviewRole(app.Stage)
	if !reviewing {
		return invalidTransition(app, fmt.Sprintf("当前状态为“%s”，不能%s", app.Stage.Label(), what))
	}
	if actor.Role != role {
		return forbidden(fmt.Sprintf("当前环节为“%s”，您的账户不能%s", app.Stage.Label(), what))
	}
	if actor.UnitID != app.HolderUnitID {
		return Errorf(KindConflict, CodeNotHolder, "该申报已不在您的待审核列表中",
			"该申报当前处于“%s”环节，由其他单位办理", app.Stage.Label())
	}
	return nil
}

func decidePass(app Application, actor Actor, t Transition, env Env) (move, error) {
	if err := checkHolder(app, actor, "审核通过"); err != nil {
		return move{}, err
	}
	if err := ValidateOpinion(t.Opinion, false); err != nil {
		return move{}, err
	}
	if err := validateAttachments(t.Attachments); err != nil {
		return move{}, err
	}
	if err := requirePassForms(app, t, env); err != nil {
		return move{}, err
	}
	return nextAfterPass(app, env)
}

// requirePassForms enforces what each queue needs before 通过 (REV-5, REV-11).
func requirePassForms(app Application, t Transition, env Env) error {
	switch {
	case app.Stage == StageOwnUnit, app.Stage == StageUnitReview && app.HolderUnitID == app.UnitID:
		// The applicant's own unit recommends and publicises; superior
		// employer units and departments only review (REV-9).
		return requireRecommendation(app, t, env)
	case app.Stage == StageSelfAppoint:
		if t.Appointment == nil {
			return &Error{Kind: KindInvalid, Code: CodeAppointment, Title: "请填写聘任信息",
				Detail: "自主聘任审核通过前必须填写聘任时间等聘任信息", Fields: map[string]string{"appoint_date": "请填写聘任时间"}}
		}
		return t.Appointment.Validate()
	case app.Stage == StageCityOffice:
		return invalidTransition(app, "市职称办审核环节请使用发放证书")
	}
	return nil
}

func requireRecommendation(app Application, t Transition, env Env) error {
	rec := t.Recommendation
	if rec == nil {
		return &Error{Kind: KindInvalid, Code: CodeRecommendation, Title: "请填写推荐和公示信息",
			Detail: "本单位人员审核通过前必须填写单位推荐和公示情况并上传附件"}
	}
	if err := rec.Validate(env.Calendar); err != nil {
		return err
	}
	if err := rec.CheckPublicityOver(ChinaDate(env.Now)); err != nil {
		return err
	}
	files := append(append([]Attachment(nil), rec.Attachments...), t.Attachments...)
	if err := validateAttachments(rec.Attachments); err != nil {
		return err
	}
	if len(files) == 0 {
		return &Error{Kind: KindInvalid, Code: CodeAttachmentMissing, Title: "请上传附件",
			Detail: "单位推荐和公示信息需上传附件后才能提交", Fields: map[string]string{"attachments": "请上传公示材料等附件"}}
	}
	u, _ := env.Units.Unit(app.UnitID)
	if u.PostManaged && !hasKind(files, AttachPostStatusForm) {
		return &Error{Kind: KindInvalid, Code: CodePostStatusForm, Title: "缺少事业单位岗位情况表",
			Detail: "全面实行岗位管理的事业单位必须上传“事业单位岗位情况表”",
			Fields: map[string]string{"attachments": "请上传事业单位岗位情况表"}}
	}
	return nil
}

func hasKind(files []Attachment, k AttachmentKind) bool {
	for _, f := range files {
		if f.Kind == k {
			return true
		}
	}
	return false
}

func validateAttachments(files []Attachment) error {
	for _, f := range files {
		if !validSHA256(f.SHA256) || f.Name == "" || !f.Kind.Valid() || f.Size <= 0 {
			return &Error{Kind: KindInvalid, Code: CodeValidation, Title: "附件信息有误",
				Detail: "附件“" + f.Name + "”的信息不完整，请重新上传", Fields: map[string]string{"attachments": "附件信息不完整"}}
		}
	}
	return nil
}

// validSHA256 reports a lower-case hex SHA-256 digest.
func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// ValidSHA256 is exported for the transports that name files by hash.
func ValidSHA256(s string) bool { return validSHA256(s) }

// nextAfterPass routes an application after the holder passes it (DESIGN §3).
func nextAfterPass(app Application, env Env) (move, error) {
	switch app.Stage {
	case StageUnitReview:
		return upFrom(app, app.HolderUnitID, env)
	case StageOwnUnit, StageSubordinate:
		return move{app.Method.Queue(), app.HolderUnitID}, nil
	case StageForward:
		return upFrom(app, app.HolderUnitID, env)
	case StageSelfAppoint, StageExam, StageCommittee:
		office, err := cityOffice(app.HolderUnitID, env)
		return move{StageCityOffice, office}, err
	}
	return move{}, invalidTransition(app, "当前环节不能审核通过")
}

// upFrom is where a unit's pass sends the application: its superior's
// 下级单位人员审核 when that is a department, the superior unit's review when it
// is an employer unit, the review committee side when it is the city office.
func upFrom(app Application, unitID string, env Env) (move, error) {
	u, ok := env.Units.Unit(unitID)
	if !ok {
		return move{}, brokenHierarchy(unitID)
	}
	p, ok := env.Units.Unit(u.ParentID)
	if !ok {
		return move{}, brokenHierarchy(u.ParentID)
	}
	switch p.Kind {
	case UnitDepartment:
		return move{StageSubordinate, p.ID}, nil
	case UnitEmployer:
		return move{StageUnitReview, p.ID}, nil
	}
	if app.Method == MethodPanelReview {
		return move{StageCommittee, p.ID}, nil
	}
	return move{StageCityOffice, p.ID}, nil
}

// cityOffice walks up to the root of the hierarchy.
func cityOffice(unitID string, env Env) (string, error) {
	id := unitID
	for i := 0; i < 64; i++ {
		u, ok := env.Units.Unit(id)
		if !ok {
			return "", brokenHierarchy(id)
		}
		if u.Kind == UnitCityOffice {
			return u.ID, nil
		}
		id = u.ParentID
	}
	return "", brokenHierarchy(unitID)
}

func brokenHierarchy(id string) error {
	return Errorf(KindInternal, CodeInternal, "单位层级数据有误", "找不到上级单位（%s），请联系市职称办", id)
}

func decideReject(app Application, actor Actor, t Transition, _ Env) (move, error) {
	if err := checkHolder(app, actor, "退回"); err != nil {
		return move{}, err
	}
	if err := ValidateReturn(t.Opinion, t.Problems); err != nil {
		return move{}, err
	}
	return move{StageReturned, ""}, nil
}

// decideWithdraw allows 撤回 only while the next holder has not acted: the
// last step must be this unit's pass (REV-13).
func decideWithdraw(app Application, actor Actor) (move, error) {
	if actor.Role == RoleApplicant {
		return move{}, forbidden("申报人不能撤回审核")
	}
	last, ok := app.LastStep()
	if ok && last.Action == ActionPass && last.UnitID == actor.UnitID &&
		app.Stage == last.ToStage && app.HolderUnitID == last.ToHolder {
		return move{last.FromStage, last.FromHolder}, nil
	}
	if ok && last.Action == ActionWithdraw && last.UnitID == actor.UnitID {
		// A second 撤回 (a double-click, or a queued duplicate): the first one
		// already brought it back; nothing is left to take back.
		return move{}, &Error{Kind: KindConflict, Code: CodeNothingToWithdraw, Title: "没有可撤回的操作",
			Detail: fmt.Sprintf("该申报已撤回，现处于“%s”，没有可撤回的操作", app.Stage.Label())}
	}
	if !app.PassedBy(actor.UnitID) {
		return move{}, invalidTransition(app, "本单位未审核通过该申报，无法撤回")
	}
	return move{}, &Error{Kind: KindConflict, Code: CodeWithdrawTooLate, Title: "无法撤回",
		Detail: fmt.Sprintf("上一级已经办理（%s %s），无法撤回", last.UnitName, last.Action.Label())}
}

func decideCertify(app Application, actor Actor, t Transition) (move, error) {
	if app.Stage != StageCityOffice {
		return move{}, invalidTransition(app, "只有市职称办审核环节可以发放证书")
	}
	if err := checkHolder(app, actor, "发放证书"); err != nil {
		return move{}, err
	}
	if t.CertificateNo == "" {
		return move{}, &Error{Kind: KindInvalid, Code: CodeCertificateRequired, Title: "请填写证书编号",
			Detail: "发放电子证书需要证书编号", Fields: map[string]string{"certificate_no": "请填写证书编号"}}
	}
	return move{StageCertified, ""}, nil
}

// LastStep is the newest flow step.
func (a Application) LastStep() (FlowStep, bool) {
	if len(a.Flow) == 0 {
		return FlowStep{}, false
	}
	return a.Flow[len(a.Flow)-1], true
}

// PassedBy reports whether unitID ever passed this application.
func (a Application) PassedBy(unitID string) bool {
	for _, s := range a.Flow {
		if s.UnitID == unitID && s.Action == ActionPass {
			return true
		}
	}
	return false
}

// ReviewedBy reports whether unitID ever passed or returned this application:
// that puts it on the unit's 已审核列表.
func (a Application) ReviewedBy(unitID string) bool {
	for _, s := range a.Flow {
		if s.UnitID == unitID && (s.Action == ActionPass || s.Action == ActionReject) {
			return true
		}
	}
	return false
}

// CanWithdraw reports whether unitID may 撤回 now (for enabling the button).
func (a Application) CanWithdraw(unitID string) bool {
	last, ok := a.LastStep()
	return ok && last.Action == ActionPass && last.UnitID == unitID &&
		a.Stage == last.ToStage && a.HolderUnitID == last.ToHolder
}

func forbidden(detail string) error {
	return &Error{Kind: KindForbidden, Code: CodeForbidden, Title: "无权执行此操作", Detail: detail}
}

func invalidTransition(app Application, detail string) error {
	return &Error{Kind: KindConflict, Code: CodeInvalidTransition, Title: "当前环节不能执行此操作", Detail: detail}
}
