package main

import (
	"fmt"
	"io"
	"time"
)

// The targets of docs/benchmarks.md ("Central server"), which a run checks
// its figures against; the tool exits non-zero when one is missed.
type targets struct {
	pageP99, pushP99 time.Duration
	idleCPU          float64 // percent of one core
	rss              int64   // bytes, peak resident set of the server
}

var defaultTargets = targets{pageP99: 300 * time.Millisecond, pushP99: 150 * time.Millisecond, idleCPU: 5, rss: 300 << 20}

// verdict is one figure against its limit (met when got ≤ limit).
type verdict struct {
	what       string
	got, limit float64
	unit       string
}

func (v verdict) met() bool { return v.got <= v.limit }

func durationVerdict(what string, got, limit time.Duration) verdict {
	return verdict{what, float64(got.Microseconds()) / 1000, float64(limit.Microseconds()) / 1000, "ms"}
}

func bytesVerdict(what string, got, limit int64) verdict {
	return verdict{what, float64(got) / (1 << 20), float64(limit) / (1 << 20), "MB"}
}

func (r *devicesResult) verdicts(t targets) []verdict {
	return []verdict{
		durationVerdict("devices: page p99", r.pages.at(0.99), t.pageP99),
		durationVerdict("devices: push p99", r.pushes.at(0.99), t.pushP99),
		{"devices: errors", float64(r.errors), 0, ""},
		bytesVerdict("devices: server peak RSS", r.peak, t.rss),
	}
}

func (r *idleResult) verdicts(t targets) []verdict {
	return []verdict{
		{"idle: server CPU", r.cpuPercent(), t.idleCPU, "% of one core"},
		{"idle: errors", float64(r.errors), 0, ""},
	}
}

// report prints every verdict and returns how many were missed.
func report(w io.Writer, vs []verdict) (missed int) {
	fmt.Fprintf(w, "\n== targets\n")
	for _, v := range vs {
		mark := "met"
		if !v.met() {
			mark, missed = "MISSED", missed+1
		}
		fmt.Fprintf(w, "%-28s %10.1f %-14s limit %8.1f  %s\n", v.what, v.got, v.unit, v.limit, mark)
	}
	return missed
}
