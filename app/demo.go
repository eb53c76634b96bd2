package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"titledesk/server"
	"titledesk/server/demo"
)

// DemoServer is the embedded central server of demo mode: the real server
// package on loopback, seeded once with the demo world.
type DemoServer struct {
	URL     string // http://127.0.0.1:port
	DataDir string

	srv  *server.Server
	http *http.Server
	done chan error
}

// DemoOptions steer StartDemo; zero values take the defaults.
type DemoOptions struct {
	DataDir string  // "" = os.UserCacheDir()/TitleDesk/demo
	Scale   float64 // demo world size (0 = 1, about 5,000 applicants)
	Seed    uint64  // 0 = 1
}

// seededMarker is written after a complete import, so a crash mid-import
// reseeds next time instead of starting on half a world.
const seededMarker = "seeded"

// StartDemo opens (seeding on first run) the demo server's data directory
// and serves it on 127.0.0.1 with a free port.
func StartDemo(ctx context.Context, opts DemoOptions) (*DemoServer, error) {
	if opts.DataDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("demo: find cache directory: %w", err)
		}
		opts.DataDir = filepath.Join(dir, "TitleDesk", "demo")
	}
	if opts.Scale <= 0 {
		opts.Scale = 1
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	serverDir := filepath.Join(opts.DataDir, "server")
	marker := filepath.Join(opts.DataDir, seededMarker)
	seeded := fileExists(marker)
	if !seeded {
		// Start clean: a half-imported server or a client cache synced from
		// an older world would not match the world imported now.
		if err := os.RemoveAll(opts.DataDir); err != nil {
			return nil, fmt.Errorf("demo: clear data directory: %w", err)
		}
	}
	srv, err := server.Open(ctx, server.Config{DataDir: serverDir})
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if !seeded {
		world, err := demo.Generate(demo.Options{Scale: opts.Scale, Seed: opts.Seed})
		if err == nil {
			err = srv.ImportWorld(ctx, world)
		}
		if err == nil {
			err = os.WriteFile(marker, []byte(time.Now().Format(time.RFC3339)+"\n"), 0o600)
		}
		if err != nil {
			srv.Close()
			return nil, fmt.Errorf("demo: seed: %w", err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("demo: listen: %w", err)
	}
	d := &DemoServer{
		URL:     "http://" + ln.Addr().String(),
		DataDir: opts.DataDir,
		srv:     srv,
		http:    &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second},
		done:    make(chan error, 1),
	}
	go func() { d.done <- d.http.Serve(ln) }()
	return d, nil
}

// CachePath is where demo mode keeps the client cache: beside the server's
// data, so both are reset together and a new port does not mean a new cache.
func (d *DemoServer) CachePath() string { return filepath.Join(d.DataDir, "client", "cache.db") }

// Close stops serving and closes the database.
func (d *DemoServer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := d.http.Shutdown(ctx)
	if serveErr := <-d.done; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return errors.Join(err, d.srv.Close())
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
