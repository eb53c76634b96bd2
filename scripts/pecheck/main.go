// Command pecheck fails unless a Windows executable is an x86-64 PE32+
// GUI program carrying the icon, the manifest and the version resource
// that FyneApp.toml describes. scripts/build-windows.sh runs it on every
// build:
//
//	go run ./scripts/pecheck -meta FyneApp.toml dist/windows/titledesk.exe
//	go run ./scripts/pecheck -console dist/windows/titledesk-server.exe
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"titledesk/internal/appmeta"
	"titledesk/internal/pecheck"
)

func main() {
	metaPath := flag.String("meta", "", "FyneApp.toml whose version and name the resource must carry")
	console := flag.Bool("console", false, "a console program (the server): only machine and format are checked")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: pecheck [-meta FyneApp.toml | -console] FILE.exe")
		os.Exit(2)
	}
	problems, summary, err := check(flag.Arg(0), *metaPath, *console)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pecheck:", err)
		os.Exit(1)
	}
	fmt.Printf("pecheck: %s: %s\n", flag.Arg(0), summary)
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "pecheck: %s is not what we ship:\n  - %s\n", flag.Arg(0), strings.Join(problems, "\n  - "))
		os.Exit(1)
	}
}

func check(path, metaPath string, console bool) (problems []string, summary string, err error) {
	info, err := pecheck.Inspect(path)
	if err != nil {
		return nil, "", err
	}
	var want pecheck.Want
	if metaPath != "" {
		b, err := os.ReadFile(metaPath)
		if err != nil {
			return nil, "", err
		}
		m, err := appmeta.Parse(b)
		if err != nil {
			return nil, "", err
		}
		want = pecheck.Want{Version: m.Combined(), ProductName: m.Name}
	}
	summary = fmt.Sprintf("machine 0x%04x, PE32+ %v, subsystem %d, icons %v, manifest %v",
		info.Machine, info.PE32Plus, info.Subsystem, info.Icons, info.Manifest)
	if info.Version != nil {
		summary += fmt.Sprintf(", version %s %q", pecheck.Dotted(info.Version.FileVersion), info.Version.Strings["ProductName"])
	}
	if console {
		for _, p := range info.Problems(want) {
			if strings.HasPrefix(p, "machine") || strings.HasPrefix(p, "not PE32+") {
				problems = append(problems, p)
			}
		}
		return problems, summary, nil
	}
	return info.Problems(want), summary, nil
}
