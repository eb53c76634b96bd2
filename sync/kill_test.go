//go:build unix

package sync

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
	"titledesk/server/demo"
	"titledesk/store"
)

// The child process: the test binary re-executed with childEnv set runs a
// sync loop against the parent's server and prints a line before every
// request, so the parent can SIGKILL it at a known point of the protocol.
const (
	envURL   = "TITLEDESK_SYNC_URL"
	envStore = "TITLEDESK_SYNC_STORE"
	envPage  = "TITLEDESK_SYNC_PAGE"

	modeLoop      = "loop"       // sync forever
	modeHoldAfter = "hold-after" // after the first push answer, hang (the server has committed)
)

func childMain() int {
	mode := os.Getenv(childEnv)
	ctx := context.Background()
	st, err := store.Open(ctx, os.Getenv(envStore))
	if err != nil {
		fmt.Println("ERR", err)
		return 2
	}
	ft := newFaultTransport()
	ft.onRequest = func(r *http.Request) { fmt.Println("REQ", r.Method, r.URL.Path) }
	ft.onResponse = func(r *http.Request) {
		if mode == modeHoldAfter && strings.HasSuffix(r.URL.Path, "/sync/commands") {
			fmt.Println("PUSHED")
			bufio.NewReader(os.Stdin).ReadString('\n') // blocks until the parent kills us
		}
	}
	page := 20
	fmt.Sscan(os.Getenv(envPage), &page)
	e := New(st, NewClient(ClientOptions{Transport: ft}), Options{PageSize: page})
	if err := e.Login(ctx, os.Getenv(envURL), demo.DemoUsername, demo.DemoPassword); err != nil {
		fmt.Println("ERR", err)
		return 2
	}
	for {
		if err := e.SyncNow(ctx); err != nil {
			fmt.Println("ERR", err)
			return 2
		}
		fmt.Println("SYNCED")
	}
}

// killChildAt runs the child and SIGKILLs it when it prints a line starting
// with marker for the nth time.
func killChildAt(t *testing.T, mode, url, path, marker string, nth int) {
	t.Helper()
	killChildPagedAt(t, mode, url, path, 20, marker, nth)
}

// killChildPagedAt is killChildAt with the child pulling pages of size.
func killChildPagedAt(t *testing.T, mode, url, path string, size int, marker string, nth int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, envURL+"="+url, envStore+"="+path, fmt.Sprint(envPage, "=", size))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A child that never reaches the marker must not hang the test.
	watchdog := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	defer watchdog.Stop()
	sc := bufio.NewScanner(out)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if strings.HasPrefix(sc.Text(), marker) {
			if nth--; nth == 0 {
				cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die by SIGKILL (%v); its output:\n%s", err, strings.Join(lines, "\n"))
	}
}

func integrityOK(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check after SIGKILL: %q %v", res, err)
	}
}

// TestKilledDuringInitialSync kills the client while it pulls and applies
// pages: the cache must hold exactly the pages up to its cursor, and the
// next sync must finish the job. With pages of 300 the first sync defers
// the big tables' indexes (store/bulk.go), so the kill also leaves them
// dropped, for the next Open to build.
func TestKilledDuringInitialSync(t *testing.T) {
	for _, tc := range []struct {
		scale      float64
		page, kill int  // page size; killed at this page request
		deferred   bool // the kill leaves a first sync's indexes dropped
	}{
		{0.1, 20, 12, false},
		{0.5, 300, 4, true},
	} {
		t.Run(fmt.Sprint("page=", tc.page), func(t *testing.T) {
			srv := newTestServer(t, tc.scale)
			path := filepath.Join(t.TempDir(), "cache.db")
			killChildPagedAt(t, modeLoop, srv.URL(), path, tc.page, "REQ GET "+api.Base+"/sync/changes", tc.kill)
			integrityOK(t, path)
			if got := bulkDeferred(t, path); got != tc.deferred {
				t.Fatalf("indexes deferred at the kill: %v, want %v", got, tc.deferred)
			}

			d := openDeviceWith(t, path, ClientOptions{}, Options{PageSize: tc.page})
			d.unlock()
			cursor, err := d.store.Cursor(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want := feedUpTo(t, srv.URL(), cursor, tc.page)
			if diff := diffStates(states(want), d.cacheApps()); len(diff) > 0 {
				t.Fatalf("cache does not match its cursor %q:\n%v", cursor, diff)
			}
			t.Logf("killed with cursor %q and %d applications cached", cursor, len(want))
			d.login(srv.URL())
			assertConverged(t, d, srv.URL())
		})
	}
}

// bulkDeferred tells whether the cache at path holds a first sync's
// deferred indexes (store/bulk.go), read before the store opens it.
func bulkDeferred(t *testing.T, path string) bool {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM meta WHERE key LIKE 'bulk_deferred:%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// feedUpTo replays the feed from the start in pages of size until cursor,
// as the killed client saw it (the feed does not change meanwhile).
func feedUpTo(t *testing.T, url, cursor string, size int) map[string]model.Application {
	t.Helper()
	ctx := context.Background()
	c := NewClient(ClientOptions{})
	if _, err := c.Login(ctx, url, demo.DemoUsername, demo.DemoPassword, api.NewUUID()); err != nil {
		t.Fatal(err)
	}
	out := map[string]model.Application{}
	at := ""
	for at != cursor {
		page, err := c.PullPage(ctx, at, size)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Changes) == 0 {
			t.Fatalf("cursor %q is not a page boundary of the feed", cursor)
		}
		for _, ch := range page.Changes {
			if ch.Kind == api.KindApplication && ch.Op == api.OpUpsert {
				var a model.Application
				if err := jsonUnmarshal(ch.Data, &a); err != nil {
					t.Fatal(err)
				}
				out[a.ID] = a
			}
		}
		at = page.Cursor
	}
	return out
}

// TestKilledAfterServerCommitted kills the client after the server applied
// its push and before the client saw the answer: the outbox must be intact
// and the retry must come back duplicate, never applied twice.
func TestKilledAfterServerCommitted(t *testing.T) {
	srv := newTestServer(t, 0.1)
	path := filepath.Join(t.TempDir(), "cache.db")
	d := openDevice(t, path, ClientOptions{})
	d.login(srv.URL())
	want := queueFaultScenario(t, d)
	queued, err := d.store.PendingCommands(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	d.store.Close()

	killChildAt(t, modeHoldAfter, srv.URL(), path, "PUSHED", 1)
	integrityOK(t, path)

	ft := newFaultTransport()
	d = openDeviceWith(t, path, ClientOptions{Transport: ft}, Options{PageSize: 500})
	d.unlock()
	left, err := d.store.PendingCommands(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(left) != fmt.Sprint(queued) {
		t.Fatalf("outbox changed by the kill:\nbefore %v\nafter  %v", queued, left)
	}
	d.login(srv.URL())
	checkAppliedOnce(t, d, srv, want)
	checkStatuses(t, ft.statuses(), len(want), true)
}
