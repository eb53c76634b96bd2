package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	gosync "sync"
	"sync/atomic"
	"testing"

	"titledesk/api"
	"titledesk/internal/storetest"
	"titledesk/model"
)

// TestBackupDuringPushes (OPS-2): a backup taken while four devices push
// 1,000 commands restores into a database that passes integrity_check and
// holds every command acknowledged before the backup started, with its
// effect, its stored result and its audit entry.
func TestBackupDuringPushes(t *testing.T) {
	if storetest.Postgres() {
		t.Skip("SQLite's online backup: runs in the SQLite pass (PostgreSQL: pg_dump, docs/admin-guide.md)")
	}
	ts := newTestServer(t)
	const devices, pushes = 4, 1000
	clients := make([]*testClient, devices)
	for i, u := range []string{userDept1, userDept1a, userDept2, userEmp1} {
		clients[i] = ts.login(u)
	}
	var (
		mu       gosync.Mutex
		acked    []string // command ids in the order their pushes were answered
		sent     atomic.Int64
		started  = make(chan struct{})
		startAck int // len(acked) when the backup started
	)
	file := filepath.Join(t.TempDir(), "backup.db")
	var rep *BackupReport
	var backupErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-started
		mu.Lock()
		startAck = len(acked)
		mu.Unlock()
		rep, backupErr = BackupSQLite(context.Background(), ts.dir, file)
	}()
	var wg gosync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := sent.Add(1); n <= pushes; n = sent.Add(1) {
				cmd := c.command(api.CmdStockCommentSave, 0, api.StockCommentArgs{
					Comment: model.StockComment{ID: api.NewUUID(), Text: fmt.Sprintf("常用意见%d", n), Position: int(n)}})
				res, err := c.tryPush(cmd)
				if err != nil || res[0].Status != api.StatusApplied {
					t.Errorf("push %d: %v %+v", n, err, res)
					return
				}
				mu.Lock()
				acked = append(acked, cmd.ID)
				if len(acked) == pushes/3 {
					close(started)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	<-done
	if backupErr != nil {
		t.Fatal(backupErr)
	}
	if t.Failed() {
		t.FailNow()
	}
	if rep.Integrity != "ok" || rep.Results < int64(startAck) {
		t.Fatalf("backup report %+v: %d commands acknowledged before it started", rep, startAck)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, mode %v", err, fi.Mode())
	}
	t.Logf("backup of %d bytes in %s while pushing: %d of %d commands acknowledged before it started, %d in it",
		rep.Bytes, rep.Duration, startAck, pushes, rep.Results)

	// Restore: the copy becomes a data directory and a server opens it.
	restored := t.TempDir()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, dbFileName), data, 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := Open(t.Context(), Config{DataDir: restored})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var check string
	if err := srv.reader.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("restored integrity_check: %q %v", check, err)
	}
	for i, id := range acked[:startAck] {
		var n int
		err := srv.reader.QueryRow(`SELECT COUNT(*) FROM command_results r
			JOIN stock_comments s ON s.id = json_extract(r.result, '$.entity_id')
			JOIN audit_log l ON l.event = 'command' AND l.entity_id = s.id AND l.result = 'applied'
			WHERE r.command_id = ? AND r.status = 'applied'`, id).Scan(&n)
		if err != nil || n == 0 {
			t.Fatalf("command %d (%s), acknowledged before the backup started, is missing from it (%v)", i, id, err)
		}
	}
	audit, err := srv.VerifyAudit(t.Context())
	if err != nil || len(audit.Breaks) > 0 {
		t.Fatalf("restored audit chain: %+v %v", audit, err)
	}
	if _, err := BackupSQLite(t.Context(), ts.dir, file); !errors.Is(err, ErrBackupExists) {
		t.Fatalf("a second backup over the file: %v", err)
	}
	if _, err := BackupSQLite(t.Context(), t.TempDir(), filepath.Join(t.TempDir(), "x.db")); err == nil {
		t.Fatal("backup of a directory without a database succeeded")
	}
}
