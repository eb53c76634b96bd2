package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
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
// A queued decision on the applicant shows as 待同步 with 【撤销】; the last
// decision made here stays in a note with 【撤销】 while it can be undone.

// draftDebounce is how long typing pauses before the draft is saved; tests
// set 0 to save on every change.
var draftDebounce = 400 * time.Millisecond

var (
	prevKey = &desktop.CustomShortcut{KeyName: fyne.KeyUp, Modifier: fyne.KeyModifierAlt}
	nextKey = &desktop.CustomShortcut{KeyName: fyne.KeyDown, Modifier: fyne.KeyModifierAlt}
)

// decisionKeys are the buttons that decide: they are armed (armDelay)
// whenever an applicant opens, so a click meant for the one before never
// lands on them.
var decisionKeys = map[string]bool{"pass": true, "reject": true}

type reviewView struct {
	d      *Desk
	list   *reviewList
	kind   app.FormKind
	index  int
	item   app.Item
	detail app.ReviewDetail
	draft  app.Draft
	gen    int // bumped by every open: stale loads and arming timers do nothing

	title    *widget.Label
	mark     *widget.Label
	undo     *widget.Button // 【撤销】 the action queued on this applicant
	queued   app.QueuedAction
	left     *fyne.Container
	scroll   *container.Scroll // the left side, back to the top for every applicant
	opinion  *opinionEntry
	stock    *widget.Select
	comments []model.StockComment
	buttons  map[string]*widget.Button
	message  *widget.Label // a refusal or a hint
	note     *actionNote   // the last decision made here, with 【撤销】
	noteAt   int           // the list index the noted applicant was decided at
	timer    *time.Timer
	content  fyne.CanvasObject

	checks       app.Checks           // eligibility, duplicates, 一次性告知 marks of the open applicant
	checkLines   []*widget.Label      // the panel's lines, for tests
	form         *passForm            // the pass form last opened
	rejectDialog *decisionDialog      // the 不通过 dialog last opened
	checklist    *returnChecklist     // its 一次性告知 checklist
	stockDialog  *stockCommentsDialog // 常用意见设置 last opened
}

func (d *Desk) newReviewView(l *reviewList, kind app.FormKind) *reviewView {
	v := &reviewView{d: d, list: l, kind: kind, buttons: map[string]*widget.Button{}}
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.mark = widget.NewLabel("")
	v.undo = widget.NewButtonWithIcon("撤销", theme.ContentUndoIcon(), nil)
	actOnce(v.undo, nil, v.undoCurrent)
	v.undo.Hide()
	v.left = container.NewVBox()
	back := v.newButton("back", "返回列表", theme.NavigateBackIcon(), v.close)
	prev := v.newButton("prev", "上一个 (Alt+↑)", theme.MoveUpIcon(), func() { v.step(-1) })
	next := v.newButton("next", "下一个 (Alt+↓)", theme.MoveDownIcon(), func() { v.step(1) })
	top := container.NewBorder(nil, widget.NewSeparator(), back, container.NewHBox(v.mark, v.undo, prev, next), v.title)
	v.scroll = container.NewVScroll(container.NewPadded(v.left))
	split := container.NewHSplit(v.scroll, v.opinionPanel())
	split.Offset = 0.56
	v.content = container.NewBorder(top, nil, nil, nil, visibleSplit(split))
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
	flow := v.newButton("flow", "查看经办流程", theme.ListIcon(), nil)
	actOnce(flow, nil, func(done func()) { v.d.showFlow(v.item.ID, done) })
	print := v.newButton("print", "打印审核表", theme.DocumentPrintIcon(), nil)
	actOnce(print, nil, func(done func()) { v.d.printSheets([]string{v.item.ID}, done) })
	pass := v.newButton("pass", "通过", theme.ConfirmIcon(), v.passClicked)
	pass.Importance = widget.HighImportance
	reject := v.newButton("reject", "不通过", theme.CancelIcon(), v.rejectClicked)
	reject.Importance = widget.DangerImportance
	v.message = widget.NewLabel("")
	v.message.Wrapping = fyne.TextWrapWord
	v.message.Hide()
	v.note = newActionNote("人", v.undoNoted)
	for name, o := range map[string]fyne.CanvasObject{"view/opinion": v.opinion, "view/stock": v.stock,
		"view/note": v.note.label, "view/note-undo": v.note.undo, "view/undo": v.undo, "view/mark": v.mark, "view/title": v.title} {
		v.d.mark(name, o)
	}

	heading := widget.NewLabelWithStyle("审核意见", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	tools := container.NewBorder(nil, nil, nil, settings, v.stock)
	checklist := v.newButton("checklist", "问题清单设置", theme.SettingsIcon(), nil)
	actOnce(checklist, nil, v.d.showReturnReasons)
	actions := container.NewVBox(container.NewHBox(flow, print, checklist), container.NewGridWithColumns(2, pass, reject))
	return container.NewPadded(container.NewBorder(container.NewVBox(heading, tools),
		container.NewVBox(actions, v.message, v.note.box), nil, nil, v.opinion))
}

func (v *reviewView) newButton(key, label string, icon fyne.Resource, f func()) *widget.Button {
	b := widget.NewButtonWithIcon(label, icon, f)
	v.buttons[key] = b
	v.d.mark("view/"+key, b)
	return b
}

// open loads row i of the list (application it) into the view; every
// button waits until it is shown, the decision ones armDelay longer.
func (v *reviewView) open(i int, it app.Item) {
	v.index, v.item = i, it
	v.gen++
	v.setEnabled(false)
	id, noted := it.ID, v.note.ids()
	v.d.run(func() func() {
		ctx, cancel := v.d.ctx()
		defer cancel()
		detail, err := v.d.app.Reviews.Detail(ctx, id)
		var (
			comments []model.StockComment
			queued   map[string]app.QueuedAction
			checks   app.Checks
		)
		if err == nil {
			checks, err = v.d.app.Reviews.Checks(ctx, detail)
		}
		if err == nil {
			comments, err = v.d.app.Reviews.StockComments(ctx)
		}
		if err == nil {
			queued, err = v.d.app.Reviews.Queued(ctx, append(noted, id))
		}
		return func() {
			if v.item.ID != id {
				return // another applicant was opened meanwhile
			}
			if err != nil {
				v.say(app.Explain(err), true)
				return
			}
			v.checks = checks
			v.show(detail, comments, queued)
		}
	})
}

// show fills the view. UI goroutine only.
func (v *reviewView) show(d app.ReviewDetail, comments []model.StockComment, queued map[string]app.QueuedAction) {
	v.detail = d
	v.item.Version = d.Application.Version
	v.item.Name = d.Applicant.Name
	a := d.Application
	v.title.SetText(d.Applicant.Name + " · " + a.TitleName + " · " + app.ListTitle(v.list.stage))
	v.left.Objects = append(v.checkSections(), applicantSections(v, d)...)
	v.left.Refresh()
	v.scroll.ScrollToTop()
	v.setComments(comments)
	v.draft, _ = app.DraftOf(d)
	keep := v.opinion.OnChanged
	v.opinion.OnChanged = nil
	v.opinion.SetText(v.draft.Opinion)
	v.opinion.OnChanged = keep
	v.showQueued(queued)
	v.setEnabled(true)
	v.d.win.Canvas().Focus(v.opinion)
}

// setEnabled turns the buttons on (the decision ones armed, and only while
// the applicant waits here) or off.
func (v *reviewView) setEnabled(on bool) {
	gen := v.gen
	for key, b := range v.buttons {
		switch {
		case key == "back":
			b.Enable()
		case !on:
			b.Disable()
		case decisionKeys[key] && !v.actionable():
			b.Disable()
		case decisionKeys[key]:
			v.d.arm(b, func() bool { return v.gen == gen && v.actionable() })
		default:
			b.Enable()
		}
	}
}

// actionable: the application still waits in this list for this unit
// (an optimistic pass moved it on; the cache says so at once).
func (v *reviewView) actionable() bool {
	a := v.detail.Application
	me, _ := v.d.app.Session.Me()
	return a.ID == v.item.ID && a.Stage == v.list.stage && a.HolderUnitID == me.UnitID
}

// showQueued shows 待同步 / 冲突 for the applicant, 【撤销】 while its queued
// action can be undone, and the note's state.
func (v *reviewView) showQueued(queued map[string]app.QueuedAction) {
	q, ok := queued[v.item.ID]
	v.queued = q
	v.mark.Importance = widget.MediumImportance
	v.mark.SetText("")
	if c, conflict := v.list.conflicts[v.item.ID]; conflict {
		v.mark.Importance = widget.DangerImportance
		v.mark.SetText("冲突：" + c.Reason)
	}
	v.undo.Hide()
	if ok {
		v.mark.Importance = widget.WarningImportance
		v.mark.SetText("待同步：" + q.Action)
		if q.Undoable {
			v.undo.Show()
		} else {
			v.mark.SetText("正在提交：" + q.Action)
		}
	}
	v.mark.Refresh()
	v.note.refresh(queued, v.list.conflicts)
}

// refreshMarks re-reads the applicant and the outbox after a sync.
func (v *reviewView) refreshMarks() {
	id, gen, ids := v.item.ID, v.gen, append(v.note.ids(), v.item.ID)
	v.d.run(func() func() {
		ctx, cancel := v.d.ctx()
		defer cancel()
		d, err := v.d.app.Reviews.Detail(ctx, id)
		var queued map[string]app.QueuedAction
		if err == nil {
			queued, err = v.d.app.Reviews.Queued(ctx, ids)
		}
		return func() {
			if err != nil || v.gen != gen {
				return
			}
			was := v.actionable()
			v.detail.Pending, v.detail.Application = d.Pending, d.Application
			v.showQueued(queued)
			if was != v.actionable() {
				v.setEnabled(true)
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

// active: the view is what the window shows now, with no dialog over it.
func (v *reviewView) active() bool {
	l := v.list
	return v.d.main == l.main && l.shown() && len(l.root.Objects) == 1 && l.root.Objects[0] == v.content && l.view == v &&
		v.d.win.Canvas().Overlays().Top() == nil // a dialog is about the applicant shown: no moving under it
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

// moveTo opens the row at index i, skipping the application skip when it
// is still there; with no such row it goes back to the list, which shows
// the note. end (may be "") is said when the list has no row there.
func (v *reviewView) moveTo(i int, skip, end string) {
	rowAt := v.list.rowAtFunc()
	v.setEnabled(false)
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
				v.setEnabled(true)
			case !ok && skip == "":
				v.say("已经是列表中的"+map[bool]string{true: "第一位", false: "最后一位"}[i < v.index]+"申报人", false)
				v.setEnabled(true)
			case !ok:
				v.close()
				v.list.adoptNote(v.note, end)
			default:
				v.message.Hide()
				v.open(i, app.ItemOf(r))
			}
		}
	})
}

// close goes back to the list, keeping what was typed as a draft.
func (v *reviewView) close() {
	v.flushDraft()
	v.gen++
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
