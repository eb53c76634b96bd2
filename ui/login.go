package ui

import (
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// loginScreen is ACC-2: server address, username, password; 【登录】 online,
// 【离线登录】 when the server cannot be reached, 【演示模式】.
type loginScreen struct {
	d        *Desk
	server   *widget.Entry
	username *widget.Entry
	password *widget.Entry
	login    *widget.Button
	offline  *widget.Button
	demo     *widget.Button
	about    *widget.Button
	message  *widget.Label
	progress *widget.ProgressBarInfinite
	// plainHTTP is the open 设置 dialog allowing an http:// server (tests).
	plainHTTP dialog.Dialog
	content   fyne.CanvasObject
}

// ShowLogin puts the login screen in the window.
func (d *Desk) ShowLogin() {
	d.stopMain()
	s := d.newLoginScreen()
	d.login = s
	d.win.SetContent(s.content)
	if s.server.Text == "" {
		d.win.Canvas().Focus(s.server)
	} else if s.username.Text == "" {
		d.win.Canvas().Focus(s.username)
	} else {
		d.win.Canvas().Focus(s.password)
	}
	if d.autoDemo {
		d.autoDemo = false
		s.startDemo()
	}
}

func (d *Desk) newLoginScreen() *loginScreen {
	p := d.fyne.Preferences()
	s := &loginScreen{d: d}
	s.server = widget.NewEntry()
	s.server.SetPlaceHolder("例如 https://zc.rsj.tj.gov.cn")
	s.server.SetText(p.String(prefServerURL))
	if u := d.app.DefaultServerURL(); u != "" { // -server on the command line wins
		s.server.SetText(u)
	}
	s.username = widget.NewEntry()
	s.username.SetPlaceHolder("用户名")
	s.username.SetText(p.String(prefUsername))
	if d.lastLogin.ServerURL != "" { // back after 【退出登录】: the same server and user
		s.server.SetText(d.lastLogin.ServerURL)
		s.username.SetText(d.lastLogin.Username)
	}
	s.password = widget.NewPasswordEntry()
	s.password.SetPlaceHolder("密码")
	for _, e := range []*widget.Entry{s.server, s.username, s.password} {
		e.OnSubmitted = func(string) { s.submit(false) } // Enter logs in from any field
	}

	s.login = widget.NewButton("登录", func() { s.submit(false) })
	s.login.Importance = widget.HighImportance
	s.offline = widget.NewButton("离线登录", func() { s.submit(true) })
	s.offline.Hide()
	s.demo = widget.NewButton("演示模式", s.startDemo)
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.Importance = widget.DangerImportance
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()

	form := widget.NewForm(
		widget.NewFormItem("服务器地址", s.server),
		widget.NewFormItem("用户名", s.username),
		widget.NewFormItem("密码", s.password),
	)
	title := canvas.NewText("天津市专业技术人才职称评审信息系统", theme.Color(theme.ColorNameForeground))
	title.TextSize = theme.TextSize() * 1.6
	title.Alignment = fyne.TextAlignCenter
	subtitle := widget.NewLabelWithStyle("职称业务主管部门 · 审核桌面端", fyne.TextAlignCenter, fyne.TextStyle{})
	icon := canvas.NewImageFromResource(appIcon)
	icon.SetMinSize(fyne.NewSize(72, 72))
	icon.FillMode = canvas.ImageFillContain

	buttons := container.NewGridWithColumns(2, s.demo, s.login)
	// 【关于】 before login too: version and log folder for a support call
	s.about = widget.NewButtonWithIcon("关于", theme.InfoIcon(), func() { d.showAbout() })
	s.about.Importance = widget.LowImportance
	box := container.NewVBox(
		container.NewCenter(icon), title, subtitle, widget.NewSeparator(),
		form, buttons, s.offline, s.progress, s.message,
		container.NewHBox(layout.NewSpacer(), s.about),
	)
	card := container.NewGridWrap(fyne.NewSize(460, 520), box)
	s.content = container.NewCenter(card)
	return s
}

// submit logs in online, or unlocks the cache offline.
func (s *loginScreen) submit(offline bool) {
	c := app.Credentials{
		ServerURL: strings.TrimSpace(s.server.Text),
		Username:  strings.TrimSpace(s.username.Text),
		Password:  s.password.Text,
	}
	c.PlainHTTPConfirmed = slices.Contains(plainHTTPAllowed(s.d.fyne.Preferences()), app.PlainHTTPHost(c.ServerURL))
	switch {
	case c.ServerURL == "":
		s.fail("请填写服务器地址", false)
		return
	case c.Username == "":
		s.fail("请填写用户名", false)
		return
	case c.Password == "":
		s.fail("请填写密码", false)
		return
	}
	s.busy(map[bool]string{false: "正在登录并同步数据…", true: "正在打开本机缓存…"}[offline])
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		var err error
		if offline {
			err = s.d.app.Session.Unlock(ctx, c)
		} else {
			err = s.d.app.Session.Login(ctx, c)
		}
		return func() { s.done(c, err) }
	})
}

// startDemo starts the embedded demo server and logs in as the demo department.
func (s *loginScreen) startDemo() {
	s.busy("正在启动演示服务器并同步演示数据，首次约需半分钟…")
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		c, err := s.d.app.StartDemo(ctx)
		if err == nil {
			err = s.d.app.Session.Login(ctx, c)
		}
		return func() {
			if err == nil {
				s.d.lastLogin = app.Credentials{ServerURL: c.ServerURL, Username: c.Username}
			}
			s.done(app.Credentials{}, err)
		}
	})
}

func (s *loginScreen) busy(msg string) {
	s.message.Importance = widget.MediumImportance
	s.message.SetText(msg)
	s.offline.Hide()
	for _, b := range []*widget.Button{s.login, s.demo, s.offline} {
		b.Disable()
	}
	s.progress.Show()
	s.progress.Start()
}

// done shows the result of a login attempt: the main screen, or why not.
func (s *loginScreen) done(c app.Credentials, err error) {
	s.progress.Stop()
	s.progress.Hide()
	for _, b := range []*widget.Button{s.login, s.demo, s.offline} {
		b.Enable()
	}
	if err != nil {
		var le *app.LoginError
		s.fail(app.Explain(err), errors.As(err, &le) && le.OfflinePossible)
		if le != nil && le.PlainHTTP != "" { // SEC-5: the person may allow it in 设置, then it logs in
			s.plainHTTP = s.d.confirmPlainHTTP(le.PlainHTTP, func() { s.submit(false) })
		}
		return
	}
	if c.ServerURL != "" { // remembered for next time; the demo's port is not worth keeping
		p := s.d.fyne.Preferences()
		p.SetString(prefServerURL, c.ServerURL)
		p.SetString(prefUsername, c.Username)
		s.d.lastLogin = app.Credentials{ServerURL: c.ServerURL, Username: c.Username}
	}
	s.password.SetText("")
	s.d.showMain()
}

func (s *loginScreen) fail(msg string, offerOffline bool) {
	s.message.Importance = widget.DangerImportance
	s.message.SetText(msg)
	if offerOffline {
		s.offline.Show()
	} else {
		s.offline.Hide()
	}
}

// showFatal replaces the window content with an error that stops the app
// from starting (e.g. the demo server could not open its data).
func (d *Desk) showFatal(err error) {
	msg := widget.NewLabel("TitleDesk 无法启动：" + app.Explain(err))
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	d.win.SetContent(container.NewBorder(nil, nil, nil, nil,
		container.New(layout.NewCenterLayout(), container.NewGridWrap(fyne.NewSize(480, 120), msg))))
}
