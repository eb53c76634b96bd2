package ui

import (
	"strings"

	"titledesk/app"
	"titledesk/model"
)

// The review view's actions: 【通过】 (with the pass form where the list
// needs one), 【不通过】 → reason → 【确认】, and 【常用意见】.

func (v *reviewView) passClicked() {
	v.flushDraft()
	item, opinion := v.item, v.opinion.Text
	if v.kind == app.FormNone {
		v.setEnabled(false)
		v.d.run(func() func() {
			ctx, cancel := v.d.ctx()
			defer cancel()
			err := v.d.app.Reviews.Pass(ctx, item, app.PassInput{Opinion: opinion})
			return func() { v.afterAction(err, "已通过") }
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
		postManaged: postManaged, draft: v.draft.Fields, files: v.draft.Attachments})
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
		v.afterAction(nil, "已通过")
	}
	v.form = pf
	pf.dlg.Show()
}

func (v *reviewView) rejectClicked() {
	if strings.TrimSpace(v.reason.Text) == "" && strings.TrimSpace(v.opinion.Text) != "" {
		v.reason.SetText(v.opinion.Text)
	}
	v.rejectBox.Show()
	v.d.win.Canvas().Focus(v.reason)
}

// confirmReject returns the application to the applicant (REV-7).
func (v *reviewView) confirmReject() {
	reason := v.reason.Text
	if err := model.ValidateOpinion(reason, true); err != nil {
		v.say(app.Explain(err), true)
		return
	}
	v.flushDraft()
	item := v.item
	v.setEnabled(false)
	v.d.run(func() func() {
		ctx, cancel := v.d.ctx()
		defer cancel()
		err := v.d.app.Reviews.Reject(ctx, item, reason)
		return func() { v.afterAction(err, "已退回申报人") }
	})
}

// afterAction moves on to the next applicant of the list, or back to the
// list when none is left; a refusal stays in the view with its reason.
func (v *reviewView) afterAction(err error, done string) {
	if err != nil {
		v.setEnabled(true)
		v.say(app.Explain(err), true)
		return
	}
	v.timer = nil
	v.rejectBox.Hide()
	// The note outlives the sync, so it says what was done, not the sync
	// state: the list's mark and the status bar show that.
	msg := done + "：" + v.detail.Applicant.Name + "，已保存在本机并排队提交"
	v.list.reload()
	v.moveTo(v.index, v.item.ID, msg)
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
		cur += "\n"
	}
	v.opinion.SetText(cur + text)
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
