package ui

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// The review list's actions on the selection: 【批量通过】 (REV-6),
// 【批量不通过】 (REV-7), 【打印审核表】 and 【打印列表】 (DC-4, STAT-2), 【导出】
// (STAT-2), and on a row 【撤回】 (REV-13) and 【撤销】 (BEY-7). Every decision
// asks in a dialog naming the applicants, with 【取消】 as its default.

// batchDraft is what was typed into 批量通过's form, kept while the list is
// open so closing the form (or a refusal) does not lose it.
type batchDraft struct {
	fields  map[string]string
	files   []model.Attachment
	opinion string
}

// passSelected opens the batch pass form: filled once, one command each.
func (l *reviewList) passSelected(done func()) {
	items, ids := l.selectedItems()
	if len(items) == 0 {
		done()
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
			defer done()
			if err != nil {
				l.d.showError(err)
				return
			}
			l.openBatchPass(items, kind, postManaged)
		}
	})
}

func (l *reviewList) openBatchPass(items []app.Item, kind app.FormKind, postManaged []string) {
	names := itemNames(items)
	pf := l.d.newPassForm(passFormOptions{title: fmt.Sprintf("批量通过 — %d 人", len(items)), kind: kind,
		withOpinion: true, postManaged: postManaged, draft: l.batch.fields, files: l.batch.files,
		note: fmt.Sprintf("将对以下 %d 人统一提交通过（%s）：%s", len(items), app.ListTitle(l.stage), namesText(names, "人")),
		ok:   fmt.Sprintf("确认通过 %d 人", len(items))})
	pf.opinion.SetText(l.batch.opinion)
	pf.onChange = func(fields map[string]string, files []model.Attachment) {
		l.batch.fields, l.batch.files = fields, files
	}
	pf.opinion.OnChanged = func(s string) { l.batch.opinion = s }
	var results []app.Result
	pf.onSubmit = func(in app.PassInput) error {
		ctx, cancel := l.d.ctx()
		defer cancel()
		var err error
		results, err = l.d.app.Reviews.PassBatch(ctx, items, in)
		return err
	}
	pf.onDone = func() {
		l.batch = batchDraft{}
		l.finishBatch("通过", results)
	}
	l.form = pf
	pf.show()
}

// rejectSelected asks for one reason and returns every selected
// application to its applicant.
func (l *reviewList) rejectSelected(done func()) {
	items, _ := l.selectedItems()
	if len(items) == 0 {
		done()
		return
	}
	l.d.withReturnReasons(func(reasons []model.ReturnReason) {
		l.openRejectDialog(items, newReturnChecklist(reasons))
		done()
	})
}

// openRejectDialog is 批量不通过's dialog with one 一次性告知 checklist for
// all (BEY-3).
func (l *reviewList) openRejectDialog(items []app.Item, checklist *returnChecklist) {
	l.checklist = checklist
	l.rejectDialog = l.d.newDecisionDialog(decisionSpec{
		title: fmt.Sprintf("批量不通过 — %d 人", len(items)),
		about: fmt.Sprintf("将以下 %d 人退回申报人修改后重新提交（%s）：%s", len(items), app.ListTitle(l.stage),
			namesText(itemNames(items), "人")),
		extra: checklist.box,
		ok:    fmt.Sprintf("确认不通过 %d 人", len(items)), reason: true,
		reasonLabel: "其他意见（未勾选问题时必填）",
		reasonHint:  "请填写不通过原因或补充说明，将退回申报人修改",
		submit: func(reason string, finish func(error)) {
			in := app.ReturnInput{Opinion: reason, Problems: checklist.selected()}
			l.d.run(func() func() {
				ctx, cancel := l.d.ctx()
				defer cancel()
				results, err := l.d.app.Reviews.ReturnBatch(ctx, items, in)
				return func() {
					finish(err)
					if err == nil {
						l.finishBatch("不通过", results)
					}
				}
			})
		},
	})
}

func itemNames(items []app.Item) []string {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.Name
	}
	return names
}

// finishBatch notes the outcome per application and clears the selection
// of those done.
func (l *reviewList) finishBatch(verb string, results []app.Result) {
	var ok []app.Item
	var failed []string
	for _, r := range results {
		if r.Err == nil {
			ok = append(ok, r.Item)
			delete(l.selected, r.Item.ID)
			continue
		}
		failed = append(failed, r.Item.Name+"："+app.Explain(r.Err))
	}
	l.note.set(verb, ok, failed)
	l.updateButtons()
	l.reload()
}

// withdraw takes back a pass the next level has not acted on (REV-13),
// after a confirmation naming the applicant.
func (l *reviewList) withdraw(r app.QueueRow, done func()) {
	it := app.ItemOf(r)
	l.withdrawDialog = l.d.newDecisionDialog(decisionSpec{
		title: "撤回",
		about: fmt.Sprintf("撤回对 %s（%s）的审核？撤回后该申报回到本单位的审核列表，可重新审核。", r.ApplicantName, r.TitleName),
		ok:    "确认撤回",
		submit: func(_ string, finish func(error)) {
			l.d.run(func() func() {
				ctx, cancel := l.d.ctx()
				defer cancel()
				err := l.d.app.Reviews.Withdraw(ctx, it)
				return func() {
					finish(err)
					if err == nil {
						l.note.set("撤回", []app.Item{it}, nil)
						l.reload()
					}
				}
			})
		},
	})
	done()
}

// undoRows is 【撤销】 on a row or in the note: the newest queued action of
// each comes out of the outbox and the rows show as before it.
func (l *reviewList) undoRows(items []app.Item, done func()) {
	l.undo(items, func(verbs string, err error) {
		if err != nil {
			l.note.say("撤销失败："+app.Explain(err), true)
		} else {
			l.note.say(fmt.Sprintf("已撤销【%s】：%s，已恢复到操作前的状态", verbs, namesText(itemNames(items), "人")), false)
		}
		if done != nil {
			done()
		}
	})
}

// undo takes back the newest queued action of each item (stopping at the
// first refusal), reloads the list and tells then which actions ("通过、
// 不通过") were undone.
func (l *reviewList) undo(items []app.Item, then func(verbs string, err error)) {
	l.d.run(func() func() {
		ctx, cancel := l.d.ctx()
		defer cancel()
		var verbs []string
		var err error
		for _, it := range items {
			var verb string
			if verb, err = l.d.app.Reviews.Undo(ctx, it); err != nil {
				break
			}
			if !contains(verbs, verb) {
				verbs = append(verbs, verb)
			}
		}
		return func() {
			l.reload()
			then(strings.Join(verbs, "、"), err)
		}
	})
}

// adoptNote takes the review view's note when the view closes at the end
// of the list, so its 【撤销】 stays at hand; end is said when it is empty.
func (l *reviewList) adoptNote(n *actionNote, end string) {
	if n.verb != "" {
		l.note.set(n.verb, n.items, n.failed)
		l.reload()
		return
	}
	if end != "" {
		l.note.say(end, false)
	}
}

// printSelected prints the selected applicants' 审核表 into one PDF.
func (l *reviewList) printSelected(done func()) {
	_, ids := l.selectedItems()
	l.d.printSheets(ids, done)
}

// printList prints the list as filtered and sorted, all matching rows.
func (l *reviewList) printList(done func()) {
	q := l.query
	filters := l.filterTexts()
	l.d.run(func() func() {
		ctx, cancel := l.d.ctx()
		defer cancel()
		path, err := l.d.app.Reviews.PrintList(ctx, q, filters)
		return func() {
			if err != nil {
				l.d.showError(err)
				done()
				return
			}
			l.d.openPrinted(path, "列表", done)
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
	if l.query.AtRisk {
		out = append(out, "临近截止")
	}
	return out
}

// openView opens the review view on row i in place of the list once its
// details are read (the list stays until then: no blank panel); done
// (may be nil) runs once the applicant shows.
func (l *reviewList) openView(i int, r app.QueueRow, done func()) {
	v := l.d.newReviewView(l, app.FormFor(l.stage))
	l.view = v
	l.d.tracking(func() { v.open(i, app.ItemOf(r)) }, func() {
		if l.view == v { // (the list may be on its way to the screen)
			l.root.Objects = []fyne.CanvasObject{v.content}
			l.root.Refresh()
			l.d.win.Canvas().Focus(v.opinion)
		}
		if done != nil {
			done()
		}
	})
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
			l.d.export(title+"-申报人花名册", peopleExport(opt), opt.Format, func(ctx context.Context, w io.Writer, p app.Progress) (int, error) {
				return l.d.app.Exports.Roster(ctx, w, q, ids, opt, p)
			})
			return
		}
		l.d.export(title, peopleExport(opt), opt.Format, func(ctx context.Context, w io.Writer, p app.Progress) (int, error) {
			return l.d.app.Exports.List(ctx, w, q, filters, opt, p)
		})
	})
}
