//go:build !windows

package main

import "errors"

// runningAsService is false off Windows: systemd runs serve as a plain
// process and stops it with SIGTERM.
func runningAsService() bool { return false }

func runService([]string) error { return errors.New("not a Windows service") }
