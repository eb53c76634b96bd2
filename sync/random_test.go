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
	"titledesk/internal/storetest"
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
// random faults and restarts, caches backed up and later restored, and the
// server backed up and later restored, then reach quiescence. After every
// iteration:
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
	// maybe are tags a restore may have undone: applied on the server
	// after its backup, or a conflict recorded only in a discarded cache.
	// They are found at most once (a restored cache may push them again);
	// maybeWithdrw counts such withdraws.
	maybe        map[string]bool
	maybeWithdrw int
	epoch        int
	n            int
	stats        struct{ refused, restarts, faults, conflicts, cacheRestores, serverRestores, renewals int }
	// serverBackup is a backup of the server taken at a quiescent point,
	// with what the server then held of the ledger.
	serverBackup *ledgerSnapshot
}

// ledgerSnapshot is a backup and the ledger entries it holds.
type ledgerSnapshot struct {
	path      string
	tags      map[string]bool // opinion tags on the server's flows (server) or queued/conflicted (cache)
	commands  map[string]bool // command ids in the cache's outbox (cache backups)
	conflicts map[string]bool // command ids in the cache's conflicts (cache backups)
	withdrawn int             // withdraws on the server (server backups)
}

// logStats shows that the epoch exercised what it claims to.
func (w *randomWorld) logStats() {
	for _, d := range w.devs {
		w.stats.faults += len(d.ft.injected)
		n, _ := d.store.ConflictCount(context.Background())
		w.stats.conflicts += n
	}
	w.t.Logf("epoch %d: %d reviews queued (%d withdraws), %d refused locally, %d conflicts, %d faults injected, %d restarts, "+
		"%d cache restores (%d new device ids), %d server restores",
		w.epoch, len(w.tags)+w.withdrw, w.withdrw, w.stats.refused, w.stats.conflicts, w.stats.faults, w.stats.restarts,
		w.stats.cacheRestores, w.stats.renewals, w.stats.serverRestores)
}

type randomDevice struct {
	*device
	name   string
	ft     *faultTransport
	files  []model.Attachment
	backup *ledgerSnapshot // a copy of the cache to restore later
	ids    map[string]bool // every device id this device had (a new one is a renewal)
}

func newRandomWorld(t *testing.T, r *rand.Rand, epoch int) *randomWorld {
	w := &randomWorld{t: t, r: r, srv: newTestServer(t, 0.1), tags: map[string]string{}, maybe: map[string]bool{}, epoch: epoch}
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
	// At this quiescent point the server may be backed up or restored.
	w.serverBackupOrRestore()
	for _, d := range w.devs {
		if w.r.IntN(10) == 0 {
			d.restart(t)
			w.stats.restarts++
		}
		// Restores happen here, where everything is synced: a restored
		// cache loses no queued work, only its view and its seqs.
		if d.backup != nil && w.r.IntN(6) == 0 {
			w.restoreCache(d)
		}
		for range w.r.IntN(5) {
			w.act(d)
		}
		// A backup may be taken with work queued.
		if d.backup == nil && w.r.IntN(6) == 0 {
			w.backupCache(d)
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
	for _, d := range w.devs {
		if id, _ := d.store.DeviceID(ctx); !d.ids[id] {
			if d.ids == nil {
				d.ids = map[string]bool{}
			} else {
				w.stats.renewals++
			}
			d.ids[id] = true
		}
	}
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
	for tag, n := range seen {
		if _, queued := w.tags[tag]; !queued && (!w.maybe[tag] || n > 1) {
			t.Fatalf("iteration %d: %s found %d times, queued %v, undone by a restore %v", i, tag, n, queued, w.maybe[tag])
		}
	}
	if got := withdrawn + withdrawConflicts; got > w.withdrw || got < w.withdrw-w.maybeWithdrw {
		t.Fatalf("iteration %d: %d withdraws applied + %d conflicts for %d queued (%d undone by restores)",
			i, withdrawn, withdrawConflicts, w.withdrw, w.maybeWithdrw)
	}
	for _, d := range w.devs {
		if diff := diffStates(states(server), d.cacheApps()); len(diff) > 0 {
			t.Fatalf("iteration %d: %s differs from the server:\n%v", i, d.name, diff)
		}
	}
}

// backupCache copies the device's cache (a backup program at work) and
// notes what of the ledger the copy holds.
func (w *randomWorld) backupCache(d *randomDevice) {
	ctx := context.Background()
	snap := &ledgerSnapshot{commands: map[string]bool{}, conflicts: map[string]bool{}}
	pending, err := d.store.PendingCommands(ctx, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, c := range pending {
		snap.commands[c.ID] = true
	}
	conflicts, err := d.store.Conflicts(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, c := range conflicts {
		snap.conflicts[c.Command.ID] = true
	}
	snap.path = d.device.backup()
	d.backup = snap
}

// restoreCache puts the device's backup back. The restored cache has its
// queued commands again (the server answers them duplicate) and its old
// seqs (seq_reused: a new device id). A conflict recorded after the backup
// for a command queued after it is gone with the discarded cache; the
// ledger forgets it.
func (w *randomWorld) restoreCache(d *randomDevice) {
	ctx := context.Background()
	conflicts, err := d.store.Conflicts(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, c := range conflicts {
		if d.backup.commands[c.Command.ID] || d.backup.conflicts[c.Command.ID] {
			continue
		}
		if c.Command.Type == api.CmdApplicationWithdraw {
			w.maybeWithdrw++
			continue
		}
		var args struct{ Opinion string }
		json.Unmarshal(c.Command.Args, &args)
		w.undone(tagOf(args.Opinion))
	}
	d.device.restoreFrom(d.backup.path)
	d.backup = nil
	w.stats.cacheRestores++
}

// serverBackupOrRestore backs the server up, or restores the backup taken
// earlier: what was applied on the server after the backup is gone, so the
// ledger forgets it; the devices log in again (their sessions may be gone)
// and their next sync finds the cursor reset.
func (w *randomWorld) serverBackupOrRestore() {
	if w.r.IntN(12) != 0 || storetest.Postgres() { // SQLite's backup and restore
		return
	}
	ctx := context.Background()
	tags, withdrawn := w.serverLedger()
	if w.serverBackup == nil {
		w.serverBackup = &ledgerSnapshot{path: w.srv.Backup(w.t), tags: tags, withdrawn: withdrawn}
		return
	}
	for tag := range tags {
		if !w.serverBackup.tags[tag] {
			w.undone(tag)
		}
	}
	w.maybeWithdrw += withdrawn - w.serverBackup.withdrawn
	w.srv.RestoreFrom(w.t, w.serverBackup.path)
	w.serverBackup = nil
	w.stats.serverRestores++
	for _, d := range w.devs {
		if err := d.engine.Login(ctx, w.srv.URL(), demo.DemoUsername, demo.DemoPassword); err != nil {
			w.t.Fatalf("login after the server's restore: %v", err)
		}
	}
}

// serverLedger is what of the ledger the server holds now: the opinion tags
// of its flow steps since the epoch began, and its withdraws.
func (w *randomWorld) serverLedger() (map[string]bool, int) {
	tags, withdrawn := map[string]bool{}, 0
	for id, a := range serverApps(w.t, w.srv.URL()) {
		for _, s := range a.Flow[len(w.base[id].Flow):] {
			if s.Action == model.ActionWithdraw {
				withdrawn++
			} else {
				tags[tagOf(s.Opinion)] = true
			}
		}
	}
	return tags, withdrawn
}

// undone moves a tag a restore may have undone from the ledger's "exactly
// once" to its "at most once".
func (w *randomWorld) undone(tag string) {
	if _, ok := w.tags[tag]; ok {
		delete(w.tags, tag)
		w.maybe[tag] = true
	}
}
