package sync

import (
	"context"
	"errors"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"titledesk/model"
	"titledesk/server/demo"
)

// fakeClock only moves when told; each NewTimer is reported on created so
// a test can wait for the loop to go idle without sleeping.
type fakeClock struct {
	mu      gosync.Mutex
	now     time.Time
	timers  []*fakeTimer
	created chan time.Duration
}

type fakeTimer struct {
	at      time.Time
	c       chan time.Time
	stopped bool
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }
func (t *fakeTimer) Stop() bool          { t.stopped = true; return true }

func newFakeClock() *fakeClock {
	return &fakeClock{now: fixedNow, created: make(chan time.Duration, 16)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	c.mu.Lock()
	t := &fakeTimer{at: c.now.Add(d), c: make(chan time.Time, 1)}
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	c.created <- d
	return t
}

// Advance moves time on and fires the timers that are due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.timers[:0]
	for _, t := range c.timers {
		if !t.stopped && !t.at.After(c.now) {
			t.c <- c.now
			continue
		}
		if !t.stopped {
			kept = append(kept, t)
		}
	}
	c.timers = kept
}

// next waits for the loop's next timer and checks its duration.
func (c *fakeClock) next(t *testing.T, want time.Duration) {
	t.Helper()
	select {
	case got := <-c.created:
		if got != want {
			t.Fatalf("timer of %v, want %v", got, want)
		}
	case <-time.After(30 * time.Second): // a watchdog, not synchronisation
		t.Fatalf("no timer within 30s, want one of %v", want)
	}
}

// TestRunLoopSchedule drives Run with a fake clock: sync at start, every
// Interval while online, backoff with jitter capped while offline, a nudge
// after a local action brings the next sync forward to Debounce.
func TestRunLoopSchedule(t *testing.T) {
	srv := newTestServer(t, 0.1)
	clock := newFakeClock()
	d := openDeviceWith(t, filepath.Join(t.TempDir(), "c.db"), ClientOptions{}, Options{
		Clock: clock, Rand: func() float64 { return 0.5 }, Interval: 30 * time.Second,
		MinBackoff: time.Second, MaxBackoff: 8 * time.Second, Debounce: 2 * time.Second})
	if err := d.engine.Login(context.Background(), srv.URL(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatal(err)
	}
	<-d.engine.nudge // Login's nudge: the loop's first sync covers it

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- d.engine.Run(ctx) }()

	clock.next(t, 0)
	clock.Advance(0)
	clock.next(t, 30*time.Second) // initial sync done, online
	if st := d.engine.Status(); !st.Online || st.LastSync.IsZero() {
		t.Fatalf("after the first sync: %+v", st)
	}

	srv.Stop()
	clock.Advance(30 * time.Second)
	// Equal jitter with Rand 0.5: 3/4 of 1s, 2s, 4s, 8s, then capped at 8s.
	for _, want := range []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 6 * time.Second, 6 * time.Second} {
		clock.next(t, want)
		if st := d.engine.Status(); st.Online {
			t.Fatalf("online while the server is down: %+v", st)
		}
		clock.Advance(want)
	}
	clock.next(t, 6*time.Second)

	// A local action while waiting 6s brings the next sync to 2s from now.
	app := d.inQueue(model.StageSubordinate)[0]
	if err := d.engine.Reject(context.Background(), app.ID, app.Version, "退回补充"); err != nil {
		t.Fatal(err)
	}
	clock.next(t, 2*time.Second)
	srv.Start(t)
	clock.Advance(2 * time.Second)
	clock.next(t, 30*time.Second) // synced, back to the online interval
	if st := d.engine.Status(); !st.Online || st.Pending != 0 || st.LastError != "" {
		t.Fatalf("after coming back: %+v", st)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	assertConverged(t, d, srv.URL())
}

// TestSessionExpiredKeepsOutbox: a 401 asks for the password (NeedPassword)
// and keeps the queued commands; logging in again sends them.
func TestSessionExpiredKeepsOutbox(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t, 0.1)
	d := newDevice(t, ClientOptions{})
	d.login(srv.URL())
	app := d.inQueue(model.StageSubordinate)[0]
	if err := d.engine.Pass(ctx, app.ID, app.Version, PassInput{Opinion: "同意"}); err != nil {
		t.Fatal(err)
	}
	d.client.SetToken("revoked-or-expired")
	err := d.engine.SyncNow(ctx)
	if !errors.Is(err, ErrSessionExpired) || IsRetryable(err) {
		t.Fatalf("sync with a dead session: %v", err)
	}
	if st := d.engine.Status(); !st.NeedPassword || st.Pending != 1 || st.LastError != "登录已过期，请重新输入密码" {
		t.Fatalf("status: %+v", st)
	}
	if err := d.engine.SyncNow(ctx); !errors.Is(err, ErrSessionExpired) {
		t.Fatalf("second sync without a session: %v", err)
	}
	if err := d.engine.Login(ctx, srv.URL(), demo.DemoUsername, "wrong password"); model.AsError(err).Code != model.CodeBadCredentials {
		t.Fatalf("wrong password: %v", err)
	}
	if err := d.engine.Login(ctx, srv.URL(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if err := d.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if st := d.engine.Status(); st.NeedPassword || st.Pending != 0 {
		t.Fatalf("status after login: %+v", st)
	}
	assertConverged(t, d, srv.URL())
}

// TestOfflineUnlock (ACC-2): after one online login the same user opens the
// cache offline with the password checked against the local verifier, works,
// and the first sync back online logs in with it.
func TestOfflineUnlock(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t, 0.1)
	path := filepath.Join(t.TempDir(), "c.db")
	d := openDevice(t, path, ClientOptions{})
	if err := d.engine.Unlock(ctx, demo.DemoUsername, demo.DemoPassword); model.AsError(err).Code != model.CodeUnauthorized {
		t.Fatalf("unlock before any online login: %v", err)
	}
	d.login(srv.URL())
	d.store.Close()

	srv.Stop()
	d = openDevice(t, path, ClientOptions{}) // the app restarted, offline
	if err := d.engine.Login(ctx, srv.URL(), demo.DemoUsername, demo.DemoPassword); !errors.Is(err, ErrOffline) {
		t.Fatalf("online login with the server down: %v", err)
	}
	if err := d.engine.Unlock(ctx, demo.DemoUsername, "not the password"); model.AsError(err).Code != model.CodeBadCredentials {
		t.Fatalf("offline unlock, wrong password: %v", err)
	}
	if err := d.engine.Unlock(ctx, "DEMO ", demo.DemoPassword); err != nil {
		t.Fatalf("offline unlock: %v", err)
	}
	app := d.inQueue(model.StageSubordinate)[0]
	if err := d.engine.Reject(ctx, app.ID, app.Version, "离线退回"); err != nil {
		t.Fatal(err)
	}
	if err := d.engine.SyncNow(ctx); !errors.Is(err, ErrOffline) {
		t.Fatalf("offline sync: %v", err)
	}
	srv.Start(t)
	if err := d.engine.SyncNow(ctx); err != nil {
		t.Fatalf("sync back online: %v", err)
	}
	if st := d.engine.Status(); st.NeedPassword || st.Pending != 0 || !st.Online {
		t.Fatalf("status: %+v", st)
	}
	assertConverged(t, d, srv.URL())
}

// TestCacheBelongsToOneAccount: a cache holding one account's outbox is
// never used by another account.
func TestCacheBelongsToOneAccount(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t, 0.1)
	w, err := demo.Generate(demo.Options{Scale: 0.1, Seed: 1, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	other := ""
	for _, a := range w.Accounts {
		if a.Account.Role == model.RoleDepartment && a.Account.Username != demo.DemoUsername {
			other = a.Account.Username
			break
		}
	}
	d := newDevice(t, ClientOptions{})
	d.login(srv.URL())
	err = d.engine.Login(ctx, srv.URL(), other, demo.Password)
	if me := model.AsError(err); err == nil || me.Title != "本地数据属于其他账户" {
		t.Fatalf("login as %q on demo's cache: %v", other, err)
	}
	if id, _ := d.engine.Identity(); id.Username != demo.DemoUsername {
		t.Fatalf("identity switched to %q", id.Username)
	}
}
