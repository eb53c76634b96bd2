package store

import (
	"context"
	"testing"

	"titledesk/api"
	"titledesk/model"
	"titledesk/server/demo"
)

// subtreeOf lists rootID and its descendants from the world.
func subtreeOf(w *demo.World, rootID string) map[string]bool {
	in := map[string]bool{rootID: true}
	for _, u := range w.Units { // parents come before children
		if in[u.ParentID] {
			in[u.ID] = true
		}
	}
	return in
}

func TestUnitTree(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	sub := subtreeOf(w, deptID)
	rows, err := s.UnitTree(ctx, deptID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(sub) || rows[0].Unit.ID != deptID || rows[0].Depth != 0 {
		t.Fatalf("tree has %d rows (first %+v), want %d from the department", len(rows), rows[0].Unit.Name, len(sub))
	}
	maxDepth := 0
	for i, r := range rows {
		if i > 0 && r.Depth > rows[i-1].Depth+1 {
			t.Fatalf("row %d jumps from depth %d to %d: not in tree order", i, rows[i-1].Depth, r.Depth)
		}
		maxDepth = max(maxDepth, r.Depth)
	}
	if maxDepth < 2 {
		t.Errorf("max depth %d, want a multi-level tree", maxDepth)
	}
	leaf := rows[len(rows)-1]
	found, err := s.UnitTree(ctx, deptID, leaf.Unit.Name)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != leaf.Depth+1 && !found[len(found)-1].Match {
		t.Errorf("search for %q gave %d rows, want the unit and its %d ancestors", leaf.Unit.Name, len(found), leaf.Depth)
	}
	for in, id := range map[bool]string{true: leaf.Unit.ID, false: demo.CityOfficeID} {
		if got, _ := s.InSubtree(ctx, deptID, id); got != in {
			t.Errorf("InSubtree(%s) = %v, want %v", id, got, in)
		}
	}
}

func TestRegistrations(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	want := 0
	for _, r := range w.Registrations {
		if r.Unit.ParentID == deptID && r.Status == model.RegistrationPending {
			want++
		}
	}
	got, err := s.Registrations(ctx, deptID, model.RegistrationPending)
	if err != nil || len(got) != want || want == 0 {
		t.Errorf("pending registrations = %d (%v), want %d", len(got), err, want)
	}
}

func TestMessages(t *testing.T) {
	ctx := context.Background()
	s, _ := seeded(t)
	inbox, err := s.Inbox(ctx, 0)
	if err != nil || len(inbox) == 0 {
		t.Fatalf("inbox: %d, %v", len(inbox), err)
	}
	seenRead := false
	for i, m := range inbox {
		if !m.Inbound {
			t.Fatal("outbound message in the inbox")
		}
		if m.ReadAt != nil {
			seenRead = true
		} else if seenRead {
			t.Fatal("an unread message after a read one")
		}
		if i > 0 && (m.ReadAt == nil) == (inbox[i-1].ReadAt == nil) && m.SentAt.After(inbox[i-1].SentAt) {
			t.Fatal("not newest first within a group")
		}
	}
	sent, err := s.Sent(ctx, 10)
	if err != nil || len(sent) == 0 || len(sent[0].Recipients) == 0 {
		t.Errorf("sent = %+v, %v", sent, err)
	}
	unread, _ := s.UnreadCount(ctx)
	if unread == 0 || unread >= len(inbox) {
		t.Errorf("unread = %d of %d", unread, len(inbox))
	}
	// Marking read optimistically updates the unread count at once.
	m := inbox[0]
	now := testNow
	m.ReadAt = &now
	err = s.Do(ctx, func(tx *Tx) error {
		if err := tx.Put(api.KindMessage, m.ID, m.Version, m); err != nil {
			return err
		}
		_, err := tx.Enqueue(api.CmdMessageRead, m.Version, api.MessageReadArgs{MessageID: m.ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := s.UnreadCount(ctx); n != unread-1 {
		t.Errorf("unread after reading one = %d, want %d", n, unread-1)
	}
}

func TestExpertsCommitteesStockComments(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	experts, err := s.Experts(ctx, deptID)
	if err != nil || len(experts) == 0 {
		t.Fatalf("experts: %d, %v", len(experts), err)
	}
	for _, e := range experts {
		for _, c := range e.Committees {
			if c.Name == "" || c.Status.Label() == string(c.Status) {
				t.Errorf("expert %s: committee %+v lacks a name or status", e.Expert.Name, c)
			}
		}
	}
	committees, _ := s.Committees(ctx)
	if len(committees) != len(w.Committees) {
		t.Errorf("committees = %d, want %d", len(committees), len(w.Committees))
	}
	comments, _ := s.StockComments(ctx)
	if len(comments) == 0 {
		t.Fatal("no stock comments")
	}
	for i := 1; i < len(comments); i++ {
		if comments[i].Position < comments[i-1].Position {
			t.Error("stock comments out of order")
		}
	}
}

func TestCalendar(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if !s.Calendar().IsWorkingDay("2026-10-10") || s.Calendar().IsWorkingDay("2026-10-01") {
		t.Error("default calendar misses 2026's make-up day")
	}
	cal := api.CalendarData{Entries: []model.CalendarEntry{{Date: "2027-03-03", Kind: model.CalendarHoliday, Name: "测试假日"}}}
	if err := s.ApplyChanges(ctx, []api.Change{change(t, api.KindCalendar, "calendar", 2, cal)}, "c1"); err != nil {
		t.Fatal(err)
	}
	if s.Calendar().IsWorkingDay("2027-03-03") {
		t.Error("pulled calendar not in effect")
	}
	s.Close()
	s2, err := Open(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if !s2.Calendar().IsWorkingDay("2027-03-03") {
		t.Error("the sealed calendar was read before the unlock")
	}
	if err := s2.Unlock(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	if s2.Calendar().IsWorkingDay("2027-03-03") {
		t.Error("pulled calendar not loaded at unlock")
	}
}

func TestApplicationDetail(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	app := pickApp(t, w, w.Applications, func(a model.Application) bool { return len(a.Flow) >= 3 && a.HolderUnitID != "" })
	s.SaveDraft(ctx, Draft{ApplicationID: app.ID, Opinion: "未完成"})
	d, err := s.ApplicationDetail(ctx, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Application.Version != app.Version || len(d.Application.Flow) != len(app.Flow) || d.Applicant.ID != app.ApplicantID || d.Unit.ID != app.UnitID {
		t.Errorf("detail does not match the application")
	}
	if d.UnitNames[app.HolderUnitID] == "" || d.Draft == nil || d.Draft.Opinion != "未完成" {
		t.Errorf("holder name %q, draft %+v", d.UnitNames[app.HolderUnitID], d.Draft)
	}
	// The review view and the sheet show the applicant as submitted (SEC-1),
	// even when the person's record in the cache says otherwise now.
	if app.Applicant == nil || d.Applicant.Name != app.Applicant.Name {
		t.Fatalf("a submitted application carries no snapshot, or detail ignores it: %+v", app.Applicant)
	}
	renamed := *app.Applicant
	renamed.Name, renamed.Version = "改名后", renamed.Version+1
	if err := s.ApplyChanges(ctx, []api.Change{change(t, api.KindApplicant, renamed.ID, renamed.Version, renamed)}, "later"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.ApplicationDetail(ctx, app.ID); d.Applicant.Name != app.Applicant.Name {
		t.Errorf("detail shows the current record %q, not the submitted %q", d.Applicant.Name, app.Applicant.Name)
	}
	var me *model.Error
	if _, err := s.ApplicationDetail(ctx, "missing"); !asModel(err, &me) || me.Kind != model.KindNotFound {
		t.Errorf("missing application: %v", err)
	}
}

func asModel(err error, target **model.Error) bool {
	e, ok := err.(*model.Error)
	*target = e
	return ok
}

func TestRecipients(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	sub := subtreeOf(w, deptID)
	var person model.Applicant
	for _, p := range w.Applicants {
		if sub[p.UnitID] {
			person = p
			break
		}
	}
	for _, search := range []string{person.IDNumber, person.IDNumber[len(person.IDNumber)-4:], model.MaskIDNumber(person.IDNumber)} {
		got, err := s.Recipients(ctx, deptID, search, 0)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range got {
			found = found || (r.ID == person.ID && r.Kind == model.RecipientApplicant && r.Name == person.Name)
		}
		if !found {
			t.Errorf("searching by ID number %s did not find %s", model.MaskIDNumber(search), person.Name)
		}
	}
	all, _ := s.Recipients(ctx, deptID, "", 1000)
	for _, r := range all {
		if r.Kind == model.RecipientUnit && (!sub[r.ID] || r.ID == deptID) {
			t.Errorf("recipient unit %s is outside the subtree", r.Name)
		}
	}
}

// CountApplications (STAT-1) by 审核结果 and one filter; the app's test
// checks every dimension and pair against a plain-Go count of the demo data.
func TestCountApplications(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	sub := subtreeOf(w, deptID)
	want := map[string]int{}
	wantEcon := 0
	for _, a := range w.Applications {
		if !sub[a.UnitID] || a.Stage == model.StageDraft {
			continue
		}
		o := model.OutcomeInReview
		switch last := lastReject(a); {
		case a.Stage == model.StageCertified:
			o = model.OutcomeCertified
		case a.Stage == model.StageReturned && last == deptID:
			o = model.OutcomeRejected
		case a.Stage == model.StageReturned:
			o = model.OutcomeReturned
		case !sub[a.HolderUnitID]:
			o = model.OutcomePassed
		}
		want[string(o)]++
		if a.Series == model.SeriesEconomics && a.Year == testNow.Year() {
			wantEcon++
		}
	}
	rows, err := s.CountApplications(ctx, deptID, StatsFilter{}, DimOutcome)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range rows {
		got[r.Keys[0]] += r.Count
	}
	for _, o := range model.AllOutcomes {
		if got[string(o)] != want[string(o)] || want[string(o)] == 0 {
			t.Errorf("%s = %d, want %d (> 0)", o.Label(), got[string(o)], want[string(o)])
		}
	}
	filtered, err := s.CountApplications(ctx, deptID, StatsFilter{Series: model.SeriesEconomics, YearFrom: testNow.Year(), YearTo: testNow.Year()})
	if err != nil || len(filtered) != 1 || filtered[0].Count != wantEcon || wantEcon == 0 {
		t.Fatalf("economics %d: %+v, %v", wantEcon, filtered, err)
	}
	var outside string
	for _, u := range w.Units {
		if !sub[u.ID] {
			outside = u.ID
		}
	}
	if _, err := s.CountApplications(ctx, deptID, StatsFilter{UnitID: outside}, DimYear); model.AsError(err).Kind != model.KindNotFound {
		t.Fatalf("a unit outside the subtree: %v", err)
	}
	if _, err := s.CountApplications(ctx, deptID, StatsFilter{}, DimYear, DimYear); err == nil {
		t.Fatal("the same dimension twice was accepted")
	}
}

// lastReject is the unit of an application's newest 不通过 step.
func lastReject(a model.Application) string {
	for i := len(a.Flow) - 1; i >= 0; i-- {
		if a.Flow[i].Action == model.ActionReject {
			return a.Flow[i].UnitID
		}
	}
	return ""
}
