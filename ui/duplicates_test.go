package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"titledesk/app/apptest"
	"titledesk/model"
	"titledesk/server/demo"
)

// dupCase is an application in the demo department's 下级单位人员审核 and,
// unless it is the control, the other application of the same ID number.
type dupCase struct {
	name        string
	own, other  string // application ids; other "" for the control
	idNumber    string
	wantNotice  string
	otherInList bool // the other waits in the same list (the clerk can return it)
}

// duplicateWorld edits w so that the demo department's 下级单位人员审核
// holds an application whose applicant — the same ID number — also applied
// under another unit this year, one whose other application is of the same
// unit (and waits in the same list), and a control with none.
func duplicateWorld(t *testing.T, w *demo.World) []dupCase {
	dept := ""
	for _, a := range w.Accounts {
		if a.Account.Username == demo.DemoUsername {
			dept = a.Account.UnitID
		}
	}
	perApplicant := map[string]int{}
	for _, a := range w.Applications {
		perApplicant[a.ApplicantID]++
	}
	used := map[string]bool{}
	queued := func(a model.Application) bool {
		return a.HolderUnitID == dept && a.Stage == model.StageSubordinate && a.Applicant != nil &&
			perApplicant[a.ApplicantID] == 1 && !used[a.ApplicantID]
	}
	pick := func(ok func(model.Application) bool) int {
		for i, a := range w.Applications {
			if ok(a) {
				used[a.ApplicantID] = true
				return i
			}
		}
		t.Fatal("the demo world lacks an application for the duplicate fixture")
		return -1
	}
	// The other application's applicant takes the own one's ID number (and
	// the gender it encodes), in its record and in its applications' copies.
	share := func(own, other int, seq int) string {
		a := w.Applications[own]
		id := model.MakeIDNumber("13", model.Date("1971-08-19"), seq, a.Applicant.Gender == model.GenderMale)
		for _, p := range []string{a.ApplicantID, w.Applications[other].ApplicantID} {
			for i := range w.Applicants {
				if w.Applicants[i].ID == p {
					w.Applicants[i].IDNumber, w.Applicants[i].Gender = id, a.Applicant.Gender
				}
			}
			for i := range w.Applications {
				if w.Applications[i].ApplicantID == p && w.Applications[i].Applicant != nil {
					w.Applications[i].Applicant.IDNumber, w.Applications[i].Applicant.Gender = id, a.Applicant.Gender
				}
			}
		}
		return id
	}
	var cases []dupCase
	// Another unit: any application under review this year elsewhere.
	a := pick(queued)
	b := pick(func(x model.Application) bool {
		return x.UnitID != w.Applications[a].UnitID && x.Year == w.Applications[a].Year && model.UnderReview(x.Stage) &&
			perApplicant[x.ApplicantID] == 1 && !used[x.ApplicantID]
	})
	cases = append(cases, dupCase{name: "其他单位", own: w.Applications[a].ID, other: w.Applications[b].ID,
		idNumber: share(a, b, 301), wantNotice: "⚠ 该申报人本年度另有一份申报在审（其他单位）"})
	// The same unit, both waiting for this department.
	a = pick(func(x model.Application) bool {
		if !queued(x) {
			return false
		}
		for _, y := range w.Applications {
			if y.ID != x.ID && y.UnitID == x.UnitID && y.Year == x.Year && queued(y) && y.ApplicantID != x.ApplicantID {
				return true
			}
		}
		return false
	})
	b = pick(func(y model.Application) bool {
		x := w.Applications[a]
		return y.ID != x.ID && y.UnitID == x.UnitID && y.Year == x.Year && queued(y)
	})
	cases = append(cases, dupCase{name: "本单位", own: w.Applications[a].ID, other: w.Applications[b].ID,
		idNumber: share(a, b, 303), wantNotice: "⚠ 该申报人本年度另有一份申报在审（本单位）", otherInList: true})
	c := pick(queued)
	return append(cases, dupCase{name: "无重复", own: w.Applications[c].ID, idNumber: w.Applications[c].Applicant.IDNumber})
}

// openByID searches l for the ID number and opens the application with id.
func openByID(t *testing.T, l *reviewList, idNumber, id string) *reviewView {
	t.Helper()
	l.search.SetText("")
	test.Type(l.search, idNumber)
	i := indexOf(l, id)
	if i < 0 {
		t.Fatalf("searching %s does not list application %s (%s)", model.MaskIDNumber(idNumber), id, l.count.Text)
	}
	return review(t, l, i)
}

// duplicateNotice is the 重复申报提示 line the review view shows, "" if none.
func duplicateNotice(v *reviewView) (string, widget.Importance) {
	for _, l := range v.checkLines {
		if strings.HasPrefix(l.Text, "⚠ ") {
			return l.Text, l.Importance
		}
	}
	return "", 0
}

// TestDuplicateNoticeInReviewView (BEY-5): the review view warns, above the
// applicant's data, when the same ID number has another application under
// review this year — naming only 本单位 or 其他单位 — and says nothing for
// an applicant without one; when the clerk returns the other application
// (【不通过】) and syncs, the warning is gone from the first.
func TestDuplicateNoticeInReviewView(t *testing.T) {
	var cases []dupCase
	f := apptest.ServerWith(t, func(w *demo.World) { cases = duplicateWorld(t, w) })
	d := testDesk(t, apptest.Open(t))
	d.ShowLogin()
	t.Cleanup(func() { d.win.Close() })
	typeLogin(d, f.URL, demo.DemoUsername, demo.DemoPassword)
	if d.main == nil {
		t.Fatalf("login failed: %q", d.login.message.Text)
	}
	l := openList(t, d, navSubordinate)
	for _, c := range cases {
		v := openByID(t, l, c.idNumber, c.own)
		got, imp := duplicateNotice(v)
		if got != c.wantNotice || (got != "" && imp != widget.DangerImportance) {
			t.Errorf("%s: notice %q (importance %v), want %q", c.name, got, imp, c.wantNotice)
		}
		if got != "" && !strings.Contains(labelTexts(v.content), got) {
			t.Errorf("%s: the notice is not in the view", c.name)
		}
		if c.other != "" && strings.Contains(labelTexts(v.content), c.other) {
			t.Errorf("%s: the view names the other application", c.name)
		}
		v.close()
	}

	// The clerk returns the same-unit duplicate; after sync the first
	// application's warning is gone.
	c := cases[1]
	v := openByID(t, l, c.idNumber, c.other)
	if got, _ := duplicateNotice(v); got != c.wantNotice {
		t.Fatalf("the other application of the same unit shows %q", got)
	}
	test.Tap(v.buttons["reject"])
	if v.checklist == nil || v.rejectDialog == nil {
		t.Fatal("【不通过】 opened no dialog with a checklist")
	}
	v.checklist.tick("学历证书不清晰")
	test.Tap(v.rejectDialog.confirm)
	v.close()
	if err := d.app.Session.SyncNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := duplicateNotice(openByID(t, l, c.idNumber, c.own)); got != "" {
		t.Errorf("after the other was returned and synced the notice stays: %q", got)
	}
}
