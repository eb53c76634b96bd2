//go:build unix

package sync

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process used so far (user + system):
// with client and server in one process, a benchmark's CPU per op is a
// figure that the other jobs on a shared machine do not inflate.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
