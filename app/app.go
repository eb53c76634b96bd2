// Package app holds the services the desktop UI calls: session (login,
// offline unlock, status), demo mode, the dashboard, messages, the unit
// form. It is plain Go — no Fyne — so every service is tested headless, and
// the UI never touches SQL or HTTP.
package app

import (
	"context"
	"errors"
	"log/slog"
	gosync "sync"

	"titledesk/internal/applog"
	"titledesk/internal/appmeta"
	"titledesk/server/demo"
	"titledesk/store"
)

// GoMemoryLimit is the desktop's soft limit on the Go runtime's memory
// (internal/memlimit), which main sets: what stays live over a cache of
// 50,000 applications with every list open is ~70 MB (most of it the
// parsed CJK font), and SQLite's caches and the program come on top; the
// whole app stays under 250 MB resident (BenchmarkDeskMemoryEveryList).
const GoMemoryLimit = 128 << 20

// Config is how main starts the app.
type Config struct {
	// ServerURL prefills the login screen (flag -server) instead of the
	// address used last time.
	ServerURL string
	// Demo starts the embedded demo server and logs in as the demo
	// department right away (flag -demo).
	Demo    bool
	DemoDir string // "" = os.UserCacheDir()/TitleDesk/demo
	// CacheDir holds the client caches; "" = store.DefaultPath's directory.
	CacheDir string
	// Background runs the sync engine's loop after login (the desktop app
	// does; tests drive SyncNow themselves).
	Background bool
	// LogToFile writes the log to LogDir/titledesk.log, rotated, and makes
	// it the process's default logger (the desktop app; tests log elsewhere).
	LogToFile bool
	LogDir    string // "" = DefaultLogDir()
	Logger    *slog.Logger
	// Meta is FyneApp.toml (name, version, build), for 【关于】 and the log.
	Meta appmeta.Meta
}

// Credentials are what the login screen collects.
type Credentials struct {
	ServerURL string
	Username  string
	Password  string
	// PlainHTTPConfirmed: the person allowed this http:// server in 设置
	// (SEC-5); without it an http:// address other than loopback is refused.
	PlainHTTPConfirmed bool
}

// Aliases of the store's read models, so the UI need not import store.
type (
	DashboardData = store.Dashboard
	QueueRow      = store.QueueRow
)

// App is the running desktop app's services.
type App struct {
	cfg       Config
	Session   *Session
	Dashboard Dashboard
	Messages  Messages
	Units     Units

	Registrations Registrations
	Experts       Experts
	Statistics    Statistics
	Exports       Exports
	Settings      Settings
	// Viewer opens printed PDFs; tests replace it so none is launched.
	Viewer DocumentViewer
	// Reviews is 单位审核; Conflicts is 同步冲突.
	Reviews   *Reviews
	Conflicts Conflicts

	demoMu gosync.Mutex
	demo   *DemoServer

	logFile *applog.File // nil unless Config.LogToFile
}

// Open prepares the services. Nothing is started until the UI asks: the
// demo server starts on StartDemo, the cache opens on login.
func Open(cfg Config) (*App, error) {
	a := &App{cfg: cfg}
	if cfg.LogToFile && cfg.Logger == nil {
		a.startLog()
	}
	if a.cfg.Logger == nil {
		a.cfg.Logger = slog.Default()
	}
	cfg = a.cfg
	a.Session = newSession(cfg)
	a.Dashboard, a.Messages, a.Units = Dashboard{a.Session}, Messages{a.Session}, Units{a.Session}
	a.Registrations, a.Experts, a.Settings = Registrations{a.Session}, Experts{a.Session}, Settings{a.Session}
	a.Statistics, a.Exports, a.Viewer = Statistics{a}, Exports{a}, SystemViewer{}
	a.Reviews, a.Conflicts = &Reviews{s: a.Session, a: a}, Conflicts{a.Session}
	return a, nil
}

// DefaultServerURL prefills the login screen's server address.
func (a *App) DefaultServerURL() string { return a.cfg.ServerURL }

// DemoRequested reports whether the app was started with -demo.
func (a *App) DemoRequested() bool { return a.cfg.Demo }

// StartDemo starts the embedded demo server (once) and returns the demo
// department's credentials for it.
func (a *App) StartDemo(ctx context.Context) (Credentials, error) {
	a.demoMu.Lock()
	defer a.demoMu.Unlock()
	if a.demo == nil {
		d, err := StartDemo(ctx, DemoOptions{DataDir: a.cfg.DemoDir})
		if err != nil {
			a.cfg.Logger.Error("demo server", "err", err)
			return Credentials{}, &LoginError{Message: "演示服务器启动失败：" + Explain(err), Err: err}
		}
		a.demo = d
		// The demo's port changes every run; its cache is kept with its data.
		a.Session.pinCache(d.URL, d.CachePath())
	}
	return Credentials{ServerURL: a.demo.URL, Username: demo.DemoUsername, Password: demo.DemoPassword}, nil
}

// Close stops the sync loop, closes the cache and stops the demo server.
func (a *App) Close() error {
	err := a.Session.close()
	a.demoMu.Lock()
	defer a.demoMu.Unlock()
	if a.demo != nil {
		err = errors.Join(err, a.demo.Close())
		a.demo = nil
	}
	if a.logFile != nil {
		if err != nil {
			a.cfg.Logger.Error("close", "err", err)
		}
		a.cfg.Logger.Info("TitleDesk stopped")
		a.logFile.Close()
	}
	return err
}
