package app_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"titledesk/app"
	"titledesk/app/apptest"
	"titledesk/internal/applog"
	"titledesk/internal/appmeta"
	"titledesk/model"
	"titledesk/server/demo"
)

// lockedBuffer is an io.Writer for the server's log (handlers run on
// several goroutines).
type lockedBuffer struct {
	mu  chan struct{}
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu <- struct{}{}
	defer func() { <-b.mu }()
	return b.buf.Write(p)
}

// TestLogsHoldNoPersonalData drives the desktop app and the server through
// what gets logged — failed and good logins, a sync, reviews whose opinions
// quote an ID number and a phone, the server going away, an error from
// elsewhere in the process — with the app's rotating log file and the
// server's JSON log, then scans both for every ID number and phone of the
// world, the password and any bearer credential.
func TestLogsHoldNoPersonalData(t *testing.T) {
	prev := slog.Default()
	t.Cleanup(func() { slog.SetDefault(prev) })
	serverLog := &lockedBuffer{mu: make(chan struct{}, 1)}
	f := apptest.ServerLogging(t, applog.NewJSON(serverLog, slog.LevelInfo))
	logDir := t.TempDir()
	meta := appmeta.Meta{Name: "TitleDesk 职称审核", ID: "cn.gov.tj.titledesk", Version: "0.1.0", Build: 1}
	a, err := app.Open(app.Config{CacheDir: t.TempDir(), LogToFile: true, LogDir: logDir, Meta: meta})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	var person model.Applicant
	for _, p := range f.World.Applicants {
		if p.IDNumber != "" && p.Phone != "" {
			person = p
			break
		}
	}
	wrong := f.Demo()
	wrong.Password = "Wrong-" + person.IDNumber
	if err := a.Session.Login(ctx, wrong); err == nil {
		t.Fatal("logged in with a wrong password")
	}
	if err := a.Session.Login(ctx, f.Demo()); err != nil {
		t.Fatal(err)
	}
	rows := list(t, a, model.StageOwnUnit)
	if len(rows) < 3 {
		t.Fatalf("%d rows in 本单位人员审核", len(rows))
	}
	quote := "身份证号" + person.IDNumber + "与证书不符，请联系" + person.Phone
	if err := a.Reviews.Reject(ctx, app.ItemOf(rows[0]), quote); err != nil {
		t.Fatal(err)
	}
	if err := a.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	f.Stop()
	if err := a.Reviews.Reject(ctx, app.ItemOf(rows[1]), quote); err != nil {
		t.Fatal(err)
	}
	_ = a.Session.SyncNow(ctx) // fails: the server is gone
	slog.Error("elsewhere in the process", "err", errors.New("bad row: "+person.IDNumber+" "+person.Phone),
		"phone", person.Phone, "password", demo.DemoPassword)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	ab := a.About()
	if ab.LogFile != filepath.Join(logDir, app.LogFileName) {
		t.Fatalf("About().LogFile = %q", ab.LogFile)
	}
	appLog, err := os.ReadFile(ab.LogFile)
	if err != nil {
		t.Fatal(err)
	}
	logs := map[string]string{"app": string(appLog), "server": serverLog.buf.String()}
	// the scan is only worth something if the logs say things
	for name, want := range map[string][]string{
		"app":    {"TitleDesk starting", "sync cycle failed", "version=0.1.0", "elsewhere in the process", "[id-number]", "[phone]", "TitleDesk stopped"},
		"server": {`"route":"POST /api/v1/sessions"`, `"route":"POST /api/v1/sync/commands"`},
	} {
		for _, w := range want {
			if !strings.Contains(logs[name], w) {
				t.Errorf("%s log lacks %q:\n%s", name, w, logs[name])
			}
		}
	}
	secrets := []string{demo.DemoPassword, "Bearer ", wrong.Password}
	for _, p := range f.World.Applicants {
		secrets = append(secrets, p.IDNumber, p.Phone)
	}
	for name, text := range logs {
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("%s log holds %q", name, s)
			}
		}
	}
}
