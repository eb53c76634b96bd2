package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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
	approve   *widget.Button
	reject    *widget.Button
	details   *fyne.Container
	rejectUI  *reasonDialog  // the open 批量不通过 dialog, for tests
	approveOK *widget.Button // the open 批量通过 confirmation's button, for tests
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
	s.approve = widget.NewButtonWithIcon("批量通过", theme.ConfirmIcon(), s.approveClicked)
	s.approve.Importance = widget.HighImportance
	s.reject = widget.NewButtonWithIcon("批量不通过", theme.CancelIcon(), s.rejectClicked)
	refresh := widget.NewButtonWithIcon("刷新", theme.ViewRefreshIcon(), s.load)
	hint := widget.NewLabel("自行注册并选择本单位为上级单位的单位。勾选后点击【批量通过】，该单位成为本单位的下级单位；" +
		"【批量不通过】退回后，该单位可修改信息（含上级单位）后重新提交。")
	hint.Wrapping = fyne.TextWrapWord
	hint.SizeName = theme.SizeNameCaptionText

	s.details = container.NewVBox(widget.NewLabel("点击列表中的单位查看详细信息"))
	top := container.NewVBox(
		container.NewHBox(screenHeading("下级单位注册审核"), s.count, layout.NewSpacer(), refresh, s.reject, s.approve),
		hint, s.note)
	split := container.NewVSplit(s.list.table, widget.NewCard("单位详细信息", "", container.NewVScroll(s.details)))
	split.Offset = 0.55
	s.content = container.NewBorder(top, nil, nil, nil, split)
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
		}
	})
}

func (s *registrationsScreen) picksChanged() {
	if len(s.list.pickedRows()) == 0 {
		s.approve.Disable()
		s.reject.Disable()
		return
	}
	s.approve.Enable()
	s.reject.Enable()
}

func (s *registrationsScreen) picked() []model.Registration {
	var out []model.Registration
	for _, i := range s.list.pickedRows() {
		out = append(out, s.rows[i].Registration)
	}
	return out
}

func (s *registrationsScreen) say(msg string, bad bool) { showNote(s.note, msg, bad) }

func (s *registrationsScreen) approveClicked() {
	regs := s.picked()
	if len(regs) == 0 {
		return
	}
	msg := fmt.Sprintf("确认通过选中的 %d 个单位的注册申请？通过后它们将成为本单位的下级单位。", len(regs))
	s.approveOK = s.d.askConfirm("批量通过", msg, "确认通过", func() { s.decide(regs, "", false) })
}

func (s *registrationsScreen) rejectClicked() {
	regs := s.picked()
	if len(regs) == 0 {
		return
	}
	s.rejectUI = s.d.newReasonDialog(fmt.Sprintf("退回选中的 %d 个单位的注册申请", len(regs)),
		func(reason string, done func(error)) {
			s.decideThen(regs, reason, true, done)
		})
	s.rejectUI.dlg.Show()
	s.d.win.Canvas().Focus(s.rejectUI.reason)
}

func (s *registrationsScreen) decide(regs []model.Registration, reason string, reject bool) {
	s.decideThen(regs, reason, reject, func(err error) {
		if err != nil {
			s.d.showError(err)
		}
	})
}

// decideThen queues the decision; done gets the refusal, if any.
func (s *registrationsScreen) decideThen(regs []model.Registration, reason string, reject bool, done func(error)) {
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
			done(err)
			if err != nil {
				return
			}
			verb := "通过"
			if reject {
				verb = "退回"
			}
			s.say(fmt.Sprintf("已%s %d 个单位，将在同步后生效（待同步）", verb, len(regs)), false)
			s.load()
		}
	})
}

// showDetails fills the details panel with every field of the registered unit.
func (s *registrationsScreen) showDetails(r app.RegistrationRow) {
	me, _ := s.d.app.Session.Me() // the registration names this unit as superior
	s.details.Objects = []fyne.CanvasObject{unitDetails(r.Registration.Unit, me.UnitName,
		[2]string{"提交时间", r.Registration.SubmittedAt.Local().Format("2006-01-02 15:04")},
		[2]string{"状态", r.QueuedLabel()})}
	s.details.Refresh()
}

// reasonDialog asks for the required 不通过原因 and keeps itself open
// until the reason is accepted.
type reasonDialog struct {
	reason  *widget.Entry
	errMsg  *widget.Label
	confirm *widget.Button
	dlg     *dialog.CustomDialog
}

func (d *Desk) newReasonDialog(what string, submit func(reason string, done func(error))) *reasonDialog {
	r := &reasonDialog{reason: widget.NewMultiLineEntry(), errMsg: widget.NewLabel("")}
	r.reason.SetPlaceHolder("请填写不通过原因，该原因将告知申请单位")
	r.reason.SetMinRowsVisible(5)
	r.reason.Wrapping = fyne.TextWrapWord
	r.errMsg.Importance = widget.DangerImportance
	r.errMsg.Hide()
	cancel := widget.NewButton("取消", func() { r.dlg.Hide() })
	r.confirm = widget.NewButton("确认", func() {
		r.confirm.Disable()
		submit(r.reason.Text, func(err error) {
			r.confirm.Enable()
			if err != nil {
				msg := app.FieldErrors(err)["reason"]
				if msg == "" {
					msg = app.Explain(err)
				}
				r.errMsg.SetText(msg)
				r.errMsg.Show()
				return
			}
			r.dlg.Hide()
		})
	})
	r.confirm.Importance = widget.HighImportance
	body := container.NewVBox(widget.NewLabel(what), widget.NewLabel("* 不通过原因"), r.reason, r.errMsg)
	r.dlg = dialog.NewCustomWithoutButtons("批量不通过", container.NewGridWrap(fyne.NewSize(480, 260), body), d.win)
	r.dlg.SetButtons([]fyne.CanvasObject{cancel, r.confirm})
	return r
}
