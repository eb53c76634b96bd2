package sync

import (
	"context"
	"errors"
	"strings"
	"testing"

	"titledesk/model"
	"titledesk/server/demo"
)

// reject queues 不通过 of app with opinion (a tag the checks look for).
func (d *device) reject(a model.Application, opinion string) {
	d.tb.Helper()
	if err := d.engine.Reject(context.Background(), a.ID, a.Version, opinion); err != nil {
		d.tb.Fatalf("reject %s: %v", a.ID[:8], err)
	}
}

// sync runs one cycle that must succeed.
func (d *device) sync() {
	d.tb.Helper()
	if err := d.engine.SyncNow(context.Background()); err != nil {
		d.tb.Fatalf("sync: %v", err)
	}
}

// stepsWith counts the flow steps on the server whose opinion is opinion.
func stepsWith(server map[string]model.Application, opinion string) int {
	n := 0
	for _, a := range server {
		for _, s := range a.Flow {
			if s.Opinion == opinion {
				n++
			}
		}
	}
	return n
}

// checkSettled: nothing queued, no conflict, every opinion on the server
// the wanted number of times, and the cache equal to the server.
func checkSettled(t *testing.T, srv *testServer, d *device, want map[string]int) {
	t.Helper()
	st := d.engine.Status()
	if st.Pending != 0 || st.Conflicts != 0 {
		t.Fatalf("%d pending, %d conflicts", st.Pending, st.Conflicts)
	}
	server := assertConverged(t, d, srv.URL())
	for opinion, n := range want {
		if got := stepsWith(server, opinion); got != n {
			t.Errorf("%q is on the server %d times, want %d", opinion, got, n)
		}
	}
}

// TestRestoredCache is the first scenario and its kin: a cache is
// backed up, actions are synced, the backup is restored and new actions
// are taken. Every action reaches the server exactly once, the cache ends
// equal to the server, and when the restored cache's seqs named other
// commands on the server it takes a new device id and the person is told.
func TestRestoredCache(t *testing.T) {
	tests := []struct {
		name string
		// queuedInBackup: X was queued (not synced) when the backup was taken.
		queuedInBackup bool
		// moreAfterBackup: Z was also synced after the backup.
		moreAfterBackup bool
		wantNewDevice   bool
	}{
		{"action synced after the backup, new action after the restore", false, false, true},
		{"two actions synced after the backup", false, true, true},
		{"the backup still held the synced action queued", true, false, false},
		{"the backup held it queued, and more were synced", true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, 0.1)
			d := newDevice(t, ClientOptions{})
			d.login(srv.URL())
			queue := d.inQueue(model.StageSubordinate)
			x, y, z := queue[0], queue[1], queue[2]
			want := map[string]int{"恢复前 X": 1, "恢复后 Y": 1}
			if tt.queuedInBackup {
				d.reject(x, "恢复前 X")
			}
			backup := d.backup()
			if !tt.queuedInBackup {
				d.reject(x, "恢复前 X")
			}
			if tt.moreAfterBackup {
				d.reject(z, "恢复前 Z")
				want["恢复前 Z"] = 1
			}
			d.sync()
			device, _ := d.store.DeviceID(context.Background())

			d.restoreFrom(backup)
			d.reject(y, "恢复后 Y")
			d.sync()
			d.sync() // a second cycle finds nothing more to do
			checkSettled(t, srv, d, want)
			renewed, _ := d.store.DeviceID(context.Background())
			st := d.engine.Status()
			if (renewed != device) != tt.wantNewDevice || (st.NoticeSeq > 0) != tt.wantNewDevice {
				t.Fatalf("new device %v, notice %q; want %v", renewed != device, st.Notice, tt.wantNewDevice)
			}
			if tt.wantNewDevice && !strings.Contains(st.Notice, "备份") {
				t.Errorf("notice %q", st.Notice)
			}
		})
	}
}

// TestCopiedCacheOnTwoPCs: a cache copied to a second computer, with an
// action still queued in it. Both keep working: the queued action reaches
// the server once, each computer's actions reach it once, the computer
// whose seqs collide takes a new device id and is told, and both caches
// end equal to the server.
func TestCopiedCacheOnTwoPCs(t *testing.T) {
	srv := newTestServer(t, 0.1)
	pc1 := newDevice(t, ClientOptions{})
	pc1.login(srv.URL())
	queue := pc1.inQueue(model.StageSubordinate)
	pc1.reject(queue[0], "复制前 C")
	copied := pc1.backup()
	pc2 := pc1.reopened(copied) // another computer
	ctx := context.Background()
	dev1, _ := pc1.store.DeviceID(ctx)

	pc1.reject(queue[1], "PC1 A")
	pc2.reject(queue[2], "PC2 B")
	pc1.sync()
	pc2.sync()
	pc1.reject(queue[3], "PC1 A2")
	pc2.reject(queue[4], "PC2 B2")
	for _, d := range []*device{pc2, pc1, pc2, pc1} {
		d.sync()
	}
	want := map[string]int{"复制前 C": 1, "PC1 A": 1, "PC2 B": 1, "PC1 A2": 1, "PC2 B2": 1}
	checkSettled(t, srv, pc1, want)
	checkSettled(t, srv, pc2, want)
	id1, _ := pc1.store.DeviceID(ctx)
	id2, _ := pc2.store.DeviceID(ctx)
	if id1 != dev1 || id2 == dev1 {
		t.Errorf("device ids: pc1 %s → %s, pc2 %s; want pc1 unchanged and pc2 new", dev1[:8], id1[:8], id2[:8])
	}
	if pc1.engine.Status().NoticeSeq != 0 || !strings.Contains(pc2.engine.Status().Notice, "复制") {
		t.Errorf("notices: pc1 %q, pc2 %q", pc1.engine.Status().Notice, pc2.engine.Status().Notice)
	}
}

// TestRestoredServer is the second scenario: the server is restored
// from a backup taken before an action the device synced. The restore ends
// every session (a session of before may have been revoked since, and the
// restore would bring it back): the device's next sync answers that the
// login expired — the status bar asks in Chinese for the password, with
// the queued action still counted 待同步. After logging in again its cursor
// belongs to the old generation: its push and pull answer cursor_reset, it
// pulls everything again keeping its queued action, then pushes it; its
// cache ends equal to the restored server (the action the restore undid
// shows as not done), the queued action reaches the server once, and the
// person is told.
func TestRestoredServer(t *testing.T) {
	tests := []struct {
		name string
		// loginAfterBackup: the device's session was opened after the
		// backup, so the restored server never knew it.
		loginAfterBackup bool
		// queued: an action waits in the outbox when the restore happens.
		queued bool
	}{
		{"session from before the backup, action queued", false, true},
		{"session from after the backup, action queued", true, true},
		{"nothing queued", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			srv := newTestServer(t, 0.1)
			d := newDevice(t, ClientOptions{})
			d.login(srv.URL())
			queue := d.inQueue(model.StageSubordinate)
			backup := srv.Backup(t)
			if tt.loginAfterBackup {
				if err := d.engine.Logout(ctx); err != nil {
					t.Fatal(err)
				}
				d.login(srv.URL())
			}
			d.reject(queue[0], "备份后 X")
			d.sync()

			srv.RestoreFrom(t, backup)
			want := map[string]int{"备份后 X": 0}
			pending := 0
			if tt.queued {
				d.reject(queue[1], "恢复后 Y")
				want["恢复后 Y"] = 1
				pending = 1
			}
			if err := d.engine.SyncNow(ctx); !errors.Is(err, ErrSessionExpired) {
				t.Fatalf("the restored server took a session of before: %v", err)
			}
			st := d.engine.Status()
			if !st.NeedPassword || !strings.Contains(st.LastError, "请重新输入密码") || st.Pending != pending {
				t.Fatalf("after the restore: need password %v, %q, %d pending; want true, 请重新输入密码, %d",
					st.NeedPassword, st.LastError, st.Pending, pending)
			}
			if err := d.engine.Login(ctx, srv.URL(), demo.DemoUsername, demo.DemoPassword); err != nil {
				t.Fatal(err)
			}
			if err := d.engine.SyncNow(ctx); err != nil {
				t.Fatalf("sync after logging in again: %v", err)
			}
			d.sync()
			checkSettled(t, srv, d, want)
			if st := d.engine.Status(); st.NeedPassword || !strings.Contains(st.Notice, "服务器已从备份恢复") {
				t.Errorf("need password %v, notice %q", st.NeedPassword, st.Notice)
			}
			if a := d.app(queue[0].ID); a.Stage != queue[0].Stage {
				t.Errorf("the application the restore undid shows %s, want %s", a.Stage, queue[0].Stage)
			}
		})
	}
}
