// Command titledesk is the TitleDesk desktop client (职称审核桌面端).
package main

import (
	"flag"

	"titledesk/app"
	"titledesk/ui"
)

func main() {
	var cfg app.Config
	flag.BoolVar(&cfg.Demo, "demo", false, "start a built-in demo server with demo data and log in as the demo department")
	flag.StringVar(&cfg.ServerURL, "server", "", "central server address for the login screen, e.g. https://zc.example.gov.cn")
	flag.Parse()
	cfg.Background = true
	ui.Run(app.Open(cfg))
}
