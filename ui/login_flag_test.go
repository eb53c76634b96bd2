package ui

import (
	"log/slog"
	"testing"

	"fyne.io/fyne/v2/test"

	"titledesk/app"
	"titledesk/app/apptest"
	"titledesk/server/demo"
)

// TestServerFlagPrefillsLogin: `titledesk -server URL` puts URL in the
// login screen's 服务器地址 even when another address was remembered, and
// logging in there works.
func TestServerFlagPrefillsLogin(t *testing.T) {
	f := apptest.Server(t)
	a, err := app.Open(app.Config{ServerURL: f.URL, CacheDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	fa := test.NewTempApp(t)
	fa.Preferences().SetString(prefServerURL, "https://remembered.example.gov.cn")
	d := New(fa, a)
	d.run = func(work func() func()) { work()() }
	d.post = func(apply func()) { apply() }
	d.ShowLogin()
	t.Cleanup(func() { d.win.Close() })
	if got := d.login.server.Text; got != f.URL {
		t.Fatalf("服务器地址 = %q, want the -server address %q", got, f.URL)
	}
	test.Type(d.login.username, demo.DemoUsername)
	test.Type(d.login.password, demo.DemoPassword)
	test.Tap(d.login.login)
	if d.main == nil {
		t.Fatalf("login at the -server address failed: %q", d.login.message.Text)
	}
}
