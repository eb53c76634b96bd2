package sync

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/model"
	"titledesk/store"
)

// TestSameApplicationTwoDevicesFirstPushWins: both devices review the same
// application offline; the first push wins, the second becomes a conflict
// that keeps its opinion text, and both caches end equal to the server.
func TestSameApplicationTwoDevicesFirstPushWins(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t, 0.1)
	a, b := newDevice(t, ClientOptions{}), newDevice(t, ClientOptions{})
	a.login(srv.URL())
	b.login(srv.URL())
	app := a.inQueue(model.StageSubordinate)[0]

	if err := a.engine.Pass(ctx, app.ID, app.Version, PassInput{Opinion: "A：同意上报"}); err != nil {
		t.Fatal(err)
	}
	const opinion = "B：业绩材料不足，请补充近三年代表作"
	if err := b.engine.Reject(ctx, app.ID, app.Version, opinion); err != nil {
		t.Fatal(err)
	}
	if got := b.app(app.ID); got.Stage != model.StageReturned {
		t.Fatalf("B's optimistic view: %s, want returned", got.Stage)
	}
	if err := a.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}

	st := b.engine.Status()
	if st.Pending != 0 || st.Conflicts != 1 {
		t.Fatalf("B's status: %+v, want one conflict", st)
	}
	conflicts, err := b.store.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := conflicts[0]
	var args api.RejectArgs
	if err := json.Unmarshal(c.Command.Args, &args); err != nil {
		t.Fatal(err)
	}
	if c.Status != api.StatusConflict || c.Code != model.CodeVersionConflict || args.Opinion != opinion || c.EntityID != app.ID {
		t.Fatalf("conflict = %+v (opinion %q)", c, args.Opinion)
	}
	if c.Detail == "" || !strings.ContainsAny(c.Detail, "版本") {
		t.Errorf("conflict detail %q does not say what changed", c.Detail)
	}
	server := assertConverged(t, a, srv.URL())
	assertConverged(t, b, srv.URL())
	if last, _ := server[app.ID].LastStep(); last.Opinion != "A：同意上报" {
		t.Fatalf("server's last step %+v, want A's pass", last)
	}

	// B re-applies its kept opinion on the new version: the application is
	// now in the department's second-review queue, where 不通过 is allowed.
	if err := b.engine.ResolveConflict(ctx, c.ID, true); err != nil {
		t.Fatalf("re-apply: %v", err)
	}
	if st := b.engine.Status(); st.Pending != 1 || st.Conflicts != 0 {
		t.Fatalf("after re-apply: %+v", st)
	}
	if err := b.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	server = assertConverged(t, b, srv.URL())
	if last, _ := server[app.ID].LastStep(); last.Opinion != opinion || last.Action != model.ActionReject {
		t.Fatalf("server's last step %+v, want B's re-applied reject", last)
	}
}

// TestPendingSurvivesPull: a pull that brings the server's changes while a
// local command is still queued (the push failed) keeps the optimistic
// view, rebased on the new server state.
func TestPendingSurvivesPull(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t, 0.1)
	ft := newFaultTransport()
	a := openDeviceWith(t, filepath.Join(t.TempDir(), "a.db"), ClientOptions{Transport: ft}, Options{PageSize: 500})
	b := newDevice(t, ClientOptions{})
	a.login(srv.URL())
	b.login(srv.URL())
	apps := a.inQueue(model.StageSubordinate)
	mine, theirs := apps[0], apps[1]

	if err := a.engine.Pass(ctx, mine.ID, mine.Version, PassInput{Opinion: "同意"}); err != nil {
		t.Fatal(err)
	}
	// A second queued command on the same application, decided on the
	// optimistic version: the rebase must replay both, in order.
	if err := a.engine.Withdraw(ctx, mine.ID, mine.Version+1); err != nil {
		t.Fatal(err)
	}
	if err := b.engine.Reject(ctx, theirs.ID, theirs.Version, "退回"); err != nil {
		t.Fatal(err)
	}
	if err := b.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	ft.add(faultRule{method: "POST", path: "/sync/commands", kind: faultProxy503})
	if err := a.engine.SyncNow(ctx); !IsRetryable(err) {
		t.Fatalf("sync with a failing push: %v", err)
	}
	if got := a.app(theirs.ID); got.Stage != model.StageReturned {
		t.Fatalf("the pull did not bring B's reject: %s", got.Stage)
	}
	got := a.app(mine.ID)
	if got.Version != mine.Version+2 || got.Stage != mine.Stage || len(got.Flow) != len(mine.Flow)+2 {
		t.Fatalf("optimistic view lost: v%d %s %d steps", got.Version, got.Stage, len(got.Flow))
	}
	if st := a.engine.Status(); st.Pending != 2 || !st.Online {
		t.Fatalf("status: %+v", st)
	}
	if err := a.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	assertConverged(t, a, srv.URL())
}

// TestLocalRefusalQueuesNothing: a review the model refuses offline comes
// back as its *model.Error at once and leaves no outbox row or change.
func TestLocalRefusalQueuesNothing(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t, 0.1)
	d := newDevice(t, ClientOptions{})
	d.login(srv.URL())
	own := d.inQueue(model.StageOwnUnit)
	sub := d.inQueue(model.StageSubordinate)
	cases := []struct {
		name string
		run  func() error
		code string
	}{
		{"reject without opinion", func() error { return d.engine.Reject(ctx, sub[0].ID, sub[0].Version, " ") }, model.CodeOpinionRequired},
		{"stale version", func() error { return d.engine.Reject(ctx, sub[0].ID, sub[0].Version-1, "退回") }, model.CodeVersionConflict},
		{"own unit without recommendation", func() error {
			return d.engine.Pass(ctx, own[0].ID, own[0].Version, PassInput{Opinion: "同意"})
		}, model.CodeRecommendation},
		{"batch with one bad", func() error {
			return d.engine.PassBatch(ctx, []AppRef{{sub[0].ID, sub[0].Version}, {own[0].ID, own[0].Version}}, PassInput{Opinion: "同意"})
		}, model.CodeRecommendation},
		{"withdraw not passed", func() error { return d.engine.Withdraw(ctx, sub[0].ID, sub[0].Version) }, model.CodeInvalidTransition},
	}
	before := d.cacheApps()
	for _, tc := range cases {
		err := tc.run()
		if me := model.AsError(err); err == nil || me.Code != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if n, _ := d.store.PendingCount(ctx); n != 0 {
		t.Fatalf("%d commands queued by refused actions", n)
	}
	if diff := diffStates(before, d.cacheApps()); len(diff) > 0 {
		t.Fatalf("refused actions changed the cache: %v", diff)
	}
}

// TestOptimisticMessageAndUnit: message.read and unit.update show at once,
// survive a pull that happens while they are queued, and reach the server.
func TestOptimisticMessageAndUnit(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t, 0.1)
	ft := newFaultTransport()
	d := openDeviceWith(t, filepath.Join(t.TempDir(), "c.db"), ClientOptions{Transport: ft}, Options{PageSize: 500})
	d.login(srv.URL())
	msg, ok := d.unreadMessage()
	if !ok {
		t.Fatal("no unread inbound message in the demo world")
	}
	if err := d.engine.Enqueue(ctx, api.CmdMessageRead, msg.Version, api.MessageReadArgs{MessageID: msg.ID}); err != nil {
		t.Fatal(err)
	}
	id, _ := d.engine.Identity()
	unit := *id.Unit
	var cur model.Unit
	d.store.Do(ctx, func(tx *store.Tx) error { cur, _ = tx.Unit(unit.ID); return nil })
	cur.Contact = "王测试"
	// HOME-2: the demo department has 经济系列 applicants.
	cur.EconomicType, cur.Industry, cur.StaffCount, cur.Revenue = "国有经济", "公共管理", 120, "0"
	if err := d.engine.Enqueue(ctx, api.CmdUnitUpdate, cur.Version, api.UnitArgs{Unit: cur}); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		var m model.Message
		var u model.Unit
		d.store.Do(ctx, func(tx *store.Tx) error {
			tx.Get(api.KindMessage, msg.ID, &m)
			u, _ = tx.Unit(unit.ID)
			return nil
		})
		if m.ReadAt == nil || u.Contact != "王测试" {
			t.Fatalf("%s: message read %v, contact %q", when, m.ReadAt != nil, u.Contact)
		}
	}
	check("queued")
	ft.add(faultRule{method: "POST", path: "/sync/commands", kind: faultProxy503})
	if err := d.engine.SyncNow(ctx); !IsRetryable(err) {
		t.Fatal(err)
	}
	check("after a pull with the push failing")
	if err := d.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if st := d.engine.Status(); st.Pending != 0 || st.Conflicts != 0 {
		cs, _ := d.store.Conflicts(ctx)
		t.Fatalf("status: %+v %s %s %s", st, cs[0].Code, cs[0].Title, cs[0].Detail)
	}
	check("synced")
}

// unreadMessage finds an unread inbound message in the cache.
func (d *device) unreadMessage() (model.Message, bool) {
	inbox, err := d.store.Inbox(context.Background(), 1000)
	if err != nil {
		d.tb.Fatal(err)
	}
	for _, m := range inbox {
		if m.ReadAt == nil {
			return m, true
		}
	}
	return model.Message{}, false
}
