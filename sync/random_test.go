package sync

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
	"titledesk/server/demo"
)

// Environment knobs of the randomized test.
const (
	envSeed       = "TITLEDESK_SYNC_SEED"
	envIterations = "TITLEDESK_SYNC_ITERATIONS"
	epochLength   = 25 // iterations per fresh server (queues drain as they are reviewed)
)

// TestRandomizedTwoDevices is the model-based test: two devices of the demo
// department review at random on their own (possibly stale) caches, with
// random faults and restarts, then reach quiescence. After every iteration:
// both outboxes are empty; every queued review appears exactly once, either
// as a flow step on the server or as a conflict holding its text; no flow
// step appears that nobody queued; both caches equal the server's projection.
func TestRandomizedTwoDevices(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(envSeed); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", envSeed, s, err)
		}
		seed = v
	}
	iterations := 30
	if os.Getenv("CI") == "true" {
		iterations = 200
	}
	if s := os.Getenv(envIterations); s != "" {
		iterations, _ = strconv.Atoi(s)
	}
	t.Logf("seed %d, %d iterations", seed, iterations)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("reproduce with %s=%d %s=%d", envSeed, seed, envIterations, iterations)
		}
	})
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	for epoch := 0; epoch*epochLength < iterations; epoch++ {
		w := newRandomWorld(t, r, epoch)
		for i := epoch * epochLength; i < min(iterations, (epoch+1)*epochLength); i++ {
			w.iterate(i)
			if t.Failed() {
				return
			}
		}
		w.logStats()
	}
}

// randomWorld is one server, two devices and the ledger of what they queued.
type randomWorld struct {
	t       *testing.T
	r       *rand.Rand
	srv     *testServer
	devs    [2]*randomDevice
	base    map[string]model.Application // the server at the start of the epoch
	tags    map[string]string            // opinion tag → action kind, for every queued pass/reject
	withdrw int                          // withdraws queued
	epoch   int
	n       int
	stats   struct{ refused, restarts, faults, conflicts int }
}

// logStats shows that the epoch exercised what it claims to.
func (w *randomWorld) logStats() {
	for _, d := range w.devs {
		w.stats.faults += len(d.ft.injected)
		n, _ := d.store.ConflictCount(context.Background())
		w.stats.conflicts += n
	}
	w.t.Logf("epoch %d: %d reviews queued (%d withdraws), %d refused locally, %d conflicts, %d faults injected, %d restarts",
		w.epoch, len(w.tags)+w.withdrw, w.withdrw, w.stats.refused, w.stats.conflicts, w.stats.faults, w.stats.restarts)
}

type randomDevice struct {
	*device
	name  string
	ft    *faultTransport
	files []model.Attachment
}

func newRandomWorld(t *testing.T, r *rand.Rand, epoch int) *randomWorld {
	w := &randomWorld{t: t, r: r, srv: newTestServer(t, 0.1), tags: map[string]string{}, epoch: epoch}
	for i := range w.devs {
		ft := newFaultTransport()
		d := openDeviceWith(t, filepath.Join(t.TempDir(), "c.db"), ClientOptions{Transport: ft}, Options{PageSize: 100})
		d.login(w.srv.URL())
		rd := &randomDevice{device: d, name: string(rune('A' + i)), ft: ft}
		rd.addFiles(t)
		w.devs[i] = rd
	}
	w.base = serverApps(t, w.srv.URL())
	return w
}

func (d *randomDevice) addFiles(t *testing.T) {
	ctx := context.Background()
	pub, err := d.engine.AddAttachment(ctx, "公示.pdf", model.AttachPublicity, testPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	post, err := d.engine.AddAttachment(ctx, "岗位情况表.pdf", model.AttachPostStatusForm, testPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	d.files = []model.Attachment{pub, post}
}

// restart closes the device's cache and opens it again offline (Unlock).
func (d *randomDevice) restart(t *testing.T) {
	d.store.Close()
	d.device = openDeviceWith(t, d.path, ClientOptions{Transport: d.ft}, Options{PageSize: 100})
	if err := d.engine.Unlock(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatalf("unlock after restart: %v", err)
	}
}

func (w *randomWorld) iterate(i int) {
	t := w.t
	ctx := context.Background()
	for _, d := range w.devs {
		if w.r.IntN(10) == 0 {
			d.restart(t)
			w.stats.restarts++
		}
		for range w.r.IntN(5) {
			w.act(d)
		}
		if w.r.IntN(3) > 0 {
			d.ft.add(w.randomFault())
		}
	}
	for _, k := range w.r.Perm(len(w.devs)) {
		d := w.devs[k]
		for range 1 + w.r.IntN(2) {
			if err := d.engine.SyncNow(ctx); err != nil && !IsRetryable(err) {
				t.Fatalf("iteration %d: %s: non-retryable sync error %v (faults %v)", i, d.name, err, d.ft.injected)
			}
		}
	}
	w.quiesce(i)
	w.check(i)
}

// act queues one random review the device's cache allows.
func (w *randomWorld) act(d *randomDevice) {
	unit := d.unitID()
	var options []reviewAction
	for _, a := range d.apps() {
		w.n++
		tag := fmt.Sprintf("#%d%s%d", w.epoch, d.name, w.n)
		options = append(options, possibleActions(a, unit, d.files, tag)...)
	}
	if len(options) == 0 {
		return
	}
	// Half the time pick among the first few (by application ID): both
	// devices then often review the same applications, which is where
	// conflicts come from.
	pool := options
	if w.r.IntN(2) == 0 {
		pool = options[:min(len(options), 6)]
	}
	a := pool[w.r.IntN(len(pool))]
	before, _ := d.store.PendingCount(context.Background())
	err := d.run(context.Background(), a)
	after, _ := d.store.PendingCount(context.Background())
	if err != nil {
		// Only the model may refuse, and then nothing is queued.
		if _, ok := err.(*model.Error); !ok || after != before {
			w.t.Fatalf("%s %v: %v (pending %d → %d)", d.name, a, err, before, after)
		}
		w.stats.refused++
		return
	}
	if after != before+1 {
		w.t.Fatalf("%s %v queued %d commands", d.name, a, after-before)
	}
	switch a.kind {
	case "withdraw":
		w.withdrw++
	case "pass":
		w.tags[tagOf(a.in.Opinion)] = a.kind
	case "reject":
		w.tags[tagOf(a.opinion)] = a.kind
	}
}

func tagOf(opinion string) string {
	if i := strings.LastIndex(opinion, "#"); i >= 0 {
		return opinion[i:]
	}
	return ""
}

func (w *randomWorld) randomFault() faultRule {
	ends := []struct{ method, path string }{{"POST", "/sync/commands"}, {"GET", "/sync/changes"}, {"PUT", "/attachments/"}}
	e := ends[w.r.IntN(len(ends))]
	return faultRule{method: e.method, path: e.path, skip: w.r.IntN(3) / 2, kind: faultKind(1 + w.r.IntN(int(faultKinds)-1))}
}

// quiesce clears the faults and syncs until both outboxes are empty and
// both have seen each other's changes.
func (w *randomWorld) quiesce(i int) {
	for _, d := range w.devs {
		d.ft.clear()
	}
	for _, d := range []*randomDevice{w.devs[0], w.devs[1], w.devs[0]} {
		if err := d.engine.SyncNow(context.Background()); err != nil {
			w.t.Fatalf("iteration %d: quiescent sync of %s: %v", i, d.name, err)
		}
	}
}

// check verifies the invariants against the server.
func (w *randomWorld) check(i int) {
	t := w.t
	t.Helper()
	server := serverApps(t, w.srv.URL())
	seen := map[string]int{}
	withdrawn := 0
	for id, a := range server {
		for _, s := range a.Flow[len(w.base[id].Flow):] {
			if s.Action == model.ActionWithdraw {
				withdrawn++
				continue
			}
			seen[tagOf(s.Opinion)]++
		}
	}
	withdrawConflicts := 0
	for _, d := range w.devs {
		if st := d.engine.Status(); st.Pending != 0 {
			t.Fatalf("iteration %d: %s still has %d pending", i, d.name, st.Pending)
		}
		conflicts, err := d.store.Conflicts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st := d.engine.Status(); st.Conflicts != len(conflicts) {
			t.Errorf("iteration %d: %s shows %d conflicts, holds %d", i, d.name, st.Conflicts, len(conflicts))
		}
		for _, c := range conflicts {
			if c.Command.Type == api.CmdApplicationWithdraw {
				withdrawConflicts++
				continue
			}
			var args struct{ Opinion string }
			json.Unmarshal(c.Command.Args, &args)
			seen[tagOf(args.Opinion)]++
		}
	}
	for tag, kind := range w.tags {
		if seen[tag] != 1 {
			t.Fatalf("iteration %d: %s %s found %d times (server steps + conflicts), want once", i, kind, tag, seen[tag])
		}
	}
	if len(seen) != len(w.tags) || withdrawn+withdrawConflicts != w.withdrw {
		t.Fatalf("iteration %d: %d tags seen for %d queued; %d withdraws applied + %d conflicts for %d queued",
			i, len(seen), len(w.tags), withdrawn, withdrawConflicts, w.withdrw)
	}
	for _, d := range w.devs {
		if diff := diffStates(states(server), d.cacheApps()); len(diff) > 0 {
			t.Fatalf("iteration %d: %s differs from the server:\n%v", i, d.name, diff)
		}
	}
}
