package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"slices"
	"sort"
	gosync "sync"
	"time"

	"titledesk/api"
)

// latencies collects request durations from many goroutines.
type latencies struct {
	mu gosync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// at is the q-quantile (nearest rank).
func (l *latencies) at(q float64) time.Duration {
	if len(l.d) == 0 {
		return 0
	}
	s := slices.Clone(l.d)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.999999) - 1
	return s[max(0, min(len(s)-1, i))]
}

func (l *latencies) String() string {
	return fmt.Sprintf("n=%d p50=%v p90=%v p99=%v max=%v", len(l.d), ms(l.at(0.5)), ms(l.at(0.9)), ms(l.at(0.99)), ms(l.at(1)))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

// devicesResult is the devices scenario's outcome.
type devicesResult struct {
	devices, pushesEach int
	pages, pushes       latencies
	changes             int
	wall                time.Duration
	server, tool        time.Duration // CPU time spent during the scenario
	peak, rss           int64
	peakAnon, peakFile  int64
	peakReset           bool
	errors              int
	errorList           []string
	load                string
}

// runDevices: every device logs in, pulls its whole feed page by page,
// then pushes its one-command decisions one after the other (通过 of an
// application in its 下级单位人员审核, later 撤回 of it), all devices at
// once. Page and push latencies are measured from request to last byte.
func runDevices(ctx context.Context, o options, srv *server) (*devicesResult, error) {
	r := &devicesResult{devices: o.devices, pushesEach: o.pushes}
	devs := make([]*device, o.devices)
	for i := range devs {
		devs[i] = newDevice(srv.base, o.accounts[i%len(o.accounts)], i)
		if err := devs[i].login(ctx); err != nil {
			return nil, err
		}
	}
	// Devices sharing an account decide on disjoint applications.
	sharing := map[string]int{}
	part := make([]int, len(devs))
	for i, d := range devs {
		part[i] = sharing[d.account]
		sharing[d.account]++
	}
	for _, d := range devs {
		// Each device reads the records it needs to decide on (with room
		// for the share of others of its account); past those it only
		// reads pages to their end (see pullPage).
		d.want = 3 * sharing[d.account] * max(1, (o.pushes+1)/2)
	}
	r.peakReset = resetPeak(srv.pid())
	mon := monitorMemory(srv.pid())
	before, err := readProc(srv.pid())
	if err != nil {
		return nil, err
	}
	toolBefore, _ := readProc(os.Getpid())
	start := time.Now()
	var (
		wg gosync.WaitGroup
		mu gosync.Mutex
	)
	fail := func(d *device, err error) {
		mu.Lock()
		r.errors++
		if len(r.errorList) < 10 {
			r.errorList = append(r.errorList, d.account+": "+err.Error())
		}
		mu.Unlock()
	}
	for i, d := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for page := 0; page < 10000; page++ { // bounded: 10,000 pages is 20 million changes
				took, more, _, err := d.pullPage(ctx, o.pageSize)
				r.pages.add(took)
				if err != nil {
					fail(d, err)
					return
				}
				if !more {
					break
				}
			}
			mu.Lock()
			r.changes += d.changes
			mu.Unlock()
			apps := d.decisions(part[i], sharing[d.account], o.pushes)
			if len(apps) == 0 && o.pushes > 0 {
				fail(d, fmt.Errorf("no application in its 下级单位人员审核 to decide on"))
				return
			}
			for k := 0; k < o.pushes; k++ {
				// 通过 then 撤回 of the same application, pair after pair:
				// every application ends as it started, so a world survives
				// any number of runs (toggling a small queue round-robin
				// left some passed, and the queue shrank run after run).
				q := apps[(k/2)%len(apps)]
				typ, args := api.CmdApplicationPass, any(api.PassArgs{ApplicationID: q.id, Opinion: "同意上报"})
				if q.passed {
					typ, args = api.CmdApplicationWithdraw, api.ApplicationRefArgs{ApplicationID: q.id}
				}
				res, took, err := d.push(ctx, typ, q.version, args)
				r.pushes.add(took)
				if err != nil {
					fail(d, err)
					continue
				}
				q.version, q.passed = res.Version, !q.passed
			}
		}()
	}
	wg.Wait()
	r.wall = time.Since(start)
	r.peakAnon, r.peakFile = mon.end()
	after, err := readProc(srv.pid())
	if err != nil {
		return nil, err
	}
	toolAfter, _ := readProc(os.Getpid())
	r.server, r.tool = after.cpu-before.cpu, toolAfter.cpu-toolBefore.cpu
	r.peak, r.rss, r.load = after.peak, after.rss, loadAverage()
	return r, ctx.Err()
}

// decisions are the applications device number part of n sharing an
// account decides on: those whose id hashes to its part (its view of the
// queue may already miss what another device passed meanwhile, so the
// share cannot depend on positions in it), in a stable order.
func (d *device) decisions(part, n, pushes int) []*queued {
	ids := make([]string, 0, len(d.queue))
	for id := range d.queue {
		if shareOf(id, n) == part {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	out := make([]*queued, 0, len(ids))
	for _, id := range ids {
		out = append(out, d.queue[id])
		if len(out)*2 >= pushes { // each is passed, then withdrawn
			break
		}
	}
	return out
}

// shareOf is which of n devices decides on application id.
func shareOf(id string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(n))
}

func (r *devicesResult) print(w io.Writer) {
	fmt.Fprintf(w, "\n== devices: %d devices, whole feed each, then %d one-command pushes each\n", r.devices, r.pushesEach)
	fmt.Fprintf(w, "changes pulled: %d in %d pages; wall %v\n", r.changes, len(r.pages.d), r.wall.Round(time.Millisecond))
	fmt.Fprintf(w, "page latency:  %v\n", &r.pages)
	fmt.Fprintf(w, "push latency:  %v\n", &r.pushes)
	fmt.Fprintf(w, "errors: %d\n", r.errors)
	for _, e := range r.errorList {
		fmt.Fprintf(w, "  %s\n", e)
	}
	peak := "peak RSS " + mb(r.peak)
	if !r.peakReset {
		peak += " (since the server started)"
	}
	fmt.Fprintf(w, "server: CPU %.1f s (%.0f %% of one core over the scenario), %s (sampled peaks: heap and other anonymous %s, mapped files %s), RSS now %s\n",
		r.server.Seconds(), 100*r.server.Seconds()/r.wall.Seconds(), peak, mb(r.peakAnon), mb(r.peakFile), mb(r.rss))
	fmt.Fprintf(w, "load tool: CPU %.1f s; load average %s\n", r.tool.Seconds(), r.load)
}

// idleResult is the idle scenario's outcome.
type idleResult struct {
	devices     int
	interval    time.Duration
	rounds      int
	polls       latencies
	notModified int
	window      time.Duration
	server      time.Duration
	peak        int64
	errors      int
	load        string
}

// runIdle: devices that have caught up poll for changes every interval,
// spread evenly over it, for the given rounds; the server's CPU time over
// those rounds, against the window's length, is the cost of idle devices.
func runIdle(ctx context.Context, o options, srv *server) (*idleResult, error) {
	r := &idleResult{devices: o.idle, interval: o.interval, rounds: o.rounds}
	devs := make([]*device, o.idle)
	for i := range devs {
		devs[i] = newDevice(srv.base, o.accounts[i%len(o.accounts)], 1000+i)
		if err := devs[i].login(ctx); err != nil {
			return nil, err
		}
	}
	// Catching up is not measured: each device pulls its feed to the end.
	var wg gosync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, d := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			for page := 0; page < 10000; page++ {
				if _, more, _, err := d.pullPage(ctx, api.MaxChangesPerPage); err != nil || !more {
					return
				}
			}
		}()
	}
	wg.Wait()
	resetPeak(srv.pid())
	before, err := readProc(srv.pid())
	if err != nil {
		return nil, err
	}
	start := time.Now()
	var mu gosync.Mutex
	for i, d := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			offset := o.interval * time.Duration(i) / time.Duration(len(devs))
			for round := 0; round < o.rounds; round++ {
				if !sleepUntil(ctx, start.Add(offset+time.Duration(round)*o.interval)) {
					return
				}
				took, _, notModified, err := d.pullPage(ctx, api.DefaultPageSize)
				r.polls.add(took)
				mu.Lock()
				if err != nil {
					r.errors++
				}
				if notModified {
					r.notModified++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	// The window is whole intervals, so every device polled once in each.
	sleepUntil(ctx, start.Add(time.Duration(o.rounds)*o.interval))
	r.window = time.Since(start)
	after, err := readProc(srv.pid())
	if err != nil {
		return nil, err
	}
	r.server, r.peak, r.load = after.cpu-before.cpu, after.peak, loadAverage()
	return r, ctx.Err()
}

func sleepUntil(ctx context.Context, t time.Time) bool {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// cpuPercent is the server's CPU time over the polling window, in percent
// of one core.
func (r *idleResult) cpuPercent() float64 {
	return 100 * r.server.Seconds() / max(r.window.Seconds(), 1e-9)
}

func (r *idleResult) print(w io.Writer) {
	fmt.Fprintf(w, "\n== idle: %d caught-up devices polling every %v, %d rounds\n", r.devices, r.interval, r.rounds)
	fmt.Fprintf(w, "polls: %v; 304 Not Modified: %d; errors: %d\n", &r.polls, r.notModified, r.errors)
	n := len(r.polls.d)
	fmt.Fprintf(w, "server: CPU %.2f s over %v = %.2f %% of one core (%.2f ms CPU per poll); peak RSS %s; load average %s\n",
		r.server.Seconds(), r.window.Round(time.Second), r.cpuPercent(),
		float64(r.server.Microseconds())/1000/float64(max(n, 1)), mb(r.peak), r.load)
}
