package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

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
		var openErr error
		if err == nil {
			openErr = d.app.Reviews.OpenFile(path)
		}
		return func() {
			dlg.Hide()
			switch {
			case errors.Is(err, context.Canceled):
				// The person cancelled: nothing to say.
			case err != nil:
				d.showError(err)
			default:
				d.showPrinted(path, len(ids), openErr)
			}
		}
	})
}

// showPrinted says where the PDF is and offers 【另存为…】, so the sheets
// can be kept where the person chooses (and reached when no viewer opened).
func (d *Desk) showPrinted(path string, n int, openErr error) {
	msg := fmt.Sprintf("已生成 %d 份审核表，已在系统的 PDF 阅读器中打开。", n)
	if openErr != nil {
		msg = fmt.Sprintf("已生成 %d 份审核表，但未能打开 PDF 阅读器。", n)
	}
	text := widget.NewLabel(msg + "\n文件位置：" + path)
	text.Wrapping = fyne.TextWrapWord
	var done *dialog.CustomDialog
	saveAs := widget.NewButton("另存为…", func() {
		save := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				return
			}
			d.run(func() func() {
				err := d.app.Reviews.SaveCopy(w, path)
				return func() {
					if err != nil {
						d.showError(err)
						return
					}
					done.Hide()
				}
			})
		}, d.win)
		save.SetFileName(filepath.Base(path))
		save.Show()
	})
	done = dialog.NewCustom("打印审核表", "关闭", container.NewVBox(text, saveAs), d.win)
	done.Resize(fyne.NewSize(480, 200))
	done.Show()
	d.lastDialogText = text.Text
}
