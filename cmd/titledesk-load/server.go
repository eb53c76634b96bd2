package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is the titledesk-server child process.
type server struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	done chan error
}

// storeArgs names the store on the server's command line.
func (o options) storeArgs() []string {
	if o.db != "" {
		return []string{"--db", o.db}
	}
	return []string{"--data", o.data}
}

// seedIfEmpty runs `seed --demo` unless the store already holds a world
// (the server then refuses with "已有数据", which is fine).
func seedIfEmpty(ctx context.Context, o options, out io.Writer) error {
	if o.db == "" {
		if _, err := os.Stat(filepath.Join(o.data, "titledesk.db")); err == nil {
			return nil
		}
	}
	start := time.Now()
	args := append([]string{"seed", "--demo", "--scale", strconv.FormatFloat(o.scale, 'f', -1, 64)}, o.storeArgs()...)
	b, err := exec.CommandContext(ctx, o.bin, args...).CombinedOutput()
	if err != nil && !strings.Contains(string(b), "已有数据") {
		return fmt.Errorf("seed: %v: %s", err, b)
	}
	if err == nil {
		fmt.Fprintf(out, "seeded the scale-%g demo world in %v\n", o.scale, time.Since(start).Round(time.Second))
	}
	return nil
}

// startServer starts `serve` on a free loopback port and waits until it
// answers /health.
func startServer(ctx context.Context, o options) (*server, error) {
	args := append([]string{"serve", "--addr", "127.0.0.1:0"}, o.storeArgs()...)
	cmd := exec.Command(o.bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", o.bin, err)
	}
	s := &server{cmd: cmd, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		// The server logs JSON lines; "listening" carries the bound address.
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				addr <- line.Addr
			} else if !strings.Contains(sc.Text(), `"msg":"request"`) {
				fmt.Fprintln(os.Stderr, "server:", sc.Text())
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	go func() { s.done <- cmd.Wait() }()
	select {
	case a := <-addr:
		s.base = "http://" + a
	case err := <-s.done:
		return nil, fmt.Errorf("server exited: %v", err)
	case <-time.After(2 * time.Minute):
		s.stop()
		return nil, errors.New("server did not start within 2 minutes")
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
	for i := 0; i < 100; i++ {
		resp, err := http.Get(s.base + "/api/v1/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	return nil, errors.New("server does not answer /health")
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// stop ends the server with SIGTERM (it shuts down cleanly), then SIGKILL.
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// procStats is what /proc says of a process.
type procStats struct {
	cpu        time.Duration // user + system
	rss, peak  int64         // bytes: VmRSS, VmHWM
	anon, file int64         // bytes: RssAnon (the heap) and RssFile (mapped files, e.g. SQLite's mmap)
}

// clockTicks is USER_HZ, 100 on every Linux architecture Go supports.
const clockTicks = 100

func readProc(pid int) (procStats, error) {
	var st procStats
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return st, err
	}
	// Fields after the command name (which may hold spaces) start at ") ".
	rest := string(stat[strings.LastIndexByte(string(stat), ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return st, errors.New("short /proc stat")
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	st.cpu = time.Duration(utime+stime) * time.Second / clockTicks
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return st, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			st.rss = kb << 10
		case "VmHWM":
			st.peak = kb << 10
		case "RssAnon":
			st.anon = kb << 10
		case "RssFile":
			st.file = kb << 10
		}
	}
	return st, nil
}

// resetPeak starts VmHWM afresh (Linux: writing 5 to clear_refs), so a
// scenario's peak is its own; where that is refused, the peak covers the
// process's life so far.
func resetPeak(pid int) bool {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
}

// memoryMonitor samples a process's resident memory every 50 ms: VmHWM
// gives the peak of the total, the samples the peaks of its parts.
type memoryMonitor struct {
	stop               chan struct{}
	done               chan struct{}
	peakAnon, peakFile int64
}

func monitorMemory(pid int) *memoryMonitor {
	m := &memoryMonitor{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(m.done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if st, err := readProc(pid); err == nil {
				m.peakAnon, m.peakFile = max(m.peakAnon, st.anon), max(m.peakFile, st.file)
			}
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

// end stops sampling and returns the peaks.
func (m *memoryMonitor) end() (anon, file int64) {
	close(m.stop)
	<-m.done
	return m.peakAnon, m.peakFile
}

func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
