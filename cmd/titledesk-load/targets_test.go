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
	for _, tc := range []struct {
		name          string
		pages, pushes []int // ms
		errors        int
		peakMB        int64
		idleCPU       time.Duration // over one minute
		idleErrors    int
		missed        []string
	}{
		{"all met", []int{100, 300}, []int{10, 150}, 0, 300, 3 * time.Second, 0, nil},
		{"slow page", []int{100, 301}, []int{10}, 0, 100, 0, 0, []string{"devices: page p99"}},
		{"slow push, an error, too much memory", []int{1}, []int{151}, 1, 301, 0, 0,
			[]string{"devices: push p99", "devices: errors", "devices: server peak RSS"}},
		{"busy idle server", []int{1}, []int{1}, 0, 1, 4 * time.Second, 2, []string{"idle: server CPU", "idle: errors"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dev := &devicesResult{errors: tc.errors, peak: tc.peakMB << 20}
			for _, v := range tc.pages {
				dev.pages.add(time.Duration(v) * time.Millisecond)
			}
			for _, v := range tc.pushes {
				dev.pushes.add(time.Duration(v) * time.Millisecond)
			}
			idle := &idleResult{server: tc.idleCPU, window: time.Minute, errors: tc.idleErrors}
			vs := append(dev.verdicts(defaultTargets), idle.verdicts(defaultTargets)...)
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
