package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// fieldSet is a form of labelled entries keyed by the model's field keys,
// each with its own message line, shared by the pass forms.
type fieldSet struct {
	order   []string
	entries map[string]*widget.Entry
	inputs  map[string]fyne.CanvasObject // what is on screen for each entry (a SelectEntry for a choice)
	errs    map[string]*widget.Label
	grid    *fyne.Container
	message *widget.Label // the form-level message
	changed func()        // after any edit (drafts)
}

func newFieldSet() *fieldSet {
	f := &fieldSet{entries: map[string]*widget.Entry{}, inputs: map[string]fyne.CanvasObject{}, errs: map[string]*widget.Label{},
		grid: container.New(layout.NewFormLayout()), message: dangerLabel()}
	return f
}

func dangerLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// add puts a row in the form; w is what is shown (an entry, or an entry
// with a note beside it), e the entry whose text is the field's value.
func (f *fieldSet) add(key string, required bool, w fyne.CanvasObject, e *widget.Entry) {
	label := app.FieldLabels[key]
	if required {
		label = "* " + label
	}
	f.order = append(f.order, key)
	f.entries[key] = e
	f.inputs[key] = e
	f.errs[key] = dangerLabel()
	e.OnChanged = func(string) {
		if f.changed != nil {
			f.changed()
		}
	}
	f.grid.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{}))
	f.grid.Add(container.NewVBox(w, f.errs[key]))
}

// entry adds a one-line entry with a placeholder.
func (f *fieldSet) entry(key string, required bool, placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(placeholder)
	f.add(key, required, e, e)
	return e
}

// choice adds an entry with suggestions (the person may type others).
func (f *fieldSet) choice(key string, required bool, options []string) *widget.Entry {
	e := widget.NewSelectEntry(options)
	f.add(key, required, e, &e.Entry)
	f.inputs[key] = e
	return &e.Entry
}

func (f *fieldSet) values() map[string]string {
	out := make(map[string]string, len(f.entries))
	for k, e := range f.entries {
		out[k] = e.Text
	}
	return out
}

func (f *fieldSet) set(values map[string]string) {
	keep := f.changed
	f.changed = nil // restoring a draft is not an edit
	for k, e := range f.entries {
		e.SetText(values[k])
	}
	f.changed = keep
}

// showError puts each field's message under it and a summary above.
func (f *fieldSet) showError(err error) {
	fields := app.FieldErrors(err)
	for k, l := range f.errs {
		if m, ok := fields[k]; ok {
			l.SetText(m)
			l.Show()
		} else {
			l.Hide()
		}
	}
	msg := app.Explain(err)
	var names []string
	for _, k := range append(f.order, "attachments", "opinion") {
		if _, ok := fields[k]; ok {
			names = append(names, app.FieldLabels[k])
		}
	}
	if len(names) > 0 {
		msg = "提交失败，请修改标红的项目：" + strings.Join(names, "、")
	}
	f.message.SetText(msg)
	f.message.Show()
}

func (f *fieldSet) clearErrors() {
	for _, l := range f.errs {
		l.Hide()
	}
	f.message.Hide()
}

// attachmentPicker is the upload block of a pass form: choose the kind,
// one button per kind of material (so the kind is never a hidden choice),
// see what is attached, remove or open it.
type attachmentPicker struct {
	d       *Desk
	files   []model.Attachment
	uploads map[model.AttachmentKind]*widget.Button
	list    *fyne.Container
	err     *widget.Label // the attachments field message
	changed func()
	// reveal scrolls the form to show o: the outcome of a choice, which
	// may lie below the fold on a small screen. Nil: nothing to scroll.
	reveal func(o fyne.CanvasObject)
	box    fyne.CanvasObject
	// reading counts the chosen files still being read and kept (a 20 MB
	// scan takes a moment); busy says so, and the form waits for them.
	reading int
	busy    *widget.Label
}

func newAttachmentPicker(d *Desk, kinds []model.AttachmentKind, files []model.Attachment) *attachmentPicker {
	p := &attachmentPicker{d: d, files: append([]model.Attachment(nil), files...), list: container.NewVBox(), err: dangerLabel(),
		uploads: map[model.AttachmentKind]*widget.Button{}}
	buttons := container.NewGridWithColumns(2)
	for _, k := range kinds {
		k := k
		b := widget.NewButtonWithIcon("上传"+k.Label(), theme.UploadIcon(), nil)
		b.Alignment = widget.ButtonAlignLeading
		d.tapOnce(b, nil, func() { p.choose(k) })
		d.mark("form/upload/"+string(k), b)
		p.uploads[k] = b
		buttons.Add(b)
	}
	hint := widget.NewLabel("PDF、JPG 或 PNG，每个不超过 20 MB")
	hint.SizeName = theme.SizeNameCaptionText
	p.busy = widget.NewLabel("")
	p.busy.Importance = widget.LowImportance
	p.busy.Hide()
	p.box = container.NewVBox(buttons, hint, p.list, p.busy, p.err)
	p.refresh()
	return p
}

// choose opens the app's file chooser on PDF, JPG and PNG files, in the
// folder attachments came from last time, and attaches the file as kind.
func (p *attachmentPicker) choose(kind model.AttachmentKind) {
	p.d.chooseFile("选择附件："+kind.Label(), attachmentTypes, folderAttachments, func(path string) {
		p.attachFile(path, kind)
	})
}

// attachFile reads the file at path and attaches it as kind, saying
// meanwhile that it is being read.
func (p *attachmentPicker) attachFile(path string, kind model.AttachmentKind) {
	p.reading++
	p.err.Hide()
	p.busy.SetText("正在读取“" + filepath.Base(path) + "”，请稍候…")
	p.busy.Show()
	p.show(p.busy)
	p.d.run(func() func() {
		data, err := p.d.app.Reviews.ReadUpload(path)
		if err != nil {
			return func() { p.doneReading(); p.refuse(err) }
		}
		return func() { p.keep(filepath.Base(path), kind, data, p.doneReading) }
	})
}

func (p *attachmentPicker) doneReading() {
	if p.reading--; p.reading == 0 {
		p.busy.Hide()
	}
}

// add keeps the file locally as kind and lists it.
func (p *attachmentPicker) add(name string, kind model.AttachmentKind, data []byte) {
	p.keep(name, kind, data, nil)
}

// keep is add; then, when not nil, runs once the outcome is shown.
func (p *attachmentPicker) keep(name string, kind model.AttachmentKind, data []byte, then func()) {
	p.d.run(func() func() {
		ctx, cancel := p.d.ctx()
		defer cancel()
		a, err := p.d.app.Reviews.AddAttachment(ctx, name, kind, data)
		return func() {
			if then != nil {
				defer then()
			}
			if err != nil {
				p.refuse(err)
				return
			}
			p.err.Hide()
			defer p.show(p.list)
			for _, f := range p.files {
				if f.SHA256 == a.SHA256 && f.Kind == a.Kind {
					return
				}
			}
			p.files = append(p.files, a)
			p.refresh()
			if p.changed != nil {
				p.changed()
			}
		}
	})
}

// refuse shows why a chosen file was not attached.
func (p *attachmentPicker) refuse(err error) {
	p.err.SetText(app.Explain(err))
	p.err.Show()
	p.show(p.err)
}

func (p *attachmentPicker) show(o fyne.CanvasObject) {
	if p.reveal != nil {
		p.reveal(o)
	}
}

func (p *attachmentPicker) refresh() {
	p.list.Objects = nil
	if len(p.files) == 0 {
		l := widget.NewLabel("尚未上传附件")
		l.SizeName = theme.SizeNameCaptionText
		p.list.Add(l)
	}
	for i, f := range p.files {
		i := i
		name := widget.NewLabel(fmt.Sprintf("【%s】%s（%s）", f.Kind.Label(), f.Name, sizeText(f.Size)))
		name.Truncation = fyne.TextTruncateEllipsis
		p.d.mark(fmt.Sprintf("form/file/%d", i), name)
		remove := widget.NewButtonWithIcon("删除", theme.DeleteIcon(), func() {
			p.files = append(p.files[:i:i], p.files[i+1:]...)
			p.refresh()
			if p.changed != nil {
				p.changed()
			}
		})
		p.list.Add(container.NewBorder(nil, nil, nil, remove, name))
	}
	p.list.Refresh()
}

func (p *attachmentPicker) showError(fields map[string]string) {
	if m, ok := fields["attachments"]; ok {
		p.err.SetText(m)
		p.err.Show()
	} else {
		p.err.Hide()
	}
}

func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", max(n>>10, 1))
}
