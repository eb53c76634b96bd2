// Package ui is TitleDesk's Fyne front end: one file per screen plus the
// theme. It only draws and reacts; everything else is a call into app/.
// Only the UI goroutine touches widgets: background work hands its result
// back through Desk.post (fyne.Do).
package ui

import (
	"context"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"titledesk/app"
	"titledesk/internal/appmeta"
)

// AppID is the Fyne application ID (FyneApp.toml); preferences live under it.
const AppID = "cn.gov.tj.titledesk"

// windowTitle is the title of the main window (xdotool finds it by name).
const windowTitle = "TitleDesk 职称审核"

// Desk is the running front end: one window whose content is the login
// screen or the main screen.
type Desk struct {
	fyne fyne.App
	app  *app.App
	win  fyne.Window

	// run does work off the UI goroutine and applies the UI closure it
	// returns on the UI goroutine; post applies a UI closure from any
	// goroutine. Tests replace both to run in order on the test goroutine.
	run  func(work func() (apply func()))
	post func(apply func())
	// after applies f on the UI goroutine once delay has passed (arming
	// decision buttons); tests replace it with their own clock.
	after func(delay time.Duration, f func())

	login *loginScreen // the login screen last shown
	main  *mainScreen  // nil while the login screen shows
	// autoDemo: started with -demo; the first login screen starts the demo
	// at once (later ones, after 【退出登录】, wait for the person).
	autoDemo bool
	// lastLogin prefills the login screen after 【退出登录】 (no password).
	lastLogin app.Credentials

	// openDue: the next review list built opens with 临近截止 ticked
	// (首页's deadline card links to it, BEY-6).
	openDue bool

	// saveFile, if set, replaces the file-save dialog of exports (tests).
	saveFile func(name string, then func(w fyne.URIWriteCloser))

	// infos are the open info dialogs (Esc closes the top one);
	// escListening: the canvas's Esc handler is installed.
	infos        []*infoDialog
	escListening bool

	// marks are the controls named in the UI map (nil: the map is off).
	marks map[string]fyne.CanvasObject

	// What tests look at after an action opened a dialog.
	lastUnitForm      *unitForm
	lastDialogText    string
	lastExport        *exportState
	lastExportOptions *exportOptions
	lastReasons       *returnReasonsDialog
}

// Run starts the desktop app and blocks until its window closes. err is a
// failure of app.Open, shown to the person instead of the login screen.
func Run(a *app.App, err error) {
	fa := fyneapp.NewWithID(AppID)
	// fyne package loses -ldflags on its second build; the release scripts
	// pass the commit as metadata instead (fyne package --metadata Commit=…).
	if c := fa.Metadata().Custom["Commit"]; c != "" && appmeta.Commit == "" {
		appmeta.Commit = c
	}
	d := New(fa, a)
	if path := os.Getenv(uiMapEnv); path != "" {
		d.startUIMap(path)
	}
	if err != nil {
		d.showFatal(err)
	} else {
		d.ShowLogin()
	}
	d.win.ShowAndRun()
	if a != nil {
		if err := a.Close(); err != nil {
			slog.Error("close", "err", err)
		}
	}
}

// New builds the front end on fa without showing it.
func New(fa fyne.App, a *app.App) *Desk {
	applyThemeChoice(fa) // 设置 › 主题, following the system by default
	fa.SetIcon(appIcon)
	d := &Desk{fyne: fa, app: a, post: fyne.Do, after: afterFunc, autoDemo: a != nil && a.DemoRequested()}
	d.run = func(work func() func()) {
		go func() { fyne.Do(work()) }()
	}
	d.win = fa.NewWindow(windowTitle)
	d.win.SetIcon(appIcon)
	restoreWindowSize(fa, d.win)
	d.win.SetCloseIntercept(func() {
		saveWindowSize(fa, d.win)
		d.win.Close()
	})
	return d
}

// Window is the desk's only window.
func (d *Desk) Window() fyne.Window { return d.win }

// ctx bounds one call the person started; the slowest is a first sync.
func (d *Desk) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 10*time.Minute)
}
