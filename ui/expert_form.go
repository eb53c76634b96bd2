package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// expertForm is 【新增专家】 (EXP-1) and, after 【确认】, the second dialog
// choosing the 评审委员会 (EXP-2).
type expertForm struct {
	d       *Desk
	entries map[string]*widget.Entry
	series  *widget.Select
	level   *widget.Select
	gender  *widget.Label // derived from the ID number
	errs    map[string]*widget.Label
	message *widget.Label
	next    *widget.Button
	dlg     *dialog.CustomDialog
	onDone  func(model.Expert)

	// The committee dialog, once open.
	committees []model.Committee
	choose     *widget.CheckGroup
	chooseErr  *widget.Label
	submit     *widget.Button
	chooseDlg  *dialog.CustomDialog
}

var expertFieldLabels = map[string]string{
	"name": "姓名", "id_number": "身份证号码", "gender": "性别", "phone": "手机号码", "title": "职称",
	"series": "职称系列", "level": "职称级别", "specialty": "专业", "work_unit": "工作单位",
	"position": "职务", "email": "电子邮箱",
}

var expertFormOrder = []string{"name", "id_number", "gender", "phone", "title", "series", "level", "specialty",
	"work_unit", "position", "email"}

func (d *Desk) newExpertForm(onDone func(model.Expert)) *expertForm {
	f := &expertForm{d: d, entries: map[string]*widget.Entry{}, errs: map[string]*widget.Label{}, onDone: onDone}
	required := map[string]bool{"name": true, "id_number": true, "phone": true, "title": true, "series": true,
		"level": true, "specialty": true, "work_unit": true}
	grid := container.New(layout.NewFormLayout())
	for _, key := range expertFormOrder {
		var w fyne.CanvasObject
		switch key {
		case "gender":
			f.gender = widget.NewLabel("根据身份证号码自动识别")
			f.gender.SizeName = theme.SizeNameCaptionText
			w = f.gender
		case "series":
			labels := make([]string, len(model.AllSeries))
			for i, s := range model.AllSeries {
				labels[i] = s.Label
			}
			f.series = widget.NewSelect(labels, nil)
			f.series.PlaceHolder = "请选择"
			w = f.series
		case "level":
			labels := make([]string, len(model.AllLevels))
			for i, l := range model.AllLevels {
				labels[i] = l.Label()
			}
			f.level = widget.NewSelect(labels, nil)
			f.level.PlaceHolder = "请选择"
			w = f.level
		default:
			e := widget.NewEntry()
			f.entries[key] = e
			w = e
		}
		label := expertFieldLabels[key]
		if required[key] {
			label = "* " + label
		}
		errLabel := widget.NewLabel("")
		errLabel.Importance = widget.DangerImportance
		errLabel.Wrapping = fyne.TextWrapWord
		errLabel.Hide()
		f.errs[key] = errLabel
		grid.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{}))
		grid.Add(container.NewVBox(w, errLabel))
	}
	f.entries["id_number"].SetPlaceHolder("18位，末位可为X")
	f.entries["id_number"].OnChanged = func(s string) { f.showGender(s) }
	f.entries["phone"].SetPlaceHolder("11位手机号码")
	f.entries["title"].SetPlaceHolder("如 正高级工程师、研究员")
	f.message = widget.NewLabel("")
	f.message.Importance = widget.DangerImportance
	f.message.Wrapping = fyne.TextWrapWord
	f.message.Hide()
	note := widget.NewLabel("标*为必填项。确认后请选择需要推荐到的评审委员会。")
	note.SizeName = theme.SizeNameCaptionText
	f.next = widget.NewButton("确认", f.confirm)
	f.next.Importance = widget.HighImportance
	cancel := widget.NewButton("取消", func() { f.dlg.Hide() })
	inset := canvas.NewRectangle(color.Transparent)
	inset.SetMinSize(fyne.NewSize(theme.ScrollBarSize()+theme.Padding(), 0))
	body := container.NewBorder(f.message, note, nil, nil, container.NewVScroll(container.NewBorder(nil, nil, nil, inset, grid)))
	f.dlg = dialog.NewCustomWithoutButtons("新增专家", body, d.win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.next})
	f.dlg.Resize(fyne.NewSize(640, 640))
	return f
}

func (f *expertForm) showGender(id string) {
	if info, err := model.ParseIDNumber(id); err == nil {
		f.gender.SetText(info.Gender.Label())
		return
	}
	f.gender.SetText("根据身份证号码自动识别")
}

func (f *expertForm) collect() model.Expert {
	text := func(k string) string { return strings.TrimSpace(f.entries[k].Text) }
	e := model.Expert{Name: text("name"), IDNumber: text("id_number"), Phone: text("phone"), Title: text("title"),
		Specialty: text("specialty"), WorkUnit: text("work_unit"), Position: text("position"), Email: text("email")}
	for _, s := range model.AllSeries {
		if s.Label == f.series.Selected {
			e.Series = s.Code
		}
	}
	for _, l := range model.AllLevels {
		if l.Label() == f.level.Selected {
			e.Level = l
		}
	}
	return e
}

// confirm checks the form (model.Expert.Validate) and opens the committee
// dialog when it is complete.
func (f *expertForm) confirm() {
	e := f.collect()
	if err := f.d.app.Experts.Check(e); err != nil {
		f.showErrors(app.FieldErrors(err))
		return
	}
	f.showErrors(nil)
	f.next.Disable()
	f.d.run(func() func() {
		ctx, cancel := f.d.ctx()
		defer cancel()
		cs, err := f.d.app.Experts.Committees(ctx)
		return func() {
			f.next.Enable()
			if err != nil {
				f.d.showError(err)
				return
			}
			f.openCommittees(e, cs)
		}
	})
}

func (f *expertForm) showErrors(fields map[string]string) {
	var names []string
	for _, k := range expertFormOrder {
		if m, ok := fields[k]; ok {
			f.errs[k].SetText(m)
			f.errs[k].Show()
			names = append(names, expertFieldLabels[k])
		} else {
			f.errs[k].Hide()
		}
	}
	if len(names) == 0 {
		f.message.Hide()
		return
	}
	f.message.SetText("请修改标红的项目：" + strings.Join(names, "、"))
	f.message.Show()
}

// openCommittees is the second dialog: the committees of the expert's
// series first, then the rest; one or more are chosen.
func (f *expertForm) openCommittees(e model.Expert, all []model.Committee) {
	var mine, others []model.Committee
	for _, c := range all {
		if c.Series == e.Series {
			mine = append(mine, c)
		} else {
			others = append(others, c)
		}
	}
	f.committees = append(mine, others...)
	names := make([]string, len(f.committees))
	for i, c := range f.committees {
		names[i] = c.Name
	}
	f.choose = widget.NewCheckGroup(names, nil)
	if len(mine) == 1 {
		f.choose.SetSelected([]string{mine[0].Name})
	}
	f.chooseErr = widget.NewLabel("")
	f.chooseErr.Importance = widget.DangerImportance
	f.chooseErr.Hide()
	f.submit = widget.NewButton("提交推荐", func() { f.recommend(e) })
	f.submit.Importance = widget.HighImportance
	back := widget.NewButton("返回修改", func() { f.chooseDlg.Hide() })
	head := widget.NewLabel("推荐专家：" + e.Name + "（" + e.Title + "，" + e.Series.Label() + "）\n请选择需要推荐到的评审委员会（可多选）：")
	head.Wrapping = fyne.TextWrapWord
	f.chooseDlg = dialog.NewCustomWithoutButtons("选择评审委员会",
		container.NewBorder(head, f.chooseErr, nil, nil, container.NewVScroll(f.choose)), f.d.win)
	f.chooseDlg.SetButtons([]fyne.CanvasObject{back, f.submit})
	f.chooseDlg.Resize(fyne.NewSize(560, 560))
	f.chooseDlg.Show()
}

func (f *expertForm) recommend(e model.Expert) {
	chosen := map[string]bool{}
	for _, n := range f.choose.Selected {
		chosen[n] = true
	}
	var ids []string
	for _, c := range f.committees {
		if chosen[c.Name] {
			ids = append(ids, c.ID)
		}
	}
	f.submit.Disable()
	f.d.run(func() func() {
		ctx, cancel := f.d.ctx()
		defer cancel()
		created, err := f.d.app.Experts.Create(ctx, e, ids)
		return func() {
			f.submit.Enable()
			if err != nil {
				fields := app.FieldErrors(err)
				if msg, ok := fields["committee_ids"]; ok {
					f.chooseErr.SetText(msg)
					f.chooseErr.Show()
					return
				}
				f.chooseDlg.Hide()
				f.showErrors(fields)
				if len(fields) == 0 {
					f.d.showError(err)
				}
				return
			}
			f.chooseDlg.Hide()
			f.dlg.Hide()
			if f.onDone != nil {
				f.onDone(created)
			}
		}
	})
}
