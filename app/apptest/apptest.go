// Package apptest starts a real central server, seeded with a small demo
// world, for the tests of app and ui: the client side is tested against
// the real protocol, not a mock.
package apptest

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"slices"
	gosync "sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"titledesk/app"
	"titledesk/server"
	"titledesk/server/demo"
)

// Fixture is a running server and the world it was seeded with.
type Fixture struct {
	URL   string
	World *demo.World
	// Server is the running server, for checks on its side (audit log)
	// and the city office's admin actions (password resets).
	Server *server.Server
	http   *httptest.Server
}

// Scale of the test world: about 500 applicants, enough for every queue.
const Scale = 0.1

var (
	worldOnce gosync.Once
	world     *demo.World
	worldErr  error
)

// Server starts a seeded server for the test and stops it at cleanup. The
// world is generated once per test binary (it is deterministic) and
// imported into a fresh data directory each time, so tests never share state.
func Server(t testing.TB) *Fixture {
	t.Helper()
	return ServerLogging(t, nil)
}

// ServerLogging is Server with the server's log going to logger (nil: none).
func ServerLogging(t testing.TB, logger *slog.Logger) *Fixture {
	t.Helper()
	return start(t, logger, sharedWorld(t))
}

// ServerWith is Server seeded with the test world as edit changes it (a
// fixture the world lacks, such as a name with a separator dot). edit gets
// a copy: its applicants, applications (with their frozen applicant
// records) and experts may be changed in place.
func ServerWith(t testing.TB, edit func(w *demo.World)) *Fixture {
	t.Helper()
	w := *sharedWorld(t)
	w.Applicants = slices.Clone(w.Applicants)
	w.Applications = slices.Clone(w.Applications)
	for i, a := range w.Applications {
		if a.Applicant != nil {
			p := *a.Applicant
			w.Applications[i].Applicant = &p
		}
	}
	w.Experts = slices.Clone(w.Experts)
	edit(&w)
	return start(t, nil, &w)
}

func sharedWorld(t testing.TB) *demo.World {
	t.Helper()
	worldOnce.Do(func() { world, worldErr = demo.Generate(demo.Options{Scale: Scale, Seed: 1}) })
	if worldErr != nil {
		t.Fatalf("generate world: %v", worldErr)
	}
	return world
}

func start(t testing.TB, logger *slog.Logger, world *demo.World) *Fixture {
	t.Helper()
	ctx := context.Background()
	// bcrypt's minimum cost and no login rate limits: app tests log in
	// many times from one address (the server's own tests cover both).
	srv, err := server.Open(ctx, server.Config{DataDir: t.TempDir(), PasswordCost: bcrypt.MinCost,
		LoginLimitPerUsername: server.RateLimit{Burst: -1}, LoginLimitPerAddress: server.RateLimit{Burst: -1}, Logger: logger})
	if err != nil {
		t.Fatalf("open server: %v", err)
	}
	if err := srv.ImportWorld(ctx, world); err != nil {
		srv.Close()
		t.Fatalf("import world: %v", err)
	}
	hs := httptest.NewServer(srv.Handler())
	f := &Fixture{URL: hs.URL, World: world, Server: srv, http: hs}
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	return f
}

// Stop makes the server unreachable (the network is gone).
func (f *Fixture) Stop() { f.http.Close() }

// Demo is the demo department's login on this server.
func (f *Fixture) Demo() app.Credentials {
	return app.Credentials{ServerURL: f.URL, Username: demo.DemoUsername, Password: demo.DemoPassword}
}

// Open opens app services with a private cache directory and no background
// sync loop (tests call SyncNow themselves).
func Open(t testing.TB) *app.App {
	t.Helper()
	return OpenIn(t, t.TempDir())
}

// OpenIn opens app services on the cache directory dir: calling it again
// with the same dir is the app started again on the same computer.
func OpenIn(t testing.TB, dir string) *app.App {
	t.Helper()
	a, err := app.Open(app.Config{CacheDir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}
