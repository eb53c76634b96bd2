package store

import (
	"context"
	"encoding/json"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

func count(t *testing.T, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.reader.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestApplyChangesPageAndCursorAreOneTransaction(t *testing.T) {
	ctx := context.Background()
	w := testWorld(t)
	s := openTest(t)
	all := worldChanges(t, w)
	if err := s.ApplyChanges(ctx, all[:50], "page-1"); err != nil {
		t.Fatal(err)
	}
	before := count(t, s, `SELECT COUNT(*) FROM units`)

	bad := append(append([]api.Change(nil), all[50:80]...),
		api.Change{Kind: api.KindApplication, ID: "broken", Op: api.OpUpsert, Version: 1, Data: json.RawMessage(`{"stage":`)})
	bad = append(bad, all[80:100]...)
	if err := s.ApplyChanges(ctx, bad, "page-2"); err == nil {
		t.Fatal("a page with a malformed change was applied")
	}
	if c, _ := s.Cursor(ctx); c != "page-1" {
		t.Errorf("cursor = %q after a failed page, want page-1", c)
	}
	if after := count(t, s, `SELECT COUNT(*) FROM units`); after != before {
		t.Errorf("units = %d after a failed page, want %d (no partial rows)", after, before)
	}
	if err := s.ApplyChanges(ctx, all[50:100], "page-2"); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Cursor(ctx); c != "page-2" {
		t.Errorf("cursor = %q, want page-2", c)
	}
}

func TestApplyChangesSkipsUnknownKinds(t *testing.T) {
	s := openTest(t)
	err := s.ApplyChanges(context.Background(), []api.Change{{Kind: "future_kind", ID: "x", Op: api.OpUpsert, Data: json.RawMessage(`{}`)}}, "c1")
	if err != nil {
		t.Fatalf("unknown kind: %v", err)
	}
}

// pickApp finds an application of the world that satisfies ok.
func pickApp(t *testing.T, w interface{}, apps []model.Application, ok func(model.Application) bool) model.Application {
	t.Helper()
	for _, a := range apps {
		if ok(a) {
			return a
		}
	}
	t.Fatal("no application fits the test")
	return model.Application{}
}

func TestApplyChangesDeleteAndRemoveCascade(t *testing.T) {
	ctx := context.Background()
	w := testWorld(t)
	reviewed := func(a model.Application) bool { return a.ReviewedBy(deptID) }
	app := pickApp(t, w, w.Applications, reviewed)
	var leaf model.Unit // an employer unit with applications and no children
	for _, a := range w.Applications {
		u := unitOf(w.Units, a.UnitID)
		if u.Kind == model.UnitEmployer && !hasChild(w.Units, u.ID) && a.ApplicantID != app.ApplicantID {
			leaf = u
			break
		}
	}
	tests := []struct {
		name  string
		drop  api.Change
		query string
		arg   string
	}{
		{"application remove drops its 已审核 rows", api.Change{Kind: api.KindApplication, ID: app.ID, Op: api.OpRemove},
			`SELECT (SELECT COUNT(*) FROM applications WHERE id = ?1) + (SELECT COUNT(*) FROM reviewed_by WHERE application_id = ?1) + (SELECT COUNT(*) FROM drafts WHERE application_id = ?1)`, app.ID},
		{"applicant delete drops its applications", api.Change{Kind: api.KindApplicant, ID: app.ApplicantID, Op: api.OpDelete},
			`SELECT COUNT(*) FROM applications WHERE applicant_id = ?`, app.ApplicantID},
		{"unit remove drops its people", api.Change{Kind: api.KindUnit, ID: leaf.ID, Op: api.OpRemove},
			`SELECT (SELECT COUNT(*) FROM applications WHERE unit_id = ?1) + (SELECT COUNT(*) FROM applicants WHERE unit_id = ?1) + (SELECT COUNT(*) FROM unit_tree WHERE descendant = ?1)`, leaf.ID},
		{"message delete", api.Change{Kind: api.KindMessage, ID: deptMessages(w)[0].ID, Op: api.OpDelete},
			`SELECT COUNT(*) FROM messages WHERE id = ?`, deptMessages(w)[0].ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := seeded(t)
			if err := s.SaveDraft(ctx, Draft{ApplicationID: app.ID, Opinion: "草稿"}); err != nil {
				t.Fatal(err)
			}
			if n := count(t, s, tt.query, tt.arg); n == 0 {
				t.Fatal("fixture has nothing to drop")
			}
			if err := s.ApplyChanges(ctx, []api.Change{tt.drop}, "c2"); err != nil {
				t.Fatal(err)
			}
			if n := count(t, s, tt.query, tt.arg); n != 0 {
				t.Errorf("%d rows left", n)
			}
		})
	}
}

func unitOf(units []model.Unit, id string) model.Unit {
	for _, u := range units {
		if u.ID == id {
			return u
		}
	}
	return model.Unit{}
}

func hasChild(units []model.Unit, id string) bool {
	for _, u := range units {
		if u.ParentID == id {
			return true
		}
	}
	return false
}

func TestApplyChangesKeepsSearchColumnsInStep(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	app := w.Applications[0]
	app.Applicant, app.Version = nil, app.Version+1 // a draft: the live record is what it shows
	applyPaged(t, s, []api.Change{change(t, api.KindApplication, app.ID, app.Version, app)})
	var p model.Applicant
	for _, x := range w.Applicants {
		if x.ID == app.ApplicantID {
			p = x
		}
	}
	u := unitOf(w.Units, app.UnitID)
	p.Name, u.Name = "改名测试", "改名单位"
	if err := s.ApplyChanges(ctx, []api.Change{
		change(t, api.KindApplicant, p.ID, p.Version+1, p),
		change(t, api.KindUnit, u.ID, u.Version+1, u),
	}, "c2"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM applications WHERE id = ? AND applicant_name = '改名测试' AND unit_name = '改名单位'`, app.ID); n != 1 {
		t.Error("application search columns not updated after applicant and unit renames")
	}
}

func TestApplyChangesOrderIndependent(t *testing.T) {
	// An application that arrives before its applicant and unit still gets
	// its search columns once they arrive.
	ctx := context.Background()
	w := testWorld(t)
	s := openTest(t)
	app := w.Applications[0]
	app.Applicant = nil // a draft: the live record is what it shows
	var p model.Applicant
	for _, x := range w.Applicants {
		if x.ID == app.ApplicantID {
			p = x
		}
	}
	u := unitOf(w.Units, app.UnitID)
	err := s.ApplyChanges(ctx, []api.Change{
		change(t, api.KindApplication, app.ID, app.Version, app),
		change(t, api.KindApplicant, p.ID, p.Version, p),
		change(t, api.KindUnit, u.ID, u.Version, u),
	}, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM applications a JOIN applicants p ON p.id = a.applicant_id
		WHERE a.applicant_name = ? AND a.unit_name = ? AND a.id_number = p.id_number AND a.id_index = p.id_index
			AND length(a.id_index) = ?`, p.Name, u.Name, idIndexLen); n != 1 {
		t.Error("search columns empty when the application came first")
	}
}
