package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/app/apptest"
	"titledesk/server/demo"
)

// newTestDesk is the desk on Fyne's headless test app against a real server
// with the small demo world. Background work runs in order on the test
// goroutine, so each assertion sees the finished result.
func newTestDesk(t testing.TB) (*Desk, *apptest.Fixture) {
	t.Helper()
	f := apptest.Server(t)
	d := testDesk(t, apptest.Open(t))
	d.ShowLogin()
	t.Cleanup(func() { d.win.Close() })
	return d, f
}

// testDesk is a desk on Fyne's test app whose background work and timers
// run at once, in order, on the test goroutine.
func testDesk(tb testing.TB, a *app.App) *Desk {
	d := New(test.NewTempApp(tb), a)
	d.run = func(work func() func()) { work()() }
	d.post = func(apply func()) { apply() }
	d.after = func(_ time.Duration, f func()) { f() }
	return d
}

// typeLogin fills the login form as a person would and taps 【登录】.
func typeLogin(d *Desk, server, user, password string) {
	s := d.login
	s.server.SetText("")
	test.Type(s.server, server)
	s.username.SetText("")
	test.Type(s.username, user)
	test.Type(s.password, password)
	test.Tap(s.login)
}

func loggedInDesk(t testing.TB) (*Desk, *apptest.Fixture) {
	t.Helper()
	d, f := newTestDesk(t)
	typeLogin(d, f.URL, demo.DemoUsername, demo.DemoPassword)
	if d.main == nil {
		t.Fatalf("login failed: %q", d.login.message.Text)
	}
	return d, f
}

func TestLoginWrongPasswordShowsChineseMessage(t *testing.T) {
	d, f := newTestDesk(t)
	typeLogin(d, f.URL, demo.DemoUsername, "wrong-password")
	if d.main != nil {
		t.Fatal("logged in with a wrong password")
	}
	if got := d.login.message.Text; got != "用户名或密码错误，请重新输入" {
		t.Fatalf("message = %q", got)
	}
	if d.login.offline.Visible() {
		t.Fatal("【离线登录】 offered for a wrong password")
	}
}

func TestLoginShowsDashboardCounts(t *testing.T) {
	d, f := loggedInDesk(t)
	first, second := 0, 0
	for _, ap := range f.World.Applications {
		if ap.HolderUnitID == demo.DemoDepartmentID && ap.Stage.IsFirstReview() {
			first++
		} else if ap.HolderUnitID == demo.DemoDepartmentID && ap.Stage.IsSecondReview() {
			second++
		}
	}
	h := d.main.home
	if got, want := h.firstCount.Text, fmt.Sprintf("待初审 %d 人", first); got != want {
		t.Errorf("first review: %q, want %q", got, want)
	}
	if got, want := h.secondCount.Text, fmt.Sprintf("待复审 %d 人", second); got != want {
		t.Errorf("second review: %q, want %q", got, want)
	}
	if got := h.unitFields["name"].Text; got != "天津市农业科学院" {
		t.Errorf("unit card name = %q", got)
	}
	if !h.econWarning.Visible() || !strings.Contains(h.econWarning.Text, "经济类型") {
		t.Errorf("HOME-2 warning: visible %v %q", h.econWarning.Visible(), h.econWarning.Text)
	}
	sb := d.main.status
	if sb.online.Text != "在线" || sb.pending.Text != "待同步 0 条" || sb.conflicts.Text != "同步冲突 0" ||
		!strings.HasPrefix(sb.lastSync.Text, "上次同步 ") || sb.lastSync.Text == "上次同步 —" {
		t.Errorf("status bar: %q %q %q %q", sb.online.Text, sb.pending.Text, sb.lastSync.Text, sb.conflicts.Text)
	}
	if d.fyne.Preferences().String(prefUsername) != demo.DemoUsername {
		t.Error("the username is not remembered")
	}
}

func TestDashboardEntryOpensItsList(t *testing.T) {
	d, _ := loggedInDesk(t)
	first := d.main.home.firstList.box.Objects[0].(*widget.Hyperlink)
	test.TapAt(first, fyne.NewPos(20, first.Size().Height/2)) // a link reacts on its text only
	if c := d.main.current; c != navOwnUnit && c != navSubordinate {
		t.Fatalf("tapping a 待初审 entry opened %q", c)
	}
	l := d.main.content.Objects[0].(*reviewList)
	want := d.main.home.data.FirstReviewTop[0]
	if l.view == nil || l.root.Objects[0] != l.view.content || l.view.item.ID != want.ID {
		t.Fatalf("the entry for %s did not open that applicant", want.ApplicantName)
	}
}

func TestOpeningMessageMarksItRead(t *testing.T) {
	d, _ := loggedInDesk(t)
	h := d.main.home
	if h.msgs[0].ReadAt != nil {
		t.Fatal("the first message is not unread: want unread first")
	}
	before := h.unread.Text
	body := h.msgs[0].Body
	h.msgList.Select(0)
	if d.lastDialogText != body {
		t.Fatalf("dialog shows %q, want the message body", d.lastDialogText)
	}
	if h.msgs[0].ReadAt == nil || h.unread.Text == before {
		t.Fatalf("still unread: %q → %q", before, h.unread.Text)
	}
	if got := d.main.status.pending.Text; got != "待同步 1 条" {
		t.Fatalf("status bar: %q", got)
	}
}

func TestLockedUnitFieldsCannotBeEdited(t *testing.T) {
	d, _ := loggedInDesk(t)
	test.Tap(d.main.home.editUnit)
	uf := d.lastUnitForm
	if uf == nil {
		t.Fatal("【基本信息维护】 opened no form")
	}
	for _, k := range []string{"name", "credit_code", "parent_id", "type"} {
		e := uf.locked[k]
		before := e.Text
		test.Type(e, "改")
		if !e.Disabled() || e.Text != before || before == "" {
			t.Errorf("%s: disabled %v, %q → %q", k, e.Disabled(), before, e.Text)
		}
	}
	if !strings.Contains(test.RenderObjectToMarkup(uf.body), "如需修改请联系市职称办") {
		t.Error("no hint beside the locked fields")
	}
}

func TestUnitFormRefusedWithFieldMessages(t *testing.T) {
	d, _ := loggedInDesk(t)
	test.Tap(d.main.home.editUnit)
	uf := d.lastUnitForm
	uf.entries["phone"].SetText("")
	test.Type(uf.entries["phone"], "12345")
	test.Tap(uf.save)
	for _, k := range []string{"economic_type", "industry", "staff_count", "revenue"} {
		if l := uf.errs[k]; !l.Visible() || l.Text != "本单位有经济系列申报人，此项必填" {
			t.Errorf("%s: visible %v %q", k, l.Visible(), l.Text)
		}
	}
	if l := uf.errs["phone"]; !l.Visible() || !strings.Contains(l.Text, "联系电话格式不正确") {
		t.Errorf("phone: %q", l.Text)
	}
	if !uf.message.Visible() || d.main.status.pending.Text != "待同步 0 条" {
		t.Errorf("form message %q, status %q", uf.message.Text, d.main.status.pending.Text)
	}

	// Filled in, it saves: the dialog closes and the warning goes away.
	uf.entries["phone"].SetText("022-23456789")
	test.Type(uf.econ["economic_type"], "国有经济")
	test.Type(uf.econ["industry"], "科学研究和技术服务业")
	test.Type(uf.econ["staff_count"], "820")
	test.Type(uf.econ["revenue"], "12500")
	test.Tap(uf.save)
	if d.main.home.econWarning.Visible() || d.main.status.pending.Text != "待同步 1 条" {
		t.Fatalf("after save: warning %v, %q", d.main.home.econWarning.Visible(), d.main.status.pending.Text)
	}
}

func TestStatusBarAfterOfflineAction(t *testing.T) {
	d, f := loggedInDesk(t)
	f.Stop()
	d.main.home.msgList.Select(0)
	sb := d.main.status
	if sb.pending.Text != "待同步 1 条" {
		t.Fatalf("pending: %q", sb.pending.Text)
	}
	test.Tap(sb.syncNow)
	if sb.online.Text != "离线" || sb.pending.Text != "待同步 1 条" || !strings.Contains(sb.note.Text, "无法连接服务器") {
		t.Fatalf("after 【立即同步】 offline: %q %q %q", sb.online.Text, sb.pending.Text, sb.note.Text)
	}
}

func TestServerUnreachableOffersOfflineLogin(t *testing.T) {
	d, f := loggedInDesk(t)
	test.Tap(d.main.logoutButton)
	if d.main != nil {
		t.Fatal("still on the main screen after 【退出登录】")
	}
	f.Stop()
	typeLogin(d, f.URL, demo.DemoUsername, demo.DemoPassword)
	if !d.login.offline.Visible() || !strings.Contains(d.login.message.Text, "无法连接服务器") {
		t.Fatalf("message %q, offline offered %v", d.login.message.Text, d.login.offline.Visible())
	}
	test.Tap(d.login.offline)
	if d.main == nil || d.main.status.online.Text != "离线" {
		t.Fatalf("offline login failed: %q", d.login.message.Text)
	}
}

func TestNavigationShowsEveryEntry(t *testing.T) {
	d, _ := loggedInDesk(t)
	for id, n := range navNodes {
		if id == "" || len(n.children) > 0 {
			continue
		}
		d.main.goTo(id)
		if d.main.current != id || len(d.main.content.Objects) != 1 {
			t.Errorf("%s (%s) not shown", id, n.label)
		}
	}
}

func TestWindowSizeRemembered(t *testing.T) {
	fa := test.NewTempApp(t)
	w := fa.NewWindow("x")
	restoreWindowSize(fa, w)
	if got := w.Canvas().Size(); got.Width < 800 {
		t.Fatalf("first start: %v, want the default size", got)
	}
	w.Resize(fyne.NewSize(1000, 700))
	saveWindowSize(fa, w)
	w2 := fa.NewWindow("y")
	restoreWindowSize(fa, w2)
	if got := w2.Canvas().Size(); got != fyne.NewSize(1000, 700) {
		t.Fatalf("restored %v, want 1000×700", got)
	}
	fa.Preferences().SetFloat(prefWindowWidth, 20) // a broken value must not shrink the window to nothing
	restoreWindowSize(fa, w2)
	if got := w2.Canvas().Size(); got.Width < 800 {
		t.Fatalf("restored %v from a broken preference", got)
	}
}

// TestStatusNoticeShownOnce: a notice about the person's data (a restored
// backup, a new cache) opens a dialog once and stays in the status bar.
func TestStatusNoticeShownOnce(t *testing.T) {
	d, _ := loggedInDesk(t)
	d.lastDialogText = ""
	const notice = "本机缓存是用旧密码加密的，无法再打开，已重新下载本单位数据"
	st := d.app.Session.Status()
	st.Notice, st.NoticeSeq = notice, st.NoticeSeq+1
	d.main.status.set(st)
	if d.lastDialogText != notice || d.main.status.note.Text != notice {
		t.Fatalf("dialog %q, status note %q", d.lastDialogText, d.main.status.note.Text)
	}
	d.lastDialogText = ""
	d.main.status.set(st) // the same status again: no second dialog
	if d.lastDialogText != "" {
		t.Fatal("the notice was shown twice")
	}
}
