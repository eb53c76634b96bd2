package ui

import (
	"fmt"
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

// aboutDialog is 【关于】: version and build, where this computer keeps the
// data and the logs, 【打开日志目录】 and 【复制信息】 for a support call.
type aboutDialog struct {
	dlg     *dialog.CustomDialog
	info    app.About
	openLog *widget.Button
	copy    *widget.Button
	note    *widget.Label
}

// aboutLines are the rows the dialog shows and 【复制信息】 copies.
func aboutLines(ab app.About) [][2]string {
	data := ab.CacheDir
	if ab.CacheFile != "" {
		data = ab.CacheFile
	}
	log := ab.LogDir
	if ab.LogFile != "" {
		log = ab.LogFile
	}
	return [][2]string{
		{"版本", ab.Version},
		{"构建", fmt.Sprintf("%d（%s）", ab.Build, ab.BuildInfo)},
		{"本地数据", data},
		{"演示数据", ab.DemoDir},
		{"日志文件", log},
	}
}

func (d *Desk) showAbout() *aboutDialog {
	a := &aboutDialog{info: d.app.About(), note: widget.NewLabel("")}
	a.note.Wrapping = fyne.TextWrapBreak
	a.note.Hide()
	icon := canvas.NewImageFromResource(appIcon)
	icon.SetMinSize(fyne.NewSize(56, 56))
	icon.FillMode = canvas.ImageFillContain
	name := widget.NewLabelWithStyle(a.info.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	sub := widget.NewLabel("天津市专业技术人才职称评审信息系统 · 职称业务主管部门客户端")
	sub.Wrapping = fyne.TextWrapWord

	rows := []fyne.CanvasObject{}
	for _, l := range aboutLines(a.info) {
		v := widget.NewLabel(l[1])
		v.Wrapping = fyne.TextWrapBreak // long paths break anywhere
		v.Selectable = true
		rows = append(rows, widget.NewLabelWithStyle(l[0], fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), v)
	}
	fonts := widget.NewLabel("界面与PDF字体：文泉驿微米黑（Apache-2.0）；PDF生僻字（CJK扩展A/B区）：花园明朝（GlyphWiki，花园字体许可）")
	fonts.SizeName = theme.SizeNameCaptionText
	fonts.Wrapping = fyne.TextWrapBreak

	a.openLog = widget.NewButtonWithIcon("打开日志目录", theme.FolderOpenIcon(), func() {
		if err := d.app.OpenLogDir(); err != nil {
			showNote(a.note, app.Explain(err), true)
		}
	})
	a.copy = widget.NewButtonWithIcon("复制信息", theme.ContentCopyIcon(), func() {
		d.fyne.Clipboard().SetContent(a.text())
		showNote(a.note, "已复制，可粘贴给技术支持人员", false)
	})
	body := container.NewVBox(
		container.NewBorder(nil, nil, icon, nil, container.NewVBox(name, sub)),
		widget.NewSeparator(),
		container.New(layout.NewFormLayout(), rows...),
		fonts, a.note,
	)
	info := d.newInfoDialog("关于", "关闭", container.NewVScroll(body))
	a.dlg = info.dlg
	a.dlg.SetButtons([]fyne.CanvasObject{a.openLog, a.copy, info.close})
	// fits 1024×600 at 100 % and 1366×768 at 125 %
	a.dlg.Resize(fyne.NewSize(620, 440))
	info.show()
	return a
}

// text is the dialog's content as plain lines.
func (a *aboutDialog) text() string {
	var b strings.Builder
	b.WriteString(a.info.Name + "\n")
	for _, l := range aboutLines(a.info) {
		b.WriteString(l[0] + "：" + l[1] + "\n")
	}
	return b.String()
}
