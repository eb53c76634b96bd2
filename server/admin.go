package server

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"titledesk/api"
	"titledesk/model"
)

// The city office's tools (ACC-1): units and accounts are created here, not
// through self-service. Failures are *model.Error with Chinese messages the
// CLI prints as they are.

// NewAccount is the input of CreateAccount.
type NewAccount struct {
	Username string
	Name     string // the person's name, written into flow steps
	Role     model.Role
	UnitID   string // the account's unit; for an applicant, their employer unit
	// ApplicantID links an applicant account to an existing applicant
	// record; when empty a new record is created for the account.
	ApplicantID string
	Password    string
}

// CreateUnit creates a unit below ParentID (or a root: the city office, or an
// employer unit that will register itself with a superior). An empty ID gets
// a new UUID. The unit's locked fields can later be changed only by its
// superiors (UNIT-4).
func (s *Server) CreateUnit(ctx context.Context, u model.Unit) (model.Unit, error) {
	if u.ID == "" {
		u.ID = api.NewUUID()
	}
	if err := u.Validate(false); err != nil {
		return u, err
	}
	err := s.write(ctx, func(t *txn) error {
		if _, exists, err := t.unit(ctx, u.ID); err != nil || exists {
			return orDuplicate(err, "单位标识已存在")
		}
		if err := checkParent(ctx, t, u); err != nil {
			return err
		}
		u.HasEconomicsApplicants, u.Version, u.UpdatedAt = false, 1, t.now
		if err := t.putUnit(ctx, u, true); err != nil {
			return err
		}
		return t.auditAdmin(ctx, s.cfg.Operator, "create-unit", u.ID, u.Name)
	})
	if err != nil {
		return u, fmt.Errorf("create unit: %w", err)
	}
	return u, nil
}

// checkParent enforces the shape of the tree: the city office is a root,
// everything else hangs below an existing unit or is an unregistered root.
func checkParent(ctx context.Context, t *txn, u model.Unit) error {
	if u.ParentID == "" {
		return nil
	}
	if u.Kind == model.UnitCityOffice {
		return errValidation("parent_id", "市职称办不能有上级单位")
	}
	if _, ok, err := t.unit(ctx, u.ParentID); err != nil || !ok {
		return orNotFound(err, "上级单位")
	}
	return nil
}

// CreateAccount creates a login. The password is stored as a bcrypt hash
// (cost Config.PasswordCost).
func (s *Server) CreateAccount(ctx context.Context, in NewAccount) (model.Account, error) {
	acc := model.Account{ID: api.NewUUID(), Username: strings.TrimSpace(in.Username), Name: strings.TrimSpace(in.Name),
		Role: in.Role, UnitID: in.UnitID, ApplicantID: in.ApplicantID}
	if err := validateAccount(acc); err != nil {
		return acc, err
	}
	hash, err := hashPassword(in.Password, s.cfg.PasswordCost)
	if err != nil {
		return acc, err
	}
	err = s.write(ctx, func(t *txn) error {
		if err := t.linkAccount(ctx, &acc); err != nil {
			return err
		}
		if err := t.insertAccount(ctx, acc, hash); err != nil {
			return err
		}
		return t.auditAdmin(ctx, s.cfg.Operator, "create-account", acc.ID, acc.Username+" "+string(acc.Role))
	})
	if err != nil {
		return acc, fmt.Errorf("create account: %w", err)
	}
	return acc, nil
}

func validateAccount(a model.Account) error {
	fe := model.FieldErrors{}
	if n := utf8.RuneCountInString(a.Username); n < 2 || n > 64 || strings.ContainsAny(a.Username, " \t\r\n") ||
		!utf8.ValidString(a.Username) || strings.ContainsRune(a.Username, utf8.RuneError) ||
		strings.IndexFunc(a.Username, unicode.IsControl) >= 0 {
		fe.Add("username", "用户名应为2至64个字符且不含空格")
	}
	if a.Name == "" {
		fe.Add("name", "请填写姓名")
	}
	if !a.Role.Valid() {
		fe.Add("role", "角色无效（applicant、employer、department、city_office）")
	}
	if a.UnitID == "" {
		fe.Add("unit_id", "请指定所属单位")
	}
	return fe.Err(model.CodeValidation, "账户信息有误")
}

// wantKind is the unit kind each staff role belongs to.
var wantKind = map[model.Role]model.UnitKind{
	model.RoleEmployer:   model.UnitEmployer,
	model.RoleDepartment: model.UnitDepartment,
	model.RoleCityOffice: model.UnitCityOffice,
}

// linkAccount checks the account's unit and, for an applicant, links or
// creates the applicant record.
func (t *txn) linkAccount(ctx context.Context, acc *model.Account) error {
	u, ok, err := t.unit(ctx, acc.UnitID)
	if err != nil || !ok {
		return orNotFound(err, "所属单位")
	}
	if acc.Role != model.RoleApplicant {
		if u.Kind != wantKind[acc.Role] {
			return errValidation("unit_id", fmt.Sprintf("该角色的账户应属于%s", wantKind[acc.Role].Label()))
		}
		acc.ApplicantID = ""
		return nil
	}
	if u.Kind == model.UnitCityOffice {
		return errValidation("unit_id", "申报人应属于用人单位或职称业务主管部门")
	}
	if acc.ApplicantID != "" {
		p, ok, err := t.applicant(ctx, acc.ApplicantID)
		if err != nil || !ok {
			return orNotFound(err, "申报人")
		}
		acc.UnitID = p.UnitID
		return nil
	}
	acc.ApplicantID = api.NewUUID()
	return t.putApplicant(ctx, model.Applicant{ID: acc.ApplicantID, UnitID: acc.UnitID, Name: acc.Name,
		Version: 1, UpdatedAt: t.now})
}

func (t *txn) insertAccount(ctx context.Context, acc model.Account, hash []byte) error {
	err := t.exec(ctx, `INSERT INTO accounts(id, username, name, role, unit_id, applicant_id, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, acc.ID, acc.Username, acc.Name, acc.Role, nullable(acc.UnitID),
		nullable(acc.ApplicantID), hash, millis(t.now))
	if t.isUniqueViolation(err) {
		return orDuplicate(nil, "用户名“"+acc.Username+"”已被使用")
	}
	return err
}

func hashPassword(password string, cost int) ([]byte, error) {
	if utf8.RuneCountInString(password) < minPasswordLen || len(password) > maxPasswordBytes {
		return nil, errValidation("password", fmt.Sprintf("密码应为%d至%d个字符", minPasswordLen, maxPasswordBytes))
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// ResetPassword sets a new password, clears any lockout and ends the
// account's sessions.
func (s *Server) ResetPassword(ctx context.Context, username, password string) error {
	hash, err := hashPassword(password, s.cfg.PasswordCost)
	if err != nil {
		return err
	}
	return s.updateAccount(ctx, "reset-password", username, `UPDATE accounts SET password_hash = ? WHERE username = ?`, hash)
}

// LockAccount disables an account until UnlockAccount and ends its sessions.
func (s *Server) LockAccount(ctx context.Context, username string) error {
	return s.updateAccount(ctx, "lock", username, `UPDATE accounts SET disabled = 1 WHERE username = ?`)
}

// UnlockAccount re-enables an account and clears a password lockout.
func (s *Server) UnlockAccount(ctx context.Context, username string) error {
	return s.updateAccount(ctx, "unlock", username, `UPDATE accounts SET disabled = 0 WHERE username = ?`)
}

// updateAccount runs one account update (the username is its last
// argument), clears the username's failed logins, revokes the account's
// sessions and audits the action, all in one transaction.
func (s *Server) updateAccount(ctx context.Context, action, username, update string, args ...any) error {
	username = strings.TrimSpace(username)
	err := s.write(ctx, func(t *txn) error {
		res, err := t.tx.ExecContext(ctx, update, append(args, username)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNotFound("账户")
		}
		var id string
		if err := t.tx.QueryRowContext(ctx, `SELECT id FROM accounts WHERE username = ?`, username).Scan(&id); err != nil {
			return err
		}
		if err := t.exec(ctx, `DELETE FROM login_failures WHERE username = ?`, username); err != nil {
			return err
		}
		if err := t.exec(ctx, `DELETE FROM sessions WHERE account_id = ?`, id); err != nil {
			return err
		}
		return t.auditAdmin(ctx, s.cfg.Operator, action, id, username)
	})
	if err != nil {
		return fmt.Errorf("update account: %w", err)
	}
	return nil
}

// auditAdmin records a city office tool's action: who ran it (the
// operator), what it did and to which entity. detail names the target; it
// never holds a password or an ID number.
func (t *txn) auditAdmin(ctx context.Context, operator, action, entityID, detail string) error {
	return t.audit(ctx, AuditEntry{Event: AuditAdmin, Username: operator, CommandType: action, EntityID: entityID,
		Result: "ok", Detail: detail})
}

// CorrectApplicant is the city office's correction of an applicant's frozen
// personal data (SEC-1), e.g. a misspelt name on an application in review.
// fields maps frozen field keys (model.FrozenApplicantFields) to their new
// values; gender and birth date follow the ID number. It changes the live
// record only: every application keeps the copy it was submitted and
// decided with, so no decided step is rewritten; the correction reaches an
// application at its next submission. reason (e.g. the document that
// proves the correct value) is required and audited with the field names,
// never the values.
func (s *Server) CorrectApplicant(ctx context.Context, applicantID, reason string, fields map[string]string) (model.Applicant, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return model.Applicant{}, errValidation("reason", "请填写更正依据")
	}
	if len(fields) == 0 {
		return model.Applicant{}, errValidation("fields", "请指定要更正的字段")
	}
	var next model.Applicant
	err := s.write(ctx, func(t *txn) error {
		cur, ok, err := t.applicant(ctx, applicantID)
		if err != nil || !ok {
			return orNotFound(err, "申报人")
		}
		next = cur
		for key, v := range fields {
			f, known := model.FrozenFieldByKey(key)
			if !known || !f.Set(&next, strings.TrimSpace(v)) {
				return errValidation(key, "只能更正以下字段："+correctableKeys()+"（性别和出生日期随身份证号更正）")
			}
		}
		if err := model.CleanInput(&next); err != nil {
			return err
		}
		if err := next.Validate(model.DateOf(t.now)); err != nil {
			return err
		}
		changed := model.FrozenChanges(cur, next)
		if len(changed) == 0 {
			return errValidation("fields", "更正后的内容与原内容相同")
		}
		keys := make([]string, len(changed))
		for i, f := range changed {
			keys[i] = f.Key
		}
		next.Version, next.UpdatedAt = cur.Version+1, t.now
		if err := t.putApplicant(ctx, next); err != nil {
			return err
		}
		return t.audit(ctx, AuditEntry{Event: AuditIdentityFixed, Username: s.cfg.Operator, CommandType: "correct-applicant",
			EntityID: applicantID, Result: "ok", Detail: "更正" + strings.Join(keys, ",") + "；依据：" + reason})
	})
	if err != nil {
		return next, fmt.Errorf("correct applicant: %w", err)
	}
	return next, nil
}

func correctableKeys() string {
	var keys []string
	for _, f := range model.FrozenApplicantFields {
		if f.Set(&model.Applicant{}, "") {
			keys = append(keys, f.Key)
		}
	}
	return strings.Join(keys, "、")
}
