package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"titledesk/api"
	"titledesk/model"
)

const (
	// PasswordCost is the default bcrypt cost of every stored password
	// (Config.PasswordCost): admin tools and seeded worlds alike, so a
	// wrong password costs the same on every account.
	PasswordCost = 10

	maxFailedLogins = 5
	lockoutDuration = 15 * time.Minute
	// failureMemory is how long a username's failure count is kept after
	// its last wrong password.
	failureMemory    = 24 * time.Hour
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
	Address     string // the client's IP address (audit log)
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

// dummyHash is compared against when no password can be confirmed (no such
// account, or a disabled one), and after a comparison cheaper than the
// server's cost, so every login costs at least one comparison at that cost
// and its timing says nothing about the account (issue 8, hole 7).
func (s *Server) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		h, err := bcrypt.GenerateFromPassword([]byte("titledesk-no-such-user"), s.cfg.PasswordCost)
		if err != nil {
			panic(err) // only for a cost outside bcrypt's range, which Open refuses
		}
		s.dummy = h
	})
	return s.dummy
}

// checkPassword reports whether password matches hash (nil: no account
// whose password may be confirmed), always spending at least one bcrypt
// comparison at the server's cost.
func (s *Server) checkPassword(hash []byte, password string) bool {
	ok := hash != nil && compareHash(hash, []byte(password)) == nil
	if cost, err := bcrypt.Cost(hash); hash == nil || err != nil || cost < s.cfg.PasswordCost {
		compareHash(s.dummyHash(), []byte(password))
	}
	return ok
}

// compareHash is bcrypt's comparison; tests count the work it does.
var compareHash = bcrypt.CompareHashAndPassword

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req api.LoginRequest
	if err := readJSON(w, r, &req); err != nil {
		s.writeProblem(w, r, err)
		return
	}
	resp, err := s.login(r.Context(), req, clientAddress(r))
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// clientAddress is the peer's IP address, for the audit log and the login
// rate limit. The server does not trust X-Forwarded-For: behind a reverse
// proxy every client shares the proxy's address.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// loginAccount is the account row a login checks.
type loginAccount struct {
	acc      model.Account
	hash     []byte
	disabled bool
}

// login checks a username and password and opens a session on the device.
// Whether the account exists, is disabled or is locked, the answers and
// their cost are the same: bad_credentials, and account_locked after
// maxFailedLogins wrong passwords in a row for that username. A disabled
// account never confirms a password. Every outcome is audited.
func (s *Server) login(ctx context.Context, req api.LoginRequest, address string) (*api.LoginResponse, error) {
	fe := model.FieldErrors{}
	// A username with U+0000 or broken UTF-8 names no account (CreateAccount
	// refuses both); it is kept as text every store can hold.
	username := storableText(strings.TrimSpace(req.Username))
	if username == "" {
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
	if err := s.limiter.allow(username, address); err != nil {
		return nil, err
	}
	try := AuditEntry{Event: AuditLoginFailed, Username: username, Address: address, DeviceID: req.DeviceID}
	if left, err := s.lockedFor(ctx, username); err != nil {
		return nil, err
	} else if left > 0 {
		try.Code = model.CodeAccountLocked
		return nil, s.auditOnly(ctx, try, errAccountLocked(left))
	}
	la, found, err := s.loginAccount(ctx, username)
	if err != nil {
		return nil, err
	}
	var hash []byte
	if found && !la.disabled {
		hash = la.hash
	}
	if !s.checkPassword(hash, req.Password) {
		try.AccountID = la.acc.ID
		return nil, s.recordFailedLogin(ctx, try)
	}
	return s.startSession(ctx, la, req.DeviceID, address, req.Password)
}

func (s *Server) loginAccount(ctx context.Context, username string) (loginAccount, bool, error) {
	var (
		la             loginAccount
		unitID, applID sql.NullString
		disabled       int
	)
	err := s.reader.QueryRowContext(ctx, `SELECT id, username, name, role, unit_id, applicant_id, password_hash,
		disabled FROM accounts WHERE username = ?`, username).Scan(&la.acc.ID, &la.acc.Username,
		&la.acc.Name, &la.acc.Role, &unitID, &applID, &la.hash, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return la, false, nil
	}
	if err != nil {
		return la, false, fmt.Errorf("login: load account: %w", err)
	}
	la.acc.UnitID, la.acc.ApplicantID, la.disabled = unitID.String, applID.String, disabled != 0
	return la, true, nil
}

// lockedFor is how long username stays locked (0: not locked).
func (s *Server) lockedFor(ctx context.Context, username string) (time.Duration, error) {
	var until int64
	err := s.reader.QueryRowContext(ctx, `SELECT locked_until FROM login_failures WHERE username = ?`, username).Scan(&until)
	if err != nil && !isNoRows(err) {
		return 0, fmt.Errorf("login: load failures: %w", err)
	}
	return max(fromMillis(until).Sub(s.now()), 0), nil
}

// auditOnly records a refused login and answers with answer.
func (s *Server) auditOnly(ctx context.Context, e AuditEntry, answer error) error {
	if err := s.write(ctx, func(t *txn) error { return t.audit(ctx, e) }); err != nil {
		return fmt.Errorf("login: audit: %w", err)
	}
	return answer
}

// recordFailedLogin counts a wrong password for the username tried and
// locks it on the fifth in a row, whether or not an account has that name.
// It returns the error the caller answers with.
func (s *Server) recordFailedLogin(ctx context.Context, try AuditEntry) error {
	answer := errBadCredentials()
	err := s.write(ctx, func(t *txn) error {
		// Counters of usernames nobody has tried for a day are dropped, so
		// guessed names cannot grow the table without bound.
		if err := t.exec(ctx, `DELETE FROM login_failures WHERE updated_at < ?`,
			millis(t.now.Add(-failureMemory))); err != nil {
			return err
		}
		var failed int
		if err := t.tx.QueryRowContext(ctx, `INSERT INTO login_failures(username, failed, locked_until, updated_at)
			VALUES (?, 1, 0, ?) ON CONFLICT(username) DO UPDATE SET failed = login_failures.failed + 1, updated_at = excluded.updated_at
			RETURNING failed`, try.Username, millis(t.now)).Scan(&failed); err != nil {
			return err
		}
		try.Code = model.CodeBadCredentials
		if err := t.audit(ctx, try); err != nil {
			return err
		}
		if failed < maxFailedLogins {
			return nil
		}
		answer = errAccountLocked(lockoutDuration)
		if err := t.exec(ctx, `UPDATE login_failures SET failed = 0, locked_until = ? WHERE username = ?`,
			millis(t.now.Add(lockoutDuration)), try.Username); err != nil {
			return err
		}
		return t.audit(ctx, AuditEntry{Event: AuditLockout, AccountID: try.AccountID, Username: try.Username,
			Address: try.Address, DeviceID: try.DeviceID, Code: model.CodeAccountLocked,
			Detail: fmt.Sprintf("%d次密码错误，锁定%d分钟", maxFailedLogins, int(lockoutDuration/time.Minute))})
	})
	if err != nil {
		return fmt.Errorf("login: record failure: %w", err)
	}
	return answer
}

// startSession binds the device to the account, stores a new session and
// answers the login. Only the token's SHA-256 is kept: a copy of the
// database cannot log anyone in. A hash cheaper than the server's cost is
// replaced while the password is at hand.
func (s *Server) startSession(ctx context.Context, la loginAccount, deviceID, address, password string) (*api.LoginResponse, error) {
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("login: token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	var rehash []byte
	if cost, err := bcrypt.Cost(la.hash); err == nil && cost < s.cfg.PasswordCost {
		rehash, _ = bcrypt.GenerateFromPassword([]byte(password), s.cfg.PasswordCost)
	}
	entry := AuditEntry{Event: AuditLogin, AccountID: la.acc.ID, Username: la.acc.Username, Address: address,
		DeviceID: deviceID, Result: "ok"}
	var (
		answer   error
		cacheKey []byte
	)
	err := s.write(ctx, func(t *txn) error {
		if err := t.bindDevice(ctx, la.acc.ID, deviceID); err != nil {
			answer = err
			entry.Event, entry.Result, entry.Code = AuditLoginFailed, "", model.AsError(err).Code
			return t.audit(ctx, entry)
		}
		if err := t.exec(ctx, `DELETE FROM login_failures WHERE username = ?`, la.acc.Username); err != nil {
			return err
		}
		if rehash != nil {
			if err := t.exec(ctx, `UPDATE accounts SET password_hash = ? WHERE id = ?`, rehash, la.acc.ID); err != nil {
				return err
			}
		}
		if err := t.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`,
			millis(t.now.Add(-expiredSessionRetention))); err != nil {
			return err
		}
		if err := t.exec(ctx, `INSERT INTO sessions(token_hash, account_id, device_id, created_at, last_seen, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, hashToken(token), la.acc.ID, deviceID, millis(t.now), millis(t.now),
			millis(t.now.Add(s.cfg.AbsoluteTimeout))); err != nil {
			return err
		}
		var err error
		if cacheKey, err = t.cacheKey(ctx, la.acc.ID); err != nil {
			return err
		}
		return t.audit(ctx, entry)
	})
	if err != nil {
		return nil, fmt.Errorf("login: store session: %w", err)
	}
	if answer != nil {
		return nil, answer
	}
	resp := &api.LoginResponse{Token: token, ExpiresAt: s.now().Add(s.cfg.AbsoluteTimeout), User: la.acc, CacheKey: cacheKey}
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
		c.Address = clientAddress(r)
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
		if err := t.exec(r.Context(), `DELETE FROM sessions WHERE token_hash = ?`, c.tokenHash); err != nil {
			return err
		}
		return t.audit(r.Context(), AuditEntry{Event: AuditLogout, AccountID: c.AccountID, Username: c.Username,
			Address: c.Address, DeviceID: c.DeviceID, Result: "ok"})
	})
	if err != nil {
		s.writeProblem(w, r, fmt.Errorf("logout: %w", err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
