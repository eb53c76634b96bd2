package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"titledesk/app"
	"titledesk/app/apptest"
	"titledesk/model"
	"titledesk/server/demo"
)

// dotName is a name as stored (U+00B7), and the ways a clerk types it: other
// separator dots, spaced, or no dot at all.
const dotName = "买买提·艾力"

var dotNameTyped = []string{"买买提·艾力", "买买提•艾力", "买买提・艾力", "买买提．艾力", "买买提.艾力", "买买提‧艾力",
	"买买提 · 艾力", "买买提艾力", " 买买提•艾力 ", "提•艾"}

// dotNameDesk is a logged-in desk on a world where one applicant waiting in
// 下级单位人员审核 and one expert of the demo department are named
// 买买提·艾力, with known ID numbers; it returns those numbers.
func dotNameDesk(t *testing.T) (d *Desk, applicantID, expertID string) {
	t.Helper()
	applicantID = model.MakeIDNumber("41", model.Date("1980-05-06"), 812, true)
	expertID = model.MakeIDNumber("12", model.Date("1966-03-09"), 433, true)
	f := apptest.ServerWith(t, func(w *demo.World) {
		dept := ""
		for _, a := range w.Accounts {
			if a.Account.Username == demo.DemoUsername {
				dept = a.Account.UnitID
			}
		}
		person := ""
		for i, a := range w.Applications {
			if a.HolderUnitID == dept && a.Stage == model.StageSubordinate && a.Applicant != nil {
				person = a.ApplicantID
				w.Applications[i].Applicant.Name, w.Applications[i].Applicant.IDNumber = dotName, applicantID
				break
			}
		}
		for i, p := range w.Applicants {
			if p.ID == person {
				w.Applicants[i].Name, w.Applicants[i].IDNumber = dotName, applicantID
			}
		}
		for i, e := range w.Experts {
			if e.UnitID == dept {
				w.Experts[i].Name, w.Experts[i].IDNumber = dotName, expertID
				break
			}
		}
		if person == "" {
			t.Fatal("no application in the demo department's 下级单位人员审核")
		}
	})
	d = testDesk(t, apptest.Open(t))
	d.ShowLogin()
	t.Cleanup(func() { d.win.Close() })
	typeLogin(d, f.URL, demo.DemoUsername, demo.DemoPassword)
	if d.main == nil {
		t.Fatalf("login failed: %q", d.login.message.Text)
	}
	return d, applicantID, expertID
}

// TestNameSearchDotVariantsUI: 买买提·艾力 is found however its separator dot
// is typed (or left out), in a review list, in 消息推送 and in 专家推荐.
func TestNameSearchDotVariantsUI(t *testing.T) {
	d, _, _ := dotNameDesk(t)
	l := openList(t, d, navSubordinate)
	push := d.newMessagePushScreen()
	experts := d.newExpertsScreen()
	for _, q := range dotNameTyped {
		t.Run(q, func(t *testing.T) {
			l.search.SetText("")
			test.Type(l.search, q)
			if !listHas(l, dotName) {
				t.Errorf("下级单位人员审核: %q finds %d rows, not %s (%s)", q, l.total, dotName, l.count.Text)
			}
			push.people.search.SetText("")
			test.Type(push.people.search, q)
			push.people.load(push)
			if !recipientsHave(push.people.rows, dotName) {
				t.Errorf("消息推送: %q finds %d, not %s", q, len(push.people.rows), dotName)
			}
			experts.search.SetText("")
			test.Type(experts.search, q)
			if len(experts.items) != 1 || experts.items[0].Expert.Name != dotName {
				t.Errorf("专家推荐: %q finds %d experts (%s)", q, len(experts.items), experts.count.Text)
			}
		})
	}
	l.search.SetText("")
	test.Type(l.search, "买买提·艾尔")
	experts.search.SetText("")
	test.Type(experts.search, "买买提·艾尔")
	if listHas(l, dotName) || len(experts.items) != 0 {
		t.Error("another name found 买买提·艾力")
	}
}

// TestExpertSearchByIDNumber: 专家推荐 finds an expert by what its masked
// 身份证号 column shows (first four, last four, both), by the whole number,
// typed with full-width digits, spaces or hyphens; the hidden middle finds
// nobody.
func TestExpertSearchByIDNumber(t *testing.T) {
	d, _, id := dotNameDesk(t)
	s := d.newExpertsScreen()
	masked := model.MaskIDNumber(id)
	for _, q := range []string{id[:4], id[14:], masked, id, toFullWidth(id[14:]), toFullWidth(id),
		id[:6] + " " + id[6:14] + " " + id[14:], id[:6] + "-" + id[6:14] + "-" + id[14:], strings.ToLower(id)} {
		s.search.SetText("")
		test.Type(s.search, q)
		if !expertsHave(s.items, id) {
			t.Errorf("%q finds %d experts, not the one with %s", q, len(s.items), masked)
		}
	}
	s.search.SetText("")
	test.Type(s.search, id[6:14]) // the birth date, hidden in the list
	if expertsHave(s.items, id) {
		t.Error("the hidden middle of the number found the expert")
	}
	if s.search.SetText(""); len(s.items) != len(s.all) || !strings.HasPrefix(s.count.Text, "已推荐专家") {
		t.Errorf("an empty search shows %d of %d (%q)", len(s.items), len(s.all), s.count.Text)
	}
}

func listHas(l *reviewList, name string) bool {
	for _, r := range l.rows {
		if r.ApplicantName == name {
			return true
		}
	}
	return false
}

func recipientsHave(rows []app.RecipientRow, name string) bool {
	for _, r := range rows {
		if r.Recipient.Name == name {
			return true
		}
	}
	return false
}

func expertsHave(items []app.ExpertItem, id string) bool {
	for _, it := range items {
		if it.Expert.IDNumber == id {
			return true
		}
	}
	return false
}

// toFullWidth is s as a Chinese input method in full-width mode types it.
func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '!' && r <= '~' {
			return r - '!' + '！'
		}
		return r
	}, s)
}
