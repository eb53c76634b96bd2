package demo

import (
	"testing"
	"time"

	"titledesk/model"
)

var testNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.Local)

func TestGenerateWorld(t *testing.T) {
	w, err := Generate(Options{Scale: 1, Seed: 1, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]model.Unit{}
	for _, u := range w.Units {
		if u.ParentID != "" {
			if _, ok := units[u.ParentID]; !ok {
				t.Fatalf("unit %s comes before its parent", u.Name)
			}
		}
		units[u.ID] = u
	}
	if n := len(w.Applicants); n < 4900 || n > 5100 {
		t.Errorf("applicants = %d, want about 5000", n)
	}
	ids := map[string]bool{}
	for _, a := range w.Applicants {
		if _, err := model.ParseIDNumber(a.IDNumber); err != nil {
			t.Fatalf("applicant %s: %v", a.Name, err)
		}
		for _, d := range []model.Date{a.BirthDate, a.GraduationDate, a.WorkStartDate, a.CurrentTitleDate} {
			if at, err := d.Time(); err == nil && at.After(testNow) {
				t.Fatalf("applicant %s has a date in the future: %s", a.Name, d)
			}
		}
		if ids[a.IDNumber] {
			t.Fatalf("duplicate ID number")
		}
		ids[a.IDNumber] = true
	}
	depts := 0
	for _, u := range w.Units {
		if u.Kind == model.UnitDepartment && u.ParentID == CityOfficeID {
			depts++
		}
	}
	if depts < 10 {
		t.Errorf("top-level departments = %d, want ≥ 10", depts)
	}
	if d := depth(units, DemoDepartmentID); d < 3 {
		t.Errorf("demo department subtree depth = %d, want ≥ 3", d)
	}
}

// TestDemoDepartmentQueues checks the promise the README makes: the demo
// department has applicants in every queue, own-unit applicants from a
// 全面实行岗位管理的事业单位, returned ones, pending registrations and unread messages.
func TestDemoDepartmentQueues(t *testing.T) {
	w, err := Generate(Options{Scale: 1, Seed: 1, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	count := map[model.Stage]int{}
	returned, reviewed := 0, 0
	for _, a := range w.Applications {
		if a.HolderUnitID == DemoDepartmentID {
			count[a.Stage]++
		}
		if a.ReviewedBy(DemoDepartmentID) {
			reviewed++
			if a.Stage == model.StageReturned {
				returned++
			}
		}
	}
	for _, q := range model.DepartmentQueues {
		if count[q] < 20 {
			t.Errorf("demo queue %s has %d applications, want ≥ 20", q.Label(), count[q])
		}
	}
	if reviewed < 100 || returned < 5 {
		t.Errorf("demo 已审核列表: %d reviewed, %d returned", reviewed, returned)
	}
	var demo model.Unit
	for _, u := range w.Units {
		if u.ID == DemoDepartmentID {
			demo = u
		}
	}
	if !demo.PostManaged || !demo.HasEconomicsApplicants || demo.EconomicType != "" {
		t.Errorf("demo department: post managed %v, economics %v, economic type %q", demo.PostManaged, demo.HasEconomicsApplicants, demo.EconomicType)
	}
	pending, unread := 0, 0
	for _, r := range w.Registrations {
		if r.Unit.ParentID == DemoDepartmentID && r.Status == model.RegistrationPending {
			pending++
		}
	}
	for _, m := range w.Messages {
		for _, r := range m.Recipients {
			if r.ID == DemoDepartmentID && !m.ReadBy[r.ID] {
				unread++
			}
		}
	}
	if pending < 3 || unread < 2 {
		t.Errorf("pending registrations %d, unread messages %d", pending, unread)
	}
	found := false
	for _, a := range w.Accounts {
		found = found || (a.Account.Username == DemoUsername && a.Password == DemoPassword && a.Account.UnitID == DemoDepartmentID)
	}
	if !found {
		t.Error("demo account missing")
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a, _ := Generate(Options{Scale: 0.1, Seed: 7, Now: testNow})
	b, _ := Generate(Options{Scale: 0.1, Seed: 7, Now: testNow})
	if len(a.Applications) != len(b.Applications) || a.Applications[17].ID != b.Applications[17].ID ||
		a.Applicants[3].IDNumber != b.Applicants[3].IDNumber {
		t.Error("same seed gave different worlds")
	}
}

func depth(units map[string]model.Unit, root string) int {
	best := 0
	for _, u := range units {
		d, id := 0, u.ID
		for id != "" && id != root {
			id = units[id].ParentID
			d++
		}
		if id == root && d > best {
			best = d
		}
	}
	return best
}

func BenchmarkGenerate(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Generate(Options{Scale: 1, Seed: uint64(i), Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}
