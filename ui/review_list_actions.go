package ui

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// The review list's actions on the selection: 【批量通过】 (REV-6),
// 【批量不通过】 (REV-7), 【打印审核表】 and 【打印列表】 (DC-4, STAT-2),
// 【导出】 (STAT-2) and 【撤回】 on a row of 已审核列表 (REV-13).

// passSelected opens the batch pass form: filled once, one command each.
func (l *reviewList) passSelected() {
	items, ids := l.selectedItems()
	if len(items) == 0 {
		return
	}
	kind := app.FormFor(l.stage)
	l.d.run(func() func() {
		var postManaged []string
		var err error
		if kind == app.FormRecommendation {
			ctx, cancel := l.d.ctx()
			defer cancel()
			postManaged, err = l.d.app.Reviews.NeedsPostStatusForm(ctx, ids)
		}
		return func() {
			if err != nil {
				l.d.showError(err)
				return
			}
			l.openBatchPass(items, kind, postManaged)
		}
	})
}

func (l *reviewList) openBatchPass(items []app.Item, kind app.FormKind, postManaged []string) {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.Name
	}
	pf := l.d.newPassForm(passFormOptions{title: "批量通过", kind: kind, withOpinion: true, postManaged: postManaged,
		note: fmt.Sprintf("将对以下 %d 人统一提交：%s", len(items), strings.Join(names, "、"))})
	var results []app.Result
	pf.onSubmit = func(in app.PassInput) error {
		ctx, cancel := l.d.ctx()
		defer cancel()
		var err error
		results, err = l.d.app.Reviews.PassBatch(ctx, items, in)
		return err
	}
	pf.onDone = func() { l.finishBatch("通过", results) }
	l.form = pf
	pf.dlg.Show()
}

// rejectSelected asks for one reason and returns every selected
// application to its applicant.
func (l *reviewList) rejectSelected() {
	items, _ := l.selectedItems()
	if len(items) == 0 {
		return
	}
	reason := widget.NewMultiLineEntry()
	reason.SetPlaceHolder("请填写不通过原因，将退回申报人修改")
	reason.SetMinRowsVisible(4)
	msg := dangerLabel()
	var dlg *dialog.CustomDialog
	confirm := widget.NewButton("确认", nil)
	confirm.Importance = widget.DangerImportance
	confirm.OnTapped = func() {
		text := reason.Text
		confirm.Disable()
		l.d.run(func() func() {
			ctx, cancel := l.d.ctx()
			defer cancel()
			results, err := l.d.app.Reviews.RejectBatch(ctx, items, text)
			return func() {
				confirm.Enable()
				if err != nil {
					msg.SetText(app.Explain(err))
					msg.Show()
					return
				}
				dlg.Hide()
				l.finishBatch("不通过", results)
			}
		})
	}
	body := container.NewVBox(widget.NewLabel(fmt.Sprintf("对勾选的 %d 人填写不通过原因：", len(items))), reason, msg)
	dlg = dialog.NewCustomWithoutButtons("批量不通过", body, l.d.win)
	dlg.SetButtons([]fyne.CanvasObject{widget.NewButton("取消", func() { dlg.Hide() }), confirm})
	dlg.Resize(fyne.NewSize(560, 320))
	l.rejectDialog = &rejectDialog{reason: reason, confirm: confirm, message: msg}
	dlg.Show()
}

// rejectDialog is what tests drive of 【批量不通过】.
type rejectDialog struct {
	reason  *widget.Entry
	confirm *widget.Button
	message *widget.Label
}

// finishBatch reports per application and clears the selection of those done.
func (l *reviewList) finishBatch(action string, results []app.Result) {
	var ok, failed []string
	for _, r := range results {
		if r.Err == nil {
			ok = append(ok, r.Item.Name)
			delete(l.selected, r.Item.ID)
			continue
		}
		failed = append(failed, r.Item.Name+"："+app.Explain(r.Err))
	}
	msg := fmt.Sprintf("已%s %d 人（待同步）", action, len(ok))
	if len(failed) > 0 {
		msg += fmt.Sprintf("；%d 人未能%s：%s", len(failed), action, strings.Join(failed, "；"))
	}
	l.showMessage(msg, len(failed) > 0)
	l.updateButtons()
	l.reload()
}

// withdraw takes back a pass the next level has not acted on (REV-13).
func (l *reviewList) withdraw(r app.QueueRow) {
	l.d.run(func() func() {
		ctx, cancel := l.d.ctx()
		defer cancel()
		err := l.d.app.Reviews.Withdraw(ctx, app.ItemOf(r))
		return func() {
			if err != nil {
				l.showMessage("撤回失败："+app.Explain(err), true)
				return
			}
			l.showMessage("已撤回："+r.ApplicantName+"（待同步），该申报已回到本单位的审核列表，可重新审核", false)
			l.reload()
		}
	})
}

// printSelected prints the selected applicants' 审核表 into one PDF.
func (l *reviewList) printSelected() {
	_, ids := l.selectedItems()
	l.d.printSheets(ids)
}

// printList prints the list as filtered and sorted, all matching rows.
func (l *reviewList) printList() {
	q := l.query
	filters := l.filterTexts()
	l.buttons["list"].Disable()
	l.d.run(func() func() {
		ctx, cancel := l.d.ctx()
		defer cancel()
		path, err := l.d.app.Reviews.PrintList(ctx, q, filters)
		if err == nil {
			err = l.d.app.Reviews.OpenFile(path)
		}
		return func() {
			l.buttons["list"].Enable()
			if err != nil {
				l.d.showError(err)
				return
			}
			l.showMessage("列表已生成并打开："+path, false)
		}
	})
}

// filterTexts names the filters in force, printed under the list's title.
func (l *reviewList) filterTexts() []string {
	var out []string
	if t := strings.TrimSpace(l.search.Text); t != "" {
		out = append(out, "搜索："+t)
	}
	for _, s := range []*widget.Select{l.series, l.level, l.method, l.year} {
		if s.SelectedIndex() > 0 {
			out = append(out, s.Selected)
		}
	}
	if l.query.ReturnedMoreThanDays > 0 {
		out = append(out, fmt.Sprintf("退回超过%d天", l.query.ReturnedMoreThanDays))
	}
	return out
}

// openView opens the review view on row i in place of the list.
func (l *reviewList) openView(i int, r app.QueueRow) {
	v := l.d.newReviewView(l, app.FormFor(l.stage))
	l.view = v
	l.root.Objects = []fyne.CanvasObject{v.content}
	l.root.Refresh()
	v.open(i, r)
}

// exportList is 【导出】 (STAT-2): the list as filtered and sorted on screen
// with its visible columns, or the 申报人花名册 of the ticked applicants (all
// of the list's when none is ticked), to Excel or PDF.
func (l *reviewList) exportList() {
	q := l.query
	filters := l.filterTexts()
	_, ids := l.selectedItems()
	roster := fmt.Sprintf("花名册：当前列表全部 %d 人", l.total)
	if len(ids) > 0 {
		roster = fmt.Sprintf("花名册：已勾选的 %d 人", len(ids))
	}
	title := app.ListTitle(l.stage)
	l.d.askExport(title, roster, func(asRoster bool, opt app.ExportOptions) {
		if asRoster {
			l.d.export(title+"-申报人花名册", opt.Format, func(ctx context.Context, w io.Writer, p app.Progress) (int, error) {
				return l.d.app.Exports.Roster(ctx, w, q, ids, opt, p)
			})
			return
		}
		l.d.export(title, opt.Format, func(ctx context.Context, w io.Writer, p app.Progress) (int, error) {
			return l.d.app.Exports.List(ctx, w, q, filters, opt, p)
		})
	})
}
