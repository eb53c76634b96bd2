package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// returnChecklist is the 一次性告知 checklist of a 不通过 (BEY-3): the
// department's problems grouped by material, each a check box; the ticked
// ones and the free text reach the applicant as one list.
type returnChecklist struct {
	checks  []*widget.Check
	reasons []model.ReturnReason
	box     fyne.CanvasObject
}

func newReturnChecklist(reasons []model.ReturnReason) *returnChecklist {
	c := &returnChecklist{reasons: reasons}
	list := container.NewVBox()
	var last model.Material = "-"
	for _, r := range reasons {
		if r.Material != last {
			last = r.Material
			list.Add(widget.NewLabelWithStyle(r.Material.Label(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		}
		ch := widget.NewCheck(r.Text, nil)
		c.checks = append(c.checks, ch)
		list.Add(ch)
	}
	// A long list scrolls inside the dialog: it must fit 1024×600 screens.
	scroll := container.NewVScroll(list)
	scroll.SetMinSize(fyne.NewSize(480, 200))
	c.box = container.NewVBox(widget.NewLabel("一次性告知：勾选发现的问题（可多选），将与下方意见一并告知申报人"), scroll)
	return c
}

// selected lists the ticked problems in checklist order.
func (c *returnChecklist) selected() []model.ReturnProblem {
	var out []model.ReturnProblem
	for i, ch := range c.checks {
		if ch.Checked {
			out = append(out, model.ReturnProblem{Material: c.reasons[i].Material, Text: c.reasons[i].Text})
		}
	}
	return out
}

// tick checks the problems whose text is given (tests, drafts).
func (c *returnChecklist) tick(texts ...string) {
	for i, r := range c.reasons {
		for _, t := range texts {
			if r.Text == t {
				c.checks[i].SetChecked(true)
			}
		}
	}
}

// withReturnReasons reads the checklist off the UI goroutine and hands it
// to then on it (a failed read shows the error and hands over the default
// list, so a 不通过 can still be given).
func (d *Desk) withReturnReasons(then func([]model.ReturnReason)) {
	d.run(func() func() {
		ctx, cancel := d.ctx()
		defer cancel()
		reasons, err := d.app.Reviews.ReturnReasons(ctx)
		return func() {
			if err != nil {
				d.showError(err)
				reasons = model.DefaultReturnReasons()
			}
			then(reasons)
		}
	})
}

// returnReasonsDialog is 【问题清单设置】: the department adds and deletes
// the items of its 一次性告知 checklist (like 常用意见设置).
type returnReasonsDialog struct {
	d        *Desk
	reasons  []model.ReturnReason
	rows     *fyne.Container
	material *widget.Select
	text     *widget.Entry
	message  *widget.Label
	add      *widget.Button
	dlg      *dialog.CustomDialog
}

func (d *Desk) showReturnReasons(done func()) {
	d.withReturnReasons(func(reasons []model.ReturnReason) {
		defer done()
		s := &returnReasonsDialog{d: d, reasons: reasons, rows: container.NewVBox(), message: dangerLabel()}
		labels := make([]string, len(model.AllMaterials))
		for i, m := range model.AllMaterials {
			labels[i] = m.Label()
		}
		s.material = widget.NewSelect(labels, nil)
		s.material.SetSelectedIndex(0)
		s.text = widget.NewEntry()
		s.text.SetPlaceHolder("问题，如：学历证书不清晰")
		s.add = widget.NewButtonWithIcon("添加", theme.ContentAddIcon(), s.addClicked)
		s.add.Importance = widget.HighImportance
		s.fill()
		editor := container.NewBorder(nil, s.message, s.material, s.add, s.text)
		info := d.newInfoDialog("一次性告知问题清单设置", "关闭", container.NewBorder(nil, editor, nil, nil,
			container.NewVScroll(s.rows)))
		s.dlg = info.dlg
		s.dlg.Resize(fyne.NewSize(min(680, d.win.Canvas().Size().Width-40), min(520, d.win.Canvas().Size().Height-40)))
		info.show()
		d.lastReasons = s
	})
}

func (s *returnReasonsDialog) fill() {
	s.rows.Objects = nil
	for _, r := range s.reasons {
		r := r
		del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			s.do(func(ctx context.Context) error { return s.d.app.Reviews.DeleteReturnReason(ctx, r) })
		})
		s.rows.Add(container.NewBorder(nil, nil, widget.NewLabel("【"+r.Material.Label()+"】"), del, widget.NewLabel(r.Text)))
	}
	s.rows.Refresh()
}

func (s *returnReasonsDialog) addClicked() {
	r := model.ReturnReason{Material: model.AllMaterials[max(0, s.material.SelectedIndex())], Text: s.text.Text}
	s.do(func(ctx context.Context) error { return s.d.app.Reviews.SaveReturnReason(ctx, r) })
}

// do runs one change, then shows the list as it now is; meanwhile and
// for a moment after, the list takes no click.
func (s *returnReasonsDialog) do(change func(ctx context.Context) error) {
	s.d.armButtons(s.rows)
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		err := change(ctx)
		var reasons []model.ReturnReason
		if err == nil {
			reasons, err = s.d.app.Reviews.ReturnReasons(ctx)
		}
		return func() {
			if err != nil {
				s.message.SetText(explainField(err, "text"))
				s.message.Show()
				return
			}
			s.message.Hide()
			s.text.SetText("")
			s.reasons = reasons
			s.fill()
			s.d.armButtons(s.rows)
		}
	})
}

// explainField is a refusal's message for one field, else its explanation.
func explainField(err error, field string) string {
	if msg := app.FieldErrors(err)[field]; msg != "" {
		return msg
	}
	return app.Explain(err)
}
