package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// showMessage shows one message of 消息通知 (HOME-3).
func (d *Desk) showMessage(m model.Message) {
	title := widget.NewLabelWithStyle(m.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	meta := widget.NewLabel("发送单位：" + m.SenderName + "    发送时间：" + m.SentAt.Local().Format("2006-01-02 15:04"))
	meta.SizeName = theme.SizeNameCaptionText
	body := widget.NewLabel(m.Body)
	body.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(container.NewVBox(title, meta, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(body))
	dlg := d.newInfoDialog("消息通知", "关闭", content)
	dlg.dlg.Resize(fyne.NewSize(620, 420))
	d.lastDialogText = m.Body
	dlg.show()
}

// showError tells the person what went wrong, in Chinese.
func (d *Desk) showError(err error) {
	l := widget.NewLabel(app.Explain(err))
	l.Wrapping = fyne.TextWrapWord
	dlg := d.newInfoDialog("提示", "确定", container.NewGridWrap(fyne.NewSize(380, 80), l))
	d.lastDialogText = l.Text
	dlg.show()
}

// showNotice tells the person about something that happened to their data
// (Status.Notice): what it was and what to do, in Chinese.
func (d *Desk) showNotice(text string) {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	dlg := d.newInfoDialog("数据提示", "知道了", container.NewGridWrap(fyne.NewSize(460, 120), l))
	d.lastDialogText = l.Text
	dlg.show()
}
