package sync

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	gosync "sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"

	"titledesk/api"
	"titledesk/internal/storetest"
	"titledesk/model"
	"titledesk/server"
	"titledesk/server/demo"
	"titledesk/store"
)

// fixedNow is the demo world's "now": a Tuesday in a normal working week.
var fixedNow = time.Date(2025, 6, 17, 10, 0, 0, 0, time.Local)

// templates holds one seeded server data directory per scale, built once
// per process and copied per test: importing is the slow part.
var templates struct {
	mu   gosync.Mutex
	dirs map[float64]string
	root string
}

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	code := m.Run()
	if templates.root != "" {
		os.RemoveAll(templates.root)
	}
	os.Exit(code)
}

// templateDir seeds a server data directory at scale once per process.
func templateDir(tb testing.TB, scale float64) string {
	tb.Helper()
	templates.mu.Lock()
	defer templates.mu.Unlock()
	if dir, ok := templates.dirs[scale]; ok {
		return dir
	}
	if templates.root == "" {
		root, err := os.MkdirTemp("", "titledesk-sync-tmpl-")
		if err != nil {
			tb.Fatal(err)
		}
		templates.root, templates.dirs = root, map[float64]string{}
	}
	dir := filepath.Join(templates.root, fmt.Sprint(scale))
	w, err := demo.Generate(demo.Options{Scale: scale, Seed: 1, Now: fixedNow})
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	srv, err := server.Open(ctx, serverConfig(dir))
	if err != nil {
		tb.Fatal(err)
	}
	if err := srv.ImportWorld(ctx, w); err != nil {
		tb.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		tb.Fatal(err)
	}
	templates.dirs[scale] = dir
	return dir
}

func copyDir(tb testing.TB, from, to string) {
	tb.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// testServer is a real server over a copy of a seeded database.
type testServer struct {
	srv  *server.Server
	ts   *httptest.Server
	dir  string
	addr string
}

// serverConfig is the test server's: a fixed clock, bcrypt's minimum cost
// and no login rate limits (the tests log in hundreds of times from one
// address; the server's own tests cover the limits).
func serverConfig(dir string) server.Config {
	return server.Config{DataDir: dir, Now: func() time.Time { return fixedNow }, PasswordCost: bcrypt.MinCost,
		LoginLimitPerUsername: server.RateLimit{Burst: -1}, LoginLimitPerAddress: server.RateLimit{Burst: -1}}
}

// newTestServer starts a server on the store the suite runs on
// (internal/storetest): the seeded SQLite copy itself, or that copy moved
// into a fresh PostgreSQL schema with admin migrate's code.
func newTestServer(tb testing.TB, scale float64) *testServer {
	tb.Helper()
	return newTestServerOn(tb, scale, storetest.Database(tb))
}

// newTestServerOn starts a server on a copy of the seeded world: in its
// data directory when db is empty, else moved into the PostgreSQL database db.
func newTestServerOn(tb testing.TB, scale float64, db string) *testServer {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "server")
	copyDir(tb, templateDir(tb, scale), dir)
	cfg := serverConfig(dir)
	if db != "" {
		if _, err := server.MoveToPostgres(context.Background(), dir, db, "test", io.Discard); err != nil {
			tb.Fatal(err)
		}
		cfg.Database = db
	}
	srv, err := server.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	s := &testServer{srv: srv, ts: httptest.NewServer(srv.Handler()), dir: dir}
	s.addr = s.ts.Listener.Addr().String()
	tb.Cleanup(func() {
		s.Stop()
		s.srv.Close()
	})
	return s
}

// Backup copies the server's database (server.BackupSQLite, while it
// serves: the copy gets a database generation of its own) and returns the
// file.
func (s *testServer) Backup(tb testing.TB) string {
	tb.Helper()
	if storetest.Postgres() {
		tb.Skip("restoring a server from a backup is SQLite's admin backup/restore here " +
			"(on PostgreSQL: pg_dump/pg_restore and admin new-generation, server tests)")
	}
	file := filepath.Join(tb.TempDir(), "server-backup.db")
	if _, err := server.BackupSQLite(context.Background(), s.dir, file); err != nil {
		tb.Fatal(err)
	}
	return file
}

// RestoreFrom stops the server, restores the backup file over its data
// (server.RestoreSQLite) and starts it again on the same address. The
// attachment files stay: they are immutable and named by their hash.
func (s *testServer) RestoreFrom(tb testing.TB, file string) {
	tb.Helper()
	s.Stop()
	if err := s.srv.Close(); err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	if err := server.RestoreSQLite(ctx, file, s.dir); err != nil {
		tb.Fatal(err)
	}
	srv, err := server.Open(ctx, serverConfig(s.dir))
	if err != nil {
		tb.Fatal(err)
	}
	s.srv = srv
	s.Start(tb)
}

func (s *testServer) URL() string { return "http://" + s.addr }

// Stop takes the server off the network (its database stays open), like a
// cable pulled: connections are cut and new ones refused.
func (s *testServer) Stop() {
	if s.ts != nil {
		s.ts.CloseClientConnections()
		s.ts.Close()
		s.ts = nil
	}
}

// Start puts it back on the same address.
func (s *testServer) Start(tb testing.TB) {
	tb.Helper()
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		tb.Fatalf("listen again on %s: %v", s.addr, err)
	}
	s.ts = httptest.NewUnstartedServer(s.srv.Handler())
	s.ts.Listener.Close()
	s.ts.Listener = ln
	s.ts.Start()
}

// device is one desktop install: a store in its own directory and an engine.
type device struct {
	tb     testing.TB
	path   string
	store  *store.Store
	client *Client
	engine *Engine
	copts  ClientOptions
	eopts  Options
}

func newDevice(tb testing.TB, opts ClientOptions) *device {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "cache.db")
	return openDevice(tb, path, opts)
}

func openDevice(tb testing.TB, path string, opts ClientOptions) *device {
	tb.Helper()
	return openDeviceWith(tb, path, opts, Options{PageSize: 500})
}

func openDeviceWith(tb testing.TB, path string, opts ClientOptions, eopts Options) *device {
	tb.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	st.Now = func() time.Time { return fixedNow }
	tb.Cleanup(func() { st.Close() })
	c := NewClient(opts)
	return &device{tb: tb, path: path, store: st, client: c, engine: New(st, c, eopts), copts: opts, eopts: eopts}
}

// cacheParts are the files of the cache at path: the database, its WAL and
// the held files.
func cacheParts(path string) []string {
	return []string{path, path + "-wal", strings.TrimSuffix(path, filepath.Ext(path)) + "-files"}
}

// backup copies the device's cache (closed, as a backup program or a
// person copying the folder would find it) into a new directory, then opens
// it again, unlocked. It returns the copy's database path.
func (d *device) backup() string {
	d.tb.Helper()
	d.store.Close()
	to := filepath.Join(d.tb.TempDir(), "cache.db")
	copyCache(d.tb, d.path, to)
	*d = *d.reopened(d.path)
	return to
}

// restoreFrom replaces the device's cache by the copy at from (a restored
// backup) and opens it, unlocked.
func (d *device) restoreFrom(from string) {
	d.tb.Helper()
	d.store.Close()
	for _, p := range append(cacheParts(d.path), d.path+"-shm") {
		os.RemoveAll(p)
	}
	copyCache(d.tb, from, d.path)
	*d = *d.reopened(d.path)
}

// reopened is a new process on the cache at path (same options), unlocked
// offline as the app does at start.
func (d *device) reopened(path string) *device {
	d.tb.Helper()
	n := openDeviceWith(d.tb, path, d.copts, d.eopts)
	n.unlock()
	return n
}

func copyCache(tb testing.TB, from, to string) {
	tb.Helper()
	src, dst := cacheParts(from), cacheParts(to)
	for i := range src {
		st, err := os.Stat(src[i])
		switch {
		case os.IsNotExist(err):
			continue
		case err != nil:
			tb.Fatal(err)
		case st.IsDir():
			copyDir(tb, src[i], dst[i])
		default:
			copyFileT(tb, src[i], dst[i])
		}
	}
}

func copyFileT(tb testing.TB, from, to string) {
	tb.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		tb.Fatal(err)
	}
}

// login logs in as the demo department and runs the initial sync.
func (d *device) login(url string) {
	d.tb.Helper()
	ctx := context.Background()
	if err := d.engine.Login(ctx, url, demo.DemoUsername, demo.DemoPassword); err != nil {
		d.tb.Fatalf("login: %v", err)
	}
	if err := d.engine.SyncNow(ctx); err != nil {
		d.tb.Fatalf("initial sync: %v", err)
	}
}

// unlock opens the device's cache offline with the demo password, as a
// restart of the app does before the first sync.
func (d *device) unlock() {
	d.tb.Helper()
	if err := d.engine.Unlock(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		d.tb.Fatalf("unlock: %v", err)
	}
}

// appState is what the comparisons look at: enough to tell any two
// workflow histories apart.
type appState struct {
	Version int64
	Stage   model.Stage
	Holder  string
	Steps   int
	Last    string // action and opinion of the last flow step
}

func stateOf(a model.Application) appState {
	s := appState{Version: a.Version, Stage: a.Stage, Holder: a.HolderUnitID, Steps: len(a.Flow)}
	if l, ok := a.LastStep(); ok {
		s.Last = string(l.Action) + ":" + l.Opinion
	}
	return s
}

// cacheApps is the cache's projection of every application.
func (d *device) cacheApps() map[string]appState {
	d.tb.Helper()
	out := map[string]appState{}
	for _, a := range d.apps() {
		out[a.ID] = stateOf(a)
	}
	return out
}

// serverApps is the server's projection for the demo department: a fresh
// client pulling the whole feed from the beginning.
func serverApps(tb testing.TB, url string) map[string]model.Application {
	tb.Helper()
	ctx := context.Background()
	c := NewClient(ClientOptions{})
	if _, err := c.Login(ctx, url, demo.DemoUsername, demo.DemoPassword, api.NewUUID()); err != nil {
		tb.Fatalf("observer login: %v", err)
	}
	defer c.Logout(ctx)
	out := map[string]model.Application{}
	cursor := ""
	for {
		page, err := c.PullPage(ctx, cursor, api.MaxChangesPerPage)
		if err != nil {
			tb.Fatalf("observer pull: %v", err)
		}
		for _, ch := range page.Changes {
			if ch.Kind != api.KindApplication {
				continue
			}
			if ch.Op != api.OpUpsert {
				delete(out, ch.ID)
				continue
			}
			var a model.Application
			if err := json.Unmarshal(ch.Data, &a); err != nil {
				tb.Fatal(err)
			}
			out[a.ID] = a
		}
		cursor = page.Cursor
		if !page.HasMore {
			return out
		}
	}
}

func states(apps map[string]model.Application) map[string]appState {
	out := make(map[string]appState, len(apps))
	for id, a := range apps {
		out[id] = stateOf(a)
	}
	return out
}

// diffStates lists the first few differences between two projections.
func diffStates(want, got map[string]appState) []string {
	var out []string
	ids := make([]string, 0, len(want)+len(got))
	for id := range want {
		ids = append(ids, id)
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		w, okw := want[id]
		g, okg := got[id]
		if okw != okg || w != g {
			out = append(out, fmt.Sprintf("%s: server %+v (%v), cache %+v (%v)", id[:8], w, okw, g, okg))
			if len(out) == 5 {
				break
			}
		}
	}
	return out
}

// assertConverged checks that the cache equals the server's projection.
func assertConverged(tb testing.TB, d *device, url string) map[string]model.Application {
	tb.Helper()
	apps := serverApps(tb, url)
	if diff := diffStates(states(apps), d.cacheApps()); len(diff) > 0 {
		tb.Fatalf("cache differs from server (%d apps):\n%v", len(apps), diff)
	}
	return apps
}

const childEnv = "TITLEDESK_SYNC_CHILD"

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
