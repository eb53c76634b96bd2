package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"titledesk/app"
	"titledesk/app/apptest"
	"titledesk/model"
)

var (
	jpegBytes = []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 test jpeg")
	pngBytes  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR test")
)

// TestOpenAttachment (REV-2, SEC-4): the viewer gets a plaintext copy in a
// private folder, named as the file was called with the extension of its
// type (a server file downloaded first, local ones of each type), and the
// copies — and printed sheets — are gone after logout, after Close, and a
// crash's leftovers at the next start.
func TestOpenAttachment(t *testing.T) {
	f := apptest.Server(t)
	ctx := context.Background()
	cacheDir := t.TempDir()
	open := func() (*app.App, *openedFiles) {
		a := apptest.OpenIn(t, cacheDir)
		viewer := &openedFiles{}
		a.Viewer = viewer
		if err := a.Session.Login(ctx, f.Demo()); err != nil {
			t.Fatal(err)
		}
		return a, viewer
	}
	a, viewer := open()

	var fromServer model.Attachment
	for _, ap := range f.World.Applications {
		if ap.Recommendation != nil && len(ap.Recommendation.Attachments) > 0 {
			fromServer = ap.Recommendation.Attachments[0]
			break
		}
	}
	tests := []struct {
		name    string
		file    model.Attachment
		data    []byte
		wantExt string
	}{
		{"downloaded from the server", fromServer, nil, ".pdf"},
		{"a PDF named without extension", add(t, a, "公示材料", pdfBytes), pdfBytes, ".pdf"},
		{"a JPEG", add(t, a, "毕业证书.jpg", jpegBytes), jpegBytes, ".jpg"},
		{"a PNG named like a PDF", add(t, a, "照片.pdf", pngBytes), pngBytes, ".png"},
		{"a name with a path in it", add(t, a, `..\..\身份证.pdf`, pdfBytes), pdfBytes, ".pdf"},
	}
	var paths []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, err := a.Reviews.OpenAttachment(ctx, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if len(viewer.paths) == 0 || viewer.paths[len(viewer.paths)-1] != path {
				t.Fatalf("the viewer was not given %s", path)
			}
			if filepath.Ext(path) != tt.wantExt {
				t.Errorf("path %s does not end in %s", filepath.Base(path), tt.wantExt)
			}
			if want := app.SafeFileName(tt.file.Name); !strings.HasPrefix(filepath.Base(path), strings.TrimSuffix(want, filepath.Ext(want))) {
				t.Errorf("path %s does not carry the name %q", filepath.Base(path), tt.file.Name)
			}
			got, err := os.ReadFile(path)
			if err != nil || (tt.data != nil && !bytes.Equal(got, tt.data)) || (tt.data == nil && !bytes.HasPrefix(got, []byte("%PDF-"))) {
				t.Errorf("the copy holds %q, %v", got[:min(len(got), 8)], err)
			}
			if rel, err := filepath.Rel(cacheDir, path); err != nil || strings.HasPrefix(rel, "..") {
				t.Errorf("copy %s is outside the app's folder", path)
			}
			if runtime.GOOS != "windows" {
				if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
					t.Errorf("copy mode %o", st.Mode().Perm())
				}
				if st, _ := os.Stat(filepath.Dir(filepath.Dir(path))); st.Mode().Perm() != 0o700 {
					t.Errorf("folder mode %o", st.Mode().Perm())
				}
			}
			paths = append(paths, path)
		})
	}
	rows := list(t, a, model.StageSubordinate)
	sheet, err := a.Reviews.PrintSheets(ctx, []string{rows[0].ID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	paths = append(paths, sheet.Path)
	if err := a.Session.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there after logout", filepath.Base(p))
		}
	}

	// After Close, and what a crash left behind.
	a, _ = open()
	path, err := a.Reviews.OpenAttachment(ctx, fromServer)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s is still there after Close", filepath.Base(path))
	}
	crashed := filepath.Join(cacheDir, "open", "s123", "f456", "身份证.pdf")
	os.MkdirAll(filepath.Dir(crashed), 0o700)
	os.WriteFile(crashed, pdfBytes, 0o600)
	open()
	if _, err := os.Stat(crashed); !os.IsNotExist(err) {
		t.Error("a crash's leftover copy survived the next start")
	}
}

func add(t *testing.T, a *app.App, name string, data []byte) model.Attachment {
	t.Helper()
	f, err := a.Reviews.AddAttachment(context.Background(), name, model.AttachPublicity, data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPasswordChangedOnTheServer (SEC-4): after the city office resets the
// password, the next online login with the new one opens the cache — the
// unsynced work is still there — and from then on the old password opens
// nothing offline, the new one does.
func TestPasswordChangedOnTheServer(t *testing.T) {
	f := apptest.Server(t)
	ctx := context.Background()
	cacheDir := t.TempDir()
	open := func() *app.App { return apptest.OpenIn(t, cacheDir) }
	a := open()
	if err := a.Session.Login(ctx, f.Demo()); err != nil {
		t.Fatal(err)
	}
	row := list(t, a, model.StageSubordinate)[0]
	// Tests run no background sync: the reject stays queued.
	if err := a.Reviews.Reject(ctx, app.ItemOf(row), "请补充材料"); err != nil {
		t.Fatal(err)
	}
	if st := a.Session.Status(); st.Pending != 1 {
		t.Fatalf("%d queued", st.Pending)
	}
	a.Close()

	if err := f.Server.ResetPassword(ctx, f.Demo().Username, "NewPass#2027"); err != nil {
		t.Fatal(err)
	}
	creds := f.Demo()
	creds.Password = "NewPass#2027"
	b := open()
	b.Session.Login(ctx, creds) // its first sync pushes the queued reject
	if st := b.Session.Status(); st.Pending != 0 || st.Conflicts != 0 {
		t.Fatalf("after the login with the new password: %d pending, %d conflicts", st.Pending, st.Conflicts)
	}
	b.Close()

	c := open()
	old := f.Demo()
	if le := loginError(t, c.Session.Unlock(ctx, old)); !strings.Contains(le.Message, "密码错误") {
		t.Fatalf("offline with the old password: %q", le.Message)
	}
	if err := c.Session.Unlock(ctx, creds); err != nil {
		t.Fatalf("offline with the new password: %v", err)
	}
	d, err := c.Reviews.Detail(ctx, row.ID)
	if err != nil || d.Applicant.IDNumber == "" {
		t.Fatalf("detail: %v", err)
	}
}
