package app

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"

	"titledesk/internal/applog"
	"titledesk/internal/appmeta"
	"titledesk/model"
	"titledesk/store"
)

// LogFileName is the desktop app's log in LogDir (rotated beside it as
// titledesk-<time>.log).
const LogFileName = "titledesk.log"

// DefaultLogDir is where the desktop app logs, per user and on the local
// disk (never the roaming profile a domain PC copies to a server):
//
//	Windows  %LOCALAPPDATA%\TitleDesk\logs
//	macOS    ~/Library/Logs/TitleDesk
//	Linux    $XDG_STATE_HOME/TitleDesk/logs (~/.local/state/…; the XDG
//	         base-directory spec puts logs under state)
func DefaultLogDir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "TitleDesk", "logs"), nil
		}
		d, err := os.UserCacheDir() // %LocalAppData% too
		return filepath.Join(d, "TitleDesk", "logs"), err
	case "darwin":
		home, err := os.UserHomeDir()
		return filepath.Join(home, "Library", "Logs", "TitleDesk"), err
	}
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "TitleDesk", "logs"), nil
	}
	home, err := os.UserHomeDir()
	return filepath.Join(home, ".local", "state", "TitleDesk", "logs"), err
}

// startLog opens the rotating log file (Config.LogToFile) and makes it the
// process's default logger, so the standard log package — Fyne's own
// messages — lands there too, through the same redaction.
func (a *App) startLog() {
	dir := a.cfg.LogDir
	var err error
	if dir == "" {
		if dir, err = DefaultLogDir(); err != nil {
			slog.Warn("no log folder", "err", err)
			return
		}
	}
	f, err := applog.OpenFile(dir, LogFileName)
	if err != nil {
		slog.Warn("no log file; logging to stderr only", "err", err)
		a.cfg.Logger = applog.New(os.Stderr, slog.LevelInfo)
		return
	}
	a.logFile = f
	a.cfg.Logger = applog.New(io.MultiWriter(f, os.Stderr), slog.LevelInfo)
	slog.SetDefault(a.cfg.Logger)
	b := appmeta.Running()
	a.cfg.Logger.Info("TitleDesk starting", "version", a.cfg.Meta.Version, "build", a.cfg.Meta.Build,
		"commit", b.Commit, "go", b.Go, "target", b.Target, "demo", a.cfg.Demo)
}

// About is what 【关于】 shows: which program this is and where it keeps
// its files on this computer.
type About struct {
	Name      string // "TitleDesk 职称审核"
	Version   string // "0.1.0"
	Build     int    // FyneApp.toml's build number
	BuildInfo string // "a1b2c3d4e5f6 · go1.26.8 · windows/amd64"
	CacheDir  string // the folder of every user's cache (one file per server and user)
	CacheFile string // the logged-in user's cache, "" before login
	DemoDir   string // 演示模式's server and cache
	LogDir    string
	LogFile   string // "" when no log file could be opened
}

// About reads the version, the build and the locations.
func (a *App) About() About {
	ab := About{Name: a.cfg.Meta.Name, Version: a.cfg.Meta.Version, Build: a.cfg.Meta.Build,
		BuildInfo: appmeta.Running().String()}
	if ab.Name == "" {
		ab.Name = "TitleDesk 职称审核"
	}
	if p, err := store.DefaultPath("", ""); err == nil {
		ab.CacheDir = filepath.Dir(p)
	}
	if a.cfg.CacheDir != "" {
		ab.CacheDir = a.cfg.CacheDir
	}
	if _, st, err := a.Session.current(); err == nil {
		ab.CacheFile = st.Path()
	}
	ab.DemoDir = a.cfg.DemoDir
	if ab.DemoDir == "" {
		if d, err := os.UserCacheDir(); err == nil {
			ab.DemoDir = filepath.Join(d, "TitleDesk", "demo")
		}
	}
	ab.LogDir = a.cfg.LogDir
	if ab.LogDir == "" {
		ab.LogDir, _ = DefaultLogDir()
	}
	if a.logFile != nil {
		ab.LogFile = a.logFile.Path
	}
	return ab
}

// OpenLogDir shows the log folder in the system's file manager (【打开日志目录】),
// creating it if nothing was logged yet.
func (a *App) OpenLogDir() error {
	dir := a.About().LogDir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("log folder: %w", err)
	}
	if err := a.Viewer.Open(dir); err != nil {
		return &model.Error{Kind: model.KindInvalid, Code: "viewer", Title: "无法打开日志目录",
			Detail: "没有找到可以打开文件夹的程序，日志目录在：" + dir}
	}
	return nil
}
