package store

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"titledesk/internal/sqlfile"
)

func TestOpenMigratesIdempotentlyAndPrivately(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "TitleDesk")
	path := filepath.Join(dir, "cache.db")
	s := openUnlocked(t, path)
	dev1, _ := s.DeviceID(ctx)
	if err := s.SetIdentity(ctx, Identity{Username: "demo"}); err != nil { // forces a WAL write
		t.Fatal(err)
	}
	s.Close()

	s = openUnlocked(t, path)                 // second open: no migration re-runs, data kept
	if err := s.MarkSynced(ctx); err != nil { // the -wal file exists from here on
		t.Fatal(err)
	}
	ms, _ := loadMigrations()
	if v, _ := schemaVersion(ctx, s.writer); v != ms[len(ms)-1].Version {
		t.Errorf("user_version = %d, want %d", v, ms[len(ms)-1].Version)
	}
	if dev2, _ := s.DeviceID(ctx); dev1 == "" || dev1 != dev2 {
		t.Errorf("device id changed across opens: %q → %q", dev1, dev2)
	}
	for _, pragma := range []struct{ name, want string }{{"journal_mode", "wal"}, {"foreign_keys", "1"}, {"synchronous", "1"},
		{"temp_store", "2"}, {"secure_delete", "1"}} {
		var got string
		if err := s.writer.QueryRowContext(ctx, "PRAGMA "+pragma.name).Scan(&got); err != nil || got != pragma.want {
			t.Errorf("PRAGMA %s = %q (%v), want %q", pragma.name, got, err, pragma.want)
		}
	}
	if runtime.GOOS == "windows" {
		return
	}
	checkMode(t, dir, 0o700)
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		checkMode(t, name, 0o600)
	}
}

func checkMode(t *testing.T, name string, want os.FileMode) {
	t.Helper()
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("%s mode = %o, want %o", filepath.Base(name), got, want)
	}
}

// TestOpenPathWithURICharacters: a folder name with '#', '?' or '%' (a
// Windows user "C#dev") opens the file at that path, not a truncated one.
func TestOpenPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "C#dev ?x %41")
	path := filepath.Join(dir, "cache.db")
	s := openUnlocked(t, path)
	if err := s.ApplyChanges(context.Background(), nil, "c1"); err != nil {
		t.Fatal(err)
	}
	var file string
	if err := s.writer.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&file); err != nil {
		t.Fatal(err)
	}
	if file != path {
		t.Errorf("database file %q, want %q", file, path)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.writer.ExecContext(ctx, `PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(ctx, path); err == nil {
		s.Close()
		t.Fatal("opened a cache with a newer schema")
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv("HOME", t.TempDir())
	tests := []struct {
		name       string
		serverA    string
		userA      string
		serverB    string
		userB      string
		wantSameDB bool
	}{
		{"same server and user", "https://tj.example.cn", "demo", "https://tj.example.cn", "demo", true},
		{"trailing slash and case", "https://TJ.example.cn/", "Demo", "https://tj.example.cn", "demo", true},
		{"other user", "https://tj.example.cn", "demo", "https://tj.example.cn", "zhangsan", false},
		{"other server", "https://tj.example.cn", "demo", "https://test.example.cn", "demo", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := DefaultPath(tt.serverA, tt.userA)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := DefaultPath(tt.serverB, tt.userB)
			if (a == b) != tt.wantSameDB {
				t.Errorf("paths %q and %q: same = %v, want %v", a, b, a == b, tt.wantSameDB)
			}
			if runtime.GOOS == "linux" && filepath.Dir(a) != filepath.Join(data, "TitleDesk") {
				t.Errorf("path %q is not under $XDG_DATA_HOME/TitleDesk/", a)
			}
			if base := filepath.Base(a); strings.Contains(base, tt.userA) || strings.Contains(base, "example") {
				t.Errorf("file name %q reveals the user or server", base)
			}
		})
	}
}

func TestMigration2MovesApplicationRecords(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	if err := sqlfile.CreatePrivate(path); err != nil {
		t.Fatal(err)
	}
	w, r, err := openPools(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	ms, _ := loadMigrations()
	if err := applyMigration(ctx, w, ms[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ExecContext(ctx, `INSERT INTO applications(id, applicant_id, unit_id, stage, year, series, level, method,
		version, updated_at, specialty, title_name, data) VALUES('a1', 'p', 'u', 'own_unit', 2026, 's', 'l', 'm', 1, 0, '', '', '{"id":"a1"}')`); err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, w); err != nil {
		t.Fatal(err)
	}
	var data string
	if err := w.QueryRowContext(ctx, `SELECT data FROM application_data WHERE id = 'a1'`).Scan(&data); err != nil || data != `{"id":"a1"}` {
		t.Errorf("record after migration 2: %q, %v", data, err)
	}
}

// Migrations 4 and 5 fill 学历 (current and as submitted) and the 不通过
// unit of a cache made before them, and leave a record they cannot read as
// JSON alone instead of failing.
func TestMigrations4And5FillStatisticsColumns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	if err := sqlfile.CreatePrivate(path); err != nil {
		t.Fatal(err)
	}
	w, r, err := openPools(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	ms, _ := loadMigrations()
	for _, m := range ms[:3] {
		if err := applyMigration(ctx, w, m); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO applicants(id, unit_id, name, id_number, gender, version, data) VALUES
			('p1', 'u', '甲', '', 'm', 1, '{"education":" 大学本科 "}'), ('p2', 'u', '乙', '', 'f', 1, 'not json')`,
		`INSERT INTO applications(id, applicant_id, unit_id, stage, year, series, level, method, version, updated_at,
			specialty, title_name) VALUES('a1', 'p1', 'u', 'returned', 2026, 's', 'l', 'm', 1, 0, '', ''),
			('a2', 'p2', 'u', 'returned', 2026, 's', 'l', 'm', 1, 0, '', '')`,
		`INSERT INTO application_data(id, data) VALUES('a1', '{"applicant":{"education":"硕士研究生"},"flow":[{"unit_id":"x","action":"reject"},
			{"unit_id":"y","action":"submit"},{"unit_id":"d","action":"reject"},{"unit_id":"z","action":"pass"}]}'),
			('a2', 'garbled')`,
	} {
		if _, err := w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := migrate(ctx, w); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ query, want string }{
		{`SELECT education FROM applicants WHERE id = 'p1'`, "大学本科"},
		{`SELECT education FROM applicants WHERE id = 'p2'`, ""},
		{`SELECT returned_by FROM applications WHERE id = 'a1'`, "d"},
		{`SELECT returned_by FROM applications WHERE id = 'a2'`, ""},
		{`SELECT education FROM applications WHERE id = 'a1'`, "硕士研究生"},
		{`SELECT education FROM applications WHERE id = 'a2'`, ""},
	} {
		var got string
		if err := w.QueryRowContext(ctx, c.query).Scan(&got); err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.query, got, err, c.want)
		}
	}
}
