//go:build !unix

package sync

import "time"

func processCPU() time.Duration { return 0 }

func childMain() int { return 0 }
