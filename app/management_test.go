package app_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"titledesk/app"
	"titledesk/app/apptest"
	"titledesk/model"
	"titledesk/server/demo"
)

// sync runs one cycle and checks the server took every queued command.
func syncAll(t *testing.T, a *app.App) {
	t.Helper()
	if err := a.Session.SyncNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := a.Session.Status(); st.Pending != 0 || st.Conflicts != 0 {
		t.Fatalf("after sync: 待同步 %d, 冲突 %d", st.Pending, st.Conflicts)
	}
}

func inTree(nodes []app.UnitNode, id string) (app.UnitNode, bool) {
	for _, n := range nodes {
		if n.Unit.ID == id {
			return n, true
		}
	}
	return app.UnitNode{}, false
}

// UNIT-1: approved, the unit hangs under this unit after the sync.
func TestApproveRegistrationPutsUnitInTree(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	rows, err := a.Registrations.Pending(ctx)
	if err != nil || len(rows) < 2 {
		t.Fatalf("pending registrations: %d, %v", len(rows), err)
	}
	reg := rows[0].Registration
	if _, ok := mustTree(t, a, ""); ok(reg.Unit.ID) {
		t.Fatal("a registered unit is in the tree before approval")
	}
	if err := a.Registrations.Approve(ctx, []model.Registration{reg}); err != nil {
		t.Fatal(err)
	}
	rows, _ = a.Registrations.Pending(ctx)
	if rows[0].Queued == "" || rows[0].QueuedLabel() != "已通过（待同步）" {
		t.Fatalf("offline decision not marked: %+v", rows[0])
	}
	syncAll(t, a)
	nodes, ok := mustTree(t, a, "")
	if !ok(reg.Unit.ID) {
		t.Fatal("the approved unit is not in the tree after sync")
	}
	n, _ := inTree(nodes, reg.Unit.ID)
	if n.Unit.ParentID != demo.DemoDepartmentID || n.Depth != 1 {
		t.Fatalf("approved unit under %s at depth %d", n.Unit.ParentID, n.Depth)
	}
	rows, _ = a.Registrations.Pending(ctx)
	for _, r := range rows {
		if r.Registration.ID == reg.ID {
			t.Fatal("the approved registration is still pending")
		}
	}
}

func mustTree(t *testing.T, a *app.App, search string) ([]app.UnitNode, func(id string) bool) {
	t.Helper()
	nodes, err := a.Units.Tree(context.Background(), search)
	if err != nil {
		t.Fatal(err)
	}
	return nodes, func(id string) bool { _, ok := inTree(nodes, id); return ok }
}

func TestRejectRegistrationNeedsReason(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	rows, _ := a.Registrations.Pending(ctx)
	reg := rows[0].Registration
	err := a.Registrations.Reject(ctx, []model.Registration{reg}, "  ")
	if app.FieldErrors(err)["reason"] != "请填写不通过原因" || a.Session.Status().Pending != 0 {
		t.Fatalf("blank reason: %v, 待同步 %d", err, a.Session.Status().Pending)
	}
	if err := a.Registrations.Reject(ctx, []model.Registration{reg}, "非本单位下级单位"); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a)
	rows, _ = a.Registrations.Pending(ctx)
	for _, r := range rows {
		if r.Registration.ID == reg.ID {
			t.Fatal("the rejected registration is still pending")
		}
	}
}

// grandchild is a unit two levels below the demo department.
func grandchild(t *testing.T, nodes []app.UnitNode) model.Unit {
	t.Helper()
	for _, n := range nodes {
		if n.Depth == 2 {
			return n.Unit
		}
	}
	t.Fatal("no grandchild unit in the demo tree")
	return model.Unit{}
}

func newUnit(parentID string) model.Unit {
	return model.Unit{ParentID: parentID, Kind: model.UnitEmployer, Name: "天津市测试新增研究所",
		CreditCode: model.MakeCreditCode("12120000MB0P12345"), Type: model.UnitTypeInstitution,
		Contact: "王老师", Phone: "022-23456789"}
}

// UNIT-3 under a grandchild, offline first: it shows at once marked 待同步
// and is the server's after the sync.
func TestCreateSubunitUnderGrandchild(t *testing.T) {
	a, f := loggedIn(t)
	ctx := context.Background()
	nodes, _ := mustTree(t, a, "")
	parent := grandchild(t, nodes)

	bad := newUnit(parent.ID)
	bad.CreditCode = "12345"
	if fields := app.FieldErrors(mustFail(a.Units.CreateSubunit(ctx, bad))); fields["credit_code"] != "统一社会信用代码应为18位" {
		t.Fatalf("bad credit code: %v", fields)
	}
	outside := newUnit(demo.CityOfficeID)
	if _, err := a.Units.CreateSubunit(ctx, outside); err == nil {
		t.Fatal("created a unit outside the subtree")
	}

	u, err := a.Units.CreateSubunit(ctx, newUnit(parent.ID))
	if err != nil {
		t.Fatal(err)
	}
	nodes, _ = mustTree(t, a, "测试新增")
	n, ok := inTree(nodes, u.ID)
	if !ok || !n.Queued || n.Depth != 3 {
		t.Fatalf("new unit before sync: %+v (found %v)", n, ok)
	}
	syncAll(t, a)

	// Another device of the same department sees it: the server has it.
	b := apptest.Open(t)
	if err := b.Session.Login(ctx, f.Demo()); err != nil {
		t.Fatal(err)
	}
	nodes, _ = mustTree(t, b, "")
	n, ok = inTree(nodes, u.ID)
	if !ok || n.Unit.ParentID != parent.ID || n.Queued {
		t.Fatalf("on the server: %+v (found %v)", n, ok)
	}
}

func mustFail(_ model.Unit, err error) error { return err }

// UNIT-4: a descendant's locked fields change; the own unit is refused.
func TestUpdateSubunitLockedFields(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	if _, err := a.Units.SubunitForm(ctx, demo.DemoDepartmentID); err == nil {
		t.Fatal("【修改单位信息】 allowed on the own unit")
	}
	nodes, _ := mustTree(t, a, "")
	child := grandchild(t, nodes)
	form, err := a.Units.SubunitForm(ctx, child.ID)
	if err != nil || form.Mode != app.FormSubunit {
		t.Fatalf("form %+v, %v", form, err)
	}
	u := form.Unit
	u.Name = u.Name + "（更名）"
	u.Type = model.UnitTypeEnterprise
	if u.Contact == "" {
		u.Contact = "联系人"
	}
	if u.Phone == "" {
		u.Phone = "022-23456789"
	}
	if form.RequireEconomics {
		u.EconomicType, u.Industry, u.StaffCount, u.Revenue = "国有经济", "教育", 10, "100"
	}
	if err := a.Units.UpdateSubunit(ctx, u); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a)
	nodes, _ = mustTree(t, a, "（更名）")
	n, ok := inTree(nodes, child.ID)
	if !ok || n.Unit.Type != model.UnitTypeEnterprise {
		t.Fatalf("after sync: %+v (found %v)", n.Unit, ok)
	}
}

func validExpert() model.Expert {
	return model.Expert{Name: "李明", IDNumber: model.MakeIDNumber("12", "1970-05-12", 123, true), Phone: "13812345678",
		Title: "研究员", Level: model.LevelSenior, Series: "agriculture", Specialty: "作物育种", WorkUnit: "天津市农业科学院"}
}

// EXP-1, EXP-2.
func TestExpertCreateAndRecommend(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	bad := validExpert()
	bad.IDNumber = bad.IDNumber[:17] + map[bool]string{true: "1", false: "2"}[bad.IDNumber[17] != '1']
	_, err := a.Experts.Create(ctx, bad, []string{"x"})
	if msg := app.FieldErrors(err)["id_number"]; msg == "" {
		t.Fatalf("bad ID number: %v", err)
	}
	if app.FieldErrors(a.Experts.Check(bad))["id_number"] == "" {
		t.Fatal("Check passed a bad ID number")
	}
	committees, err := a.Experts.Committees(ctx)
	if err != nil || len(committees) < 2 {
		t.Fatalf("committees: %d %v", len(committees), err)
	}
	ids := []string{committees[0].ID, committees[1].ID}
	e, err := a.Experts.Create(ctx, validExpert(), ids)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := a.Experts.List(ctx)
	if len(list) == 0 || list[0].Expert.ID != e.ID || !list[0].Queued {
		t.Fatalf("new expert not first and marked 待同步: %+v", list[0])
	}
	syncAll(t, a)
	list, _ = a.Experts.List(ctx)
	var got app.ExpertItem
	for _, x := range list {
		if x.Expert.ID == e.ID {
			got = x
		}
	}
	if got.Queued || len(got.Committees) != 2 || got.Committees[0].Status != model.ExpertRecommended || got.Committees[0].Name == "" {
		t.Fatalf("after sync: %+v", got)
	}
}

// MSG-1, MSG-2: sent to two units, both receive it.
func TestSendMessageToTwoUnits(t *testing.T) {
	a, f := loggedIn(t)
	ctx := context.Background()
	units, err := a.Messages.Recipients(ctx, model.RecipientUnit, "")
	if err != nil || len(units) < 2 {
		t.Fatalf("units: %d %v", len(units), err)
	}
	people, _ := a.Messages.Recipients(ctx, model.RecipientApplicant, "")
	if len(people) == 0 || len(people[0].IDNumber) != 18 || people[0].IDNumber[4:14] != "**********" {
		t.Fatalf("applicants not masked: %+v", people)
	}
	if _, err := a.Messages.Send(ctx, "", "内容", nil); app.FieldErrors(err)["title"] == "" || app.FieldErrors(err)["recipients"] == "" {
		t.Fatalf("empty message: %v", err)
	}
	to := []model.Recipient{units[0].Recipient, units[1].Recipient}
	msg, err := a.Messages.Send(ctx, "关于报送材料的通知", "请于本周五前报送。", to)
	if err != nil {
		t.Fatal(err)
	}
	sent, _ := a.Messages.Sent(ctx, 0)
	if sent[0].Message.ID != msg.ID || !sent[0].Queued {
		t.Fatalf("sent history: %+v", sent[0])
	}
	syncAll(t, a)
	for _, r := range to {
		inbox := recipientInbox(t, f, r.ID)
		found := false
		for _, m := range inbox {
			found = found || m.ID == msg.ID
		}
		if !found {
			t.Errorf("%s did not receive the message", r.Name)
		}
	}
}

// recipientInbox logs in as an account of unitID and reads its inbox.
func recipientInbox(t *testing.T, f *apptest.Fixture, unitID string) []model.Message {
	t.Helper()
	for _, acc := range f.World.Accounts {
		if acc.Account.UnitID != unitID {
			continue
		}
		b := apptest.Open(t)
		c := app.Credentials{ServerURL: f.URL, Username: acc.Account.Username, Password: acc.Password}
		if err := b.Session.Login(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		inbox, err := b.Messages.Inbox(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		return inbox
	}
	t.Fatalf("no account for unit %s", unitID)
	return nil
}

// STAT-1: the totals count every submitted application of the subtree;
// 【打印】 opens a PDF in the viewer.
func TestStatisticsTotals(t *testing.T) {
	a, f := loggedIn(t)
	ctx := context.Background()
	v, err := a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimYear, Cols: app.DimOutcome})
	if err != nil {
		t.Fatal(err)
	}
	want := submittedInSubtree(f.World, demo.DemoDepartmentID, 0)
	if v.Table.Sum.Total != want || want == 0 {
		t.Fatalf("合计 %d, want %d", v.Table.Sum.Total, want)
	}
	year := v.Years[len(v.Years)-1]
	v, _ = a.Statistics.Load(ctx, app.StatsQuery{Rows: app.DimSeries, Filter: app.StatsFilter{YearFrom: year, YearTo: year}})
	if want := submittedInSubtree(f.World, demo.DemoDepartmentID, year); v.Table.Sum.Total != want {
		t.Fatalf("%d: 合计 %d, want %d", year, v.Table.Sum.Total, want)
	}

	a.Reviews.PrintDir = t.TempDir()
	path, err := a.Statistics.Print(ctx, v) // written, not opened: the UI opens every printed PDF one way
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if len(data) < 1000 || string(data[:5]) != "%PDF-" || filepath.Dir(path) != a.Reviews.PrintDir {
		t.Fatalf("print: %s, %d bytes", path, len(data))
	}
}

type recordingViewer struct{ opened []string }

func (r *recordingViewer) Open(path string) error {
	r.opened = append(r.opened, path)
	return nil
}

func submittedInSubtree(w *demo.World, root string, year int) int {
	parent := map[string]string{}
	for _, u := range w.Units {
		parent[u.ID] = u.ParentID
	}
	under := func(id string) bool {
		for ; id != ""; id = parent[id] {
			if id == root {
				return true
			}
		}
		return false
	}
	n := 0
	for _, ap := range w.Applications {
		if ap.Stage != model.StageDraft && under(ap.UnitID) && (year == 0 || ap.Year == year) {
			n++
		}
	}
	return n
}

func TestClearCacheOnlyWhenNothingPending(t *testing.T) {
	a, f := loggedIn(t)
	ctx := context.Background()
	info, err := a.Settings.Info(ctx)
	if err != nil || info.ServerURL != f.URL || info.Bytes == 0 {
		t.Fatalf("info %+v %v", info, err)
	}
	if _, err := a.Messages.Send(ctx, "标题", "内容", []model.Recipient{{Kind: model.RecipientUnit, ID: grandchild(t, mustNodes(t, a)).ID}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Settings.ClearCache(ctx); err == nil {
		t.Fatal("cleared a cache with an unsynced action")
	}
	syncAll(t, a)
	if err := a.Settings.ClearCache(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(info.Path); !os.IsNotExist(err) {
		t.Fatalf("cache file still there: %v", err)
	}
	if _, ok := a.Session.Me(); ok {
		t.Fatal("still logged in after clearing the cache")
	}
}

func mustNodes(t *testing.T, a *app.App) []app.UnitNode {
	nodes, _ := mustTree(t, a, "")
	return nodes
}
