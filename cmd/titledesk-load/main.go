// Command titledesk-load puts a bounded load on a TitleDesk server over
// loopback and reports the figures of docs/benchmarks.md (SRV-1): many
// devices pulling their whole feed and pushing one-command pushes at once,
// and many idle devices polling for changes. It starts the server binary
// itself (seeding a demo world first when the store is empty), so it can
// read the server process's CPU time and resident memory from /proc
// (Linux only). Each figure is reported against its target (the targets
// section at the end; -target-* flags change them) and the tool exits with
// status 1 when one is missed.
//
//	go build -o titledesk-server ./cmd/titledesk-server
//	go run ./cmd/titledesk-load -bin ./titledesk-server -data /tmp/load-scale10 -scale 10
//	go run ./cmd/titledesk-load -bin ./titledesk-server -db postgres://… -scale 10
//
// Every loop is bounded in count (devices, pushes, pages, polling rounds)
// and the whole run in time (-timeout); it talks only to the server it
// started on 127.0.0.1. The devices are protocol-level clients: each reads
// every page whole (gunzipping it when the server compressed it), checks it
// is JSON and keeps what it needs to decide (its queue's applications and
// their versions); they do not apply pages into a desktop cache, whose cost
// the store's and the sync engine's benchmarks measure.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"time"
)

type options struct {
	bin, data, db string
	scale         float64
	devices       int
	pushes        int
	pageSize      int
	accounts      []string
	idle          int
	interval      time.Duration
	rounds        int
	scenarios     []string
	timeout       time.Duration
	cpuProfile    string
	targets       targets
}

// departmentAccounts are the demo world's 职称业务主管部门 accounts: the
// devices take them in turn.
var departmentAccounts = "demo,dept02,dept03,dept04,dept05,dept06,dept07,dept08,dept09,dept10,dept11,dept12," +
	"dept01a,dept02a,dept03a,dept04a"

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "titledesk-load:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if o.db == "" {
		if err := os.MkdirAll(o.data, 0o700); err != nil {
			return err
		}
	}
	if err := seedIfEmpty(ctx, o, out); err != nil {
		return err
	}
	srv, err := startServer(ctx, o)
	if err != nil {
		return err
	}
	defer srv.stop()
	fmt.Fprintf(out, "server %s (%s), pid %d; load tool pid %d\n", srv.base, o.storeName(), srv.pid(), os.Getpid())
	fmt.Fprintf(out, "load average at start: %s\n", loadAverage())
	var verdicts []verdict
	for _, sc := range o.scenarios {
		switch sc {
		case "devices":
			r, err := runDevices(ctx, o, srv)
			if err != nil {
				return err
			}
			r.print(out)
			verdicts = append(verdicts, r.verdicts(o.targets)...)
		case "idle":
			r, err := runIdle(ctx, o, srv)
			if err != nil {
				return err
			}
			r.print(out)
			verdicts = append(verdicts, r.verdicts(o.targets)...)
		default:
			return fmt.Errorf("unknown scenario %q (devices, idle)", sc)
		}
	}
	fmt.Fprintf(out, "load average at end: %s\n", loadAverage())
	if missed := report(out, verdicts); missed > 0 {
		return fmt.Errorf("%d of %d targets missed", missed, len(verdicts))
	}
	return nil
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("titledesk-load", flag.ContinueOnError)
	fs.StringVar(&o.bin, "bin", "./titledesk-server", "the titledesk-server binary to start")
	fs.StringVar(&o.data, "data", "", "SQLite data directory (seeded with the demo world when empty)")
	fs.StringVar(&o.db, "db", "", "PostgreSQL URL instead of -data (seeded when empty)")
	fs.Float64Var(&o.scale, "scale", 10, "demo world size when seeding (10 ≈ 50,000 applications)")
	fs.IntVar(&o.devices, "devices", 20, "devices of the devices scenario")
	fs.IntVar(&o.pushes, "pushes", 200, "one-command pushes per device after its pull")
	fs.IntVar(&o.pageSize, "page", 2000, "changes per pull request (the desktop's page size)")
	accounts := fs.String("accounts", departmentAccounts, "accounts the devices log in as, in turn")
	fs.IntVar(&o.idle, "idle", 100, "devices of the idle scenario")
	fs.DurationVar(&o.interval, "interval", 30*time.Second, "idle devices poll this often")
	fs.IntVar(&o.rounds, "rounds", 4, "polling rounds of the idle scenario")
	scenarios := fs.String("scenarios", "devices,idle", "what to run, in order")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Minute, "give up after this long")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write the load tool's own CPU profile here")
	o.targets = defaultTargets
	fs.DurationVar(&o.targets.pageP99, "target-page", o.targets.pageP99, "devices: page latency p99 target")
	fs.DurationVar(&o.targets.pushP99, "target-push", o.targets.pushP99, "devices: push latency p99 target")
	fs.Float64Var(&o.targets.idleCPU, "target-idle-cpu", o.targets.idleCPU, "idle: server CPU target, percent of one core")
	rssMB := fs.Int64("target-rss", o.targets.rss>>20, "devices: server peak resident memory target, MB")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.targets.rss = *rssMB << 20
	if (o.data == "") == (o.db == "") {
		return o, errors.New("name exactly one of -data DIR and -db postgres://…")
	}
	if o.devices < 1 || o.devices > 200 || o.pushes < 0 || o.pushes > 10000 || o.idle < 0 || o.idle > 240 ||
		o.rounds < 1 || o.rounds > 100 || o.pageSize < 1 {
		return o, errors.New("-devices 1…200, -pushes 0…10000, -idle 0…240, -rounds 1…100, -page ≥ 1")
	}
	o.accounts = strings.Split(*accounts, ",")
	o.scenarios = strings.Split(*scenarios, ",")
	return o, nil
}

func (o options) storeName() string {
	if o.db != "" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// loadAverage is /proc/loadavg's first three figures.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
