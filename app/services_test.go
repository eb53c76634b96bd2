package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"titledesk/app"
	"titledesk/app/apptest"
	"titledesk/model"
	tdsync "titledesk/sync"
)

// loggedIn is the demo department logged in on a fresh server.
func loggedIn(t *testing.T) (*app.App, *apptest.Fixture) {
	t.Helper()
	f := apptest.Server(t)
	a := apptest.Open(t)
	if err := a.Session.Login(context.Background(), f.Demo()); err != nil {
		t.Fatal(err)
	}
	return a, f
}

func TestOpenMessageMarksRead(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	inbox, err := a.Messages.Inbox(ctx, 0)
	if err != nil || len(inbox) == 0 || inbox[0].ReadAt != nil {
		t.Fatalf("inbox: %d messages, err %v; want unread first", len(inbox), err)
	}
	before := unread(inbox)
	m, err := a.Messages.Open(ctx, inbox[0].ID)
	if err != nil || m.ReadAt == nil || m.Body == "" {
		t.Fatalf("open: %+v %v", m, err)
	}
	if st := a.Session.Status(); st.Pending != 1 {
		t.Fatalf("待同步 %d, want the message.read command queued", st.Pending)
	}
	inbox, _ = a.Messages.Inbox(ctx, 0)
	if got := unread(inbox); got != before-1 {
		t.Fatalf("unread %d after opening one of %d", got, before)
	}
	// The server accepts it: after a sync nothing is pending and it stays read.
	if err := a.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	inbox, _ = a.Messages.Inbox(ctx, 0)
	if st := a.Session.Status(); st.Pending != 0 || st.Conflicts != 0 || unread(inbox) != before-1 {
		t.Fatalf("after sync: %+v, unread %d", st, unread(inbox))
	}
}

func unread(ms []model.Message) int {
	n := 0
	for _, m := range ms {
		if m.ReadAt == nil {
			n++
		}
	}
	return n
}

func TestSaveUnitForm(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	form, err := a.Units.Mine(ctx)
	if err != nil || !form.RequireEconomics || form.ParentName == "" {
		t.Fatalf("form %+v err %v", form, err)
	}

	t.Run("locked field refused", func(t *testing.T) {
		u := form.Unit
		u.Name = "改名后的单位"
		fields := app.FieldErrors(a.Units.SaveMine(ctx, u))
		if !strings.Contains(fields["name"], app.LockedFieldHint) {
			t.Fatalf("fields = %v", fields)
		}
	})
	t.Run("economics fields required", func(t *testing.T) {
		err := a.Units.SaveMine(ctx, form.Unit)
		fields := app.FieldErrors(err)
		for _, k := range model.EconomicUnitFields {
			if fields[k] == "" {
				t.Errorf("no message for %s in %v", k, fields)
			}
		}
		if st := a.Session.Status(); st.Pending != 0 {
			t.Fatalf("a refused form was queued: 待同步 %d", st.Pending)
		}
	})
	t.Run("complete form saved and synced", func(t *testing.T) {
		u := form.Unit
		u.EconomicType, u.Industry, u.StaffCount, u.Revenue = "国有经济", "科学研究和技术服务业", 820, "12500"
		if err := a.Units.SaveMine(ctx, u); err != nil {
			t.Fatal(err)
		}
		d, _ := a.Dashboard.Load(ctx)
		if d.EconomicsWarning || d.Unit.StaffCount != 820 {
			t.Fatalf("after save: warning %v staff %d", d.EconomicsWarning, d.Unit.StaffCount)
		}
		if err := a.Session.SyncNow(ctx); err != nil {
			t.Fatal(err)
		}
		st := a.Session.Status()
		d, _ = a.Dashboard.Load(ctx)
		if st.Pending != 0 || st.Conflicts != 0 || d.Unit.Industry != u.Industry || d.EconomicsWarning {
			t.Fatalf("after sync: %+v industry %q", st, d.Unit.Industry)
		}
	})
}

func TestOfflineActionIsQueued(t *testing.T) {
	a, f := loggedIn(t)
	ctx := context.Background()
	f.Stop()
	inbox, _ := a.Messages.Inbox(ctx, 1)
	if _, err := a.Messages.Open(ctx, inbox[0].ID); err != nil {
		t.Fatal(err)
	}
	err := a.Session.SyncNow(ctx)
	if !tdsync.IsRetryable(err) {
		t.Fatalf("sync with the server gone: %v", err)
	}
	if st := a.Session.Status(); st.Online || st.Pending != 1 {
		t.Fatalf("status %+v, want offline with 1 pending", st)
	}
	if msg := app.Explain(err); !strings.Contains(msg, "无法连接服务器") {
		t.Fatalf("Explain = %q", msg)
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("push: %w", tdsync.ErrSessionExpired), "登录已过期，请重新登录"},
		{fmt.Errorf("pull: %w", tdsync.ErrOffline), "无法连接服务器，请检查服务器地址和网络连接"},
		{&model.Error{Kind: model.KindInvalid, Code: "x", Title: "标题", Detail: "详细说明"}, "详细说明"},
		{&model.Error{Kind: model.KindInternal, Code: "internal", Detail: "sql: no rows"}, "操作未能完成，请稍后重试"},
		{os.ErrPermission, "操作未能完成，请稍后重试"},
	}
	for _, tt := range tests {
		if got := app.Explain(tt.err); got != tt.want {
			t.Errorf("Explain(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestDemoServerSeedsOnce(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	d, err := app.StartDemo(ctx, app.DemoOptions{DataDir: dir, Scale: apptest.Scale})
	if err != nil {
		t.Fatal(err)
	}
	a := apptest.Open(t)
	c := app.Credentials{ServerURL: d.URL, Username: "demo", Password: "TitleDesk@2026"}
	if err := a.Session.Login(ctx, c); err != nil {
		t.Fatalf("login to the demo server: %v", err)
	}
	a.Close()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	marker, err := os.Stat(filepath.Join(dir, "seeded"))
	if err != nil {
		t.Fatal(err)
	}
	// The second start reuses the data: no reseed (the marker is untouched).
	d2, err := app.StartDemo(ctx, app.DemoOptions{DataDir: dir, Scale: apptest.Scale})
	if err != nil {
		t.Fatalf("second start: %v", err)
	}
	defer d2.Close()
	again, _ := os.Stat(filepath.Join(dir, "seeded"))
	if !again.ModTime().Equal(marker.ModTime()) || d2.URL == "" {
		t.Fatal("the demo world was seeded again")
	}
}
