package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// newHeader is the strip above the navigation: who is logged in, and
// 【退出登录】. Logging out keeps the cache and its unsynced actions.
func (d *Desk) newHeader() (fyne.CanvasObject, *widget.Button) {
	me, _ := d.app.Session.Me()
	icon := canvas.NewImageFromResource(appIcon)
	icon.SetMinSize(fyne.NewSize(28, 28))
	icon.FillMode = canvas.ImageFillContain
	title := widget.NewLabelWithStyle("天津市专业技术人才职称评审信息系统", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who := widget.NewLabel(me.UnitName + " · " + me.PersonName)
	logout := widget.NewButtonWithIcon("退出登录", theme.LogoutIcon(), func() {
		d.run(func() func() {
			ctx, cancel := d.ctx()
			defer cancel()
			_ = d.app.Session.Logout(ctx) // a failed server call still logs out locally
			return d.ShowLogin
		})
	})
	return container.NewVBox(
		container.NewBorder(nil, nil, container.NewHBox(icon, title), container.NewHBox(who, logout)),
		widget.NewSeparator(),
	), logout
}
