package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// prefPlainHTTP lists, one per line, the http:// servers (host:port) the
// person allowed in 设置 despite the missing encryption (SEC-5).
const prefPlainHTTP = "net.plain_http_servers"

func plainHTTPAllowed(p fyne.Preferences) []string {
	var out []string
	for _, h := range strings.Split(p.String(prefPlainHTTP), "\n") {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}

func setPlainHTTPAllowed(p fyne.Preferences, hosts []string) {
	p.SetString(prefPlainHTTP, strings.Join(hosts, "\n"))
}

// confirmPlainHTTP is the 设置 dialog that allows one http:// server: it
// says what is at risk, and 【允许】 stays disabled until the person ticks
// that the server is on a trusted internal network. allowed runs after
// the choice is saved.
func (d *Desk) confirmPlainHTTP(host string, allowed func()) dialog.Dialog {
	why := widget.NewLabel("服务器 " + host + " 使用未加密的 http:// 连接。用户名、密码和申报人的身份证号等个人信息" +
		"会以明文经过网络，同一网络中的他人可能截获或篡改。建议向市职称办索取 https:// 开头的地址。\n" +
		"只有在该服务器位于受信任的单位内部网络时才应允许。之后可在【设置】的“连接安全”中撤销。")
	why.Wrapping = fyne.TextWrapWord
	var dlg dialog.Dialog
	allow := widget.NewButton("允许", func() {
		p := d.fyne.Preferences()
		hosts := plainHTTPAllowed(p)
		if !slices.Contains(hosts, host) {
			setPlainHTTPAllowed(p, append(hosts, host))
		}
		dlg.Hide()
		allowed()
	})
	allow.Importance = widget.DangerImportance
	allow.Disable()
	sure := widget.NewCheck("我确认该服务器位于受信任的内部网络，允许以未加密方式连接", func(on bool) {
		if on {
			allow.Enable()
		} else {
			allow.Disable()
		}
	})
	cancel := widget.NewButton("取消", func() { dlg.Hide() })
	body := container.NewVBox(why, sure, container.NewGridWithColumns(2, cancel, allow))
	dlg = dialog.NewCustomWithoutButtons("设置 · 允许未加密连接", container.NewGridWrap(fyne.NewSize(440, 230), body), d.win)
	dlg.Show()
	return dlg
}

// transportCard is 设置's 连接安全: the http:// servers allowed, each with
// 【撤销】.
func (d *Desk) transportCard() *widget.Card {
	list := container.NewVBox()
	var refresh func()
	refresh = func() {
		list.RemoveAll()
		hosts := plainHTTPAllowed(d.fyne.Preferences())
		if len(hosts) == 0 {
			list.Add(widget.NewLabel("只使用加密连接（https://）；本机地址（演示模式）除外。"))
		}
		for _, h := range hosts {
			revoke := widget.NewButton("撤销", func() {
				setPlainHTTPAllowed(d.fyne.Preferences(), slices.DeleteFunc(plainHTTPAllowed(d.fyne.Preferences()),
					func(x string) bool { return x == h }))
				refresh()
			})
			list.Add(container.NewBorder(nil, nil, nil, revoke, widget.NewLabel("已允许未加密连接："+h)))
		}
		list.Refresh()
	}
	refresh()
	return widget.NewCard("连接安全", "", list)
}
