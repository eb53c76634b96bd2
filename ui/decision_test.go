package ui

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// fakeClock stands in for Desk.after: timers fire only when the test moves
// the clock on.
type fakeClock struct {
	now    time.Duration
	timers []fakeTimer
}

type fakeTimer struct {
	at time.Duration
	f  func()
}

func useFakeClock(d *Desk) *fakeClock {
	c := &fakeClock{}
	d.after = func(delay time.Duration, f func()) { c.timers = append(c.timers, fakeTimer{c.now + delay, f}) }
	return c
}

// advance moves the clock on by delta and fires the timers due, in order.
func (c *fakeClock) advance(delta time.Duration) {
	c.now += delta
	for {
		sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at < c.timers[j].at })
		if len(c.timers) == 0 || c.timers[0].at > c.now {
			return
		}
		t := c.timers[0]
		c.timers = c.timers[1:]
		t.f()
	}
}

// queuedRunner holds background work until the test runs it, as a slow
// machine would.
type queuedRunner struct{ work []func() func() }

func useQueuedRunner(d *Desk) *queuedRunner {
	q := &queuedRunner{}
	d.run = func(w func() func()) { q.work = append(q.work, w) }
	return q
}

// drain runs the queued work and what it queues in turn.
func (q *queuedRunner) drain() {
	for len(q.work) > 0 {
		w := q.work[0]
		q.work = q.work[1:]
		w()()
	}
}

func pendingCount(t *testing.T, d *Desk) int {
	t.Helper()
	return d.app.Session.Status().Pending
}

// TestDoubleClickOnPassDecidesOneApplicant is the first failure:
// two clicks on 【通过】 200 ms apart passed two applicants, the second
// landing on the next applicant's 【通过】. Now 【通过】 is disabled from the
// first click until the next applicant shows, and then for armDelay more.
func TestDoubleClickOnPassDecidesOneApplicant(t *testing.T) {
	for _, slow := range []bool{false, true} {
		t.Run(map[bool]string{false: "fast machine", true: "slow machine"}[slow], func(t *testing.T) {
			d, _ := loggedInDesk(t)
			clock := useFakeClock(d)
			l := openList(t, d, navSubordinate)
			v := review(t, l, 0)
			clock.advance(armDelay)
			first := v.item.ID
			pass := v.buttons["pass"]
			if pass.Disabled() {
				t.Fatal("【通过】 not armed after armDelay")
			}
			var q *queuedRunner
			if slow {
				q = useQueuedRunner(d)
			}
			test.Tap(pass)
			shown := clock.now // a fast machine shows the next applicant at once
			clock.advance(200 * time.Millisecond)
			test.Tap(pass) // the second click of the double-click, same place
			if q != nil {
				q.drain()
				shown = clock.now
			}
			if got := pendingCount(t, d); got != 1 {
				t.Fatalf("a double-click queued %d decisions, want 1", got)
			}
			if v.item.ID == first || !pass.Disabled() || !v.buttons["reject"].Disabled() {
				t.Fatalf("next applicant %v, 通过 disabled %v, 不通过 disabled %v", v.item.ID != first, pass.Disabled(), v.buttons["reject"].Disabled())
			}
			clock.advance(shown + armDelay - time.Millisecond - clock.now)
			if !pass.Disabled() {
				t.Fatalf("【通过】 live %v after the next applicant showed, want ≥ %v", clock.now-shown, armDelay)
			}
			clock.advance(time.Millisecond)
			if pass.Disabled() {
				t.Fatal("【通过】 still disabled after armDelay")
			}
		})
	}
}

// TestDoubleClickOnRejectNeverConfirms: with text in 审核意见, the second
// click of a double-click on 【不通过】 used to land on 【确认】 and return
// the applicant. Now 【不通过】 asks in a dialog naming the applicant, whose
// 【确认不通过】 is armed only after armDelay and whose default is 【取消】.
func TestDoubleClickOnRejectNeverConfirms(t *testing.T) {
	d, _ := loggedInDesk(t)
	clock := useFakeClock(d)
	l := openList(t, d, navSubordinate)
	v := review(t, l, 0)
	clock.advance(armDelay)
	test.Type(v.opinion, "业绩材料不完整")
	test.Tap(v.buttons["reject"])
	rd := v.rejectDialog
	clock.advance(200 * time.Millisecond)
	test.Tap(rd.confirm) // where the second click lands, whatever the layout
	test.Tap(v.buttons["reject"])
	if pendingCount(t, d) != 0 || !rd.shown {
		t.Fatalf("the double-click decided: 待同步 %d, dialog shown %v", pendingCount(t, d), rd.shown)
	}
	if rd.reason.Text != "业绩材料不完整" || !strings.Contains(rd.about.Text, v.item.Name) {
		t.Fatalf("dialog: reason %q, about %q", rd.reason.Text, rd.about.Text)
	}
	// Keys pressed without looking choose 【取消】.
	rd.cancel.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if rd.shown || pendingCount(t, d) != 0 {
		t.Fatal("Enter on the default button did not cancel")
	}
	clock.advance(armDelay)
	if v.buttons["reject"].Disabled() {
		t.Fatal("【不通过】 not back after cancelling")
	}
}

// confirmCase opens one kind of decision confirmation and says what it
// must name and how to tell it decided.
type confirmCase struct {
	name  string
	open  func(t *testing.T, d *Desk, c *fakeClock) (dd *decisionDialog, names []string)
	count func(d *Desk) int // what deciding changes
}

func decisionConfirmations() []confirmCase {
	ticked := func(t *testing.T, d *Desk, nav string, n int) (*reviewList, []string) {
		l := openList(t, d, nav)
		var names []string
		for i := 0; i < n; i++ {
			l.setChecked(l.rows[i], true)
			names = append(names, l.rows[i].ApplicantName)
		}
		return l, names
	}
	return []confirmCase{
		{"不通过", func(t *testing.T, d *Desk, c *fakeClock) (*decisionDialog, []string) {
			v := review(t, openList(t, d, navSubordinate), 0)
			c.advance(armDelay)
			test.Tap(v.buttons["reject"])
			return v.rejectDialog, []string{v.item.Name}
		}, func(d *Desk) int { return d.app.Session.Status().Pending }},
		{"批量不通过 of 7", func(t *testing.T, d *Desk, c *fakeClock) (*decisionDialog, []string) {
			l, names := ticked(t, d, navSubordinate, 7)
			test.Tap(l.buttons["reject"])
			return l.rejectDialog, names[:maxNamed]
		}, func(d *Desk) int { return d.app.Session.Status().Pending }},
		{"撤回", func(t *testing.T, d *Desk, c *fakeClock) (*decisionDialog, []string) {
			l := openList(t, d, navReviewed)
			for i := range l.total {
				if r := l.rows[i]; r.CanWithdraw && !r.Pending {
					l.withdraw(r, func() {})
					return l.withdrawDialog, []string{r.ApplicantName}
				}
			}
			t.Fatal("nothing to withdraw in 已审核列表")
			return nil, nil
		}, func(d *Desk) int { return d.app.Session.Status().Pending }},
		{"注册审核 批量通过", func(t *testing.T, d *Desk, c *fakeClock) (*decisionDialog, []string) {
			s := d.newRegistrationsScreen()
			pick(s.list, 0)
			test.Tap(s.approve.b)
			return s.approveUI, []string{s.rows[0].Registration.Unit.Name}
		}, func(d *Desk) int { return d.app.Session.Status().Pending }},
		{"注册审核 批量不通过", func(t *testing.T, d *Desk, c *fakeClock) (*decisionDialog, []string) {
			s := d.newRegistrationsScreen()
			pick(s.list, 0)
			pick(s.list, 1)
			test.Tap(s.reject.b)
			return s.rejectUI, []string{s.rows[0].Registration.Unit.Name, s.rows[1].Registration.Unit.Name}
		}, func(d *Desk) int { return d.app.Session.Status().Pending }},
	}
}

// TestDecisionDialogsNameWhomAndDefaultToCancel: every decision asks in a
// dialog naming whom it decides (or the count and the first names), whose
// confirming button is armed only after armDelay and whose default —
// focused, and chosen by Enter and Escape — is 【取消】.
func TestDecisionDialogsNameWhomAndDefaultToCancel(t *testing.T) {
	for _, tc := range decisionConfirmations() {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := loggedInDesk(t)
			clock := useFakeClock(d)
			before := tc.count(d)
			dd, names := tc.open(t, d, clock)
			if dd == nil || !dd.shown {
				t.Fatal("no confirmation dialog")
			}
			for _, n := range names {
				if !strings.Contains(dd.about.Text, n) {
					t.Errorf("the dialog does not name %s: %q", n, dd.about.Text)
				}
			}
			focused := d.win.Canvas().Focused()
			if want := fyne.Focusable(dd.cancel); dd.reason != nil {
				want = dd.reason
				if focused != want {
					t.Errorf("focus on %T, want the reason", focused)
				}
			} else if focused != want {
				t.Errorf("focus on %T, want the default 【取消】", focused)
			}
			if dd.reason != nil {
				test.Type(dd.reason, "材料不齐全，请补充")
			}
			if !dd.confirm.Disabled() {
				t.Fatal("the confirming button is live at once")
			}
			test.Tap(dd.confirm)
			clock.advance(armDelay - time.Millisecond)
			test.Tap(dd.confirm)
			if tc.count(d) != before {
				t.Fatal("decided before armDelay")
			}
			for _, key := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEscape} {
				dd.show(d)
				clock.advance(armDelay)
				dd.cancel.TypedKey(&fyne.KeyEvent{Name: key})
				if dd.shown || tc.count(d) != before {
					t.Fatalf("%s did not cancel", key)
				}
			}
			dd.show(d)
			clock.advance(armDelay)
			test.Tap(dd.confirm)
			if tc.count(d) == before {
				t.Fatalf("【%s】 after armDelay did nothing (%q)", dd.confirm.Text, dd.message.Text)
			}
		})
	}
}

// TestBatchPassConfirmsNamesAndKeepsTheForm: 批量通过's form names the
// applicants, defaults to 【取消】, arms its submit button, and keeps what
// was typed when closed and opened again (item 11).
func TestBatchPassConfirmsNamesAndKeepsTheForm(t *testing.T) {
	d, _ := loggedInDesk(t)
	clock := useFakeClock(d)
	l := openList(t, d, navOwnUnit)
	var names []string
	for i := 0; i < 2; i++ {
		l.setChecked(l.rows[i], true)
		names = append(names, l.rows[i].ApplicantName)
	}
	test.Tap(l.buttons["pass"])
	pf := l.form
	note := test.RenderObjectToMarkup(pf.body)
	for _, n := range names {
		if !strings.Contains(note, n) {
			t.Errorf("the form does not name %s", n)
		}
	}
	if !pf.submit.Disabled() || d.win.Canvas().Focused() != pf.cancel || !strings.Contains(pf.submit.Text, "2 人") {
		t.Fatalf("submit live %v, focus %T, label %q", !pf.submit.Disabled(), d.win.Canvas().Focused(), pf.submit.Text)
	}
	clock.advance(armDelay)
	fillRecommendation(pf, "2026-03-06")
	test.Type(pf.opinion, "同意推荐")
	pf.cancel.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if pf.shown || pendingCount(t, d) != 0 {
		t.Fatal("Escape did not close the form without deciding")
	}
	test.Tap(l.buttons["pass"])
	pf = l.form
	if got := pf.fields.entries["publicity_place"].Text; got != "办公楼一楼公示栏" || pf.opinion.Text != "同意推荐" {
		t.Fatalf("the form forgot what was typed: place %q, opinion %q", got, pf.opinion.Text)
	}
}

// TestUndoInTheReviewView: a decision made offline is undone from the
// note (the applicant opens again with the opinion typed) and from
// 待同步 beside an applicant; nothing reaches the server.
func TestUndoInTheReviewView(t *testing.T) {
	d, f := loggedInDesk(t)
	f.Stop()
	l := openList(t, d, navSubordinate)
	total := l.total
	v := review(t, l, 0)
	first := v.item
	test.Type(v.opinion, "同意，报送上级")
	test.Tap(v.buttons["pass"])
	test.Tap(d.main.status.syncNow) // offline: the action stays undoable
	if v.item.ID == first.ID || !v.note.undo.Visible() || pendingCount(t, d) != 1 {
		t.Fatalf("after 通过: note %q, 撤销 shown %v, 待同步 %d", v.note.label.Text, v.note.undo.Visible(), pendingCount(t, d))
	}
	test.Tap(v.note.undo)
	if pendingCount(t, d) != 0 || v.item.ID != first.ID || v.opinion.Text != "同意，报送上级" || l.total != total {
		t.Fatalf("after 撤销: 待同步 %d, showing first %v, opinion %q, list %d of %d",
			pendingCount(t, d), v.item.ID == first.ID, v.opinion.Text, l.total, total)
	}
	if v.buttons["pass"].Disabled() || !strings.Contains(v.note.label.Text, "已撤销【通过】") {
		t.Fatalf("undone applicant not decidable again: %q", v.note.label.Text)
	}

	// 不通过, then 撤销 beside 待同步 when the applicant is opened again.
	test.Tap(v.buttons["reject"])
	test.Tap(v.rejectDialog.confirm)
	r := openList(t, d, navReviewed)
	i := indexOf(r, first.ID)
	if i < 0 || !r.rows[i].Pending {
		t.Fatal("the rejected applicant is not 待同步 in 已审核列表")
	}
	c := newCell()
	r.updateCell(widget.TableCellID{Row: i, Col: colOps}, c)
	if c.act2.Text != "撤销" || c.act2.Disabled() {
		t.Fatalf("row button %q disabled %v", c.act2.Text, c.act2.Disabled())
	}
	test.Tap(c.act2)
	if pendingCount(t, d) != 0 || indexOf(openList(t, d, navSubordinate), first.ID) < 0 {
		t.Fatalf("after 撤销 in the list: 待同步 %d", pendingCount(t, d))
	}
	if dr, _, _ := d.app.Reviews.LoadDraft(context.Background(), first.ID); dr.Reason != "同意，报送上级" {
		t.Fatalf("the reason typed is not kept: %+v", dr)
	}
}

// TestNotesFollowTheOutbox: "已通过 3 人（待同步）" becomes （已同步） and
// loses 【撤销】 after the sync; ticked rows decided elsewhere drop out of
// the selection and the batch buttons follow.
func TestNotesFollowTheOutbox(t *testing.T) {
	d, _ := loggedInDesk(t)
	l := openList(t, d, navSubordinate)
	for i := 0; i < 3; i++ {
		l.setChecked(l.rows[i], true)
	}
	test.Tap(l.buttons["pass"])
	test.Tap(l.form.submit)
	if !strings.Contains(l.note.label.Text, "已通过 3 人") || !strings.HasSuffix(l.note.label.Text, "（待同步）") || !l.note.undo.Visible() {
		t.Fatalf("before the sync: %q, 撤销 %v", l.note.label.Text, l.note.undo.Visible())
	}
	test.Tap(d.main.status.syncNow)
	if !strings.HasSuffix(l.note.label.Text, "（已同步）") || l.note.undo.Visible() {
		t.Fatalf("after the sync: %q, 撤销 %v", l.note.label.Text, l.note.undo.Visible())
	}

	// A ticked applicant decided in the review view leaves the selection.
	l.setChecked(l.rows[0], true)
	name := l.rows[0].ApplicantName
	v := review(t, l, 0)
	test.Tap(v.buttons["pass"])
	test.Tap(v.buttons["back"])
	if len(l.selected) != 0 || !l.buttons["pass"].Disabled() || !l.buttons["reject"].Disabled() {
		t.Fatalf("%s decided but still ticked: %d ticked, 批量通过 enabled %v", name, len(l.selected), !l.buttons["pass"].Disabled())
	}
}

// TestRegistrationDetailsFollowTheList: a registration decided and synced
// leaves the list, and its details go with it.
func TestRegistrationDetailsFollowTheList(t *testing.T) {
	d, _ := loggedInDesk(t)
	rs := d.newRegistrationsScreen()
	reg := rs.rows[0].Registration
	rs.list.table.Select(widget.TableCellID{Row: 0, Col: 1})
	if !strings.Contains(labelTexts(rs.details), reg.Unit.Name) {
		t.Fatal("details do not show the clicked unit")
	}
	pick(rs.list, 0)
	test.Tap(rs.approve.b)
	test.Tap(rs.approveUI.confirm)
	syncDesk(t, d)
	rs.load()
	if strings.Contains(labelTexts(rs.details), reg.Unit.Name) {
		t.Fatal("the details still show a unit that left the list")
	}
	if !rs.approve.b.Disabled() {
		t.Fatal("批量通过 enabled with nothing ticked")
	}
}

// TestActionButtonsCannotStartTwice is the kind: on every screen of the
// main window, each button whose tap starts background work is disabled
// from the tap until that work's result is shown.
func TestActionButtonsCannotStartTwice(t *testing.T) {
	screensToCheck := []string{navHome, navOwnUnit, navSubordinate, navReviewed, navRegistrations, navSubUnits,
		navExperts, navMessages, navStats, navSettings}
	d, _ := loggedInDesk(t)
	for _, nav := range screensToCheck {
		d.main.goTo(nav)
		root := d.main.content.Objects[0]
		checkButtons(t, d, nav, root)
	}
	// The review view's buttons.
	l := openList(t, d, navSubordinate)
	v := review(t, l, 0)
	checkButtons(t, d, "review view", v.content)
}

// checkButtons taps each enabled button under root once with background
// work held back: if the tap queued work, the button must be disabled
// until it ran.
func checkButtons(t *testing.T, d *Desk, where string, root fyne.CanvasObject) {
	t.Helper()
	keep := d.run
	defer func() { d.run = keep }()
	for _, b := range buttonsUnder(root) {
		if b.Disabled() || !b.Visible() || b.OnTapped == nil || skipInKindTest[b.Text] {
			continue
		}
		q := useQueuedRunner(d)
		test.Tap(b)
		if len(q.work) > 0 && !b.Disabled() {
			t.Errorf("%s: 【%s】 can be tapped again while its action runs", where, b.Text)
		}
		q.drain()
		d.run = keep
		for o := d.win.Canvas().Overlays().Top(); o != nil; o = d.win.Canvas().Overlays().Top() {
			d.win.Canvas().Overlays().Remove(o)
		}
	}
}

// skipInKindTest: buttons that leave the screen under test.
var skipInKindTest = map[string]bool{"退出登录": true, "返回列表": true}

// labelTexts is the text of every label under o, one per line.
func labelTexts(o fyne.CanvasObject) string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return strings.Join(out, "\n")
}

func buttonsUnder(o fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Button:
			out = append(out, x)
			return
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
			return
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// TestUndoRegistrationDecision: a 下级单位注册审核 decision still waiting to
// sync is taken back with 【撤销】 and the registration is pending again.
func TestUndoRegistrationDecision(t *testing.T) {
	d, _ := loggedInDesk(t)
	s := d.newRegistrationsScreen()
	reg := s.rows[0].Registration
	s.list.table.Select(widget.TableCellID{Row: 0, Col: 1})
	if !s.undo.b.Disabled() {
		t.Fatal("【撤销】 offered with nothing queued")
	}
	pick(s.list, 0)
	test.Tap(s.approve.b)
	test.Tap(s.approveUI.confirm)
	i := slicesIndex(s, reg.ID)
	if i < 0 || s.rows[i].Queued == "" || pendingCount(t, d) != 1 {
		t.Fatalf("not queued: %+v", s.rows)
	}
	s.list.table.Select(widget.TableCellID{Row: i, Col: 1})
	if s.undo.b.Disabled() {
		t.Fatal("【撤销】 not offered for the queued decision")
	}
	test.Tap(s.undo.b)
	i = slicesIndex(s, reg.ID)
	if pendingCount(t, d) != 0 || i < 0 || s.rows[i].Queued != "" || s.list.locked(i) {
		t.Fatalf("after 撤销: 待同步 %d, row %d %+v", pendingCount(t, d), i, s.rows)
	}
}

func slicesIndex(s *registrationsScreen, id string) int {
	for i, r := range s.rows {
		if r.Registration.ID == id {
			return i
		}
	}
	return -1
}
