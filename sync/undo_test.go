package sync

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"testing"

	"titledesk/api"
	"titledesk/model"
	"titledesk/store"
)

// TestUndoBeforeItLeaves: 【撤销】 works on an action until it really leaves
// this computer (BEY-7). A push that never wrote its request (refused
// connection, request cut mid-body, server down) leaves the action
// undoable, and after undoing it the server never sees it. Once the
// request may have arrived (answer lost, a proxy's 503 after forwarding)
// 撤销 is refused and the next sync settles the action as usual.
func TestUndoBeforeItLeaves(t *testing.T) {
	tests := []struct {
		name     string
		rule     *faultRule // nil: the server is down
		undoable bool
	}{
		{"server down", nil, true},
		{"connection refused", &faultRule{method: "POST", path: "/sync/commands", kind: faultRefuse}, true},
		{"request cut", &faultRule{method: "POST", path: "/sync/commands", kind: faultCutRequest}, true},
		{"answer lost", &faultRule{method: "POST", path: "/sync/commands", kind: faultLoseResponse}, false},
		{"503 after the server", &faultRule{method: "POST", path: "/sync/commands", kind: fault503}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			srv := newTestServer(t, 0.1)
			ft := newFaultTransport()
			d := openDeviceWith(t, filepath.Join(t.TempDir(), "c.db"), ClientOptions{Transport: ft}, Options{PageSize: 500})
			d.login(srv.URL())
			before := d.inQueue(model.StageSubordinate)[0]
			if err := d.engine.Pass(ctx, before.ID, before.Version, PassInput{Opinion: "同意"}); err != nil {
				t.Fatal(err)
			}
			if tt.rule == nil {
				// Down for a while: no idle connection is left to write
				// into (one closed just now is the "answer lost" case).
				srv.Stop()
				ft.base.(*http.Transport).CloseIdleConnections()
			} else {
				ft.add(*tt.rule)
			}
			if err := d.engine.SyncNow(ctx); !IsRetryable(err) {
				t.Fatalf("faulty sync: %v", err)
			}

			cmd, err := d.engine.Undo(ctx, api.KindApplication, before.ID)
			if !tt.undoable {
				var me *model.Error
				if !errors.As(err, &me) || me.Code != store.CodeAlreadySent {
					t.Fatalf("Undo after the request may have arrived = %v, want %s", err, store.CodeAlreadySent)
				}
			} else {
				if err != nil {
					t.Fatalf("Undo: %v", err)
				}
				if cmd.Type != api.CmdApplicationPass {
					t.Errorf("undid %s", cmd.Type)
				}
				if got := stateOf(d.app(before.ID)); got != stateOf(before) {
					t.Errorf("after undo the cache shows %+v, want %+v", got, stateOf(before))
				}
				if st := d.engine.Status(); st.Pending != 0 {
					t.Errorf("status bar still counts %d", st.Pending)
				}
			}

			ft.clear()
			if tt.rule == nil {
				srv.Start(t)
			}
			if err := d.engine.SyncNow(ctx); err != nil {
				t.Fatalf("clean sync: %v", err)
			}
			server := assertConverged(t, d, srv.URL())[before.ID]
			if passed := server.Version != before.Version; passed == tt.undoable {
				t.Errorf("server version %d (was %d): undone %v", server.Version, before.Version, tt.undoable)
			}
		})
	}
}
