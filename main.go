// Command titledesk is the TitleDesk desktop client (职称审核桌面端).
package main

import (
	_ "embed"
	"flag"
	"fmt"
	"os"

	"titledesk/app"
	"titledesk/internal/appmeta"
	_ "titledesk/internal/clocale" // before Fyne reads the locale (see the package)
	"titledesk/internal/memlimit"
	"titledesk/ui"
)

// fyneAppTOML is the one source of the name, version and build number.
//
//go:embed FyneApp.toml
var fyneAppTOML []byte

func main() {
	meta, err := appmeta.Parse(fyneAppTOML)
	if err != nil {
		panic(err) // a broken FyneApp.toml fails every build's tests first
	}
	cfg := app.Config{Meta: meta, Background: true, LogToFile: true}
	flag.BoolVar(&cfg.Demo, "demo", false, "start a built-in demo server with demo data and log in as the demo department")
	flag.StringVar(&cfg.ServerURL, "server", "", "central server address for the login screen, e.g. https://zc.example.gov.cn")
	version := flag.Bool("version", false, "print the version and build, then exit")
	flag.Parse()
	if *version {
		fmt.Printf("%s %s (build %d; %s)\n", meta.Name, meta.Version, meta.Build, appmeta.Running())
		os.Exit(0)
	}
	if err := ui.CheckDisplay(); err != nil {
		fmt.Fprintln(os.Stderr, "titledesk:", err)
		os.Exit(1)
	}
	memlimit.Set(app.GoMemoryLimit)
	ui.Run(app.Open(cfg))
}
