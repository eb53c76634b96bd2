package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// prefTheme holds the theme choice: one of themeChoices' keys.
const prefTheme = "ui.theme"

// themeChoices in the order 设置 offers them; "" follows the system.
var themeChoices = []struct{ key, label string }{{"", "跟随系统"}, {"light", "浅色"}, {"dark", "深色"}}

// applyThemeChoice sets the theme the person chose (read once at start and
// on each change).
func applyThemeChoice(fa fyne.App) {
	t := deskTheme{}
	switch fa.Preferences().String(prefTheme) {
	case "light":
		v := theme.VariantLight
		t.forced = &v
	case "dark":
		v := theme.VariantDark
		t.forced = &v
	}
	fa.Settings().SetTheme(t)
}

// settingsScreen is 设置: the server, the theme, the local cache and 关于.
type settingsScreen struct {
	d        *Desk
	server   *widget.Label
	user     *widget.Label
	themes   *widget.RadioGroup
	path     *widget.Entry
	size     *widget.Label
	pending  *widget.Label
	clear    *widget.Button
	note     *widget.Label
	clearUI  *decisionDialog // the confirmation last opened, for tests
	about    *widget.Button
	aboutDlg *aboutDialog // the open 【关于】, for tests
	content  fyne.CanvasObject
}

func (d *Desk) newSettingsScreen() *settingsScreen {
	s := &settingsScreen{d: d, server: widget.NewLabel("—"), user: widget.NewLabel("—"),
		size: widget.NewLabel("—"), pending: widget.NewLabel("—")}
	s.server.Wrapping = fyne.TextWrapBreak
	labels := make([]string, len(themeChoices))
	current := d.fyne.Preferences().String(prefTheme)
	for i, c := range themeChoices {
		labels[i] = c.label
	}
	s.themes = widget.NewRadioGroup(labels, nil)
	s.themes.Horizontal = true
	s.themes.Required = true
	for _, c := range themeChoices {
		if c.key == current {
			s.themes.SetSelected(c.label)
		}
	}
	s.themes.OnChanged = func(label string) {
		for _, c := range themeChoices {
			if c.label == label {
				d.fyne.Preferences().SetString(prefTheme, c.key)
			}
		}
		applyThemeChoice(d.fyne)
	}
	s.path = widget.NewEntry()
	s.path.Disable() // shown to copy, not to edit
	s.clear = widget.NewButtonWithIcon("清除本地缓存", theme.DeleteIcon(), s.clearClicked)
	s.clear.Importance = widget.DangerImportance
	s.clear.Disable()
	s.note = widget.NewLabel("")
	s.note.Wrapping = fyne.TextWrapWord
	s.note.Hide()

	form := func(rows ...fyne.CanvasObject) *fyne.Container { return container.New(layout.NewFormLayout(), rows...) }
	key := func(text string) *widget.Label {
		return widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	}
	serverCard := widget.NewCard("服务器", "", form(key("服务器地址"), s.server, key("当前用户"), s.user))
	themeCard := widget.NewCard("外观", "", form(key("主题"), s.themes))
	clearHint := widget.NewLabel("清除后需要联网重新登录并重新下载数据。有未同步的操作或未处理的同步冲突时不能清除。")
	clearHint.Wrapping = fyne.TextWrapWord
	clearHint.SizeName = theme.SizeNameCaptionText
	cacheCard := widget.NewCard("本地缓存", "", container.NewVBox(
		form(key("位置"), s.path, key("大小"), s.size, key("未同步"), s.pending),
		clearHint, container.NewHBox(layout.NewSpacer(), s.clear)))
	ab := d.app.About()
	about := widget.NewLabel(fmt.Sprintf("%s %s（构建 %d）", ab.Name, ab.Version, ab.Build))
	about.Wrapping = fyne.TextWrapWord
	s.about = widget.NewButtonWithIcon("关于", theme.InfoIcon(), func() { s.aboutDlg = d.showAbout() })
	aboutCard := widget.NewCard("关于", "", container.NewBorder(nil, nil, nil, s.about, about))
	s.content = container.NewBorder(container.NewVBox(screenHeading("设置"), s.note), nil, nil, nil,
		container.NewVScroll(container.NewVBox(serverCard, d.transportCard(), themeCard, cacheCard, aboutCard)))
	s.load()
	return s
}

func (s *settingsScreen) load() {
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		info, err := s.d.app.Settings.Info(ctx)
		return func() {
			if err != nil {
				s.say("读取缓存信息失败："+app.Explain(err), true)
				return
			}
			s.server.SetText(info.ServerURL)
			s.user.SetText(info.Username)
			s.path.SetText(info.Path)
			s.size.SetText(app.HumanSize(info.Bytes))
			s.pending.SetText(fmt.Sprintf("待同步 %d 条，同步冲突 %d 条", info.Pending, info.Conflicts))
			if info.Pending > 0 || info.Conflicts > 0 {
				s.clear.Disable()
			} else {
				s.clear.Enable()
			}
		}
	})
}

func (s *settingsScreen) say(msg string, bad bool) { showNote(s.note, msg, bad) }

// clearClicked asks first; clearing logs out and returns to the login screen.
func (s *settingsScreen) clearClicked() {
	s.clearUI = s.d.newDecisionDialog(decisionSpec{
		title: "清除本地缓存",
		about: "确定清除本机缓存的全部数据并退出登录吗？下次登录时将重新从服务器下载数据。",
		ok:    "清除",
		submit: func(_ string, finish func(error)) {
			s.d.run(func() func() {
				ctx, cancel := s.d.ctx()
				defer cancel()
				err := s.d.app.Settings.ClearCache(ctx)
				return func() {
					finish(err)
					if err != nil {
						s.say(app.Explain(err), true)
						s.load()
						return
					}
					s.d.ShowLogin()
				}
			})
		},
	})
}
