package ui

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// printSheets prints the 审核表 of ids into one PDF behind a progress
// dialog with 【取消】, then opens it in the system viewer (DC-4).
func (d *Desk) printSheets(ids []string) {
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	bar.Max = float64(len(ids))
	note := widget.NewLabel(fmt.Sprintf("正在生成审核表 0/%d", len(ids)))
	stop := widget.NewButton("取消", cancel)
	dlg := dialog.NewCustomWithoutButtons("打印审核表", container.NewVBox(note, bar), d.win)
	dlg.SetButtons([]fyne.CanvasObject{stop})
	dlg.Resize(fyne.NewSize(420, 160))
	dlg.Show()
	d.run(func() func() {
		defer cancel()
		path, err := d.app.Reviews.PrintSheets(ctx, ids, func(done, total int) {
			d.post(func() {
				bar.SetValue(float64(done))
				note.SetText(fmt.Sprintf("正在生成审核表 %d/%d", done, total))
			})
		})
		if err == nil {
			err = d.app.Reviews.OpenFile(path)
		}
		return func() {
			dlg.Hide()
			switch {
			case errors.Is(err, context.Canceled):
				// The person cancelled: nothing to say.
			case err != nil:
				d.showError(err)
			}
		}
	})
}
