// Package memlimit gives a program's Go runtime a soft memory limit.
//
// Most of what the desktop and the server allocate is short-lived (a feed
// page's bytes, a list's rows, a parsed font's scratch): with the default
// GOGC=100 alone the heap grows to twice what is live before a collection,
// which is what the resident-memory targets (docs/benchmarks.md) measured.
// A soft limit (runtime/debug.SetMemoryLimit) makes the collector run
// sooner only as the Go runtime's total nears it; below it nothing
// changes, and above it the runtime caps the collector's CPU share rather
// than fail, so a limit set too low costs CPU, never correctness.
package memlimit

import (
	"os"
	"runtime/debug"
)

// Set applies limit bytes as the Go runtime's soft memory limit, unless the
// GOMEMLIMIT environment variable names one (the runtime has then applied
// it already, and an administrator's choice wins). It returns the limit in
// force.
func Set(limit int64) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1) // -1 reads the limit without changing it
	}
	debug.SetMemoryLimit(limit)
	return limit
}
