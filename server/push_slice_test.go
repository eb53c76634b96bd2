package server

import (
	gosync "sync"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
)

// TestLongPushLetsOthersWrite (SEC-6): while one device pushes 500 passes,
// another device's push is answered before the long push has finished — it
// waits for a slice (Config.PushSlice), not for the batch — on either store
// and whichever server process holds the long push (the lock is the
// database's).
func TestLongPushLetsOthersWrite(t *testing.T) {
	const n = api.MaxCommandsPerPush
	w, ids := passWorld(n)
	ts := newTestServerWorld(t, w)
	long, short := ts.login(userDept1), ts.login(userDept2)
	cmds := make([]api.Command, n)
	for i := range cmds {
		cmds[i] = long.command(api.CmdApplicationPass, 3, api.PassArgs{ApplicationID: ids[i], Opinion: "同意"})
	}
	// The short push starts once the long one holds the write lock (its
	// first command has run); a push commits early only while another
	// writer waits, so nothing of it is committed before that.
	running := make(chan struct{})
	var once gosync.Once
	pushCommandRan = func(int) {
		once.Do(func() {
			close(running)
			// Hold the lock until the short push queues for it, so the
			// long one cannot finish before the short one has even asked.
			ts.writerQueued(30 * time.Second)
		})
	}
	defer func() { pushCommandRan = nil }()
	done := make(chan error, 1)
	go func() {
		_, err := long.tryPush(cmds...)
		done <- err
	}()
	select {
	case <-running:
	case err := <-done:
		t.Fatalf("the long push ended before it ran a command: %v", err)
	}
	start := time.Now()
	res := short.run(api.CmdStockCommentSave, 0, api.StockCommentArgs{Comment: model.StockComment{ID: api.NewUUID(), Text: "同意推荐", Position: 1}})
	waited := time.Since(start)
	passed := ts.count(`SELECT COUNT(*) FROM command_results WHERE device_id = ?`, long.device)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if res.Status != api.StatusApplied {
		t.Fatalf("short push: %+v", res)
	}
	if passed >= n {
		t.Fatalf("the short push (%s) waited for the whole 500-command push", waited)
	}
	t.Logf("short push answered after %s, with %d of %d long-push commands committed", waited, passed, n)
}
