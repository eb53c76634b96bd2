package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/internal/storetest"
	"titledesk/model"
	"titledesk/server"
	"titledesk/server/demo"
)

// serveChildEnv makes the test binary run `titledesk-server` with the
// arguments after "--": the processes below are the real command.
const serveChildEnv = "TITLEDESK_SERVER_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(serveChildEnv) != "" {
		args := os.Args[1:]
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		if err := run(context.Background(), args, os.Stdin, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startServe runs `titledesk-server serve` in a process of its own and
// returns its base URL once it listens.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--", "serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), serveChildEnv+"=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var line struct{ Msg, Addr, Scheme string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				addr <- line.Scheme + "://" + line.Addr
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			t.Fatal("serve exited before listening")
		}
		return a
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not listen within 60 s")
	}
	return ""
}

// TestTwoServeProcessesOneDatabase (OPS-1): two `serve --db` processes on
// one PostgreSQL database take interleaved pushes from two devices, each
// batch sent to both at once; every command is applied exactly once.
func TestTwoServeProcessesOneDatabase(t *testing.T) {
	url := storetest.RequirePostgres(t)
	ctx := context.Background()
	w, err := demo.Generate(demo.Options{Scale: 0.02, Seed: 1, Now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	seeded, err := server.Open(ctx, server.Config{Database: url})
	if err != nil {
		t.Fatal(err)
	}
	if err := seeded.ImportWorld(ctx, w); err != nil {
		t.Fatal(err)
	}
	seeded.Close()
	servers := []string{startServe(t, "--db", url), startServe(t, "--db", url)}

	type device struct {
		id, token string
		seq       int64
	}
	var devices []*device
	for _, user := range []string{demo.DemoUsername, "dept02"} {
		d := &device{id: api.NewUUID()}
		var resp api.LoginResponse
		if status := postJSON(t, servers[len(devices)%2]+api.Base+"/sessions", "",
			api.LoginRequest{Username: user, Password: demo.DemoPassword, DeviceID: d.id}, &resp); status != 200 {
			t.Fatalf("login %s: %d", user, status)
		}
		d.token = resp.Token
		devices = append(devices, d)
	}
	const rounds, perBatch = 10, 3
	applied := 0
	for round := range rounds {
		for _, d := range devices {
			var cmds []api.Command
			for k := range perBatch {
				d.seq++
				args, _ := json.Marshal(api.StockCommentArgs{Comment: model.StockComment{ID: api.NewUUID(),
					Text: fmt.Sprintf("意见%d-%d", round, k), Position: k}})
				cmds = append(cmds, api.Command{Seq: d.seq, ID: api.NewUUID(), Type: api.CmdStockCommentSave, Args: args})
			}
			var answers [2]api.PushResponse
			var status [2]int
			var wg gosync.WaitGroup
			for s, base := range servers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					status[s] = tryPostJSON(base+api.Base+"/sync/commands", d.token,
						api.PushRequest{DeviceID: d.id, Commands: cmds}, &answers[s])
				}()
			}
			wg.Wait()
			if status != [2]int{200, 200} {
				t.Fatalf("round %d: push answered %v", round, status)
			}
			for i := range cmds {
				x, y := answers[0].Results[i], answers[1].Results[i]
				if x.Status == api.StatusDuplicate {
					x, y = y, x
				}
				if x.Status != api.StatusApplied || y.Status != api.StatusDuplicate || y.Original != api.StatusApplied || x.EntityID != y.EntityID {
					t.Fatalf("round %d command %d: answered %+v and %+v", round, i, answers[0].Results[i], answers[1].Results[i])
				}
				applied++
			}
		}
	}
	db := storetest.Open(t, url)
	var comments, results int
	db.QueryRow(`SELECT COUNT(*) FROM stock_comments WHERE data LIKE '%意见%'`).Scan(&comments)
	db.QueryRow(`SELECT COUNT(*) FROM command_results`).Scan(&results)
	if comments != applied || results != applied {
		t.Fatalf("%d commands applied once each, but %d comments and %d stored results", applied, comments, results)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"admin", "audit", "verify", "--db", url}, nil, &out, &out); err != nil {
		t.Fatalf("audit verify: %v\n%s", err, out.String())
	}
}

func postJSON(t *testing.T, url, token string, v, out any) int {
	t.Helper()
	status := tryPostJSON(url, token, v, out)
	if status == 0 {
		t.Fatalf("POST %s failed", url)
	}
	return status
}

// tryPostJSON posts v and decodes the answer into out; 0 on a transport error.
func tryPostJSON(url, token string, v, out any) int {
	b, _ := json.Marshal(v)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	json.Unmarshal(body, out)
	return resp.StatusCode
}

// TestStoreFlags: a command names exactly one store, PostgreSQL by a
// postgres:// URL; mistakes are usage errors and never echo a password.
func TestStoreFlags(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
	}{
		{"no store", []string{"serve"}},
		{"both stores", []string{"serve", "--data", dir, "--db", "postgres://u@h/d"}},
		{"not postgres", []string{"seed", "--demo", "--db", "mysql://u:secret@h/d"}},
		{"admin without store", []string{"admin", "lock", "--username", "x"}},
		{"migrate without target", []string{"admin", "migrate", "--from", dir}},
		{"migrate to a file", []string{"admin", "migrate", "--from", dir, "--to", "/tmp/x.db"}},
		{"backup without file", []string{"admin", "backup", "--data", dir}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), tt.args, nil, &out, &out)
			if !errors.Is(err, errUsage) || strings.Contains(err.Error()+out.String(), "secret") {
				t.Fatalf("%v: %v\n%s", tt.args, err, out.String())
			}
		})
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"admin", "backup", "--db", "postgres://u@h/d", "--to", "x"}, nil, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("backup --db: %v", err)
	}
}

// TestAdminBackupAndMigrate: the command lines of backup (SQLite) and
// migrate (SQLite → PostgreSQL) on a seeded world, and a server on the
// moved database serving the same accounts.
func TestAdminBackupAndMigrate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(ctx, []string{"seed", "--demo", "--data", dir, "--scale", "0.02"}, nil, &out, &out); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	file := filepath.Join(t.TempDir(), "backup.db")
	out.Reset()
	if err := run(ctx, []string{"admin", "backup", "--data", dir, "--to", file}, nil, &out, &out); err != nil ||
		!strings.Contains(out.String(), "完整性检查 ok") {
		t.Fatalf("backup: %v\n%s", err, out.String())
	}
	if err := run(ctx, []string{"admin", "backup", "--data", dir, "--to", file}, nil, &out, &out); err == nil {
		t.Fatal("a backup overwrote an existing file")
	}
	url := storetest.RequirePostgres(t)
	out.Reset()
	if err := run(ctx, []string{"admin", "migrate", "--from", dir, "--to", url}, nil, &out, &out); err != nil ||
		!strings.Contains(out.String(), "迁移完成") {
		t.Fatalf("migrate: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"admin", "migrate", "--from", dir, "--to", url}, nil, &out, &out); err == nil ||
		!strings.Contains(err.Error(), "已有数据") {
		t.Fatalf("a second migrate into the same database: %v", err)
	}
	base := startServe(t, "--db", url)
	var resp api.LoginResponse
	if status := postJSON(t, base+api.Base+"/sessions", "", api.LoginRequest{Username: demo.DemoUsername,
		Password: demo.DemoPassword, DeviceID: api.NewUUID()}, &resp); status != 200 || resp.Token == "" {
		t.Fatalf("login on the moved database: %d", status)
	}
	out.Reset()
	if err := run(ctx, []string{"admin", "audit", "--db", url}, nil, &out, &out); err != nil || !strings.Contains(out.String(), "migrate") {
		t.Fatalf("the move is not in the audit log: %v\n%s", err, out.String())
	}
}
