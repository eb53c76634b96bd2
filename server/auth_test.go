package server

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
)

func TestLogin(t *testing.T) {
	ts := newTestServer(t)
	device := api.NewUUID()
	tests := []struct {
		name   string
		req    api.LoginRequest
		status int
		code   string
	}{
		{"ok", api.LoginRequest{Username: userDept1, Password: testPassword, DeviceID: device}, 200, ""},
		{"wrong password", api.LoginRequest{Username: userDept1, Password: "wrong-password", DeviceID: device}, 401, model.CodeBadCredentials},
		{"unknown user says the same", api.LoginRequest{Username: "nobody", Password: testPassword, DeviceID: device}, 401, model.CodeBadCredentials},
		{"missing password", api.LoginRequest{Username: userDept1, Password: "", DeviceID: device}, 422, model.CodeValidation},
		{"bad device id", api.LoginRequest{Username: userDept1, Password: testPassword, DeviceID: "not-a-uuid"}, 422, model.CodeValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp api.LoginResponse
			var prob api.Problem
			out := any(&resp)
			if tt.code != "" {
				out = &prob
			}
			if status := ts.doJSON("POST", api.Base+"/sessions", "", tt.req, out); status != tt.status {
				t.Fatalf("status %d, want %d", status, tt.status)
			}
			if tt.code != "" {
				if prob.Code != tt.code {
					t.Fatalf("code %q, want %q", prob.Code, tt.code)
				}
				return
			}
			if len(resp.Token) != 43 || resp.User.Username != userDept1 || resp.Unit == nil || resp.Unit.ID != fx.D1 {
				t.Fatalf("unexpected login answer %+v", resp)
			}
		})
	}
	// Only the token's hash is stored.
	if n := ts.count(`SELECT COUNT(*) FROM sessions WHERE length(token_hash) = 32`); n != 1 {
		t.Fatalf("%d hashed sessions, want 1", n)
	}
}

func TestLoginLockout(t *testing.T) {
	ts := newTestServer(t)
	attempt := func(password string) (int, api.Problem) {
		var p api.Problem
		status := ts.doJSON("POST", api.Base+"/sessions", "", api.LoginRequest{Username: userDept1, Password: password, DeviceID: api.NewUUID()}, &p)
		return status, p
	}
	for i := 1; i < maxFailedLogins; i++ {
		if _, p := attempt("wrong"); p.Code != model.CodeBadCredentials {
			t.Fatalf("attempt %d: %q", i, p.Code)
		}
	}
	_, p := attempt("wrong")
	if p.Code != model.CodeAccountLocked || !strings.Contains(p.Detail, "15分钟") {
		t.Fatalf("fifth wrong password: %+v", p)
	}
	// Even the right password is refused while locked, with the minutes left.
	ts.clock.Advance(10 * time.Minute)
	if _, p := attempt(testPassword); p.Code != model.CodeAccountLocked || !strings.Contains(p.Detail, "5分钟") {
		t.Fatalf("while locked: %+v", p)
	}
	ts.clock.Advance(5 * time.Minute)
	if status, p := attempt(testPassword); status != 200 {
		t.Fatalf("after the lockout: %d %+v", status, p)
	}
	// A success resets the count: four more failures do not lock.
	for i := 1; i < maxFailedLogins; i++ {
		attempt("wrong")
	}
	if status, _ := attempt(testPassword); status != 200 {
		t.Fatalf("count was not reset by the successful login")
	}
}

func TestSessionExpiry(t *testing.T) {
	repeat := func(n int, d time.Duration, status int) (steps []time.Duration, want []int) {
		for i := 0; i < n; i++ {
			steps, want = append(steps, d), append(want, status)
		}
		return steps, want
	}
	keepAlive, alive := repeat(28, 25*time.Minute, 200) // 11h40m of steady use
	tests := []struct {
		name  string
		steps []time.Duration // clock advances, each followed by a request
		want  []int
	}{
		{"active within idle", []time.Duration{29 * time.Minute, 29 * time.Minute}, []int{200, 200}},
		{"idle too long", []time.Duration{31 * time.Minute}, []int{401}},
		{"absolute expiry despite use", append(keepAlive, 25*time.Minute), append(alive, 401)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, func(c *Config) { c.IdleTimeout = 30 * time.Minute; c.AbsoluteTimeout = 12 * time.Hour })
			c := ts.login(userDept1)
			for i, d := range tt.steps {
				ts.clock.Advance(d)
				resp := ts.do("GET", api.Base+"/sync/changes?limit=1", c.token, nil)
				if resp.StatusCode != tt.want[i] {
					t.Fatalf("step %d: status %d, want %d", i, resp.StatusCode, tt.want[i])
				}
				if resp.StatusCode == 401 {
					if p := problemOf(t, resp); p.Code != model.CodeSessionExpired {
						t.Fatalf("code %q, want session_expired", p.Code)
					}
				} else {
					resp.Body.Close()
				}
			}
		})
	}
}

func TestLogout(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userDept1)
	resp := ts.do("DELETE", api.Base+"/sessions/current", c.token, nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	resp = ts.do("GET", api.Base+"/sync/changes", c.token, nil)
	if p := problemOf(t, resp); p.Status != 401 || p.Code != model.CodeUnauthorized {
		t.Fatalf("after logout: %+v", p)
	}
}

func TestAuthRequired(t *testing.T) {
	ts := newTestServer(t)
	for _, header := range []string{"", "Bearer", "Bearer nonsense", "Basic abc"} {
		req, _ := http.NewRequest("GET", ts.http.URL+api.Base+"/sync/changes", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if p := problemOf(t, resp); p.Status != 401 || resp.Header.Get("WWW-Authenticate") == "" {
			t.Fatalf("%q: %+v", header, p)
		}
	}
}

func TestAdminAccounts(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.PasswordCost = PasswordCost })
	ctx := context.Background()
	acc, err := ts.srv.CreateAccount(ctx, NewAccount{Username: "newdept", Name: "新经办人", Role: model.RoleDepartment,
		UnitID: fx.D2, Password: "Another#Pass1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.srv.CreateAccount(ctx, NewAccount{Username: "newdept", Name: "重复", Role: model.RoleDepartment,
		UnitID: fx.D2, Password: "Another#Pass1"}); model.AsError(err).Code != model.CodeDuplicate {
		t.Fatalf("duplicate username: %v", err)
	}
	if _, err := ts.srv.CreateAccount(ctx, NewAccount{Username: "wrongkind", Name: "某", Role: model.RoleDepartment,
		UnitID: fx.E1, Password: "Another#Pass1"}); model.AsError(err).Code != model.CodeValidation {
		t.Fatalf("department account on an employer unit: %v", err)
	}
	login := func(password string) int {
		return ts.doJSON("POST", api.Base+"/sessions", "", api.LoginRequest{Username: acc.Username, Password: password, DeviceID: api.NewUUID()}, nil)
	}
	if login("Another#Pass1") != 200 {
		t.Fatal("new account cannot log in")
	}
	var hash []byte
	ts.srv.reader.QueryRow(`SELECT password_hash FROM accounts WHERE username = ?`, acc.Username).Scan(&hash)
	if !strings.HasPrefix(string(hash), "$2a$10$") {
		t.Fatalf("admin accounts must use bcrypt cost 10, got %.7s", hash)
	}
	if err := ts.srv.LockAccount(ctx, acc.Username); err != nil {
		t.Fatal(err)
	}
	if login("Another#Pass1") != 401 {
		t.Fatal("locked account logged in")
	}
	if err := ts.srv.UnlockAccount(ctx, acc.Username); err != nil {
		t.Fatal(err)
	}
	if err := ts.srv.ResetPassword(ctx, acc.Username, "Reset#Pass22"); err != nil {
		t.Fatal(err)
	}
	if login("Another#Pass1") != 401 || login("Reset#Pass22") != 200 {
		t.Fatal("reset password did not take")
	}
	if err := ts.srv.LockAccount(ctx, "nobody"); model.AsError(err).Code != model.CodeNotFound {
		t.Fatalf("lock unknown: %v", err)
	}
}

func TestAdminCreateUnit(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userDept1)
	_, cursor := c.pullAll("", nil)
	u, err := ts.srv.CreateUnit(context.Background(), model.Unit{ParentID: fx.D1, Kind: model.UnitEmployer,
		Name: "新建单位", CreditCode: model.MakeCreditCode("12120000MB0000099"), Type: model.UnitTypeEnterprise,
		Contact: "刘", Phone: "13912345678"})
	if err != nil {
		t.Fatal(err)
	}
	state, _ := c.pullAll(cursor, nil)
	if !state.has(api.KindUnit, u.ID) {
		t.Fatal("the department does not see its new unit")
	}
	if _, err := ts.srv.CreateUnit(context.Background(), model.Unit{Kind: model.UnitEmployer, Name: "x"}); model.AsError(err).Code != model.CodeUnitForm {
		t.Fatalf("invalid unit: %v", err)
	}
}

// TestLoginCacheKey (SEC-4): every password login hands out the account's
// desktop cache key — the same one each time, on any device, also after
// a password reset — and another account gets another key.
func TestLoginCacheKey(t *testing.T) {
	ts := newTestServer(t)
	first := ts.login(userDept1).login.CacheKey
	if len(first) != 32 {
		t.Fatalf("cache key of %d bytes", len(first))
	}
	if again := ts.login(userDept1).login.CacheKey; !bytes.Equal(again, first) {
		t.Error("a second login (another device) got another cache key")
	}
	if err := ts.srv.ResetPassword(context.Background(), userDept1, testPassword+"-new"); err != nil {
		t.Fatal(err)
	}
	var resp api.LoginResponse
	if status := ts.doJSON("POST", api.Base+"/sessions", "", api.LoginRequest{Username: userDept1,
		Password: testPassword + "-new", DeviceID: api.NewUUID()}, &resp); status != 200 || !bytes.Equal(resp.CacheKey, first) {
		t.Errorf("after a password reset: status %d, same key %v", status, bytes.Equal(resp.CacheKey, first))
	}
	if other := ts.login(userDept2).login.CacheKey; len(other) != 32 || bytes.Equal(other, first) {
		t.Error("two accounts share a cache key")
	}
	if n := ts.count(`SELECT COUNT(*) FROM cache_keys`); n != 2 {
		t.Errorf("%d cache keys stored, want 2", n)
	}
}
