package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"titledesk/model"
)

func TestDraftsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	s := openUnlocked(t, path)
	form := json.RawMessage(`{"publicity_place":"一楼公告栏"}`)
	if err := s.SaveDraft(ctx, Draft{ApplicationID: "a1", Opinion: "同意推荐", Form: form}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(ctx, Draft{ApplicationID: "a2", Opinion: "仅意见"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openUnlocked(t, path)
	tests := []struct {
		id          string
		wantOK      bool
		wantOpinion string
		wantForm    string
	}{
		{"a1", true, "同意推荐", string(form)},
		{"a2", true, "仅意见", ""},
		{"a3", false, "", ""},
	}
	for _, tt := range tests {
		d, ok, err := s.Draft(ctx, tt.id)
		if err != nil || ok != tt.wantOK || d.Opinion != tt.wantOpinion || string(d.Form) != tt.wantForm {
			t.Errorf("Draft(%s) = %+v, %v, %v", tt.id, d, ok, err)
		}
	}
	if err := s.DeleteDraft(ctx, "a1"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Draft(ctx, "a1"); ok {
		t.Error("deleted draft still there")
	}
	if err := s.SaveDraft(ctx, Draft{ApplicationID: "a4", Form: json.RawMessage(`{broken`)}); err == nil {
		t.Error("a malformed form was saved")
	}
}

func TestIdentityAndSyncState(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, ok, _ := s.Identity(ctx); ok {
		t.Fatal("identity before login")
	}
	id := Identity{ServerURL: "https://tj.example.cn", Username: "demo",
		Account: model.Account{ID: "acc", Username: "demo", Name: "王经办", Role: model.RoleDepartment, UnitID: deptID},
		Unit:    &model.Unit{ID: deptID, Name: "示范局"}}
	if err := s.SetIdentity(ctx, id); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Identity(ctx)
	if err != nil || !ok || got.Account.Name != "王经办" || got.Unit.Name != "示范局" {
		t.Errorf("Identity = %+v, %v, %v", got, ok, err)
	}
	if ts, _ := s.LastSync(ctx); !ts.IsZero() {
		t.Error("last sync before any sync")
	}
	s.MarkSynced(ctx)
	if ts, _ := s.LastSync(ctx); !ts.Equal(testNow) {
		t.Errorf("last sync = %v, want %v", ts, testNow)
	}
	s.ApplyChanges(ctx, nil, "42")
	if c, _ := s.Cursor(ctx); c != "42" {
		t.Errorf("cursor = %q", c)
	}
	s.ResetCursor(ctx)
	if c, _ := s.Cursor(ctx); c != "" {
		t.Errorf("cursor after reset = %q", c)
	}
}

var (
	pdfBytes  = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	pngBytes  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpegBytes = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}
)

func TestPutFile(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		kind     model.AttachmentKind
		wantType string
		wantKind model.Kind // 0: accepted
	}{
		{"pdf", pdfBytes, model.AttachPublicity, "application/pdf", 0},
		{"png", pngBytes, model.AttachOther, "image/png", 0},
		{"jpeg", jpegBytes, model.AttachPostStatusForm, "image/jpeg", 0},
		{"gif refused", []byte("GIF89a......"), model.AttachOther, "", model.KindInvalid},
		{"docx refused", []byte("PK\x03\x04word/document.xml"), model.AttachOther, "", model.KindInvalid},
		{"empty", nil, model.AttachOther, "", model.KindInvalid},
		{"bad kind", pdfBytes, "nonsense", "", model.KindInvalid},
		{"too large", append(append([]byte{}, pdfBytes...), make([]byte, MaxFileSize)...), model.AttachOther, "", model.KindTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := openTest(t)
			a, err := s.PutFile(ctx, "公示材料.pdf", tt.kind, tt.data)
			if tt.wantKind != 0 {
				var me *model.Error
				if !errors.As(err, &me) || me.Kind != tt.wantKind || !hasHan(me.Detail) {
					t.Fatalf("PutFile error = %v, want a Chinese %v error", err, tt.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.ContentType != tt.wantType || a.Size != int64(len(tt.data)) || !model.ValidSHA256(a.SHA256) {
				t.Errorf("attachment %+v", a)
			}
			got, err := s.FileData(ctx, a.SHA256)
			if err != nil || !bytes.Equal(got, tt.data) {
				t.Errorf("FileData = %q, %v; want the stored bytes", got, err)
			}
			p := s.filePath(a.SHA256)
			if onDisk, _ := os.ReadFile(p); bytes.Contains(onDisk, tt.data[:4]) || !s.HasFile(a.SHA256) {
				t.Error("the file on disk is not sealed, or HasFile does not see it")
			}
			if again, err := s.PutFile(ctx, "again.pdf", tt.kind, tt.data); err != nil || again.SHA256 != a.SHA256 {
				t.Errorf("second put: %v", err)
			}
			leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".tmp-*"))
			if len(leftovers) != 0 {
				t.Errorf("temporary files left: %v", leftovers)
			}
			list, _ := s.UnuploadedFiles(ctx)
			if len(list) != 1 || list[0].SHA256 != a.SHA256 || list[0].Name != "公示材料.pdf" {
				t.Errorf("unuploaded = %+v", list)
			}
			s.MarkUploaded(ctx, a.SHA256)
			if list, _ := s.UnuploadedFiles(ctx); len(list) != 0 {
				t.Errorf("still unuploaded after MarkUploaded: %+v", list)
			}
		})
	}
}

func TestFileDataRefusesBadHashes(t *testing.T) {
	s := openTest(t)
	for _, sha := range []string{"", "../../etc/passwd", strings.Repeat("g", 64), strings.Repeat("a", 64)} {
		if _, err := s.FileData(context.Background(), sha); err == nil || s.HasFile(sha) {
			t.Errorf("FileData(%q) succeeded", sha)
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}
