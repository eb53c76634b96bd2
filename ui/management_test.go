package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/app/apptest"
	"titledesk/model"
	"titledesk/server/demo"
)

// pick ticks a row's checkbox column, as a click on it does.
func pick(p *pickTable, row int) { p.table.Select(widget.TableCellID{Row: row, Col: 0}) }

func syncDesk(t *testing.T, d *Desk) {
	t.Helper()
	if err := d.app.Session.SyncNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := d.app.Session.Status(); st.Pending != 0 || st.Conflicts != 0 {
		t.Fatalf("after sync: 待同步 %d, 冲突 %d", st.Pending, st.Conflicts)
	}
}

// UNIT-1: 【批量通过】, then after the sync the unit is in 下级单位管理.
func TestRegistrationApprovedAppearsInTree(t *testing.T) {
	d, _ := loggedInDesk(t)
	d.main.goTo(navRegistrations)
	s := d.newRegistrationsScreen()
	if len(s.rows) < 2 || !s.approve.b.Disabled() {
		t.Fatalf("%d rows, approve enabled before a pick: %v", len(s.rows), !s.approve.b.Disabled())
	}
	reg := s.rows[0].Registration
	pick(s.list, 0)
	test.Tap(s.approve.b)
	test.Tap(s.approveUI.confirm)
	if got := s.list.cell(0, 6); got != "已通过（待同步）" || !s.list.locked(0) {
		t.Fatalf("status column %q", got)
	}
	if d.main.status.pending.Text != "待同步 1 条" {
		t.Fatalf("status bar %q", d.main.status.pending.Text)
	}
	syncDesk(t, d)
	tree := d.newUnitTreeScreen()
	n, ok := tree.nodes[reg.Unit.ID]
	if !ok || n.Unit.ParentID != demo.DemoDepartmentID {
		t.Fatalf("approved unit in tree: %v %+v", ok, n.Unit)
	}
	s.load()
	for _, r := range s.rows {
		if r.Registration.ID == reg.ID {
			t.Fatal("still listed after the sync")
		}
	}
}

func TestRegistrationRejectWithoutReasonRefused(t *testing.T) {
	d, _ := loggedInDesk(t)
	s := d.newRegistrationsScreen()
	pick(s.list, 0)
	pick(s.list, 1)
	test.Tap(s.reject.b)
	r := s.rejectUI
	test.Tap(r.confirm)
	if !r.message.Visible() || r.message.Text != "请填写不通过原因" || d.app.Session.Status().Pending != 0 {
		t.Fatalf("blank reason: %q visible %v, 待同步 %d", r.message.Text, r.message.Visible(), d.app.Session.Status().Pending)
	}
	test.Type(r.reason, "非本单位下级单位，请选择正确的上级单位")
	test.Tap(r.confirm)
	if s.list.cell(0, 6) != "已退回（待同步）" || s.list.cell(1, 6) != "已退回（待同步）" {
		t.Fatalf("rows: %q %q", s.list.cell(0, 6), s.list.cell(1, 6))
	}
}

// UNIT-3 under a grandchild: refused with a field message, then saved and
// synced.
func TestAddSubunitUnderGrandchild(t *testing.T) {
	d, f := loggedInDesk(t)
	s := d.newUnitTreeScreen()
	var parent app.UnitNode
	for _, n := range s.order {
		if n.Depth == 2 {
			parent = n
			break
		}
	}
	s.selectUnit(parent.Unit.ID)
	if s.add.Disabled() || s.edit.Disabled() {
		t.Fatal("buttons disabled on a descendant")
	}
	test.Tap(s.add)
	uf := d.lastUnitForm
	if uf == nil || uf.locked["parent_id"].Text != parent.Unit.Name {
		t.Fatal("【新增下级单位】 opened no form for the chosen node")
	}
	test.Type(uf.entries["name"], "天津市测试新增研究所")
	test.Type(uf.entries["credit_code"], "12345")
	uf.typeSel.SetSelected(model.UnitTypeInstitution.Label())
	test.Type(uf.entries["contact"], "王老师")
	test.Type(uf.entries["phone"], "022-23456789")
	test.Tap(uf.save)
	if l := uf.errs["credit_code"]; !l.Visible() || l.Text != "统一社会信用代码应为18位" {
		t.Fatalf("credit code message: %q", l.Text)
	}
	uf.entries["credit_code"].SetText(model.MakeCreditCode("12120000MB0P12345"))
	test.Tap(uf.save)
	id := s.selected
	n, ok := s.nodes[id]
	if !ok || n.Unit.ParentID != parent.Unit.ID || !n.Queued || n.Depth != 3 {
		t.Fatalf("new unit: %+v (found %v)", n, ok)
	}
	f.Stop() // offline it stays, marked 待同步
	_ = d.app.Session.SyncNow(context.Background())
	s.load()
	if !s.nodes[id].Queued {
		t.Fatal("the unsynced unit lost its 待同步 mark")
	}
}

func TestAddSubunitSyncsToServer(t *testing.T) {
	d, _ := loggedInDesk(t)
	s := d.newUnitTreeScreen()
	s.selectUnit(s.rootID)
	if !s.edit.Disabled() {
		t.Fatal("【修改单位信息】 offered for the own unit")
	}
	test.Tap(s.add)
	uf := d.lastUnitForm
	test.Type(uf.entries["name"], "天津市测试新增中心")
	test.Type(uf.entries["credit_code"], model.MakeCreditCode("12120000MB0P54321"))
	uf.typeSel.SetSelected(model.UnitTypeEnterprise.Label())
	uf.kindSel.SetSelected(model.UnitDepartment.Label())
	test.Type(uf.entries["contact"], "赵老师")
	test.Type(uf.entries["phone"], "13812345678")
	test.Tap(uf.save)
	id := s.selected
	syncDesk(t, d)
	s.load()
	n := s.nodes[id]
	if n.Queued || n.Unit.Kind != model.UnitDepartment || n.Unit.Version != 1 {
		t.Fatalf("after sync: %+v", n)
	}
}

// EXP-1: a bad ID number is refused under its field; EXP-2: committees.
func TestExpertBadIDNumberRefused(t *testing.T) {
	d, _ := loggedInDesk(t)
	s := d.newExpertsScreen()
	before := len(s.items)
	test.Tap(s.add)
	f := s.form
	good := model.MakeIDNumber("12", "1968-03-09", 57, false)
	bad := good[:17] + map[bool]string{true: "1", false: "2"}[good[17] != '1']
	for k, v := range map[string]string{"name": "陈静", "id_number": bad, "phone": "13912345678", "title": "正高级工程师",
		"specialty": "水利工程", "work_unit": "天津市水利科学研究院"} {
		test.Type(f.entries[k], v)
	}
	f.series.SetSelected("工程技术人员")
	f.level.SetSelected("正高级")
	test.Tap(f.next)
	if l := f.errs["id_number"]; !l.Visible() || !strings.Contains(l.Text, "身份证号码") || f.chooseDlg != nil {
		t.Fatalf("bad ID: %q visible %v", l.Text, l.Visible())
	}
	f.entries["id_number"].SetText(good)
	if f.gender.Text != "女" {
		t.Fatalf("gender from the ID number: %q", f.gender.Text)
	}
	test.Tap(f.next)
	if f.chooseDlg == nil || f.errs["id_number"].Visible() {
		t.Fatal("the committee dialog did not open")
	}
	f.choose.SetSelected(nil)
	test.Tap(f.submit)
	if !f.chooseErr.Visible() {
		t.Fatal("submitted without a committee")
	}
	f.choose.SetSelected([]string{f.committees[0].Name, f.committees[1].Name})
	test.Tap(f.submit)
	if len(s.items) != before+1 || s.items[0].Expert.Name != "陈静" || s.cell(0, 6) != "待同步" {
		t.Fatalf("list after submit: %d items, first %q %q", len(s.items), s.items[0].Expert.Name, s.cell(0, 6))
	}
	if !strings.Contains(s.cell(0, 7), "工程技术人员") || !strings.Contains(s.cell(0, 7), "已推荐") {
		t.Fatalf("committees column: %q", s.cell(0, 7))
	}
	syncDesk(t, d)
	s.load()
	if s.cell(0, 6) != "已同步" {
		t.Fatalf("after sync: %q", s.cell(0, 6))
	}
}

// MSG-1, MSG-2: two units picked, 【编辑信息】, 【发送】, and both receive it.
func TestSendMessageToTwoUnitsUI(t *testing.T) {
	d, f := loggedInDesk(t)
	s := d.newMessagePushScreen()
	if !s.edit.Disabled() {
		t.Fatal("【编辑信息】 enabled with nobody picked")
	}
	pick(s.units.list, 0)
	pick(s.units.list, 1)
	if s.summary.Text != "已选择：用人单位 2 个，申报人 0 人" {
		t.Fatalf("summary %q", s.summary.Text)
	}
	// A search keeps the earlier picks.
	first := s.units.rows[0].Recipient
	test.Type(s.people.search, s.people.rows[0].Recipient.Name)
	s.people.load(s)
	if len(s.people.rows) == 0 || !strings.Contains(s.people.rows[0].IDNumber, "**********") {
		t.Fatalf("applicant search: %+v", s.people.rows)
	}
	test.Tap(s.edit)
	c := s.compose
	test.Tap(c.send)
	if !c.errs["title"].Visible() || !c.errs["body"].Visible() {
		t.Fatal("sent an empty message")
	}
	test.Type(c.title, "关于报送年度职称评审材料的通知")
	test.Type(c.body, "请于本月底前报送材料。")
	test.Tap(c.send)
	if len(s.sent) == 0 || !s.sent[0].Queued || len(s.sent[0].Message.Recipients) != 2 || !s.edit.Disabled() {
		t.Fatalf("sent history: %+v", s.sent)
	}
	syncDesk(t, d)
	msgID := s.sent[0].Message.ID
	for _, acc := range f.World.Accounts {
		if acc.Account.UnitID != first.ID {
			continue
		}
		b := apptest.Open(t)
		if err := b.Session.Login(context.Background(), app.Credentials{ServerURL: f.URL, Username: acc.Account.Username,
			Password: acc.Password}); err != nil {
			t.Fatal(err)
		}
		inbox, _ := b.Messages.Inbox(context.Background(), 0)
		for _, m := range inbox {
			if m.ID == msgID {
				return
			}
		}
		t.Fatalf("%s did not receive the message", first.Name)
	}
	t.Fatalf("no account for %s", first.Name)
}

type recordingViewer struct{ opened []string }

func (r *recordingViewer) Open(path string) error {
	r.opened = append(r.opened, path)
	return nil
}

func TestSettingsThemeAndClearCache(t *testing.T) {
	d, f := loggedInDesk(t)
	s := d.newSettingsScreen()
	if s.server.Text != f.URL || s.path.Text == "" || s.size.Text == "—" || s.clear.Disabled() {
		t.Fatalf("settings: %q %q %q clear disabled %v", s.server.Text, s.path.Text, s.size.Text, s.clear.Disabled())
	}
	s.themes.SetSelected("深色")
	if d.fyne.Preferences().String(prefTheme) != "dark" {
		t.Fatal("theme choice not saved")
	}
	if th, ok := d.fyne.Settings().Theme().(deskTheme); !ok || th.forced == nil {
		t.Fatal("dark theme not applied")
	}

	d.main.home.msgList.Select(0) // one unsynced action
	s.load()
	if !s.clear.Disabled() || !strings.Contains(s.pending.Text, "待同步 1 条") {
		t.Fatalf("clear offered with a pending action: %q", s.pending.Text)
	}
	syncDesk(t, d)
	s.load()
	test.Tap(s.clear)
	test.Tap(s.clearUI.confirm)
	if d.main != nil {
		t.Fatal("still on the main screen after clearing the cache")
	}
}
