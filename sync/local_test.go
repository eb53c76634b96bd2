package sync

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"titledesk/api"
	"titledesk/model"
	"titledesk/store"
)

// localCase is one queued command type: how to queue it and what the
// cache must show of it.
type localCase struct {
	name  string
	queue func(t *testing.T)
	shown func(t *testing.T) // the optimistic view, before the server has it
	kind  string             // the entity compared with the server's copy
	id    func() string
	count func(t *testing.T) int // rows the screens list for it (duplicates)
}

// TestOptimisticCommandsSurvivePull: every command that changes what a
// screen lists shows in the cache as soon as it is queued, stays through a
// pull made while its push fails (the pull re-applies it on the fresh
// state), and after a clean sync the cache holds the server's copy, once.
// The push fails before the server sees it (a proxy's 503) or after the
// server applied it (the answer lost: the pull brings the server's copies
// while the commands are still queued).
func TestOptimisticCommandsSurvivePull(t *testing.T) {
	for _, fault := range []faultKind{faultProxy503, fault503} {
		t.Run(fault.String(), func(t *testing.T) { testOptimisticCommands(t, fault) })
	}
}

func testOptimisticCommands(t *testing.T, fault faultKind) {
	ctx := context.Background()
	srv := newTestServer(t, 0.1)
	ft := newFaultTransport()
	d := openDeviceWith(t, filepath.Join(t.TempDir(), "c.db"), ClientOptions{Transport: ft}, Options{PageSize: 500})
	d.login(srv.URL())
	root := d.unitID()
	enqueue := func(t *testing.T, typ string, base int64, args any) {
		t.Helper()
		if err := d.engine.Enqueue(ctx, typ, base, args); err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
	}

	parent := newTestUnit("天津市本地新增中心", root, "12120000MB0P12345")
	child := newTestUnit("天津市本地新增中心检测所", parent.ID, "12120000MB0P12346") // under a unit the server has not seen yet
	if child.ID > parent.ID {
		// The rebase visits entities in ID order: the child first is the
		// order in which undoing the parent could take the child with it.
		child.ID, parent.ID = parent.ID, child.ID
		child.ParentID = parent.ID
	}
	moved := d.subunitWithApplications()
	committees, err := d.store.Committees(ctx)
	if err != nil || len(committees) < 2 {
		t.Fatalf("committees: %d %v", len(committees), err)
	}
	expert := model.Expert{ID: api.NewUUID(), UnitID: root, Name: "赵本地", Phone: "13812345678",
		IDNumber: model.MakeIDNumber("12", "1968-03-02", 456, false), Title: "研究员", Level: model.LevelSenior,
		Series: "agriculture", Specialty: "作物育种", WorkUnit: "天津市农业科学院"}
	found, err := d.store.Recipients(ctx, root, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var to []model.Recipient
	for _, r := range found {
		if r.Kind == model.RecipientUnit && len(to) < 2 {
			to = append(to, r)
		}
	}
	msg := api.MessageSendArgs{MessageID: api.NewUUID(), Title: "关于本地发送的通知", Body: "请按时报送。", Recipients: to}
	regs, err := d.store.Registrations(ctx, root, model.RegistrationPending)
	if err != nil || len(regs) < 2 {
		t.Fatalf("pending registrations: %d %v", len(regs), err)
	}
	approved, rejected := regs[0], regs[1]

	cases := []localCase{
		{
			name:  "unit.create",
			queue: func(t *testing.T) { enqueue(t, api.CmdUnitCreate, 0, api.UnitArgs{Unit: parent}) },
			shown: func(t *testing.T) { d.wantInTree(t, root, parent.ID, root, 1) },
			kind:  api.KindUnit, id: func() string { return parent.ID },
			count: func(t *testing.T) int { return d.treeCount(t, root, parent.Name) },
		},
		{
			name:  "unit.create under a new unit",
			queue: func(t *testing.T) { enqueue(t, api.CmdUnitCreate, 0, api.UnitArgs{Unit: child}) },
			shown: func(t *testing.T) { d.wantInTree(t, root, child.ID, parent.ID, 2) },
			kind:  api.KindUnit, id: func() string { return child.ID },
			count: func(t *testing.T) int { return d.treeCount(t, root, child.Name) },
		},
		{
			name: "unit.update moving a unit under a new unit",
			queue: func(t *testing.T) {
				u := moved.unit
				u.ParentID = parent.ID
				enqueue(t, api.CmdUnitUpdate, u.Version, api.UnitArgs{Unit: u})
			},
			shown: func(t *testing.T) {
				d.wantInTree(t, root, moved.unit.ID, parent.ID, 2)
				if n := d.countApps(moved.apps); n != len(moved.apps) {
					t.Fatalf("%d of the moved unit's %d applications left in the cache", n, len(moved.apps))
				}
			},
			kind: api.KindUnit, id: func() string { return moved.unit.ID },
			count: func(t *testing.T) int { return d.treeCount(t, root, moved.unit.Name) },
		},
		{
			name: "expert.create and expert.recommend",
			queue: func(t *testing.T) {
				enqueue(t, api.CmdExpertCreate, 0, api.ExpertCreateArgs{Expert: expert})
				enqueue(t, api.CmdExpertRecommend, 1, api.ExpertRecommendArgs{ExpertID: expert.ID,
					CommitteeIDs: []string{committees[0].ID, committees[1].ID}})
			},
			shown: func(t *testing.T) {
				rows, err := d.store.Experts(ctx, root)
				if err != nil || len(rows) == 0 || rows[0].Expert.ID != expert.ID {
					t.Fatalf("new expert not first in the list (%v)", err)
				}
				e := rows[0]
				if e.Expert.Version != 2 || len(e.Committees) != 2 || e.Committees[0].Status != model.ExpertRecommended ||
					e.Committees[1].CommitteeID != committees[1].ID || e.Expert.Gender != model.GenderFemale {
					t.Fatalf("expert shown as %+v", e)
				}
			},
			kind: api.KindExpert, id: func() string { return expert.ID },
			count: func(t *testing.T) int {
				rows, err := d.store.Experts(ctx, root)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, r := range rows {
					if r.Expert.Name == expert.Name {
						n++
					}
				}
				return n
			},
		},
		{
			name:  "message.send",
			queue: func(t *testing.T) { enqueue(t, api.CmdMessageSend, 0, msg) },
			shown: func(t *testing.T) {
				sent, err := d.store.Sent(ctx, 0)
				if err != nil || len(sent) == 0 {
					t.Fatalf("sent history: %d %v", len(sent), err)
				}
				var m model.Message
				for _, s := range sent {
					if s.ID == msg.MessageID {
						m = s
					}
				}
				if m.Inbound || m.SenderUnitID != root || m.SenderName == "" || !m.SentAt.Equal(fixedNow) ||
					!reflect.DeepEqual(m.Recipients, to) || to[0].Name == "" || m.Title != msg.Title {
					t.Fatalf("sent message shown as %+v", m)
				}
			},
			kind: api.KindMessage, id: func() string { return msg.MessageID },
			count: func(t *testing.T) int {
				sent, err := d.store.Sent(ctx, 0)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, m := range sent {
					if m.Title == msg.Title {
						n++
					}
				}
				return n
			},
		},
		{
			name: "unit.approve_registration",
			queue: func(t *testing.T) {
				enqueue(t, api.CmdUnitApproveRegistration, approved.Version, api.RegistrationDecisionArgs{RegistrationID: approved.ID})
			},
			shown: func(t *testing.T) { d.wantRegistration(t, approved.ID, model.RegistrationApproved, "") },
			kind:  api.KindRegistration, id: func() string { return approved.ID },
			count: func(t *testing.T) int { return d.registrationCount(t, root, approved.ID) },
		},
		{
			name: "unit.reject_registration",
			queue: func(t *testing.T) {
				enqueue(t, api.CmdUnitRejectRegistration, rejected.Version,
					api.RegistrationDecisionArgs{RegistrationID: rejected.ID, Reason: "请选择正确的上级单位"})
			},
			shown: func(t *testing.T) {
				d.wantRegistration(t, rejected.ID, model.RegistrationRejected, "请选择正确的上级单位")
			},
			kind: api.KindRegistration, id: func() string { return rejected.ID },
			count: func(t *testing.T) int { return d.registrationCount(t, root, rejected.ID) },
		},
	}
	for _, tc := range cases {
		tc.queue(t)
	}
	checkShown := func(when string) {
		t.Helper()
		for _, tc := range cases {
			t.Run(when+"/"+tc.name, func(t *testing.T) {
				tc.shown(t)
				if n := tc.count(t); n != 1 {
					t.Fatalf("listed %d times", n)
				}
			})
		}
	}
	checkShown("queued")

	ft.add(faultRule{method: "POST", path: "/sync/commands", kind: fault})
	if err := d.engine.SyncNow(ctx); !IsRetryable(err) {
		t.Fatalf("sync with a failing push: %v", err)
	}
	checkShown("pulled while the push failed")
	if st := d.engine.Status(); st.Pending != 8 {
		t.Fatalf("pending after the failed push: %+v", st)
	}

	if err := d.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if st := d.engine.Status(); st.Pending != 0 || st.Conflicts != 0 {
		cs, _ := d.store.Conflicts(ctx)
		t.Fatalf("after a clean sync: %+v %+v", st, cs)
	}
	observer := newDevice(t, ClientOptions{})
	observer.login(srv.URL())
	for _, tc := range cases {
		t.Run("synced/"+tc.name, func(t *testing.T) {
			var cached, server any
			if !d.get(tc.kind, tc.id(), &cached) || !observer.get(tc.kind, tc.id(), &server) {
				t.Fatalf("%s %s missing: cache or server", tc.kind, tc.id())
			}
			if !reflect.DeepEqual(cached, server) {
				t.Fatalf("cache holds\n%v\nthe server\n%v", cached, server)
			}
			if n := tc.count(t); n != 1 {
				t.Fatalf("listed %d times", n)
			}
		})
	}
	assertConverged(t, d, srv.URL())
}

func newTestUnit(name, parentID, credit17 string) model.Unit {
	return model.Unit{ID: api.NewUUID(), ParentID: parentID, Kind: model.UnitEmployer, Name: name,
		CreditCode: model.MakeCreditCode(credit17), Type: model.UnitTypeInstitution,
		Contact: "王老师", Phone: "022-23456789"}
}

// subunit is a strict descendant of the logged-in unit with the IDs of its
// cached applications.
type subunit struct {
	unit model.Unit
	apps []string
}

// subunitWithApplications picks a unit below the logged-in one that has
// applications in the cache, its form completed for a unit.update.
func (d *device) subunitWithApplications() subunit {
	d.tb.Helper()
	root := d.unitID()
	byUnit := map[string][]string{}
	for _, a := range d.apps() {
		byUnit[a.UnitID] = append(byUnit[a.UnitID], a.ID)
	}
	for _, id := range sortedKeys(byUnit) {
		var u model.Unit
		if id == root || !d.get(api.KindUnit, id, &u) || u.ParentID == "" {
			continue
		}
		if in, err := d.store.InSubtree(context.Background(), root, id); err != nil || !in {
			continue
		}
		if u.Contact == "" {
			u.Contact = "联系人"
		}
		if u.Phone == "" {
			u.Phone = "022-23456789"
		}
		if u.HasEconomicsApplicants {
			u.EconomicType, u.Industry, u.StaffCount, u.Revenue = "国有经济", "教育", 10, "100"
		}
		return subunit{u, byUnit[id]}
	}
	d.tb.Fatal("no subunit with applications in the demo world")
	return subunit{}
}

// get reads one cached entity; false when it is not cached.
func (d *device) get(kind, id string, v any) bool {
	d.tb.Helper()
	var ok bool
	err := d.store.Do(context.Background(), func(tx *store.Tx) error {
		var err error
		ok, err = tx.Get(kind, id, v)
		return err
	})
	if err != nil {
		d.tb.Fatal(err)
	}
	return ok
}

// wantInTree checks that 下级单位管理 shows id under parentID at depth.
func (d *device) wantInTree(t *testing.T, root, id, parentID string, depth int) {
	t.Helper()
	rows, err := d.store.UnitTree(context.Background(), root, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Unit.ID == id {
			if r.Unit.ParentID != parentID || r.Depth != depth {
				t.Fatalf("unit under %s at depth %d, want %s at %d", r.Unit.ParentID, r.Depth, parentID, depth)
			}
			if in, err := d.store.InSubtree(context.Background(), parentID, id); err != nil || !in {
				t.Fatalf("not in its parent's subtree: %v", err)
			}
			return
		}
	}
	t.Fatalf("unit %s not in the tree", id[:8])
}

// treeCount counts the units of the tree named name.
func (d *device) treeCount(t *testing.T, root, name string) int {
	t.Helper()
	rows, err := d.store.UnitTree(context.Background(), root, "")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if r.Unit.Name == name {
			n++
		}
	}
	return n
}

func (d *device) countApps(ids []string) int {
	cached := map[string]bool{}
	for _, a := range d.apps() {
		cached[a.ID] = true
	}
	n := 0
	for _, id := range ids {
		if cached[id] {
			n++
		}
	}
	return n
}

func (d *device) wantRegistration(t *testing.T, id string, status model.RegistrationStatus, reason string) {
	t.Helper()
	var r model.Registration
	if !d.get(api.KindRegistration, id, &r) {
		t.Fatal("registration not cached")
	}
	if r.Status != status || r.Reason != reason || r.DecidedAt == nil {
		t.Fatalf("registration shown as %s %q (decided %v), want %s %q", r.Status, r.Reason, r.DecidedAt, status, reason)
	}
}

// registrationCount counts id in every status list of root.
func (d *device) registrationCount(t *testing.T, root, id string) int {
	t.Helper()
	n := 0
	for _, s := range []model.RegistrationStatus{model.RegistrationPending, model.RegistrationApproved, model.RegistrationRejected} {
		regs, err := d.store.Registrations(context.Background(), root, s)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range regs {
			if r.ID == id {
				n++
			}
		}
	}
	return n
}
