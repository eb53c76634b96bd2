package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// registrationsScreen is 下级单位注册审核 (UNIT-1): the self-registered
// units that named this unit as superior, 【批量通过】 and 【批量不通过】.
type registrationsScreen struct {
	d         *Desk
	rows      []app.RegistrationRow
	list      *pickTable
	count     *widget.Label
	note      *widget.Label // the last action's outcome, or a load error
	approve   *action
	reject    *action
	undo      *action // 【撤销】 the queued decision on the registration shown
	details   *fyne.Container
	shownID   string          // the registration the details show
	rejectUI  *decisionDialog // the 批量不通过 dialog last opened, for tests
	approveUI *decisionDialog // the 批量通过 confirmation last opened, for tests
	content   fyne.CanvasObject
}

func (d *Desk) newRegistrationsScreen() *registrationsScreen {
	s := &registrationsScreen{d: d}
	s.list = newPickTable([]string{"单位名称", "统一社会信用代码", "单位类型", "联系人", "联系电话", "提交时间", "状态"},
		[]float32{220, 180, 80, 80, 120, 135, 130})
	s.list.key = func(i int) string { return s.rows[i].Registration.ID }
	s.list.locked = func(i int) bool { return s.rows[i].Queued != "" }
	s.list.cell = func(i, col int) string {
		r := s.rows[i]
		u := r.Registration.Unit
		return [...]string{u.Name, u.CreditCode, u.Type.Label(), u.Contact, u.Phone,
			r.Registration.SubmittedAt.Local().Format("2006-01-02 15:04"), r.QueuedLabel()}[col]
	}
	s.list.onPick = s.picksChanged
	s.list.onSelect = func(i int) { s.showDetails(s.rows[i]) }

	s.count = widget.NewLabel("")
	s.note = widget.NewLabel("")
	s.note.Wrapping = fyne.TextWrapWord
	s.note.Hide()
	picked := func() bool { return len(s.list.pickedRows()) > 0 }
	approve := widget.NewButtonWithIcon("批量通过", theme.ConfirmIcon(), nil)
	approve.Importance = widget.HighImportance
	s.approve = actOnce(approve, picked, s.approveClicked)
	reject := widget.NewButtonWithIcon("批量不通过", theme.CancelIcon(), nil)
	s.reject = actOnce(reject, picked, s.rejectClicked)
	refresh := widget.NewButtonWithIcon("刷新", theme.ViewRefreshIcon(), nil)
	d.tapOnce(refresh, nil, s.load)
	undo := widget.NewButtonWithIcon("撤销", theme.ContentUndoIcon(), nil)
	s.undo = actOnce(undo, func() bool { return s.shownQueued() }, s.undoClicked)
	hint := widget.NewLabel("自行注册并选择本单位为上级单位的单位。勾选后点击【批量通过】，该单位成为本单位的下级单位；" +
		"【批量不通过】退回后，该单位可修改信息（含上级单位）后重新提交。")
	hint.Wrapping = fyne.TextWrapWord
	hint.SizeName = theme.SizeNameCaptionText

	s.details = container.NewVBox()
	s.clearDetails()
	top := container.NewVBox(
		container.NewHBox(screenHeading("下级单位注册审核"), s.count, layout.NewSpacer(), refresh, undo, approve, reject),
		hint, s.note)
	split := container.NewVSplit(s.list.table, widget.NewCard("单位详细信息", "", container.NewVScroll(s.details)))
	split.Offset = 0.55
	s.content = container.NewBorder(top, nil, nil, nil, visibleSplit(split))
	s.picksChanged()
	s.load()
	d.refreshOnSync(navRegistrations, s.content, s.load)
	return s
}

// screenHeading is a screen's bold heading.
func screenHeading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// load reads the list from the cache.
func (s *registrationsScreen) load() {
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		rows, err := s.d.app.Registrations.Pending(ctx)
		return func() {
			if err != nil {
				s.say("读取注册申请失败："+app.Explain(err), true)
				return
			}
			s.rows = rows
			s.list.setRows(len(rows))
			s.count.SetText(fmt.Sprintf("共 %d 个单位", len(rows)))
			s.followList()
		}
	})
}

func (s *registrationsScreen) picksChanged() {
	s.approve.refresh()
	s.reject.refresh()
}

func (s *registrationsScreen) picked() []model.Registration {
	var out []model.Registration
	for _, i := range s.list.pickedRows() {
		out = append(out, s.rows[i].Registration)
	}
	return out
}

func unitNames(regs []model.Registration) []string {
	out := make([]string, len(regs))
	for i, r := range regs {
		out[i] = r.Unit.Name
	}
	return out
}

func (s *registrationsScreen) say(msg string, bad bool) { showNote(s.note, msg, bad) }

func (s *registrationsScreen) approveClicked(done func()) {
	defer done()
	regs := s.picked()
	if len(regs) == 0 {
		return
	}
	s.approveUI = s.d.newDecisionDialog(decisionSpec{
		title: fmt.Sprintf("批量通过 — %d 个单位", len(regs)),
		about: fmt.Sprintf("通过以下 %d 个单位的注册申请，它们将成为本单位的下级单位：%s", len(regs), namesText(unitNames(regs), "个单位")),
		ok:    fmt.Sprintf("确认通过 %d 个单位", len(regs)),
		submit: func(_ string, finish func(error)) {
			s.decide(regs, "", false, finish)
		},
	})
}

func (s *registrationsScreen) rejectClicked(done func()) {
	defer done()
	regs := s.picked()
	if len(regs) == 0 {
		return
	}
	s.rejectUI = s.d.newDecisionDialog(decisionSpec{
		title: fmt.Sprintf("批量不通过 — %d 个单位", len(regs)),
		about: fmt.Sprintf("退回以下 %d 个单位的注册申请，它们可修改信息（含上级单位）后重新提交：%s", len(regs),
			namesText(unitNames(regs), "个单位")),
		ok: fmt.Sprintf("确认退回 %d 个单位", len(regs)), reason: true,
		reasonHint: "请填写不通过原因，该原因将告知申请单位",
		submit: func(reason string, finish func(error)) {
			s.decide(regs, reason, true, finish)
		},
	})
}

// decide queues the decision; finish gets the refusal, if any.
func (s *registrationsScreen) decide(regs []model.Registration, reason string, reject bool, finish func(error)) {
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		var err error
		if reject {
			err = s.d.app.Registrations.Reject(ctx, regs, reason)
		} else {
			err = s.d.app.Registrations.Approve(ctx, regs)
		}
		return func() {
			finish(err)
			if err != nil {
				return
			}
			verb := "通过"
			if reject {
				verb = "退回"
			}
			s.say(fmt.Sprintf("已%s %d 个单位：%s。状态栏“待同步”为 0 后生效。", verb, len(regs),
				namesText(unitNames(regs), "个单位")), false)
			s.load()
		}
	})
}

// shownQueued: the registration in the details has a decision waiting to sync.
func (s *registrationsScreen) shownQueued() bool {
	for _, r := range s.rows {
		if r.Registration.ID == s.shownID {
			return r.Queued != ""
		}
	}
	return false
}

// undoClicked takes back the decision on the registration shown (BEY-7).
func (s *registrationsScreen) undoClicked(done func()) {
	var reg model.Registration
	for _, r := range s.rows {
		if r.Registration.ID == s.shownID {
			reg = r.Registration
		}
	}
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		err := s.d.app.Registrations.Undo(ctx, reg)
		return func() {
			defer done()
			if err != nil {
				s.say("撤销失败："+app.Explain(err), true)
				return
			}
			s.say("已撤销对“"+reg.Unit.Name+"”的审核，可重新审核", false)
			s.load()
		}
	})
}

// followList keeps the details with the list: a registration that left it
// (decided and synced, or withdrawn) is no longer shown, one still listed
// shows its current state.
func (s *registrationsScreen) followList() {
	for _, r := range s.rows {
		if r.Registration.ID == s.shownID {
			s.showDetails(r)
			return
		}
	}
	s.clearDetails()
}

func (s *registrationsScreen) clearDetails() {
	s.shownID = ""
	s.details.Objects = []fyne.CanvasObject{widget.NewLabel("点击列表中的单位查看详细信息")}
	s.details.Refresh()
	s.undo.refresh()
}

// showDetails fills the details panel with every field of the registered unit.
func (s *registrationsScreen) showDetails(r app.RegistrationRow) {
	s.shownID = r.Registration.ID
	defer s.undo.refresh()
	me, _ := s.d.app.Session.Me() // the registration names this unit as superior
	s.details.Objects = []fyne.CanvasObject{unitDetails(r.Registration.Unit, me.UnitName,
		[2]string{"提交时间", r.Registration.SubmittedAt.Local().Format("2006-01-02 15:04")},
		[2]string{"状态", r.QueuedLabel()})}
	s.details.Refresh()
}
