package ui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// Exports (STAT-2): the person chooses where the file goes, the file is
// written off the UI goroutine behind a progress dialog with 【取消】, and
// a cancelled or failed export leaves no file behind.

// exportWork writes an export to w, reporting progress; it returns the
// number of rows written.
type exportWork func(ctx context.Context, w io.Writer, progress app.Progress) (int, error)

// exportSays is what 导出完成 says besides the file: unit counts the rows
// (people count 人, e.g. a list of applicants or a roster; other rows, a
// statistics table's lines, count 条), note adds a line (e.g. that a
// full-ID export waits for the next sync to reach the audit log).
type exportSays struct{ unit, note string }

var (
	countPeople = exportSays{unit: "人"}
	countRows   = exportSays{unit: "条"}
)

// peopleExport is what 导出完成 says of a list of people exported with opt.
func peopleExport(opt app.ExportOptions) exportSays {
	s := countPeople
	if opt.FullIDNumbers {
		s.note = app.FullIDExportedNote
	}
	return s
}

// chooseSaveFile asks where to save a file named name (the app's Chinese
// chooser, in the folder last saved to) and hands the open writer on
// (nothing when the person cancels). Tests replace it.
func (d *Desk) chooseSaveFile(name string, then func(w fyne.URIWriteCloser)) {
	if d.saveFile != nil {
		d.saveFile(name, then)
		return
	}
	var exts []string
	if ext := strings.ToLower(filepath.Ext(name)); ext != "" {
		exts = []string{ext}
	}
	d.chooseSavePath("保存", name, exts, func(path string) {
		w, err := storage.Writer(storage.NewFileURI(path))
		if err != nil {
			d.showError(err)
			return
		}
		then(w)
	})
}

// export asks for the file, then runs work behind a progress dialog;
// says is what 导出完成 then says of the rows.
func (d *Desk) export(title string, says exportSays, format app.ExportFormat, work exportWork) {
	d.chooseSaveFile(app.ExportName(title, format, time.Now()), func(w fyne.URIWriteCloser) {
		d.runExport(title, says, w, work)
	})
}

// runExport writes into w behind 正在导出 with 【取消】, then says where
// the file is and offers 【打开】.
func (d *Desk) runExport(title string, says exportSays, w fyne.URIWriteCloser, work exportWork) {
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	note := widget.NewLabel("正在导出…")
	stop := widget.NewButton("取消", cancel)
	dlg := dialog.NewCustomWithoutButtons("导出"+title, container.NewVBox(note, bar), d.win)
	dlg.SetButtons([]fyne.CanvasObject{stop})
	dlg.Resize(fyne.NewSize(420, 160))
	dlg.Show()
	d.lastExport = &exportState{cancel: cancel, note: note, bar: bar}
	uri := w.URI()
	d.run(func() func() {
		defer cancel()
		buf := bufio.NewWriterSize(w, 1<<16)
		n, err := work(ctx, buf, func(done, total int) {
			d.post(func() {
				bar.Max = float64(max(total, 1))
				bar.SetValue(float64(done))
				note.SetText(fmt.Sprintf("正在导出 %d%%", done*100/max(total, 1)))
			})
		})
		if err == nil {
			err = buf.Flush()
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			storage.Delete(uri) // no half-written file stays behind
		}
		return func() {
			dlg.Hide()
			switch {
			case errors.Is(err, context.Canceled):
				d.lastDialogText = "已取消导出"
			case err != nil:
				d.showError(err)
			default:
				d.showExported(title, says, uri, n)
			}
		}
	})
}

// exportState is what a test sees of the export in progress.
type exportState struct {
	cancel context.CancelFunc
	note   *widget.Label
	bar    *widget.ProgressBar
}

// showExported says where the file is and offers to open it.
func (d *Desk) showExported(title string, says exportSays, uri fyne.URI, rows int) {
	msg := fmt.Sprintf("%s已导出，共 %d %s。\n文件位置：%s", title, rows, says.unit, uri.Path())
	if says.note != "" {
		msg += "\n" + says.note
	}
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	var dlg *infoDialog
	open := infoButton("打开", func() {
		if err := d.app.Viewer.Open(uri.Path()); err != nil {
			d.showError(err)
		}
	}, &dlg)
	dlg = d.newInfoDialog("导出完成", "关闭", container.NewVBox(text, open))
	dlg.dlg.Resize(fyne.NewSize(480, 200))
	dlg.show()
	d.lastDialogText = msg
}

// exportOptions is the dialog before a list export: 列表 or 申报人花名册,
// Excel or PDF, and 导出完整身份证号 (recorded in the server's audit log).
type exportOptions struct {
	what   *widget.RadioGroup
	format *widget.RadioGroup
	fullID *widget.Check
	dlg    *dialog.CustomDialog
	ok     *widget.Button
}

const (
	exportWhatList   = "列表"
	exportWhatRoster = "申报人花名册"
	exportExcel      = "Excel (.xlsx)"
	exportPDF        = "PDF"
	fullIDLabel      = "导出完整身份证号"
)

// askExport shows the options; rosterNote says which people a roster holds.
func (d *Desk) askExport(title, rosterNote string, then func(roster bool, opt app.ExportOptions)) *exportOptions {
	o := &exportOptions{}
	hint := widget.NewLabel(rosterNote)
	hint.Wrapping = fyne.TextWrapWord
	o.what = widget.NewRadioGroup([]string{exportWhatList, exportWhatRoster}, nil)
	o.what.Horizontal = true
	o.what.SetSelected(exportWhatList)
	o.format = widget.NewRadioGroup([]string{exportExcel, exportPDF}, nil)
	o.format.Horizontal = true
	o.format.SetSelected(exportExcel)
	warn := widget.NewLabel("完整身份证号属于敏感个人信息：导出会在本机记录，并在下次同步时写入服务器的审计日志（离线时待同步）；请妥善保管文件。")
	warn.Wrapping = fyne.TextWrapWord
	warn.Importance = widget.WarningImportance
	warn.Hide()
	o.fullID = widget.NewCheck(fullIDLabel, func(on bool) {
		if on {
			warn.Show()
		} else {
			warn.Hide()
		}
	})
	cancel := widget.NewButton("取消", func() { o.dlg.Hide() })
	o.ok = widget.NewButton("导出", func() {
		o.dlg.Hide()
		opt := app.ExportOptions{FullIDNumbers: o.fullID.Checked}
		if o.format.Selected == exportPDF {
			opt.Format = app.FormatPDF
		}
		then(o.what.Selected == exportWhatRoster, opt)
	})
	o.ok.Importance = widget.HighImportance
	form := widget.NewForm(widget.NewFormItem("导出内容", o.what), widget.NewFormItem("", hint),
		widget.NewFormItem("格式", o.format), widget.NewFormItem("身份证号", o.fullID))
	o.dlg = dialog.NewCustomWithoutButtons("导出"+title, container.NewVBox(form, warn), d.win)
	o.dlg.SetButtons([]fyne.CanvasObject{cancel, o.ok})
	o.dlg.Resize(fyne.NewSize(480, 300))
	o.dlg.Show()
	d.lastExportOptions = o
	return o
}
