//go:build !unix

// Package cputime reads the process's CPU time, for benchmarks on a shared
// machine, where it varies far less than wall time.
package cputime

import "time"

// Process is 0 where the platform does not tell.
func Process() time.Duration { return 0 }
