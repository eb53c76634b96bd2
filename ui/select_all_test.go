package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"titledesk/app/apptest"
	"titledesk/model"
	"titledesk/server/demo"
)

// bigListDesk is a desk whose 下级单位人员审核 holds extra more applications
// than the demo's (copies of one of its own, each with its own applicant),
// so the list is longer than the pages first loaded.
func bigListDesk(t *testing.T, extra int) *Desk {
	t.Helper()
	f := apptest.ServerWith(t, func(w *demo.World) {
		dept := ""
		for _, a := range w.Accounts {
			if a.Account.Username == demo.DemoUsername {
				dept = a.Account.UnitID
			}
		}
		src := -1
		for i, a := range w.Applications {
			if a.HolderUnitID == dept && a.Stage == model.StageSubordinate && a.Applicant != nil {
				src = i
				break
			}
		}
		if src < 0 {
			t.Fatal("no application in the demo department's 下级单位人员审核")
		}
		for k := range extra {
			a := w.Applications[src]
			p := *a.Applicant
			p.ID = fmt.Sprintf("00000000-0000-4000-8000-1%011d", k)
			p.Name = fmt.Sprintf("全选%03d", k)
			p.IDNumber = model.MakeIDNumber("12", model.Date("1975-03-09"), 100+2*k, p.Gender == model.GenderMale)
			a.ID = fmt.Sprintf("00000000-0000-4000-8000-2%011d", k)
			a.ApplicantID, a.Applicant = p.ID, &p
			a.Flow = append([]model.FlowStep(nil), a.Flow...)
			w.Applicants = append(w.Applicants, p)
			w.Applications = append(w.Applications, a)
		}
	})
	d := testDesk(t, apptest.Open(t))
	d.ShowLogin()
	t.Cleanup(func() { d.win.Close() })
	typeLogin(d, f.URL, demo.DemoUsername, demo.DemoPassword)
	if d.main == nil {
		t.Fatalf("login failed: %q", d.login.message.Text)
	}
	return d
}

// 全选 ticks every row the current filters show, not only the pages loaded
// so far: with more rows than one page, the count, 批量不通过 and 批量通过
// name the true number (five names and 等 N 人); unticking clears every
// tick, loaded or not; with a filter, 全选 ticks only what it shows.
func TestSelectAllTicksEveryMatchingRow(t *testing.T) {
	d := bigListDesk(t, 160)
	l := openList(t, d, navSubordinate)
	if l.total <= listPage || len(l.rows) >= l.total {
		t.Fatalf("%d rows, %d loaded: the list must be longer than what is loaded", l.total, len(l.rows))
	}
	total := l.total
	l.selectAll(true)
	if len(l.selected) != total {
		t.Fatalf("全选 ticked %d of %d rows (%q)", len(l.selected), total, l.count.Text)
	}
	if want := fmt.Sprintf("共 %d 人，已选 %d 人", total, total); l.count.Text != want {
		t.Errorf("count %q, want %q", l.count.Text, want)
	}
	test.Tap(l.buttons["reject"])
	rd := l.rejectDialog
	if rd == nil || !strings.Contains(rd.about.Text, fmt.Sprintf("以下 %d 人", total)) ||
		!strings.Contains(rd.about.Text, fmt.Sprintf("等 %d 人", total)) || !strings.Contains(rd.confirm.Text, fmt.Sprint(total)) {
		t.Fatalf("批量不通过 asks %v", rd)
	}
	if n := strings.Count(strings.SplitN(rd.about.Text, "：", 2)[1], "、"); n != maxNamed-1 {
		t.Errorf("批量不通过 names %d people, want %d: %q", n+1, maxNamed, rd.about.Text)
	}
	test.Tap(rd.cancel)
	test.Tap(l.buttons["pass"])
	if l.form == nil || !strings.Contains(l.form.submit.Text, fmt.Sprintf("%d 人", total)) {
		t.Fatalf("批量通过 form for %v", l.form)
	}
	l.form.dlg.Hide()

	l.selectAll(false)
	if len(l.selected) != 0 {
		t.Fatalf("after unticking 全选, %d rows stay ticked", len(l.selected))
	}

	test.Type(l.search, "全选")
	if l.total != 160 {
		t.Fatalf("search 全选 shows %d", l.total)
	}
	l.selectAll(true)
	for id, r := range l.selected {
		if !strings.HasPrefix(r.ApplicantName, "全选") {
			t.Fatalf("全选 under a search ticked %s (%s), whom the list does not show", r.ApplicantName, id)
		}
	}
	if len(l.selected) != 160 {
		t.Fatalf("全选 under a search ticked %d, want 160", len(l.selected))
	}
}
