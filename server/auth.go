package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	gosync "sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"titledesk/api"
	"titledesk/model"
)

const (
	// PasswordCost is the bcrypt cost of passwords set through the admin tools.
	PasswordCost = 10
	// SeedPasswordCost is the bcrypt cost of accounts loaded by ImportWorld:
	// demo and benchmark worlds hold thousands of accounts with published
	// passwords, and cost 10 would make seeding take minutes for no security.
	SeedPasswordCost = 4

	maxFailedLogins  = 5
	lockoutDuration  = 15 * time.Minute
	minPasswordLen   = 8
	maxPasswordBytes = 72 // bcrypt's limit
	tokenBytes       = 32
	// lastSeenGranularity bounds how often a request writes the session's
	// last use: idle expiry needs minutes, not milliseconds.
	lastSeenGranularity = time.Minute
	// expiredSessionRetention keeps expired sessions long enough to answer
	// session_expired rather than unauthorized, then purges them.
	expiredSessionRetention = 7 * 24 * time.Hour
)

// caller is the authenticated account behind a request.
type caller struct {
	AccountID   string
	Username    string
	Name        string
	Role        model.Role
	UnitID      string
	ApplicantID string
	DeviceID    string
	tokenHash   []byte
}

func (c *caller) actor() model.Actor {
	return model.Actor{Role: c.Role, UnitID: c.UnitID, ApplicantID: c.ApplicantID, Person: c.Name}
}

func errBadCredentials() error {
	return &model.Error{Kind: model.KindAuth, Code: model.CodeBadCredentials, Title: "用户名或密码错误",
		Detail: "用户名或密码错误，请重新输入"}
}

func errAccountLocked(left time.Duration) error {
	minutes := int((left + time.Minute - 1) / time.Minute)
	return &model.Error{Kind: model.KindAuth, Code: model.CodeAccountLocked, Title: "账户已锁定",
		Detail: fmt.Sprintf("连续输错密码%d次，账户已锁定，请%d分钟后再试", maxFailedLogins, max(minutes, 1))}
}

func errAccountDisabled() error {
	return &model.Error{Kind: model.KindAuth, Code: model.CodeAccountLocked, Title: "账户已停用",
		Detail: "该账户已被市职称办停用，请联系市职称办"}
}

func errSessionExpired() error {
	return &model.Error{Kind: model.KindAuth, Code: model.CodeSessionExpired, Title: "登录已过期",
		Detail: "登录已过期，请重新登录"}
}

// dummyHash is compared against when the username is unknown, so a wrong
// username costs as long as a wrong password and says nothing about which.
var dummyHash = gosync.OnceValue(func() []byte {
	h, err := bcrypt.GenerateFromPassword([]byte("titledesk-no-such-user"), PasswordCost)
	if err != nil {
		panic(err)
	}
	return h
})

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req api.LoginRequest
	if err := readJSON(w, r, &req); err != nil {
		s.writeProblem(w, r, err)
		return
	}
	resp, err := s.login(r.Context(), req)
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// loginAccount is the account row a login checks.
type loginAccount struct {
	acc         model.Account
	hash        []byte
	lockedUntil int64
	disabled    bool
}

func (s *Server) login(ctx context.Context, req api.LoginRequest) (*api.LoginResponse, error) {
	fe := model.FieldErrors{}
	if strings.TrimSpace(req.Username) == "" {
		fe.Add("username", "请输入用户名")
	}
	if req.Password == "" {
		fe.Add("password", "请输入密码")
	}
	if !api.ValidUUID(req.DeviceID) {
		fe.Add("device_id", "设备标识无效")
	}
	if err := fe.Err(model.CodeValidation, "登录信息不完整"); err != nil {
		return nil, err
	}
	la, found, err := s.loginAccount(ctx, strings.TrimSpace(req.Username))
	if err != nil {
		return nil, err
	}
	if !found {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(req.Password))
		return nil, errBadCredentials()
	}
	now := s.now()
	if left := fromMillis(la.lockedUntil).Sub(now); left > 0 {
		return nil, errAccountLocked(left)
	}
	if bcrypt.CompareHashAndPassword(la.hash, []byte(req.Password)) != nil {
		return nil, s.recordFailedLogin(ctx, la.acc.ID)
	}
	if la.disabled {
		return nil, errAccountDisabled()
	}
	token, err := s.startSession(ctx, la.acc.ID, req.DeviceID)
	if err != nil {
		return nil, err
	}
	resp := &api.LoginResponse{Token: token, ExpiresAt: now.Add(s.cfg.AbsoluteTimeout), User: la.acc}
	if la.acc.UnitID != "" {
		var u model.Unit
		if ok, err := loadJSON(ctx, s.reader, &u, `SELECT data FROM units WHERE id = ?`, la.acc.UnitID); err != nil {
			return nil, fmt.Errorf("login: load unit: %w", err)
		} else if ok {
			resp.Unit = &u
		}
	}
	return resp, nil
}

func (s *Server) loginAccount(ctx context.Context, username string) (loginAccount, bool, error) {
	var (
		la             loginAccount
		unitID, applID sql.NullString
		disabled       int
	)
	err := s.reader.QueryRowContext(ctx, `SELECT id, username, name, role, unit_id, applicant_id, password_hash,
		locked_until, disabled FROM accounts WHERE username = ?`, username).Scan(&la.acc.ID, &la.acc.Username,
		&la.acc.Name, &la.acc.Role, &unitID, &applID, &la.hash, &la.lockedUntil, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return la, false, nil
	}
	if err != nil {
		return la, false, fmt.Errorf("login: load account: %w", err)
	}
	la.acc.UnitID, la.acc.ApplicantID, la.disabled = unitID.String, applID.String, disabled != 0
	return la, true, nil
}

// recordFailedLogin counts a wrong password and locks the account on the
// fifth in a row. It returns the error the caller answers with.
func (s *Server) recordFailedLogin(ctx context.Context, accountID string) error {
	answer := errBadCredentials()
	err := s.write(ctx, func(t *txn) error {
		var failed int
		if err := t.tx.QueryRowContext(ctx, `UPDATE accounts SET failed_logins = failed_logins + 1
			WHERE id = ? RETURNING failed_logins`, accountID).Scan(&failed); err != nil {
			return err
		}
		if failed < maxFailedLogins {
			return nil
		}
		answer = errAccountLocked(lockoutDuration)
		return t.exec(ctx, `UPDATE accounts SET failed_logins = 0, locked_until = ? WHERE id = ?`,
			millis(t.now.Add(lockoutDuration)), accountID)
	})
	if err != nil {
		return fmt.Errorf("login: record failure: %w", err)
	}
	return answer
}

// startSession stores a new session and returns its bearer token. Only the
// token's SHA-256 is kept: a copy of the database cannot log anyone in.
func (s *Server) startSession(ctx context.Context, accountID, deviceID string) (string, error) {
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("login: token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	err := s.write(ctx, func(t *txn) error {
		if err := t.exec(ctx, `UPDATE accounts SET failed_logins = 0, locked_until = 0 WHERE id = ?`, accountID); err != nil {
			return err
		}
		if err := t.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`,
			millis(t.now.Add(-expiredSessionRetention))); err != nil {
			return err
		}
		return t.exec(ctx, `INSERT INTO sessions(token_hash, account_id, device_id, created_at, last_seen, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, hashToken(token), accountID, deviceID, millis(t.now), millis(t.now),
			millis(t.now.Add(s.cfg.AbsoluteTimeout)))
	})
	if err != nil {
		return "", fmt.Errorf("login: store session: %w", err)
	}
	return token, nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// authed wraps a handler that needs a valid session.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, *caller)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.authenticate(r.Context(), r.Header.Get("Authorization"))
		if err != nil {
			s.writeProblem(w, r, err)
			return
		}
		h(w, r, c)
	}
}

func (s *Server) authenticate(ctx context.Context, header string) (*caller, error) {
	scheme, token, ok := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > 128 {
		return nil, errUnauthorized()
	}
	c := &caller{tokenHash: hashToken(token)}
	var (
		unitID, applID             sql.NullString
		lastSeen, expiresAt, disab int64
	)
	err := s.reader.QueryRowContext(ctx, `SELECT a.id, a.username, a.name, a.role, a.unit_id, a.applicant_id,
		a.disabled, s.device_id, s.last_seen, s.expires_at
		FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = ?`, c.tokenHash).Scan(
		&c.AccountID, &c.Username, &c.Name, &c.Role, &unitID, &applID, &disab, &c.DeviceID, &lastSeen, &expiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUnauthorized()
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if disab != 0 {
		return nil, errAccountDisabled()
	}
	c.UnitID, c.ApplicantID = unitID.String, applID.String
	now := s.now()
	if !now.Before(fromMillis(expiresAt)) || now.Sub(fromMillis(lastSeen)) >= s.cfg.IdleTimeout {
		return nil, errSessionExpired()
	}
	if now.Sub(fromMillis(lastSeen)) >= min(lastSeenGranularity, s.cfg.IdleTimeout/10) {
		err := s.write(ctx, func(t *txn) error {
			return t.exec(ctx, `UPDATE sessions SET last_seen = ? WHERE token_hash = ?`, millis(t.now), c.tokenHash)
		})
		if err != nil {
			return nil, fmt.Errorf("authenticate: touch session: %w", err)
		}
	}
	return c, nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, c *caller) {
	err := s.write(r.Context(), func(t *txn) error {
		return t.exec(r.Context(), `DELETE FROM sessions WHERE token_hash = ?`, c.tokenHash)
	})
	if err != nil {
		s.writeProblem(w, r, fmt.Errorf("logout: %w", err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
