package ui

import (
	"fmt"
	"strings"

	"titledesk/app"
	"titledesk/model"
)

// The review view's actions: 【通过】 (with the pass form where the list
// needs one), 【不通过】 → a dialog naming the applicant with the reason →
// 【确认不通过】, 【撤销】, and 【常用意见】.

func (v *reviewView) passClicked() {
	v.flushDraft()
	item, opinion := v.item, v.opinion.Text
	v.setEnabled(false)
	if v.kind == app.FormNone {
		v.d.run(func() func() {
			ctx, cancel := v.d.ctx()
			defer cancel()
			err := v.d.app.Reviews.Pass(ctx, item, app.PassInput{Opinion: opinion})
			return func() { v.afterAction(item, err, "通过") }
		})
		return
	}
	title := "单位推荐和公示"
	var postManaged []string
	if v.kind == app.FormAppointment {
		title = "聘任信息"
	} else if v.detail.Unit.PostManaged {
		postManaged = []string{v.detail.Applicant.Name}
	}
	pf := v.d.newPassForm(passFormOptions{title: title + " — " + v.detail.Applicant.Name, kind: v.kind,
		postManaged: postManaged, draft: v.draft.Fields, files: v.draft.Attachments, ok: "确认提交"})
	pf.onChange = func(fields map[string]string, files []model.Attachment) {
		v.draft.Fields, v.draft.Attachments = fields, files
		v.saveDraftLater()
	}
	pf.onSubmit = func(in app.PassInput) error {
		ctx, cancel := v.d.ctx()
		defer cancel()
		in.Opinion = opinion
		return v.d.app.Reviews.Pass(ctx, item, in)
	}
	pf.onDone = func() {
		v.flushDraft()
		v.afterAction(item, nil, "通过")
	}
	pf.onCancel = func() { v.setEnabled(true) }
	v.form = pf
	pf.show()
}

// rejectClicked asks in a dialog naming the applicant, with the reason
// (the draft's, else the opinion) to check, and 【取消】 as the default.
func (v *reviewView) rejectClicked() {
	item, gen := v.item, v.gen
	text := v.draft.Reason
	if strings.TrimSpace(text) == "" {
		text = v.opinion.Text
	}
	v.setEnabled(false)
	v.d.withReturnReasons(func(reasons []model.ReturnReason) {
		v.openRejectDialog(item, gen, text, newReturnChecklist(reasons))
	})
}

// openRejectDialog is 不通过's dialog with the 一次性告知 checklist (BEY-3).
func (v *reviewView) openRejectDialog(item app.Item, gen int, text string, checklist *returnChecklist) {
	decided := false
	v.checklist = checklist
	v.rejectDialog = v.d.newDecisionDialog(decisionSpec{
		title: "不通过",
		about: fmt.Sprintf("将退回申报人 %s（%s · %s）修改后重新提交：", item.Name, v.detail.Application.TitleName,
			app.ListTitle(v.list.stage)),
		extra: checklist.box,
		ok:    "确认不通过", reason: true, reasonText: text,
		reasonLabel: "其他意见（未勾选问题时必填）",
		reasonHint:  "请填写不通过原因或补充说明，确认后将退回申报人修改",
		onReason: func(s string) {
			if v.gen == gen {
				v.draft.Reason = s
				v.saveDraftLater()
			}
		},
		submit: func(reason string, done func(error)) {
			in := app.ReturnInput{Opinion: reason, Problems: checklist.selected()}
			if err := model.ValidateReturn(in.Opinion, in.Problems); err != nil {
				done(err)
				return
			}
			v.flushDraft()
			v.d.run(func() func() {
				ctx, cancel := v.d.ctx()
				defer cancel()
				err := v.d.app.Reviews.Return(ctx, item, in)
				return func() {
					decided = err == nil
					done(err)
					if decided {
						v.afterAction(item, nil, "不通过")
					}
				}
			})
		},
	})
	v.rejectDialog.dlg.SetOnClosed(func() {
		if !decided && v.gen == gen {
			v.setEnabled(true) // cancelled: the buttons come back armed
		}
	})
}

// afterAction moves on to the next applicant of the list, or back to the
// list when none is left; a refusal stays in the view with its reason.
// The note names the decision and follows it until it is synced.
func (v *reviewView) afterAction(item app.Item, err error, verb string) {
	if err != nil {
		v.setEnabled(true)
		v.say(app.Explain(err), true)
		return
	}
	v.timer = nil
	v.note.set(verb, []app.Item{item}, nil)
	v.noteAt = v.index
	v.list.reload()
	v.moveTo(v.index, item.ID, "列表中已没有待审核的申报人")
}

// undoCurrent is 【撤销】 beside 待同步: the applicant shown comes back as
// it was before its queued action, with what was typed.
func (v *reviewView) undoCurrent(done func()) {
	v.undoThen([]app.Item{v.item}, v.index, done)
}

// undoNoted is the note's 【撤销】: the applicant decided last comes back
// and opens again where it was.
func (v *reviewView) undoNoted(items []app.Item, done func()) {
	v.undoThen(items, v.noteAt, done)
}

func (v *reviewView) undoThen(items []app.Item, at int, done func()) {
	v.setEnabled(false)
	v.list.undo(items, func(verbs string, err error) {
		if done != nil {
			defer done()
		}
		if err != nil {
			v.setEnabled(true)
			v.say("撤销失败："+app.Explain(err), true)
			return
		}
		v.note.say(fmt.Sprintf("已撤销【%s】：%s，可重新审核", verbs, items[0].Name), false)
		v.message.Hide()
		v.open(at, items[0])
	})
}

// setComments fills 【常用意见】.
func (v *reviewView) setComments(comments []model.StockComment) {
	v.comments = comments
	opts := make([]string, len(comments))
	for i, c := range comments {
		opts[i] = c.Text
	}
	v.stock.SetOptions(opts)
}

// insertStock adds the chosen 常用意见 to the opinion and clears the
// drop-down, so the same one can be chosen again.
func (v *reviewView) insertStock(text string) {
	if text == "" {
		return
	}
	cur := v.opinion.Text
	if strings.TrimSpace(cur) != "" && !strings.HasSuffix(cur, "\n") {
		text = "\n" + text
	}
	v.opinion.Append(text)
	keep := v.stock.OnChanged
	v.stock.OnChanged = nil
	v.stock.ClearSelected()
	v.stock.OnChanged = keep
	v.d.win.Canvas().Focus(v.opinion)
}

// openStockSettings opens 【常用意见设置】; the drop-down follows its edits.
func (v *reviewView) openStockSettings() {
	v.stockDialog = v.d.showStockComments(v.comments, v.setComments)
}
