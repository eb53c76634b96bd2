package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows/svc"
)

// serviceName is the name the admin guide registers with sc.exe.
const serviceName = "TitleDesk"

// runningAsService reports whether the Service Control Manager started us.
func runningAsService() bool {
	ok, err := svc.IsWindowsService()
	return err == nil && ok
}

// runService runs args (a serve command line) under the Service Control
// Manager: running once serve starts, stopping on Stop or Shutdown. A
// service has no console, so without --log-file the log goes to
// logs\titledesk-server.log beside the executable.
func runService(args []string) error {
	if !hasFlag(args, "log-file") {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		args = append(args, "--log-file", filepath.Join(filepath.Dir(exe), "logs", "titledesk-server.log"))
	}
	return svc.Run(serviceName, &service{args: args})
}

type service struct{ args []string }

func (s *service) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	status <- svc.Status{State: svc.StartPending}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, s.args, nil, io.Discard, io.Discard) }()
	status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	for {
		select {
		case err := <-done:
			status <- svc.Status{State: svc.Stopped}
			if err != nil {
				fmt.Fprintln(os.Stderr, "titledesk-server:", describe(err))
				return true, 1 // service-specific exit code: see the log
			}
			return false, 0
		case c := <-req:
			switch c.Cmd {
			case svc.Interrogate:
				status <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending}
				cancel()
			}
		}
	}
}
