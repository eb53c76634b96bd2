package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// passForm is the dialog 【通过】 opens where the list needs a form
// (单位推荐和公示, 聘任信息) and the one 【批量通过】 opens for every list:
// the form is filled once, submit runs off the UI goroutine, refusals
// come back as field messages and the dialog stays open with what was typed.
type passForm struct {
	d       *Desk
	kind    app.FormKind
	fields  *fieldSet
	files   *attachmentPicker
	opinion *widget.Entry // batch only: the single view has its own opinion box
	days    *widget.Label // 公示期 working days, recommendation only
	submit  *widget.Button
	body    fyne.CanvasObject
	dlg     *dialog.CustomDialog
	// onSubmit queues the action (off the UI goroutine); onDone runs on the
	// UI goroutine after it succeeded; onChange after every edit (drafts).
	onSubmit func(in app.PassInput) error
	onDone   func()
	onChange func(fields map[string]string, files []model.Attachment)
	onCancel func() // closed without submitting
	cancel   *defaultButton
	scroll   *container.Scroll // the fields and attachments
	shown    bool
	done     bool // submitted
}

// passFormOptions say what the dialog holds.
type passFormOptions struct {
	title       string
	kind        app.FormKind
	withOpinion bool              // batch: one opinion for all
	postManaged []string          // applicants whose unit needs the 事业单位岗位情况表
	draft       map[string]string // typed values to restore
	files       []model.Attachment
	note        string // e.g. who the batch covers
	ok          string // the submit button, e.g. "确认通过 3 人"
}

func (d *Desk) newPassForm(o passFormOptions) *passForm {
	pf := &passForm{d: d, kind: o.kind, fields: newFieldSet()}
	var kinds []model.AttachmentKind
	switch o.kind {
	case app.FormRecommendation:
		pf.addRecommendationFields()
		kinds = []model.AttachmentKind{model.AttachPublicity, model.AttachPostStatusForm, model.AttachRecommendation, model.AttachOther}
	case app.FormAppointment:
		pf.addAppointmentFields()
		kinds = []model.AttachmentKind{model.AttachAppointment, model.AttachOther}
	}
	top := container.NewVBox()
	if o.note != "" {
		n := widget.NewLabel(o.note)
		n.Wrapping = fyne.TextWrapWord
		top.Add(n)
	}
	top.Add(pf.fields.message)
	parts := container.NewVBox(pf.fields.grid)
	if kinds != nil {
		pf.files = newAttachmentPicker(d, kinds, o.files)
		pf.files.changed = pf.changed
		parts.Add(widget.NewLabelWithStyle("附件", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		if len(o.postManaged) > 0 {
			n := widget.NewLabel("※全面实行岗位管理的事业单位，必须上传“事业单位岗位情况表”（" + strings.Join(o.postManaged, "、") + "）")
			n.Wrapping = fyne.TextWrapWord
			n.Importance = widget.WarningImportance
			parts.Add(n)
		}
		parts.Add(pf.files.box)
	}
	if o.withOpinion {
		pf.opinion = widget.NewMultiLineEntry()
		pf.opinion.SetPlaceHolder("审核意见（选填，将用于所有勾选的申报人）")
		pf.opinion.SetMinRowsVisible(3)
		parts.Add(widget.NewLabelWithStyle("审核意见", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		parts.Add(pf.opinion)
	}
	pf.fields.set(o.draft)
	pf.fields.changed = pf.changed
	pf.changed()
	pf.submit = widget.NewButton(o.ok, nil)
	pf.submit.Importance = widget.HighImportance
	actOnce(pf.submit, func() bool { return pf.shown }, pf.doSubmit)
	pf.cancel = newDefaultButton("取消", func() { pf.dlg.Hide() })
	pf.scroll = container.NewVScroll(container.NewPadded(parts))
	d.mark("form/scroll", pf.scroll)
	pf.body = container.NewBorder(top, nil, nil, nil, pf.scroll)
	if pf.files != nil {
		pf.files.reveal = func(o fyne.CanvasObject) { scrollIntoView(pf.scroll, o) }
	}
	d.mark("form/submit", pf.submit)
	d.mark("form/cancel", pf.cancel)
	for k, o := range pf.fields.inputs {
		d.mark("form/field/"+k, o)
	}
	if pf.opinion != nil {
		d.mark("form/opinion", pf.opinion)
	}
	pf.dlg = dialog.NewCustomWithoutButtons(o.title, pf.body, d.win)
	pf.dlg.SetButtons([]fyne.CanvasObject{pf.cancel, pf.submit})
	pf.dlg.SetOnClosed(func() {
		pf.shown = false
		if !pf.done && pf.onCancel != nil {
			pf.onCancel()
		}
	})
	return pf
}

// show opens the dialog sized to the window, 【取消】 the default and the
// submit button armed (it may have appeared under a double-click).
func (pf *passForm) show() {
	win := pf.d.win.Canvas().Size()
	pf.dlg.Resize(fyne.NewSize(min(780, win.Width-24), min(660, win.Height-24)))
	pf.shown = true
	pf.dlg.Show()
	pf.d.arm(pf.submit, func() bool { return pf.shown })
	pf.d.win.Canvas().Focus(pf.cancel)
}

func (pf *passForm) changed() {
	if pf.days != nil {
		pf.showWorkingDays()
	}
	if pf.onChange != nil {
		pf.onChange(pf.fields.values(), pf.attached())
	}
}

func (pf *passForm) attached() []model.Attachment {
	if pf.files == nil {
		return nil
	}
	return pf.files.files
}

// input reads the dialog into what the pass command carries.
func (pf *passForm) input() (app.PassInput, error) {
	var in app.PassInput
	if pf.opinion != nil {
		in.Opinion = pf.opinion.Text
	}
	switch pf.kind {
	case app.FormRecommendation:
		rec, bad := app.ParseRecommendation(pf.fields.values(), pf.attached())
		if bad != nil {
			return in, app.FormError(bad)
		}
		in.Recommendation = &rec
	case app.FormAppointment:
		a, bad := app.ParseAppointment(pf.fields.values())
		if bad != nil {
			return in, app.FormError(bad)
		}
		in.Appointment, in.Attachments = &a, pf.attached()
	}
	return in, nil
}

func (pf *passForm) doSubmit(done func()) {
	if pf.files != nil && pf.files.reading > 0 {
		pf.fields.message.SetText("附件正在读取，请等附件列出后再提交")
		pf.fields.message.Show()
		done()
		return
	}
	in, err := pf.input()
	if err != nil {
		pf.showError(err)
		done()
		return
	}
	pf.d.run(func() func() {
		err := pf.onSubmit(in)
		return func() {
			if err != nil {
				pf.showError(err)
				done()
				return
			}
			pf.done = true
			pf.fields.clearErrors()
			pf.dlg.Hide()
			done()
			if pf.onDone != nil {
				pf.onDone()
			}
		}
	})
}

func (pf *passForm) showError(err error) {
	pf.fields.showError(err)
	if pf.files != nil {
		pf.files.showError(app.FieldErrors(err))
	}
}
