package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// printSheets prints the 审核表 of ids into one PDF behind a progress
// dialog with 【取消】, then opens it like every printed PDF (openPrinted).
// done (may be nil) runs once the outcome is shown.
func (d *Desk) printSheets(ids []string, done func()) {
	if done == nil {
		done = func() {}
	}
	if len(ids) == 0 {
		done()
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
		printed, err := d.app.Reviews.PrintSheets(ctx, ids, func(n, total int) {
			d.post(func() {
				bar.SetValue(float64(n))
				note.SetText(fmt.Sprintf("正在生成审核表 %d/%d", n, total))
			})
		})
		return func() {
			dlg.Hide()
			switch {
			case errors.Is(err, context.Canceled):
				done() // the person cancelled: nothing to say
			case err != nil:
				d.showError(err)
				done()
			default:
				d.warnMissing(printed.Missing, func() { d.openPrinted(printed.Path, fmt.Sprintf(" %d 份审核表", len(ids)), done) }, done)
			}
		}
	})
}

// warnMissing names the characters the sheets print as □ before the PDF is
// opened for printing; then goes on, else cancel.
func (d *Desk) warnMissing(missing []rune, then, cancel func()) {
	if len(missing) == 0 {
		then()
		return
	}
	chars := make([]string, len(missing))
	for i, r := range missing {
		chars[i] = fmt.Sprintf("%c（U+%04X）", r, r)
	}
	proceed := false
	dd := d.newDecisionDialog(decisionSpec{
		title: "部分字符无法打印",
		about: "审核表中以下字符没有可用的字形，将打印为“□”：" + strings.Join(chars, "、") +
			"。可打印后在纸面上手写补正。是否仍然打开审核表？",
		ok: "仍然打开",
		submit: func(_ string, finish func(error)) {
			proceed = true
			finish(nil)
		},
	})
	dd.dlg.SetOnClosed(func() {
		if proceed {
			then()
		} else if cancel != nil {
			cancel()
		}
	})
	d.lastDialogText = dd.about.Text
}

// openPrinted opens a printed PDF in the system's viewer and then says
// where it is, with 【另存为…】 (DC-4) — the same for every print path, and
// the same when no viewer could open it (the file is there all the same).
func (d *Desk) openPrinted(path, what string, done func()) {
	d.run(func() func() {
		err := d.app.Reviews.OpenFile(path)
		return func() {
			d.showPrinted(path, what, err)
			if done != nil {
				done()
			}
		}
	})
}

// showPrinted says where the PDF is and offers 【另存为…】, so it can be kept
// where the person chooses (and reached when no viewer opened).
func (d *Desk) showPrinted(path, what string, openErr error) {
	msg := fmt.Sprintf("已生成%s，已在系统的 PDF 阅读器中打开，可从阅读器打印。", what)
	if openErr != nil {
		msg = fmt.Sprintf("已生成%s，但本机没有可以打开 PDF 文件的程序（请安装 PDF 阅读器）。"+
			"可点击【另存为…】保存到其他位置，再用其他电脑打开并打印。", what)
	}
	text := widget.NewLabel(msg + "\n文件位置：" + path)
	text.Wrapping = fyne.TextWrapWord
	var shown *infoDialog
	saveAs := infoButton("另存为…", func() {
		d.saveCopy(path, func() { shown.dlg.Hide() })
	}, &shown)
	shown = d.newInfoDialog("打印", "关闭", container.NewVBox(text, saveAs))
	shown.dlg.Resize(fyne.NewSize(min(520, d.win.Canvas().Size().Width-40), 0))
	shown.show()
	d.lastDialogText = text.Text
}

// saveCopy is 【另存为…】: the app's Chinese chooser proposes the printed
// file's own (already safe) name in the folder last saved to.
func (d *Desk) saveCopy(path string, saved func()) {
	d.chooseSaveFile(filepath.Base(path), func(w fyne.URIWriteCloser) {
		d.run(func() func() {
			err := d.app.Reviews.SaveCopy(w, path)
			return func() {
				if err != nil {
					d.showError(err)
					return
				}
				saved()
			}
		})
	})
}
