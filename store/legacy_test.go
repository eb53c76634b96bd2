package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"titledesk/api"
	"titledesk/internal/atrest"
	"titledesk/internal/filecopy"
	"titledesk/model"
)

// legacyFixture copies testdata/legacy-v3 (a cache the previous version
// wrote, see testdata/README.md) to a temporary directory and returns the
// database path.
func legacyFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("testdata", "legacy-v3")
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o700)
		}
		return filecopy.Copy(p, filepath.Join(dir, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "cache.db")
}

// legacySecrets reads, with plain SQL, every ID number and phone number
// the old cache holds in clear: applicants, experts (also in the queued
// expert.create), unit contacts, the identity's unit and the free texts
// the fixture put them in.
func legacySecrets(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	collect := func(query string, fields ...string) {
		rows, err := db.Query(query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var data []byte
			if err := rows.Scan(&data); err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			for _, f := range fields {
				if v, _ := m[f].(string); len(v) >= 8 {
					out = append(out, v)
				}
			}
		}
	}
	collect(`SELECT data FROM applicants`, "id_number", "phone")
	collect(`SELECT data FROM experts`, "id_number", "phone")
	collect(`SELECT data FROM units`, "phone")
	collect(`SELECT json_extract(data, '$.unit') FROM registrations`, "phone")
	collect(`SELECT json_extract(args, '$.expert') FROM outbox WHERE type = 'expert.create'`, "id_number", "phone")
	// The opinions and the draft of the fixture carry a phone number and an ID number.
	out = append(out, "13700002222", "13600003333", "120101197001011236", "13900001111")
	if len(out) < 100 {
		t.Fatalf("the fixture holds only %d secrets", len(out))
	}
	return out
}

// scanAtRest fails for every value found readable in the cache at path
// (the database, its -wal and journal, the held files) and for a held file
// that is a readable PDF, JPEG or PNG.
func scanAtRest(t *testing.T, path string, values []string) {
	t.Helper()
	db, held := atrest.CacheFiles(path, filesDirOf(path))
	found, err := atrest.Scan(db, held, values)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("%s holds %s readable", filepath.Base(f.File), atrest.Masked(f.Value))
	}
	t.Logf("scanned %d database files and %d held files for %d values", len(db), len(held), len(values))
}

// TestSealLegacyCache: a plaintext cache of the previous version is
// encrypted at its first unlock, offline or online; a wrong password
// leaves it untouched; afterwards everything reads as before and nothing
// of it is readable in the database, the WAL or the held files.
func TestSealLegacyCache(t *testing.T) {
	tests := []struct {
		name   string
		unlock func(ctx context.Context, s *Store) error
	}{
		{"offline unlock", func(ctx context.Context, s *Store) error { return s.Unlock(ctx, testPassword) }},
		{"online login", func(ctx context.Context, s *Store) error { return s.UnlockOnline(ctx, testPassword, testServerKey) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := legacyFixture(t)
			secrets := legacySecrets(t, path)
			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if !s.CanUnlockOffline(ctx) {
				t.Error("an old cache with a verifier cannot be unlocked offline")
			}
			if err := s.Unlock(ctx, "wrong-password"); !errors.Is(err, ErrWrongPassword) {
				t.Fatalf("wrong password: %v", err)
			}
			if err := tt.unlock(ctx, s); err != nil {
				t.Fatal(err)
			}
			scanAtRest(t, path, secrets)
			checkLegacyReadable(t, s)
			var free int
			s.writer.QueryRowContext(ctx, `PRAGMA freelist_count`).Scan(&free)
			if free != 0 {
				t.Errorf("%d free pages after the migration (old plaintext may remain in them)", free)
			}
			if _, ok, _ := getMeta(ctx, s.reader, metaVerifier); ok {
				t.Error("the old verifier was kept")
			}
			// The next unlock opens what the migration sealed.
			s.Lock()
			if err := s.Unlock(ctx, testPassword); err != nil {
				t.Fatal(err)
			}
			checkLegacyReadable(t, s)
		})
	}
}

func checkLegacyReadable(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	id, ok, err := s.Identity(ctx)
	if err != nil || !ok || id.Account.Name != "演示经办人" || id.Unit == nil || id.Unit.Phone == "" {
		t.Errorf("identity: %+v %v %v", id, ok, err)
	}
	if acc, _ := s.AccountID(ctx); acc != "acc-demo" {
		t.Errorf("account id %q", acc)
	}
	cmds, err := s.PendingCommands(ctx, 0)
	if err != nil || len(cmds) != 2 {
		t.Fatalf("outbox: %d commands, %v", len(cmds), err)
	}
	var exp api.ExpertCreateArgs
	if err := json.Unmarshal(cmds[0].Args, &exp); err != nil || exp.Expert.IDNumber != "120101197001011236" {
		t.Errorf("queued expert.create: %+v %v", exp.Expert, err)
	}
	conflicts, err := s.Conflicts(ctx)
	if err != nil || len(conflicts) != 1 || !bytes.Contains(conflicts[0].Command.Args, []byte("13600003333")) {
		t.Errorf("conflicts: %+v %v", conflicts, err)
	}
	page, err := s.ReviewQueue(ctx, deptID, QueueQuery{Stage: model.StageSubordinate, Limit: 100})
	if err != nil || page.Total == 0 {
		t.Fatalf("queue: %v", err)
	}
	var draftFound bool
	for _, r := range page.Rows {
		if len(r.MaskedIDNumber) != 18 || r.MaskedIDNumber[4:14] != "**********" {
			t.Errorf("masked ID number %q", r.MaskedIDNumber)
		}
		d, err := s.ApplicationDetail(ctx, r.ID)
		if err != nil || model.MaskIDNumber(d.Applicant.IDNumber) != r.MaskedIDNumber {
			t.Errorf("detail of %s: %v", r.ID, err)
		}
		if d.Draft != nil && d.Draft.Opinion == "草稿：身份证120101197001011236" {
			draftFound = true
		}
		// The person is found by the whole ID number and its last four.
		for _, text := range []string{d.Applicant.IDNumber, d.Applicant.IDNumber[14:]} {
			found, err := s.ReviewQueue(ctx, deptID, QueueQuery{Stage: model.StageSubordinate, Text: text, Limit: 1000})
			if err != nil || !hasRow(found.Rows, r.ID) {
				t.Errorf("search %s did not find %s", model.MaskIDNumber(text), r.ApplicantName)
			}
		}
	}
	if !draftFound {
		t.Error("the draft was lost")
	}
	files, err := s.UnuploadedFiles(ctx)
	if err != nil || len(files) != 2 {
		t.Fatalf("files: %+v %v", files, err)
	}
	for _, f := range files {
		data, err := s.FileData(ctx, f.SHA256)
		if _, ok := model.SniffAttachment(data); err != nil || !ok || (f.Name != "张三身份证.pdf" && f.Name != "照片.jpg") {
			t.Errorf("file %q: %v", f.Name, err)
		}
	}
}

func hasRow(rows []QueueRow, id string) bool {
	for _, r := range rows {
		if r.ID == id {
			return true
		}
	}
	return false
}

// TestNothingReadableAtRest: a cache holding a whole world, queued
// commands, a conflict, a draft, the identity and held files keeps no ID
// number or phone number readable in the database, its WAL or the files,
// and no held file is a readable PDF, JPEG or PNG.
func TestNothingReadableAtRest(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	s, w := seededAt(t, path)
	exp := w.Experts[0]
	exp.ID = api.NewUUID()
	if err := s.Do(ctx, func(tx *Tx) error {
		_, err := tx.Enqueue(api.CmdExpertCreate, 0, api.ExpertCreateArgs{Expert: exp})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	p := w.Applicants[3]
	app := pickApp(t, w, w.Applications, func(a model.Application) bool {
		return a.HolderUnitID == deptID && a.Stage == model.StageSubordinate
	})
	cmd, err := review(ctx, s, app.ID, model.ActionReject, "请联系"+p.Phone+"，身份证"+p.IDNumber)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MarkResult(ctx, cmd.Seq, api.CommandResult{Seq: cmd.Seq, Status: api.StatusConflict}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(ctx, Draft{ApplicationID: app.ID, Opinion: p.IDNumber, Form: json.RawMessage(`{"phone":"` + p.Phone + `"}`)}); err != nil {
		t.Fatal(err)
	}
	unit := w.Units[0]
	if err := s.SetIdentity(ctx, Identity{Username: "demo", Account: model.Account{ID: "acc", Name: "王经办"}, Unit: &unit}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"身份证.pdf", pdfBytes}, {"毕业证.jpg", jpegBytes}, {"照片.png", pngBytes}} {
		if _, err := s.PutFile(ctx, f.name, model.AttachPublicity, append(append([]byte{}, f.data...), p.IDNumber...)); err != nil {
			t.Fatal(err)
		}
	}
	scanAtRest(t, path, atrest.WorldValues(w))
}
