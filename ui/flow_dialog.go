package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// showFlow is 【查看经办流程】 (REV-4): every step of the application with
// its unit, person, action, opinion and time, oldest first, and where it
// is now. done (may be nil) runs once it is shown.
func (d *Desk) showFlow(id string, done func()) {
	d.run(func() func() {
		ctx, cancel := d.ctx()
		defer cancel()
		detail, err := d.app.Reviews.Detail(ctx, id)
		return func() {
			if done != nil {
				defer done()
			}
			if err != nil {
				d.showError(err)
				return
			}
			d.showFlowOf(detail)
		}
	})
}

func (d *Desk) showFlowOf(detail app.ReviewDetail) {
	a := detail.Application
	steps := container.NewVBox()
	for i, s := range a.Flow {
		head := widget.NewLabelWithStyle(fmt.Sprintf("%d. %s  %s", s.Seq, s.At.Local().Format("2006-01-02 15:04"), s.Action.Label()),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		unit := s.UnitName
		if unit == "" {
			unit = detail.UnitNames[s.UnitID]
		}
		who := widget.NewLabel(fmt.Sprintf("办理单位：%s    经办人：%s    %s → %s", unit, s.Person, s.FromStage.Label(), s.ToStage.Label()))
		who.Wrapping = fyne.TextWrapWord
		who.SizeName = theme.SizeNameCaptionText
		steps.Add(head)
		steps.Add(who)
		if text := a.StepText(i); text != "" {
			op := widget.NewLabel("意见：" + text)
			op.Wrapping = fyne.TextWrapWord
			steps.Add(op)
		}
		steps.Add(widget.NewSeparator())
	}
	if len(a.Flow) == 0 {
		steps.Add(widget.NewLabel("暂无经办记录"))
	}
	now := widget.NewLabel("当前环节：" + a.Stage.Label() + holderText(detail))
	if len(detail.Pending) > 0 {
		now.SetText(now.Text + "（含本机待同步的操作）")
	}
	content := container.NewBorder(now, nil, nil, nil, container.NewVScroll(steps))
	dlg := d.newInfoDialog("经办流程 — "+detail.Applicant.Name+" "+a.TitleName, "关闭", content)
	dlg.dlg.Resize(fyne.NewSize(720, 560))
	d.lastDialogText = flowText(now, steps)
	dlg.show()
}

// flowText is the dialog's text, for tests.
func flowText(now *widget.Label, steps *fyne.Container) string {
	out := now.Text
	for _, o := range steps.Objects {
		if l, ok := o.(*widget.Label); ok {
			out += "\n" + l.Text
		}
	}
	return out
}
