package app_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"titledesk/app"
	"titledesk/app/apptest"
	"titledesk/model"
	"titledesk/server/demo"
)

func loginError(t *testing.T, err error) *app.LoginError {
	t.Helper()
	var le *app.LoginError
	if !errors.As(err, &le) {
		t.Fatalf("want *app.LoginError, got %T %v", err, err)
	}
	return le
}

func TestLoginFailuresAreChinese(t *testing.T) {
	f := apptest.Server(t)
	tests := []struct {
		name string
		c    app.Credentials
		want string
	}{
		{"wrong password", app.Credentials{ServerURL: f.URL, Username: "demo", Password: "nope"}, "用户名或密码错误"},
		{"unknown user", app.Credentials{ServerURL: f.URL, Username: "nobody", Password: "x"}, "用户名或密码错误"},
		{"bad address", app.Credentials{ServerURL: "zc.example", Username: "demo", Password: "x"}, "服务器地址格式不正确"},
		{"unreachable, never online", app.Credentials{ServerURL: "http://127.0.0.1:1", Username: "demo", Password: "x"}, "无法连接服务器"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := apptest.Open(t)
			le := loginError(t, a.Session.Login(context.Background(), tt.c))
			if !strings.Contains(le.Message, tt.want) || le.OfflinePossible {
				t.Fatalf("message %q offline %v, want %q and no offline login", le.Message, le.OfflinePossible, tt.want)
			}
			if _, ok := a.Session.Me(); ok {
				t.Fatal("logged in after a failed login")
			}
		})
	}
}

func TestLockedAccount(t *testing.T) {
	f := apptest.Server(t)
	a := apptest.Open(t)
	bad := app.Credentials{ServerURL: f.URL, Username: "demo", Password: "wrong-password"}
	var le *app.LoginError
	for range 6 {
		le = loginError(t, a.Session.Login(context.Background(), bad))
	}
	if !strings.Contains(le.Message, "锁定") {
		t.Fatalf("after six wrong passwords: %q, want a lockout message", le.Message)
	}
	le = loginError(t, a.Session.Login(context.Background(), f.Demo()))
	if !strings.Contains(le.Message, "锁定") {
		t.Fatalf("right password while locked: %q", le.Message)
	}
}

func TestLoginSyncsDashboard(t *testing.T) {
	f := apptest.Server(t)
	a := apptest.Open(t)
	ctx := context.Background()
	if err := a.Session.Login(ctx, f.Demo()); err != nil {
		t.Fatal(err)
	}
	me, ok := a.Session.Me()
	if !ok || me.UnitID != demo.DemoDepartmentID || me.UnitName == "" || me.Offline {
		t.Fatalf("me = %+v %v", me, ok)
	}
	d, err := a.Dashboard.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first, second := expectedCounts(f.World)
	if d.FirstReview != first || d.SecondReview != second || first == 0 || second == 0 {
		t.Fatalf("待初审 %d 待复审 %d, want %d and %d", d.FirstReview, d.SecondReview, first, second)
	}
	if len(d.FirstReviewTop) == 0 || len(d.SecondReviewTop) == 0 {
		t.Fatal("no first entries on the dashboard")
	}
	if !d.EconomicsWarning {
		t.Fatal("the demo department has 经济系列 applicants and no economics fields: want the HOME-2 warning")
	}
	if st := a.Session.Status(); !st.Online || st.LastSync.IsZero() || st.Pending != 0 {
		t.Fatalf("status after login = %+v", st)
	}
}

// expectedCounts are the demo department's 待初审 and 待复审 in the world.
func expectedCounts(w *demo.World) (first, second int) {
	for _, ap := range w.Applications {
		if ap.HolderUnitID != demo.DemoDepartmentID {
			continue
		}
		if ap.Stage.IsFirstReview() {
			first++
		} else if ap.Stage.IsSecondReview() {
			second++
		}
	}
	return first, second
}

func TestOfflineUnlock(t *testing.T) {
	f := apptest.Server(t)
	cacheDir := t.TempDir()
	ctx := context.Background()
	open := func() *app.App { return apptest.OpenIn(t, cacheDir) }
	a := open()
	if err := a.Session.Login(ctx, f.Demo()); err != nil {
		t.Fatal(err)
	}
	if err := a.Session.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	a.Close()
	f.Stop()

	b := open()
	le := loginError(t, b.Session.Login(ctx, f.Demo()))
	if !le.OfflinePossible || !strings.Contains(le.Message, "离线登录") {
		t.Fatalf("server gone: %q offline %v, want the offer to log in offline", le.Message, le.OfflinePossible)
	}
	wrong := f.Demo()
	wrong.Password = "wrong"
	if le := loginError(t, b.Session.Unlock(ctx, wrong)); !strings.Contains(le.Message, "密码错误") {
		t.Fatalf("offline, wrong password: %q", le.Message)
	}
	if err := b.Session.Unlock(ctx, f.Demo()); err != nil {
		t.Fatalf("offline unlock: %v", err)
	}
	if me, ok := b.Session.Me(); !ok || !me.Offline {
		t.Fatalf("me = %+v", me)
	}
	d, err := b.Dashboard.Load(ctx)
	if err != nil || d.FirstReview == 0 {
		t.Fatalf("offline dashboard: %+v %v", d.FirstReview, err)
	}
}

func TestUnlockWithoutCache(t *testing.T) {
	a := apptest.Open(t)
	le := loginError(t, a.Session.Unlock(context.Background(),
		app.Credentials{ServerURL: "http://127.0.0.1:1", Username: "demo", Password: "x"}))
	if !strings.Contains(le.Message, "首次登录需要连接服务器") {
		t.Fatalf("unlock without a cache: %q", le.Message)
	}
}

func TestFailedLoginLeavesNoCache(t *testing.T) {
	dir := t.TempDir()
	a, err := app.Open(app.Config{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.Session.Login(context.Background(), app.Credentials{ServerURL: "http://127.0.0.1:1", Username: "demo", Password: "x"})
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("cache directory holds %d files after a failed first login", len(entries))
	}
}

func TestServicesNeedLogin(t *testing.T) {
	a := apptest.Open(t)
	if _, err := a.Dashboard.Load(context.Background()); !errors.Is(err, app.ErrNotLoggedIn) {
		t.Fatalf("dashboard before login: %v", err)
	}
	if got := app.Explain(app.ErrNotLoggedIn); got != "请先登录" {
		t.Fatalf("Explain = %q", got)
	}
	var me *model.Error
	if !errors.As(app.ErrNotLoggedIn, &me) {
		t.Fatal("ErrNotLoggedIn is not a *model.Error")
	}
}
