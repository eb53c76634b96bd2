package sync

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/internal/storetest"
	"titledesk/model"
	"titledesk/server"
)

// TestMoveToPostgresKeepsSyncing (OPS-1, OPS-2): a department's desktop
// synced with a SQLite server and has a decision waiting offline; the city
// moves the deployment to PostgreSQL with admin migrate and starts the
// server on it at the same address. The desktop pushes its waiting
// decision with the session it had, pulls on from the cursor it held (no
// full re-pull), takes in what another desktop did after the move, and
// ends equal to the server. TITLEDESK_MOVE_SCALE sets the demo world's
// size (the acceptance run uses 10, about 50,000 applications).
func TestMoveToPostgresKeepsSyncing(t *testing.T) {
	url := storetest.RequirePostgres(t)
	scale := 0.1
	if s := os.Getenv("TITLEDESK_MOVE_SCALE"); s != "" {
		var err error
		if scale, err = strconv.ParseFloat(s, 64); err != nil || scale <= 0 {
			t.Fatalf("TITLEDESK_MOVE_SCALE=%q", s)
		}
	}
	ctx := context.Background()
	srv := newTestServerOn(t, scale, "") // SQLite, whichever store the suite runs on
	a := newDevice(t, ClientOptions{})
	a.login(srv.URL())
	queue := a.inQueue(model.StageSubordinate)
	if len(queue) < 3 {
		t.Fatalf("%d applications in 下级单位人员审核", len(queue))
	}
	if err := a.engine.Pass(ctx, queue[0].ID, queue[0].Version, PassInput{Opinion: "迁移前通过"}); err != nil {
		t.Fatal(err)
	}
	if err := a.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	// Offline: a decision waits in the outbox across the move.
	srv.Stop()
	if err := a.engine.Reject(ctx, queue[1].ID, queue[1].Version, "迁移期间不通过：材料不全"); err != nil {
		t.Fatal(err)
	}
	if st := a.engine.Status(); st.Pending != 1 {
		t.Fatalf("status before the move: %+v", st)
	}

	start := time.Now()
	rep, err := server.MoveToPostgres(ctx, srv.dir, url, "test", io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("scale %g moved in %s: feed seq %d, %d tables", scale, time.Since(start).Round(time.Millisecond), rep.FeedSeq, len(rep.Tables))

	pg := startAt(t, srv.addr, url)
	// The desktop goes on with the session and cursor it had.
	if err := a.engine.SyncNow(ctx); err != nil {
		t.Fatalf("sync after the move: %v", err)
	}
	// The cursor is <generation>.<seq>; the move keeps the generation.
	if c := pg.firstCursor(); c == "" {
		t.Fatal("the first pull after the move started from the beginning: a full re-pull")
	} else if n, _ := strconv.ParseInt(c[strings.LastIndex(c, ".")+1:], 10, 64); n <= 0 || n > rep.FeedSeq {
		t.Fatalf("first pull after the move from cursor %s (feed seq %d)", c, rep.FeedSeq)
	}
	if st := a.engine.Status(); st.Pending != 0 || st.Conflicts != 0 {
		t.Fatalf("status after the move: %+v", st)
	}
	// Another desktop works on the new store; the first one takes it in.
	b := newDevice(t, ClientOptions{})
	b.login(srv.URL())
	if err := b.engine.Pass(ctx, queue[2].ID, queue[2].Version, PassInput{Opinion: "迁移后通过"}); err != nil {
		t.Fatal(err)
	}
	if err := b.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	apps := assertConverged(t, a, srv.URL())
	assertConverged(t, b, srv.URL())
	for i, want := range []string{"迁移前通过", "迁移期间不通过：材料不全", "迁移后通过"} {
		if last, _ := apps[queue[i].ID].LastStep(); last.Opinion != want {
			t.Fatalf("application %d: last step %+v, want %q", i, last, want)
		}
	}
}

// pgServer is a server on PostgreSQL that remembers the cursors pulled.
type pgServer struct {
	mu      gosync.Mutex
	cursors []string
}

func (p *pgServer) firstCursor() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.cursors) == 0 {
		return ""
	}
	return p.cursors[0]
}

// startAt serves the PostgreSQL database url on addr, where the SQLite
// server was.
func startAt(t *testing.T, addr, url string) *pgServer {
	t.Helper()
	cfg := serverConfig("")
	cfg.Database = url
	s, err := server.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := &pgServer{}
	h := s.Handler()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == api.Base+"/sync/changes" {
			p.mu.Lock()
			p.cursors = append(p.cursors, r.URL.Query().Get("cursor"))
			p.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	}))
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		s.Close()
	})
	return p
}
