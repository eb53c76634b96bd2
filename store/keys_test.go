package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
	"titledesk/server/demo"
)

// lockedReads are reads and writes of sealed data; before an unlock and
// after Lock each must fail with ErrLocked and return nothing.
func lockedReads(s *Store, appID, sha string) map[string]func(ctx context.Context) error {
	return map[string]func(ctx context.Context) error{
		"ApplicationDetail": func(ctx context.Context) error { _, err := s.ApplicationDetail(ctx, appID); return err },
		"ReviewQueue": func(ctx context.Context) error {
			_, err := s.ReviewQueue(ctx, deptID, QueueQuery{Stage: ReviewedList})
			return err
		},
		"Dashboard":       func(ctx context.Context) error { _, err := s.Dashboard(ctx, deptID); return err },
		"Identity":        func(ctx context.Context) error { _, _, err := s.Identity(ctx); return err },
		"PendingCommands": func(ctx context.Context) error { _, err := s.PendingCommands(ctx, 0); return err },
		"Conflicts":       func(ctx context.Context) error { _, err := s.Conflicts(ctx); return err },
		"Draft":           func(ctx context.Context) error { _, _, err := s.Draft(ctx, appID); return err },
		"FileData":        func(ctx context.Context) error { _, err := s.FileData(ctx, sha); return err },
		"UnitTree":        func(ctx context.Context) error { _, err := s.UnitTree(ctx, deptID, ""); return err },
		"Recipients":      func(ctx context.Context) error { _, err := s.Recipients(ctx, deptID, "1201", 0); return err },
		"Inbox":           func(ctx context.Context) error { _, err := s.Inbox(ctx, 0); return err },
		"ApplyChanges":    func(ctx context.Context) error { return s.ApplyChanges(ctx, nil, "x") },
		"PutFile": func(ctx context.Context) error {
			_, err := s.PutFile(ctx, "a.pdf", model.AttachPublicity, pdfBytes)
			return err
		},
	}
}

// TestUnlock: the right password reads everything offline; a wrong one
// reads nothing; a password changed on the server is taken over at the
// next online login and the old one opens nothing from then on; Lock
// (logout) leaves nothing readable.
func TestUnlock(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	s, w := seededAt(t, path)
	app := w.Applications[0]
	file, err := s.PutFile(ctx, "扫描件.pdf", model.AttachPublicity, pdfBytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(ctx, Draft{ApplicationID: app.ID, Opinion: "草稿"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	readsAll := func(t *testing.T, s *Store) {
		t.Helper()
		for name, read := range lockedReads(s, app.ID, file.SHA256) {
			if err := read(ctx); err != nil {
				t.Errorf("%s after unlock: %v", name, err)
			}
		}
		if d, err := s.ApplicationDetail(ctx, app.ID); err != nil || d.Applicant.IDNumber == "" || d.Draft == nil {
			t.Errorf("detail after unlock: %+v, %v", d.Applicant, err)
		}
	}
	readsNothing := func(t *testing.T, s *Store) {
		t.Helper()
		for name, read := range lockedReads(s, app.ID, file.SHA256) {
			if err := read(ctx); !errors.Is(err, ErrLocked) {
				t.Errorf("%s while locked: %v, want ErrLocked", name, err)
			}
		}
	}
	reopen := func(t *testing.T) *Store {
		t.Helper()
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		s.Now = func() time.Time { return testNow }
		return s
	}

	steps := []struct {
		name    string
		unlock  func(s *Store) error
		wantErr error
	}{
		{"offline, right password", func(s *Store) error { return s.Unlock(ctx, testPassword) }, nil},
		{"offline, wrong password", func(s *Store) error { return s.Unlock(ctx, "titledesk@2026") }, ErrWrongPassword},
		{"offline, empty password", func(s *Store) error { return s.Unlock(ctx, "") }, ErrWrongPassword},
		{"offline, password with a trailing space", func(s *Store) error { return s.Unlock(ctx, testPassword+" ") }, ErrWrongPassword},
		{"online, other server key, right password", func(s *Store) error {
			return s.UnlockOnline(ctx, testPassword, bytes.Repeat([]byte{1}, 32))
		}, nil},
		// The password was reset on the server: the server key (the one
		// given last) opens the data and the new password wraps it.
		{"online, changed password", func(s *Store) error {
			return s.UnlockOnline(ctx, "NewPass#2027", bytes.Repeat([]byte{1}, 32))
		}, nil},
		{"offline, old password after the change", func(s *Store) error { return s.Unlock(ctx, testPassword) }, ErrWrongPassword},
		{"offline, new password", func(s *Store) error { return s.Unlock(ctx, "NewPass#2027") }, nil},
		{"online, unknown password and unknown server key", func(s *Store) error {
			return s.UnlockOnline(ctx, "Other#2028", bytes.Repeat([]byte{2}, 32))
		}, ErrKeyLost},
		{"offline, new password still", func(s *Store) error { return s.Unlock(ctx, "NewPass#2027") }, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			s := reopen(t)
			readsNothing(t, s)
			err := st.unlock(s)
			if !errors.Is(err, st.wantErr) {
				t.Fatalf("unlock: %v, want %v", err, st.wantErr)
			}
			if err != nil {
				readsNothing(t, s)
				return
			}
			readsAll(t, s)
			s.Lock()
			readsNothing(t, s)
		})
	}
}

// seededAt is seeded at a given path.
func seededAt(t testing.TB, path string) (*Store, *demo.World) {
	t.Helper()
	w := testWorld(t)
	s := openUnlocked(t, path)
	applyPaged(t, s, worldChanges(t, w))
	return s, w
}

// TestPasswordChangeLeavesNoOldEnvelope: after a password change neither
// the database nor its WAL holds the envelope the old password opened.
func TestPasswordChangeLeavesNoOldEnvelope(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	s := openUnlocked(t, path)
	old, _, err := getMeta(ctx, s.reader, metaKeyPassword)
	if err != nil || old == "" {
		t.Fatal(err)
	}
	s.Lock()
	if err := s.UnlockOnline(ctx, "NewPass#2027", testServerKey); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		data, _ := os.ReadFile(f)
		if bytes.Contains(data, []byte(old)) {
			t.Errorf("%s still holds the old password's envelope", filepath.Base(f))
		}
	}
	s.Close()
}

// TestSealedValuesAreBoundToTheirRow: a sealed record copied onto another
// row (another person's) does not open there.
func TestSealedValuesAreBoundToTheirRow(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	a, b := w.Applicants[0], w.Applicants[1]
	if _, err := s.writer.ExecContext(ctx, `UPDATE applicants SET data = (SELECT data FROM applicants WHERE id = ?) WHERE id = ?`, a.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if p, ok, err := s.Applicant(ctx, b.ID); err == nil || p.IDNumber == a.IDNumber {
		t.Errorf("a record copied from another row opened: %v %v", ok, err)
	}
	if _, ok, err := s.Applicant(ctx, a.ID); err != nil || !ok {
		t.Errorf("the original row: %v", err)
	}
}

// TestEveryRecordIsSealed: every change kind the cache stores has its table
// among the sealed records (so the legacy migration and a re-pull know it),
// and after a pull of every kind no record is stored readable.
func TestEveryRecordIsSealed(t *testing.T) {
	sealed := map[string]string{}
	for _, r := range sealedRecords {
		sealed[r.table] = r.kind
	}
	for kind := range kindHandlers {
		if table, _ := tableOf(kind); sealed[table] != kind {
			t.Errorf("kind %s: table %s is not a sealed record of that kind", kind, table)
		}
	}
	ctx := context.Background()
	s, _ := seeded(t)
	docs := []api.Change{
		change(t, api.KindDuplicate, "app-1", 1, model.DuplicateFlag{}),
		change(t, api.KindDeadline, "2026", 1, model.Deadlines{}),
		change(t, api.KindRuleSet, "engineering/senior", 1, model.RuleSet{}),
		change(t, api.KindReturnReason, "reason-1", 1, model.ReturnReason{ID: "reason-1", Text: "缺少学历证明"}),
	}
	if err := s.ApplyChanges(ctx, docs, "docs"); err != nil {
		t.Fatal(err)
	}
	for _, r := range sealedRecords {
		var total, plain int
		err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(*) FILTER (WHERE substr(data, 1, 1) <> x'01') FROM `+r.table).
			Scan(&total, &plain)
		if err != nil {
			t.Fatal(err)
		}
		if total == 0 || plain != 0 {
			t.Errorf("%s: %d rows, %d not sealed", r.table, total, plain)
		}
	}
}
