package sync

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"titledesk/model"
)

// TestSyncSurvivesFaults cuts, loses, truncates and garbles requests and
// answers at each step of a cycle. Every fault must end in a retryable
// error with the outbox intact, and the next clean sync must converge with
// every command applied exactly once (a lost answer comes back duplicate).
func TestSyncSurvivesFaults(t *testing.T) {
	tests := []struct {
		rule       faultRule
		duplicates bool // the server had committed: the retry must say duplicate
	}{
		{faultRule{method: "POST", path: "/sync/commands", kind: faultRefuse}, false},
		{faultRule{method: "POST", path: "/sync/commands", kind: faultCutRequest}, false},
		{faultRule{method: "POST", path: "/sync/commands", kind: faultLoseResponse}, true},
		{faultRule{method: "POST", path: "/sync/commands", kind: faultCutResponse}, true},
		{faultRule{method: "POST", path: "/sync/commands", kind: faultTruncate}, true},
		{faultRule{method: "POST", path: "/sync/commands", kind: faultCorrupt}, true},
		{faultRule{method: "POST", path: "/sync/commands", kind: fault503}, true},
		{faultRule{method: "POST", path: "/sync/commands", kind: faultProxy503}, false},
		{faultRule{method: "PUT", path: "/attachments/", kind: faultCutRequest}, false},
		{faultRule{method: "PUT", path: "/attachments/", kind: faultLoseResponse}, false},
		{faultRule{method: "GET", path: "/sync/changes", kind: faultCutResponse}, false},
		{faultRule{method: "GET", path: "/sync/changes", kind: faultTruncate}, false},
		{faultRule{method: "GET", path: "/sync/changes", kind: faultCorrupt}, false},
		{faultRule{method: "GET", path: "/sync/changes", kind: faultLoseResponse}, false},
	}
	for _, tc := range tests {
		t.Run(tc.rule.kind.String()+" "+tc.rule.method+" "+filepath.Base(tc.rule.path), func(t *testing.T) {
			srv := newTestServer(t, 0.1)
			ft := newFaultTransport()
			d := openDeviceWith(t, filepath.Join(t.TempDir(), "c.db"), ClientOptions{Transport: ft}, Options{PageSize: 50})
			d.login(srv.URL())
			want := queueFaultScenario(t, d)

			ft.add(tc.rule)
			err := d.engine.SyncNow(context.Background())
			if !IsRetryable(err) {
				t.Fatalf("faulty sync: %v, want a retryable error (injected %v)", err, ft.injected)
			}
			st := d.engine.Status()
			if st.LastError == "" || st.Syncing {
				t.Fatalf("status after the fault: %+v", st)
			}
			if errors.Is(err, ErrOffline) == st.Online {
				t.Errorf("Online = %v after %v", st.Online, err)
			}
			if !tc.duplicates && tc.rule.path != "/sync/changes" && st.Pending != len(want) {
				t.Errorf("pending = %d after the fault, want %d", st.Pending, len(want))
			}

			ft.clear()
			if err := d.engine.SyncNow(context.Background()); err != nil {
				t.Fatalf("clean sync: %v", err)
			}
			checkAppliedOnce(t, d, srv, want)
			checkStatuses(t, ft.statuses(), len(want), tc.duplicates)
		})
	}
}

// TestInitialSyncResumesAfterCut cuts the third page of the initial sync:
// the two pages before it stay applied with their cursor, and the next sync
// resumes from there.
func TestInitialSyncResumesAfterCut(t *testing.T) {
	srv := newTestServer(t, 0.1)
	ft := newFaultTransport()
	d := openDeviceWith(t, filepath.Join(t.TempDir(), "c.db"), ClientOptions{Transport: ft}, Options{PageSize: 50})
	ctx := context.Background()
	if err := d.engine.Login(ctx, srv.URL(), "demo", "TitleDesk@2026"); err != nil {
		t.Fatal(err)
	}
	ft.add(faultRule{method: "GET", path: "/sync/changes", skip: 2, kind: faultCutResponse})
	var seen []Status
	cancel := d.engine.Subscribe(func(s Status) { seen = append(seen, s) })
	defer cancel()
	if err := d.engine.SyncNow(ctx); !errors.Is(err, ErrOffline) {
		t.Fatalf("cut initial sync: %v", err)
	}
	cursor, err := d.store.Cursor(ctx)
	if err != nil || cursor == "" {
		t.Fatalf("cursor after two pages: %q %v", cursor, err)
	}
	sawProgress := false
	for _, s := range seen {
		sawProgress = sawProgress || s.InitialSync && s.Done == 100 && s.Total > 100
	}
	if !sawProgress {
		t.Errorf("no initial-sync progress of 100 changes in %+v", seen)
	}
	ft.clear()
	if err := d.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	assertConverged(t, d, srv.URL())
}

// queueFaultScenario queues a batch pass with a new attachment and a
// reject, and returns how many commands each application got.
func queueFaultScenario(t *testing.T, d *device) map[string]int {
	t.Helper()
	ctx := context.Background()
	att, err := d.engine.AddAttachment(ctx, "公示.pdf", model.AttachPublicity, testPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	post, err := d.engine.AddAttachment(ctx, "岗位情况表.pdf", model.AttachPostStatusForm, testPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	var refs []AppRef
	for _, a := range d.inQueue(model.StageOwnUnit)[:3] {
		refs = append(refs, AppRef{a.ID, a.Version})
		want[a.ID] = 1
	}
	if err := d.engine.PassBatch(ctx, refs, PassInput{Opinion: "同意", Recommendation: recommendation([]model.Attachment{att, post})}); err != nil {
		t.Fatal(err)
	}
	sub := d.inQueue(model.StageSubordinate)[0]
	if err := d.engine.Reject(ctx, sub.ID, sub.Version, "请补充业绩材料"); err != nil {
		t.Fatal(err)
	}
	want[sub.ID] = 1
	return want
}

// checkAppliedOnce compares cache and server and checks the versions: one
// new version per command, not two.
func checkAppliedOnce(t *testing.T, d *device, srv *testServer, want map[string]int) {
	t.Helper()
	server := assertConverged(t, d, srv.URL())
	for id, n := range want {
		steps := 0
		for _, s := range server[id].Flow {
			if s.UnitID == d.unitID() && s.At.Equal(fixedNow) {
				steps++
			}
		}
		if steps != n {
			t.Errorf("%s: %d steps by this department now, want %d", id[:8], steps, n)
		}
	}
	if st := d.engine.Status(); st.Pending != 0 || st.Conflicts != 0 {
		t.Errorf("status after converging: %+v", st)
	}
}

// checkStatuses: every command was answered applied once; after a lost
// answer the retry said duplicate of applied.
func checkStatuses(t *testing.T, got []string, n int, duplicates bool) {
	t.Helper()
	count := map[string]int{}
	for _, s := range got {
		count[s]++
	}
	wantDup := 0
	if duplicates {
		wantDup = n
	}
	if count["duplicate:applied"] != wantDup || count["applied"]+count["duplicate:applied"] != n || len(got) != n {
		t.Errorf("push answers seen %v, want %d applied (%d of them as duplicates)", count, n, wantDup)
	}
}
