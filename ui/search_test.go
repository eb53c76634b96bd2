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

// dotNames are names as stored (U+00B7), each with the ways a clerk types
// it: other separator dots, spaced, full-width, or no dot at all.
var dotNames = []struct {
	name  string
	typed []string
}{
	{"买买提·艾力", []string{"买买提·艾力", "买买提•艾力", "买买提・艾力", "买买提．艾力", "买买提.艾力", "买买提‧艾力",
		"买买提 · 艾力", "买买提艾力", " 买买提•艾力 ", "提•艾"}},
	{"阿依古丽·买买提", []string{"阿依古丽.买买提", "阿依古丽•买买提", "阿依古丽・买买提", "阿依古丽∙买买提", "阿依古丽 买买提",
		"阿依古丽买买提", "阿依古丽·买买提", "古丽．买"}},
}

// dotNameDesk is a logged-in desk on a world where, for each of dotNames,
// one applicant waiting in 下级单位人员审核 and one expert of the demo
// department bear that name, with known ID numbers; it returns the
// numbers, by name.
func dotNameDesk(t *testing.T) (d *Desk, applicantIDs, expertIDs map[string]string) {
	t.Helper()
	applicantIDs, expertIDs = map[string]string{}, map[string]string{}
	for i, n := range dotNames {
		applicantIDs[n.name] = model.MakeIDNumber("41", model.Date("1980-05-06"), 812+2*i, true)
		expertIDs[n.name] = model.MakeIDNumber("12", model.Date("1966-03-09"), 433+2*i, true)
	}
	f := apptest.ServerWith(t, func(w *demo.World) {
		dept := ""
		for _, a := range w.Accounts {
			if a.Account.Username == demo.DemoUsername {
				dept = a.Account.UnitID
			}
		}
		person, k := map[string]string{}, 0
		for i, a := range w.Applications {
			if k < len(dotNames) && a.HolderUnitID == dept && a.Stage == model.StageSubordinate && a.Applicant != nil {
				name := dotNames[k].name
				person[a.ApplicantID] = name
				w.Applications[i].Applicant.Name, w.Applications[i].Applicant.IDNumber = name, applicantIDs[name]
				k++
			}
		}
		for i, p := range w.Applicants {
			if name, ok := person[p.ID]; ok {
				w.Applicants[i].Name, w.Applicants[i].IDNumber = name, applicantIDs[name]
			}
		}
		k = 0
		for i, e := range w.Experts {
			if k < len(dotNames) && e.UnitID == dept {
				name := dotNames[k].name
				w.Experts[i].Name, w.Experts[i].IDNumber = name, expertIDs[name]
				k++
			}
		}
		if len(person) < len(dotNames) || k < len(dotNames) {
			t.Fatal("too few applications in the demo department's 下级单位人员审核, or experts")
		}
	})
	d = testDesk(t, apptest.Open(t))
	d.ShowLogin()
	t.Cleanup(func() { d.win.Close() })
	typeLogin(d, f.URL, demo.DemoUsername, demo.DemoPassword)
	if d.main == nil {
		t.Fatalf("login failed: %q", d.login.message.Text)
	}
	return d, applicantIDs, expertIDs
}

// TestNameSearchDotVariantsUI: a name stored with U+00B7 is found however
// its separator dot is typed (or left out), in a review list, in 消息推送
// and in 专家推荐.
func TestNameSearchDotVariantsUI(t *testing.T) {
	d, _, _ := dotNameDesk(t)
	l := openList(t, d, navSubordinate)
	push := d.newMessagePushScreen()
	experts := d.newExpertsScreen()
	for _, n := range dotNames {
		for _, q := range n.typed {
			t.Run(q, func(t *testing.T) {
				l.search.SetText("")
				test.Type(l.search, q)
				if !listHas(l, n.name) {
					t.Errorf("下级单位人员审核: %q finds %d rows, not %s (%s)", q, l.total, n.name, l.count.Text)
				}
				push.people.search.SetText("")
				test.Type(push.people.search, q)
				push.people.load(push)
				if !recipientsHave(push.people.rows, n.name) {
					t.Errorf("消息推送: %q finds %d, not %s", q, len(push.people.rows), n.name)
				}
				experts.search.SetText("")
				test.Type(experts.search, q)
				if len(experts.items) != 1 || experts.items[0].Expert.Name != n.name {
					t.Errorf("专家推荐: %q finds %d experts (%s), not %s alone", q, len(experts.items), experts.count.Text, n.name)
				}
			})
		}
	}
	// Names that are not these (no substring of either, dots aside).
	for _, other := range []string{"买买提·艾尔", "阿依古丽·买提", "艾力·买买提"} {
		l.search.SetText("")
		test.Type(l.search, other)
		experts.search.SetText("")
		test.Type(experts.search, other)
		for _, n := range dotNames {
			if listHas(l, n.name) || expertsNamed(experts.items, n.name) {
				t.Errorf("%q found %s", other, n.name)
			}
		}
	}
}

func expertsNamed(items []app.ExpertItem, name string) bool {
	for _, it := range items {
		if it.Expert.Name == name {
			return true
		}
	}
	return false
}

// idQueries are the ways a clerk types an ID number into a search box: the
// ends the masked column shows, the masked number, the whole number, with
// full-width digits, spaces, hyphens or a lower-case x.
func idQueries(id string) []string {
	return []string{id[:4], id[14:], model.MaskIDNumber(id), id, toFullWidth(id[14:]), toFullWidth(id),
		id[:6] + " " + id[6:14] + " " + id[14:], id[:6] + "-" + id[6:14] + "-" + id[14:], strings.ToLower(id)}
}

// TestReviewListSearchByIDNumber: 下级单位人员审核 finds an applicant by its
// whole ID number, by the last four or first four digits its masked column
// shows, and by the masked number, through the cache's keyed indexes; every
// row found shows the typed end; the hidden middle finds nobody.
func TestReviewListSearchByIDNumber(t *testing.T) {
	d, ids, _ := dotNameDesk(t)
	l := openList(t, d, navSubordinate)
	for name, id := range ids {
		for _, q := range idQueries(id) {
			l.search.SetText("")
			test.Type(l.search, q)
			qq, _ := model.ParseIDQuery(q)
			for _, r := range l.rows {
				m := r.MaskedIDNumber
				if !(qq.Whole == "" && (strings.HasPrefix(m, qq.First+"*") || strings.HasSuffix(m, "*"+qq.Last))) &&
					!(qq.Whole != "" && m == model.MaskIDNumber(id)) {
					t.Errorf("%q found %s (%s)", q, r.ApplicantName, m)
				}
			}
			if l.total == 0 || (l.total <= len(l.rows) && !listHas(l, name)) {
				t.Errorf("%q finds %d rows (%s), not %s", q, l.total, l.count.Text, name)
			}
			if qq.Whole != "" && (l.total != 1 || !listHas(l, name)) {
				t.Errorf("the whole number %q finds %d rows, not %s alone", q, l.total, name)
			}
		}
		l.search.SetText("")
		test.Type(l.search, id[6:14]) // the birth date, hidden in the list
		if listHas(l, name) {
			t.Errorf("the hidden middle of %s's number found them", name)
		}
	}
}

// TestExpertSearchByIDNumber: 专家推荐 finds an expert by what its masked
// 身份证号 column shows (first four, last four, both), by the whole number,
// typed with full-width digits, spaces or hyphens; the hidden middle finds
// nobody.
func TestExpertSearchByIDNumber(t *testing.T) {
	d, _, ids := dotNameDesk(t)
	s := d.newExpertsScreen()
	for _, id := range ids {
		for _, q := range idQueries(id) {
			s.search.SetText("")
			test.Type(s.search, q)
			if !expertsHave(s.items, id) {
				t.Errorf("%q finds %d experts, not the one with %s", q, len(s.items), model.MaskIDNumber(id))
			}
		}
		s.search.SetText("")
		test.Type(s.search, id[6:14]) // the birth date, hidden in the list
		if expertsHave(s.items, id) {
			t.Error("the hidden middle of the number found the expert")
		}
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
