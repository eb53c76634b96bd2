package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// The review view (REV-2..7): the applicant's data on the left, the
// opinion on the right with 【常用意见】 and 【常用意见设置】, 【查看经办流程】,
// 【通过】/【不通过】 and 【打印审核表】. It takes the list's place, so the
// previous/next applicant (Alt+↑ / Alt+↓) opens without closing it. What is
// typed is kept as a draft while typing and restored when it opens again.

// draftDebounce is how long typing pauses before the draft is saved; tests
// set 0 to save on every change.
var draftDebounce = 400 * time.Millisecond

var (
	prevKey = &desktop.CustomShortcut{KeyName: fyne.KeyUp, Modifier: fyne.KeyModifierAlt}
	nextKey = &desktop.CustomShortcut{KeyName: fyne.KeyDown, Modifier: fyne.KeyModifierAlt}
)

type reviewView struct {
	d      *Desk
	list   *reviewList
	kind   app.FormKind
	index  int
	item   app.Item
	detail app.ReviewDetail
	draft  app.Draft

	title     *widget.Label
	mark      *widget.Label
	left      *fyne.Container
	opinion   *opinionEntry
	stock     *widget.Select
	comments  []model.StockComment
	buttons   map[string]*widget.Button
	rejectBox *fyne.Container
	reason    *opinionEntry
	confirm   *widget.Button
	message   *widget.Label
	timer     *time.Timer
	content   fyne.CanvasObject

	form        *passForm            // the pass form last opened
	stockDialog *stockCommentsDialog // 常用意见设置 last opened
}

func (d *Desk) newReviewView(l *reviewList, kind app.FormKind) *reviewView {
	v := &reviewView{d: d, list: l, kind: kind, buttons: map[string]*widget.Button{}}
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.mark = widget.NewLabel("")
	v.left = container.NewVBox()
	btn := func(key, label string, icon fyne.Resource, f func()) *widget.Button {
		b := widget.NewButtonWithIcon(label, icon, f)
		v.buttons[key] = b
		return b
	}
	back := btn("back", "返回列表", theme.NavigateBackIcon(), v.close)
	prev := btn("prev", "上一个 (Alt+↑)", theme.MoveUpIcon(), func() { v.step(-1) })
	next := btn("next", "下一个 (Alt+↓)", theme.MoveDownIcon(), func() { v.step(1) })
	top := container.NewBorder(nil, widget.NewSeparator(), back, container.NewHBox(v.mark, prev, next), v.title)
	split := container.NewHSplit(container.NewVScroll(container.NewPadded(v.left)), v.opinionPanel())
	split.Offset = 0.56
	v.content = container.NewBorder(top, nil, nil, nil, split)
	c := d.win.Canvas()
	c.AddShortcut(prevKey, func(fyne.Shortcut) { v.keyStep(-1) })
	c.AddShortcut(nextKey, func(fyne.Shortcut) { v.keyStep(1) })
	return v
}

func (v *reviewView) opinionPanel() fyne.CanvasObject {
	v.opinion = newOpinionEntry(v.shortcut)
	v.opinion.SetPlaceHolder("请输入审核意见")
	v.opinion.SetMinRowsVisible(8)
	v.opinion.OnChanged = func(s string) {
		v.draft.Opinion = s
		v.saveDraftLater()
	}
	v.stock = widget.NewSelect(nil, v.insertStock)
	v.stock.PlaceHolder = "常用意见"
	settings := v.newButton("settings", "常用意见设置", theme.SettingsIcon(), v.openStockSettings)
	flow := v.newButton("flow", "查看经办流程", theme.ListIcon(), func() { v.d.showFlow(v.item.ID) })
	print := v.newButton("print", "打印审核表", theme.DocumentPrintIcon(), func() { v.d.printSheets([]string{v.item.ID}) })
	pass := v.newButton("pass", "通过", theme.ConfirmIcon(), v.passClicked)
	pass.Importance = widget.HighImportance
	reject := v.newButton("reject", "不通过", theme.CancelIcon(), v.rejectClicked)
	reject.Importance = widget.DangerImportance

	v.reason = newOpinionEntry(v.shortcut)
	v.reason.SetPlaceHolder("请填写不通过原因，确认后将退回申报人修改")
	v.reason.SetMinRowsVisible(4)
	v.reason.OnChanged = func(s string) {
		v.draft.Reason = s
		v.saveDraftLater()
	}
	v.confirm = v.newButton("confirm", "确认", theme.ConfirmIcon(), v.confirmReject)
	v.confirm.Importance = widget.DangerImportance
	cancel := v.newButton("cancelReject", "取消", nil, func() { v.rejectBox.Hide() })
	v.rejectBox = container.NewVBox(widget.NewLabelWithStyle("不通过原因", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.reason, container.NewHBox(layout.NewSpacer(), cancel, v.confirm))
	v.rejectBox.Hide()
	v.message = widget.NewLabel("")
	v.message.Wrapping = fyne.TextWrapWord
	v.message.Hide()

	heading := widget.NewLabelWithStyle("审核意见", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	tools := container.NewBorder(nil, nil, nil, settings, v.stock)
	actions := container.NewVBox(container.NewHBox(flow, print), container.NewGridWithColumns(2, pass, reject))
	return container.NewPadded(container.NewBorder(container.NewVBox(heading, tools), container.NewVBox(actions, v.rejectBox, v.message),
		nil, nil, v.opinion))
}

func (v *reviewView) newButton(key, label string, icon fyne.Resource, f func()) *widget.Button {
	b := widget.NewButtonWithIcon(label, icon, f)
	v.buttons[key] = b
	return b
}

// open loads row i of the list (application r) into the view.
func (v *reviewView) open(i int, r app.QueueRow) {
	v.index, v.item = i, app.ItemOf(r)
	v.rejectBox.Hide()
	v.setEnabled(false)
	id := r.ID
	v.d.run(func() func() {
		ctx, cancel := v.d.ctx()
		defer cancel()
		detail, err := v.d.app.Reviews.Detail(ctx, id)
		var comments []model.StockComment
		if err == nil {
			comments, err = v.d.app.Reviews.StockComments(ctx)
		}
		return func() {
			if v.item.ID != id {
				return // another applicant was opened meanwhile
			}
			if err != nil {
				v.say(app.Explain(err), true)
				return
			}
			v.show(detail, comments)
		}
	})
}

// show fills the view. UI goroutine only.
func (v *reviewView) show(d app.ReviewDetail, comments []model.StockComment) {
	v.detail = d
	v.item.Version = d.Application.Version
	a := d.Application
	v.title.SetText(d.Applicant.Name + " · " + a.TitleName + " · " + app.ListTitle(v.list.stage))
	v.left.Objects = applicantSections(v, d)
	v.left.Refresh()
	v.setComments(comments)
	v.draft, _ = app.DraftOf(d)
	keep := v.opinion.OnChanged
	v.opinion.OnChanged = nil
	v.opinion.SetText(v.draft.Opinion)
	v.opinion.OnChanged = keep
	keep = v.reason.OnChanged
	v.reason.OnChanged = nil
	v.reason.SetText(v.draft.Reason)
	v.reason.OnChanged = keep
	if v.draft.Reason != "" {
		v.rejectBox.Show()
	}
	v.refreshMark()
	v.setEnabled(true)
	v.d.win.Canvas().Focus(v.opinion)
}

func (v *reviewView) setEnabled(on bool) {
	for key, b := range v.buttons {
		switch {
		case key == "back":
		case on && (key == "pass" || key == "reject" || key == "confirm") && !v.actionable():
			b.Disable()
		case on:
			b.Enable()
		default:
			b.Disable()
		}
	}
}

// actionable: the application still waits in this list for this unit
// (an optimistic pass moved it on; the cache says so at once).
func (v *reviewView) actionable() bool {
	a := v.detail.Application
	me, _ := v.d.app.Session.Me()
	return a.Stage == v.list.stage && a.HolderUnitID == me.UnitID
}

// refreshMark shows 待同步 / 冲突 for the application.
func (v *reviewView) refreshMark() {
	v.mark.Importance = widget.MediumImportance
	v.mark.SetText("")
	if c, ok := v.list.conflicts[v.item.ID]; ok {
		v.mark.Importance = widget.DangerImportance
		v.mark.SetText("冲突：" + c.Reason)
	}
	if len(v.detail.Pending) > 0 {
		v.mark.Importance = widget.WarningImportance
		v.mark.SetText("待同步")
	}
	v.mark.Refresh()
}

// refreshMarks re-reads whether the application is still pending after a sync.
func (v *reviewView) refreshMarks() {
	id := v.item.ID
	v.d.run(func() func() {
		ctx, cancel := v.d.ctx()
		defer cancel()
		d, err := v.d.app.Reviews.Detail(ctx, id)
		return func() {
			if err == nil && v.item.ID == id {
				v.detail.Pending, v.detail.Application = d.Pending, d.Application
				v.refreshMark()
			}
		}
	})
}

func (v *reviewView) say(msg string, problem bool) {
	v.message.SetText(msg)
	v.message.Importance = map[bool]widget.Importance{true: widget.DangerImportance, false: widget.SuccessImportance}[problem]
	v.message.Show()
	v.message.Refresh()
}

// active: the view is what the window shows now.
func (v *reviewView) active() bool {
	l := v.list
	return v.d.main == l.main && l.shown() && len(l.root.Objects) == 1 && l.root.Objects[0] == v.content && l.view == v
}

func (v *reviewView) keyStep(delta int) {
	if v.active() {
		v.step(delta)
	}
}

// shortcut handles Alt+↑ / Alt+↓ while an opinion box has the focus.
func (v *reviewView) shortcut(s fyne.Shortcut) bool {
	switch s.ShortcutName() {
	case prevKey.ShortcutName():
		v.keyStep(-1)
	case nextKey.ShortcutName():
		v.keyStep(1)
	default:
		return false
	}
	return true
}

// step opens the previous (−1) or next (+1) applicant of the list.
func (v *reviewView) step(delta int) {
	v.flushDraft()
	v.moveTo(v.index+delta, "", "")
}

// moveTo opens the row at index i, skipping the current application when
// it is still there; with no such row it goes back to the list. msg is
// shown on whichever is opened.
func (v *reviewView) moveTo(i int, skip, msg string) {
	rowAt := v.list.rowAtFunc()
	v.d.run(func() func() {
		r, ok, err := rowAt(i)
		if err == nil && ok && r.ID == skip {
			i++
			r, ok, err = rowAt(i)
		}
		return func() {
			switch {
			case err != nil:
				v.say(app.Explain(err), true)
			case !ok && msg == "":
				v.say("已经是列表中的"+map[bool]string{true: "第一位", false: "最后一位"}[i < v.index]+"申报人", false)
			case !ok:
				v.close()
				v.list.showMessage(msg, false)
			default:
				v.message.Hide()
				v.open(i, r)
				if msg != "" {
					v.say(msg, false)
				}
			}
		}
	})
}

// close goes back to the list, keeping what was typed as a draft.
func (v *reviewView) close() {
	v.flushDraft()
	v.list.showList()
}

// saveDraftLater saves what is typed once typing pauses.
func (v *reviewView) saveDraftLater() {
	if v.timer != nil {
		v.timer.Stop()
	}
	if draftDebounce == 0 {
		v.saveDraft()
		return
	}
	v.timer = time.AfterFunc(draftDebounce, func() { v.d.post(v.saveDraft) })
}

func (v *reviewView) flushDraft() {
	if v.timer != nil && v.timer.Stop() {
		v.saveDraft()
	}
	v.timer = nil
}

func (v *reviewView) saveDraft() {
	id, draft := v.item.ID, v.draft
	if id == "" || !v.actionable() {
		return
	}
	v.d.run(func() func() {
		ctx, cancel := v.d.ctx()
		defer cancel()
		err := v.d.app.Reviews.SaveDraft(ctx, id, draft)
		return func() {
			if err != nil {
				v.say("草稿保存失败："+app.Explain(err), true)
			}
		}
	})
}

// opinionEntry is a multi-line entry that lets the view's shortcuts
// through while it has the focus.
type opinionEntry struct {
	widget.Entry
	onShortcut func(fyne.Shortcut) bool
}

func newOpinionEntry(onShortcut func(fyne.Shortcut) bool) *opinionEntry {
	e := &opinionEntry{onShortcut: onShortcut}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

func (e *opinionEntry) TypedShortcut(s fyne.Shortcut) {
	if e.onShortcut != nil && e.onShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}
