package ui

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/app/apptest"
	"titledesk/model"
	"titledesk/server/demo"
)

func init() {
	// Tests run background work in order on the test goroutine: no timers.
	searchDebounce, draftDebounce = 0, 0
}

// pdf is a file the store and the server accept as a PDF.
var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// openList shows review list nav and returns it.
func openList(t testing.TB, d *Desk, nav string) *reviewList {
	t.Helper()
	d.main.goTo(nav)
	l, ok := d.main.content.Objects[0].(*reviewList)
	if !ok {
		t.Fatalf("%s shows %T, not a review list", nav, d.main.content.Objects[0])
	}
	if l.total == 0 {
		t.Fatalf("%s is empty", nav)
	}
	return l
}

// review opens the review view on row i, as 【审核】 on that row does.
func review(t testing.TB, l *reviewList, i int) *reviewView {
	t.Helper()
	l.openView(i, l.rows[i], nil)
	if l.view == nil || l.root.Objects[0] != l.view.content || l.view.detail.Application.ID != l.rows[i].ID {
		t.Fatal("the review view did not open")
	}
	return l.view
}

func indexOf(l *reviewList, id string) int {
	for i, r := range l.rows {
		if r.ID == id {
			return i
		}
	}
	return -1
}

// serverCopy reads an application as the server has it, through a fresh
// device that syncs from scratch.
func serverCopy(t *testing.T, f *apptest.Fixture, id string) model.Application {
	t.Helper()
	a := apptest.Open(t)
	if err := a.Session.Login(context.Background(), f.Demo()); err != nil {
		t.Fatal(err)
	}
	d, err := a.Reviews.Detail(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d.Application
}

func TestReviewWithStockCommentIsPassedOnServer(t *testing.T) {
	d, f := loggedInDesk(t)
	l := openList(t, d, navSubordinate)
	total := l.total
	v := review(t, l, 0)
	id, name := v.item.ID, v.detail.Applicant.Name

	// 【常用意见设置】: add one; the drop-down offers it at once.
	test.Tap(v.buttons["settings"])
	s := v.stockDialog
	test.Type(s.text, "申报材料齐全，符合申报条件，同意通过。")
	test.Tap(s.save)
	if s.message.Visible() || !contains(v.stock.Options, "申报材料齐全，符合申报条件，同意通过。") {
		t.Fatalf("stock comment not offered: %v (%q)", v.stock.Options, s.message.Text)
	}
	s.dlg.Hide()

	// 【常用意见】 inserts the text into the opinion box.
	v.stock.SetSelected("申报材料齐全，符合申报条件，同意通过。")
	if v.opinion.Text != "申报材料齐全，符合申报条件，同意通过。" || v.stock.Selected != "" {
		t.Fatalf("opinion %q, drop-down %q", v.opinion.Text, v.stock.Selected)
	}
	test.Tap(v.buttons["pass"])
	if v.item.ID == id || !strings.Contains(v.note.label.Text, "已通过："+name+"（待同步）") {
		t.Fatalf("after 通过: still on %s, note %q", v.item.ID, v.note.label.Text)
	}
	if l.total != total-1 || d.main.status.pending.Text != "待同步 2 条" {
		t.Fatalf("list %d (was %d), status %q", l.total, total, d.main.status.pending.Text)
	}

	test.Tap(d.main.status.syncNow)
	if d.main.status.pending.Text != "待同步 0 条" || d.main.status.conflicts.Text != "同步冲突 0" {
		t.Fatalf("after sync: %q %q", d.main.status.pending.Text, d.main.status.conflicts.Text)
	}
	got := serverCopy(t, f, id)
	last, _ := got.LastStep()
	if got.Stage == model.StageSubordinate || last.Action != model.ActionPass || last.Opinion != "申报材料齐全，符合申报条件，同意通过。" {
		t.Fatalf("server: stage %s, last step %+v", got.Stage, last)
	}
}

// fillRecommendation types a complete 单位推荐和公示 form ending on end.
func fillRecommendation(pf *passForm, end string) {
	e := pf.fields.entries
	for k, v := range map[string]string{"publicity_start": "2026-03-02", "publicity_end": end,
		"publicity_method": "单位内网公示", "publicity_place": "办公楼一楼公示栏", "publicity_result": "公示期间无异议",
		"group_opinion": "经推荐小组评议，同意推荐。", "group_size": "7", "votes_for": "6", "votes_abstain": "1"} {
		e[k].SetText("")
		test.Type(e[k], v)
	}
}

func TestPassFormRefusesShortPublicityAndMissingPostForm(t *testing.T) {
	d, _ := loggedInDesk(t)
	l := openList(t, d, navOwnUnit)
	v := review(t, l, 0)
	id := v.item.ID
	test.Tap(v.buttons["pass"])
	pf := v.form
	if pf == nil || pf.kind != app.FormRecommendation {
		t.Fatal("【通过】 in 本单位人员审核 opened no 单位推荐和公示 form")
	}
	fillRecommendation(pf, "2026-03-05") // Mon–Thu: 4 working days
	if !strings.Contains(pf.days.Text, "4 个工作日") {
		t.Errorf("working days hint %q", pf.days.Text)
	}
	pf.files.add("公示材料.pdf", model.AttachPublicity, pdf)
	test.Tap(pf.submit)
	if msg := pf.fields.errs["publicity_end"]; !msg.Visible() || !strings.Contains(msg.Text, "不得少于5个工作日") {
		t.Fatalf("publicity_end: %v %q", msg.Visible(), msg.Text)
	}

	pf.fields.entries["publicity_end"].SetText("2026-03-06")
	test.Tap(pf.submit)
	if !pf.files.err.Visible() || !strings.Contains(pf.files.err.Text, "事业单位岗位情况表") {
		t.Fatalf("attachments: %v %q (form %q)", pf.files.err.Visible(), pf.files.err.Text, pf.fields.message.Text)
	}
	if d.main.status.pending.Text != "待同步 0 条" || v.item.ID != id {
		t.Fatal("a refused pass was queued")
	}

	pf.files.add("岗位情况表.pdf", model.AttachPostStatusForm, append(append([]byte(nil), pdf...), '2'))
	test.Tap(pf.submit)
	if pf.fields.message.Visible() || d.main.status.pending.Text != "待同步 1 条" || v.item.ID == id {
		t.Fatalf("complete form: %q, %q", pf.fields.message.Text, d.main.status.pending.Text)
	}
}

func TestBatchPassOfThreeWithOneForm(t *testing.T) {
	d, f := loggedInDesk(t)
	l := openList(t, d, navOwnUnit)
	var ids []string
	for i := 0; i < 3; i++ {
		l.setChecked(l.rows[i], true)
		ids = append(ids, l.rows[i].ID)
	}
	if l.buttons["pass"].Disabled() || !strings.Contains(l.count.Text, "已选 3 人") {
		t.Fatalf("selection: %q", l.count.Text)
	}
	test.Tap(l.buttons["pass"])
	pf := l.form
	fillRecommendation(pf, "2026-03-06")
	pf.files.add("公示材料.pdf", model.AttachPublicity, pdf)
	pf.files.add("岗位情况表.pdf", model.AttachPostStatusForm, append(append([]byte(nil), pdf...), '3'))
	test.Type(pf.opinion, "同意推荐")
	test.Tap(pf.submit)
	if pf.fields.message.Visible() || !strings.Contains(l.note.label.Text, "已通过 3 人") {
		t.Fatalf("batch: form %q, list %q", pf.fields.message.Text, l.note.label.Text)
	}
	if got := d.main.status.pending.Text; got != "待同步 3 条" {
		t.Fatalf("status %q", got)
	}
	test.Tap(d.main.status.syncNow)
	if d.main.status.pending.Text != "待同步 0 条" || d.main.status.conflicts.Text != "同步冲突 0" {
		t.Fatalf("after sync: %q %q", d.main.status.pending.Text, d.main.status.conflicts.Text)
	}
	for _, id := range ids {
		if a := serverCopy(t, f, id); a.Stage == model.StageOwnUnit || a.Recommendation == nil || a.Recommendation.GroupSize != 7 {
			t.Fatalf("server: %s stage %s", id, a.Stage)
		}
	}
}

func TestRejectWithoutReasonIsRefused(t *testing.T) {
	d, _ := loggedInDesk(t)
	l := openList(t, d, navSubordinate)
	v := review(t, l, 0)
	id, name := v.item.ID, v.item.Name
	test.Tap(v.buttons["reject"])
	rd := v.rejectDialog
	if rd == nil || !rd.shown || !strings.Contains(rd.about.Text, name) {
		t.Fatal("【不通过】 did not ask in a dialog naming the applicant")
	}
	test.Tap(rd.confirm)
	if rd.message.Text != "不通过时请勾选发现的问题或填写不通过原因" || v.item.ID != id || d.main.status.pending.Text != "待同步 0 条" {
		t.Fatalf("message %q, pending %q", rd.message.Text, d.main.status.pending.Text)
	}
	test.Type(rd.reason, "学历证书扫描件不清晰，请重新上传。")
	test.Tap(rd.confirm)
	if rd.shown || v.item.ID == id || d.main.status.pending.Text != "待同步 1 条" {
		t.Fatalf("after 确认不通过: %q", d.main.status.pending.Text)
	}
}

func TestBatchRejectNeedsReason(t *testing.T) {
	d, _ := loggedInDesk(t)
	l := openList(t, d, navSubordinate)
	l.setChecked(l.rows[0], true)
	l.setChecked(l.rows[1], true)
	test.Tap(l.buttons["reject"])
	rd := l.rejectDialog
	if !strings.Contains(rd.about.Text, l.rows[0].ApplicantName) || !strings.Contains(rd.about.Text, l.rows[1].ApplicantName) {
		t.Fatalf("the dialog does not name both: %q", rd.about.Text)
	}
	test.Tap(rd.confirm)
	if !rd.message.Visible() || rd.message.Text != "不通过时请勾选发现的问题或填写不通过原因" {
		t.Fatalf("message %q", rd.message.Text)
	}
	test.Type(rd.reason, "业绩材料不完整")
	test.Tap(rd.confirm)
	if !strings.Contains(l.note.label.Text, "已不通过 2 人") || d.main.status.pending.Text != "待同步 2 条" {
		t.Fatalf("%q %q", l.note.label.Text, d.main.status.pending.Text)
	}
}

func TestWithdrawAfterNextLevelActedShowsServerReason(t *testing.T) {
	d, f := loggedInDesk(t)
	ctx := context.Background()
	v := review(t, openList(t, d, navForward), 0)
	id := v.item.ID
	test.Tap(v.buttons["pass"])
	test.Tap(d.main.status.syncNow)

	l := openList(t, d, navReviewed)
	i := indexOf(l, id)
	if i < 0 || !l.rows[i].CanWithdraw {
		t.Fatalf("not withdrawable in 已审核列表: index %d", i)
	}
	// The next level (the city office, for the review committee) passes it.
	city := apptest.Open(t)
	if err := city.Session.Login(ctx, app.Credentials{ServerURL: f.URL, Username: "city", Password: demo.Password}); err != nil {
		t.Fatal(err)
	}
	if err := city.Reviews.Pass(ctx, app.Item{ID: id, Version: l.rows[i].Version}, app.PassInput{Opinion: "评审通过"}); err != nil {
		t.Fatal(err)
	}
	if err := city.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}

	l.withdraw(l.rows[i], func() {}) // this cache does not know yet: 撤回 is queued
	test.Tap(l.withdrawDialog.confirm)
	if !strings.Contains(l.note.label.Text, "已撤回") {
		t.Fatalf("withdraw: %q", l.note.label.Text)
	}
	test.Tap(d.main.status.syncNow)
	if !strings.Contains(l.message.Text, "无法撤回") || d.main.status.conflicts.Text != "同步冲突 1" {
		t.Fatalf("after sync: %q, %q", l.message.Text, d.main.status.conflicts.Text)
	}
	if i := indexOf(l, id); i < 0 || l.rows[i].CanWithdraw {
		t.Fatal("still withdrawable after the server said no")
	}

	// The status bar's count opens 同步冲突 with the server's reason.
	test.Tap(findTapArea(d.main.status.content))
	cs, ok := d.main.content.Objects[0].(*conflictsScreen)
	if !ok || len(cs.items) != 1 || !strings.Contains(cs.items[0].Reason, "无法撤回") || cs.items[0].Action != "撤回" {
		t.Fatalf("同步冲突 view: %T %+v", d.main.content.Objects[0], cs)
	}
	test.Tap(cs.discard[cs.items[0].ID])
	if d.main.status.conflicts.Text != "同步冲突 0" || len(cs.items) != 0 {
		t.Fatalf("after 放弃: %q, %d", d.main.status.conflicts.Text, len(cs.items))
	}
}

func findTapArea(o fyne.CanvasObject) *tapArea {
	switch x := o.(type) {
	case *tapArea:
		return x
	case *fyne.Container:
		for _, c := range x.Objects {
			if t := findTapArea(c); t != nil {
				return t
			}
		}
	}
	return nil
}

// gate stands between the client and the server: closed, every connection
// is cut, as when the network is gone.
type gate struct {
	closed atomic.Bool
	proxy  *httputil.ReverseProxy
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.closed.Load() {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	g.proxy.ServeHTTP(w, r)
}

func newGate(t *testing.T, target string) (*gate, string) {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{proxy: httputil.NewSingleHostReverseProxy(u)}
	hs := httptest.NewServer(g)
	t.Cleanup(hs.Close)
	return g, hs.URL
}

func TestOfflinePassShowsPendingThenSyncs(t *testing.T) {
	d, f := newTestDesk(t)
	g, via := newGate(t, f.URL)
	typeLogin(d, via, demo.DemoUsername, demo.DemoPassword)
	if d.main == nil {
		t.Fatalf("login: %q", d.login.message.Text)
	}
	g.closed.Store(true)
	test.Tap(d.main.status.syncNow)
	if d.main.status.online.Text != "离线" {
		t.Fatalf("status %q", d.main.status.online.Text)
	}
	v := review(t, openList(t, d, navExam), 0)
	id := v.item.ID
	test.Tap(v.buttons["pass"])
	if d.main.status.pending.Text != "待同步 1 条" {
		t.Fatalf("offline pass: %q (%q)", d.main.status.pending.Text, v.message.Text)
	}
	l := openList(t, d, navReviewed)
	i := indexOf(l, id)
	if i < 0 || !l.rows[i].Pending || markOf(l, i) != "待同步" {
		t.Fatalf("已审核列表: index %d", i)
	}
	g.closed.Store(false)
	test.Tap(d.main.status.syncNow)
	if d.main.status.online.Text != "在线" || d.main.status.pending.Text != "待同步 0 条" {
		t.Fatalf("back online: %q %q", d.main.status.online.Text, d.main.status.pending.Text)
	}
	if i := indexOf(l, id); i < 0 || l.rows[i].Pending || markOf(l, i) != "" {
		t.Fatal("still 待同步 after the sync")
	}
	if a := serverCopy(t, f, id); a.Stage != model.StageCityOffice {
		t.Fatalf("server: %s", a.Stage)
	}
}

// markOf is what the 状态 cell of row i shows.
func markOf(l *reviewList, i int) string {
	c := newCell()
	l.updateCell(widget.TableCellID{Row: i, Col: colMark}, c)
	return c.label.Text
}

func TestDraftSurvivesReopeningTheApp(t *testing.T) {
	f := apptest.Server(t)
	dir := t.TempDir()
	open := func() (*Desk, *app.App) {
		a, err := app.Open(app.Config{CacheDir: dir, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		d := testDesk(t, a)
		d.ShowLogin()
		typeLogin(d, f.URL, demo.DemoUsername, demo.DemoPassword)
		if d.main == nil {
			t.Fatalf("login: %q", d.login.message.Text)
		}
		return d, a
	}
	d, a := open()
	v := review(t, openList(t, d, navSubordinate), 1)
	id := v.item.ID
	test.Type(v.opinion, "学历材料待核实")
	test.Tap(v.buttons["back"])
	d.win.Close()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	d, a = open()
	defer a.Close()
	l := openList(t, d, navSubordinate)
	v = review(t, l, indexOf(l, id))
	if v.opinion.Text != "学历材料待核实" {
		t.Fatalf("opinion after reopening: %q", v.opinion.Text)
	}
}

func TestSearchAndFilterList(t *testing.T) {
	d, _ := loggedInDesk(t)
	l := openList(t, d, navSubordinate)
	all := l.total
	name := l.rows[0].ApplicantName
	test.Type(l.search, name)
	if l.total == 0 || l.total >= all || l.rows[0].ApplicantName != name {
		t.Fatalf("search %q: %d of %d", name, l.total, all)
	}
	if !strings.HasPrefix(l.count.Text, "共 ") {
		t.Fatalf("count %q", l.count.Text)
	}
	l.search.SetText("")
	l.level.SetSelected(model.LevelIntermediate.Label())
	for i := 0; i < l.total && i < listPage; i++ {
		if l.rows[i].Level != model.LevelIntermediate {
			t.Fatalf("row %d is %s", i, l.rows[i].Level)
		}
	}
	if !strings.Contains(l.rows[0].MaskedIDNumber, "*") {
		t.Fatalf("ID number not masked: %q", l.rows[0].MaskedIDNumber)
	}
	l.sortBy(l.cols[0], nil) // 姓名 ▲
	first := l.rows[0].ApplicantName
	l.sortBy(l.cols[0], nil) // 姓名 ▼
	if l.sort.Desc != true || (l.total > 1 && l.rows[0].ApplicantName == first && l.rows[l.total-1].ApplicantName != first) {
		t.Fatalf("sort: %q then %q", first, l.rows[0].ApplicantName)
	}
}

// printedTo records what 【打印审核表】 asked the system viewer to open.
type printedTo struct{ paths []string }

func (p *printedTo) Open(path string) error { p.paths = append(p.paths, path); return nil }

// TestPrintSheetFromReviewView: 【打印审核表】 writes the PDF, opens it in
// the viewer and then offers 【另存为…】 with the file's place (DC-4).
func TestPrintSheetFromReviewView(t *testing.T) {
	d, _ := loggedInDesk(t)
	viewer := &printedTo{}
	d.app.Viewer, d.app.Reviews.PrintDir = viewer, t.TempDir()
	v := review(t, openList(t, d, navSubordinate), 0)
	test.Tap(v.buttons["print"])
	if len(viewer.paths) != 1 || !strings.HasSuffix(viewer.paths[0], ".pdf") {
		t.Fatalf("viewer opened %v", viewer.paths)
	}
	if !strings.Contains(d.lastDialogText, "已生成 1 份审核表") || !strings.Contains(d.lastDialogText, viewer.paths[0]) {
		t.Fatalf("after printing the dialog says %q", d.lastDialogText)
	}
}
