package ui

import (
	"errors"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"titledesk/app"
	"titledesk/app/apptest"
	"titledesk/internal/appmeta"
	"titledesk/server/demo"
)

// TestAboutShowsVersionDataAndLogs: 【关于】 on the login screen and in
// 设置 names the version and build from FyneApp.toml, the data and log
// locations (the logged-in user's cache file once logged in);
// 【打开日志目录】 hands the log folder to the system's file manager and
// 【复制信息】 puts the same lines on the clipboard.
func TestAboutShowsVersionDataAndLogs(t *testing.T) {
	b, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	meta, err := appmeta.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	f := apptest.Server(t)
	logDir := t.TempDir() + "/logs" // not there yet: 【打开日志目录】 creates it
	a, err := app.Open(app.Config{CacheDir: t.TempDir(), LogDir: logDir, Meta: meta, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	v := &recordingViewer{}
	a.Viewer = v
	d := New(test.NewTempApp(t), a)
	d.run = func(work func() func()) { work()() }
	d.post = func(apply func()) { apply() }
	d.ShowLogin()
	t.Cleanup(func() { d.win.Close() })

	before := d.showAbout()
	text := before.text()
	for _, want := range []string{meta.Name, "版本：" + meta.Version, "构建：" + itoa(meta.Build) + "（", "日志文件：" + logDir, "本地数据："} {
		if !strings.Contains(text, want) {
			t.Errorf("about before login lacks %q:\n%s", want, text)
		}
	}
	test.Tap(before.openLog)
	if fi, err := os.Stat(logDir); err != nil || !fi.IsDir() || len(v.opened) != 1 || v.opened[0] != logDir {
		t.Fatalf("【打开日志目录】 opened %v (folder: %v)", v.opened, err)
	}
	// no file manager: the person is told where the folder is
	a.Viewer = failingViewer{}
	test.Tap(before.openLog)
	if !before.note.Visible() || !strings.Contains(before.note.Text, "日志目录在："+logDir) {
		t.Fatalf("without a file manager the note says %q", before.note.Text)
	}
	a.Viewer = v
	before.dlg.Hide()

	typeLogin(d, f.URL, demo.DemoUsername, demo.DemoPassword)
	if d.main == nil {
		t.Fatalf("login failed: %q", d.login.message.Text)
	}
	s := d.newSettingsScreen()
	test.Tap(s.about)
	after := s.aboutDlg
	if after == nil || !strings.Contains(after.text(), "本地数据："+s.path.Text) || s.path.Text == "" {
		t.Fatalf("about after login does not name the cache %q:\n%v", s.path.Text, after)
	}
	test.Tap(after.copy)
	if got := d.fyne.Clipboard().Content(); got != after.text() || !after.note.Visible() {
		t.Fatalf("clipboard %q, want %q", got, after.text())
	}
}

type failingViewer struct{}

func (failingViewer) Open(string) error { return errors.New("exec: xdg-open: not found") }

func itoa(n int) string { return strconv.Itoa(n) }
