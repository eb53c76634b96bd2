package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// infoDialog is a dialog the person reads rather than decides in (导出完成,
// 打印, 提示, 消息通知, 经办流程 …). Its one closing button (【关闭】, 【确定】
// or 【知道了】) is focused and chosen by Esc, Enter and Return; Esc also
// closes it when nothing in it has the focus, and Esc on one of its other
// buttons (【打开】, 【另存为…】) closes it instead of pressing them. Nothing
// a key does in it starts an action.
type infoDialog struct {
	dlg     *dialog.CustomDialog
	close   *defaultButton
	overlay fyne.CanvasObject // the dialog's pop-up on the canvas, once shown
	d       *Desk
}

// newInfoDialog builds the dialog; content's buttons made with
// infoButton close it on Esc too. Call show.
func (d *Desk) newInfoDialog(title, dismiss string, content fyne.CanvasObject) *infoDialog {
	i := &infoDialog{d: d}
	i.close = newDefaultButton(dismiss, func() { i.dlg.Hide() })
	i.dlg = dialog.NewCustomWithoutButtons(title, content, d.win)
	i.dlg.SetButtons([]fyne.CanvasObject{i.close})
	i.dlg.SetOnClosed(func() {
		d.infos = slices.DeleteFunc(d.infos, func(o *infoDialog) bool { return o == i })
	})
	return i
}

// show opens the dialog with its closing button focused.
func (i *infoDialog) show() {
	c := i.d.win.Canvas()
	i.dlg.Show()
	i.overlay = c.Overlays().Top()
	i.d.infos = append(i.d.infos, i)
	i.d.listenEscape()
	c.Focus(i.close)
}

// escButton is a button in an infoDialog's content: Esc on it closes the
// dialog (close) rather than doing nothing or pressing it.
type escButton struct {
	widget.Button
	esc func()
}

// infoButton makes a button of an infoDialog's content; i may be set
// after (the button is made before the dialog that holds it).
func infoButton(label string, tapped func(), i **infoDialog) *escButton {
	b := &escButton{esc: func() {
		if *i != nil {
			(*i).dlg.Hide()
		}
	}}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *escButton) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		b.esc()
		return
	}
	b.Button.TypedKey(ev)
}

// listenEscape makes Esc with nothing focused close the info dialog on
// top of the window (a click on its text leaves nothing focused).
func (d *Desk) listenEscape() {
	c := d.win.Canvas()
	if d.escListening {
		return
	}
	d.escListening = true
	prev := c.OnTypedKey()
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape && len(d.infos) > 0 {
			top := c.Overlays().Top()
			for _, i := range d.infos {
				if i.overlay != nil && i.overlay == top {
					i.dlg.Hide()
					return
				}
			}
		}
		if prev != nil {
			prev(ev)
		}
	})
}
