package sync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"titledesk/model"
)

// TestOfflineReviewsSyncExactlyOnce is the main acceptance test
// (DC-1): initial sync, the server goes away, 20 reviews offline (a batch
// pass with a new attachment, single passes in every queue, rejects and
// withdraws), the server comes back, one sync — and the server holds
// exactly what the user did, each command applied once, the cache equal to it.
func TestOfflineReviewsSyncExactlyOnce(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t, 0.1)
	d := newDevice(t, ClientOptions{})
	d.login(srv.URL())
	before := map[string]model.Application{}
	for _, a := range d.apps() {
		before[a.ID] = a
	}

	srv.Stop()
	if err := d.engine.SyncNow(ctx); !errors.Is(err, ErrOffline) {
		t.Fatalf("sync with the server down: %v, want ErrOffline", err)
	}
	if st := d.engine.Status(); st.Online || st.LastError == "" {
		t.Fatalf("status while down: %+v", st)
	}

	data := testPDF(t)
	pub, err := d.engine.AddAttachment(ctx, "公示结果.pdf", model.AttachPublicity, data)
	if err != nil {
		t.Fatal(err)
	}
	post, err := d.engine.AddAttachment(ctx, "岗位情况表.pdf", model.AttachPostStatusForm, testPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	want := doTwentyReviews(t, d, []model.Attachment{pub, post})
	if st := d.engine.Status(); st.Pending != 20 {
		t.Fatalf("pending = %d, want 20", st.Pending)
	}
	for id, n := range want {
		if got := d.app(id).Version - before[id].Version; got != int64(n) {
			t.Errorf("optimistic view of %s: %d new versions, want %d", id[:8], got, n)
		}
	}

	srv.Start(t)
	if err := d.engine.SyncNow(ctx); err != nil {
		t.Fatalf("sync after the server came back: %v", err)
	}
	st := d.engine.Status()
	if st.Pending != 0 || st.Conflicts != 0 || !st.Online || st.LastError != "" {
		t.Fatalf("status after sync: %+v", st)
	}
	server := assertConverged(t, d, srv.URL())
	unit := d.unitID()
	for id, n := range want {
		added := server[id].Flow[len(before[id].Flow):]
		if len(added) != n || server[id].Version != before[id].Version+int64(n) {
			t.Errorf("%s: server has %d new steps and version %d, want %d steps (version %d)",
				id[:8], len(added), server[id].Version, n, before[id].Version+int64(n))
		}
		for _, s := range added {
			if s.UnitID != unit {
				t.Errorf("%s: step by %s, want the demo department", id[:8], s.UnitID)
			}
		}
	}
	var got bytes.Buffer
	if _, err := d.client.DownloadFile(ctx, pub.SHA256, &got); err != nil || !bytes.Equal(got.Bytes(), data) {
		t.Fatalf("uploaded attachment: %v", err)
	}
	// A second sync has nothing to do and changes nothing.
	if err := d.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	assertConverged(t, d, srv.URL())
}

// doTwentyReviews runs the offline session and returns, per application,
// how many commands it got.
func doTwentyReviews(t *testing.T, d *device, files []model.Attachment) map[string]int {
	t.Helper()
	ctx := context.Background()
	unit := d.unitID()
	want := map[string]int{}
	take := func(stage model.Stage, n int) []model.Application {
		apps := d.inQueue(stage)
		if len(apps) < n {
			t.Fatalf("only %d applications in %s, need %d", len(apps), stage, n)
		}
		return apps[:n]
	}

	// 批量通过 of five 本单位人员审核 applications with the new attachments.
	own := take(model.StageOwnUnit, 5)
	var refs []AppRef
	for _, a := range own {
		refs = append(refs, AppRef{a.ID, a.Version})
		want[a.ID]++
	}
	in := PassInput{Opinion: "同意推荐（批量）", Recommendation: recommendation(files)}
	if err := d.engine.PassBatch(ctx, refs, in); err != nil {
		t.Fatalf("batch pass: %v", err)
	}
	// Withdraw two of them again (the department still holds them).
	for _, a := range own[:2] {
		if err := d.engine.Withdraw(ctx, a.ID, d.app(a.ID).Version); err != nil {
			t.Fatalf("withdraw: %v", err)
		}
		want[a.ID]++
	}
	// Single passes and rejects in the other queues.
	single := []struct {
		stage       model.Stage
		pass, rejct int
	}{{model.StageSubordinate, 3, 2}, {model.StageForward, 2, 1}, {model.StageSelfAppoint, 1, 1}, {model.StageExam, 1, 1}}
	for _, q := range single {
		apps := take(q.stage, q.pass+q.rejct)
		for i, a := range apps {
			act := reviewAction{kind: "pass", app: a, in: passInput(a, fmt.Sprintf("同意 %d", i), files)}
			if i >= q.pass {
				act = reviewAction{kind: "reject", app: a, opinion: fmt.Sprintf("不同意 %d：材料不全", i)}
			}
			if err := d.run(ctx, act); err != nil {
				t.Fatalf("%v: %v", act, err)
			}
			want[a.ID]++
		}
	}
	// One more withdraw of an application passed before going offline.
	for _, a := range d.apps() {
		if _, acted := want[a.ID]; !acted && a.CanWithdraw(unit) {
			if err := d.engine.Withdraw(ctx, a.ID, a.Version); err != nil {
				t.Fatalf("withdraw seeded: %v", err)
			}
			want[a.ID]++
			break
		}
	}
	total := 0
	for _, n := range want {
		total += n
	}
	if total != 20 {
		t.Fatalf("ran %d reviews, want 20", total)
	}
	return want
}
