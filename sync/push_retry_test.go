package sync

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"titledesk/model"
)

// connUses counts the requests a server connection has carried.
type connUses struct{}

// discardWriter is a ResponseWriter whose answer nobody reads: the
// connection is cut before it could be sent.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

// TestPushRetriedOnAStaleConnection: a server (its idle timeout, a restart,
// a proxy in between) may close a kept-alive connection just as a push is
// written on it. net/http replays a POST on a fresh connection only when
// the request says it is idempotent; a push is, by (account, device, seq)
// and command id, so the client says so (Idempotency-Key) and the sync
// succeeds at once instead of failing "server unreachable" until the next
// try. Whether the server ran the push before the cut or not, the action
// reaches it exactly once.
func TestPushRetriedOnAStaleConnection(t *testing.T) {
	tests := []struct {
		name string
		ran  bool // the server applied the push before the connection was cut
	}{
		{"cut before the push ran", false},
		{"cut after the push ran, before its answer", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, 0.1)
			h := srv.srv.Handler()
			var cut atomic.Bool
			ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				uses := r.Context().Value(connUses{}).(*atomic.Int32).Add(1)
				push := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/sync/commands")
				if !push || uses == 1 || !cut.CompareAndSwap(false, true) {
					h.ServeHTTP(w, r)
					return
				}
				if tt.ran {
					h.ServeHTTP(&discardWriter{h: http.Header{}}, r)
				} else {
					io.Copy(io.Discard, r.Body)
				}
				conn, _, err := http.NewResponseController(w).Hijack()
				if err != nil {
					t.Error(err)
					return
				}
				conn.Close()
			}))
			ts.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
				return context.WithValue(ctx, connUses{}, new(atomic.Int32))
			}
			ts.Start()
			defer ts.Close()

			d := newDevice(t, ClientOptions{})
			d.login(ts.URL)
			a := d.inQueue(model.StageSubordinate)[0]
			d.reject(a, "连接中断后重发")
			d.sync()
			if !cut.Load() {
				t.Fatal("no push came on a kept-alive connection: the test cut nothing")
			}
			checkSettled(t, srv, d, map[string]int{"连接中断后重发": 1})
		})
	}
}
