package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// Each figure is judged against its own target; one miss is enough to fail
// the run, and the report names it.
func TestVerdicts(t *testing.T) {
	ms := func(v ...int) latencies {
		var l latencies
		for _, x := range v {
			l.add(time.Duration(x) * time.Millisecond)
		}
		return l
	}
	for _, tc := range []struct {
		name   string
		dev    devicesResult
		idle   idleResult
		missed []string
	}{
		{"all met", devicesResult{pages: ms(100, 300), pushes: ms(10, 150), peak: 300 << 20},
			idleResult{server: 3 * time.Second, window: 2 * time.Minute}, nil},
		{"slow page", devicesResult{pages: ms(100, 301), pushes: ms(10), peak: 100 << 20},
			idleResult{window: time.Minute}, []string{"devices: page p99"}},
		{"slow push, an error, too much memory", devicesResult{pages: ms(1), pushes: ms(151), errors: 1, peak: 301 << 20},
			idleResult{window: time.Minute}, []string{"devices: push p99", "devices: errors", "devices: server peak RSS"}},
		{"busy idle server", devicesResult{pages: ms(1), pushes: ms(1)},
			idleResult{server: 4 * time.Second, window: time.Minute, errors: 2}, []string{"idle: server CPU", "idle: errors"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs := append(tc.dev.verdicts(defaultTargets), tc.idle.verdicts(defaultTargets)...)
			var out bytes.Buffer
			if got := report(&out, vs); got != len(tc.missed) {
				t.Errorf("missed %d, want %d:\n%s", got, len(tc.missed), &out)
			}
			for _, line := range strings.Split(out.String(), "\n") {
				miss := strings.HasSuffix(line, "MISSED")
				named := false
				for _, m := range tc.missed {
					named = named || strings.HasPrefix(line, m+" ")
				}
				if miss != named {
					t.Errorf("line %q: missed %v, expected %v", line, miss, named)
				}
			}
		})
	}
}
