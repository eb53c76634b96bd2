package ui

import (
	"context"
	"image/color"
	"strconv"
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

// unitFieldLabels are the unit form's labels by field key (model.Unit).
var unitFieldLabels = map[string]string{
	"name": "单位名称", "credit_code": "统一社会信用代码", "parent_id": "上级单位", "type": "单位类型",
	"kind": "单位类别", "post_managed": "全面实行岗位管理的事业单位",
	"address": "单位地址", "postal_code": "邮政编码", "contact": "联系人", "phone": "联系电话", "email": "电子邮箱",
	"economic_type": "经济类型", "industry": "所属行业", "staff_count": "从业人员数", "revenue": "上年度营业收入(万元)",
}

// unitFormOrder is the form's field order (model.Unit's last four last).
var unitFormOrder = []string{"name", "credit_code", "parent_id", "type", "kind", "post_managed", "address",
	"postal_code", "contact", "phone", "email", "economic_type", "industry", "staff_count", "revenue"}

func fieldLabels(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = unitFieldLabels[k]
	}
	return out
}

// Choices offered for the HOME-2 fields; the person may type others.
var (
	economicTypes = model.EconomicTypes
	industries    = []string{"农、林、牧、渔业", "制造业", "建筑业", "批发和零售业", "交通运输、仓储和邮政业",
		"信息传输、软件和信息技术服务业", "金融业", "房地产业", "租赁和商务服务业", "科学研究和技术服务业",
		"水利、环境和公共设施管理业", "教育", "卫生和社会工作", "文化、体育和娱乐业", "公共管理、社会保障和社会组织", "其他"}
)

// unitForm is the unit form: 【基本信息维护】 of the own unit (HOME-1,
// HOME-2, ACC-1: locked fields read-only), and in 下级单位管理 【新增下级单位】
// (UNIT-3) and 【修改单位信息】 (UNIT-4), where the locked fields are editable.
type unitForm struct {
	d       *Desk
	form    app.UnitForm
	spec    unitFormSave
	locked  map[string]*widget.Entry // read-only, with the hint
	entries map[string]*widget.Entry
	econ    map[string]*widget.Entry // the HOME-2 fields (two of them with choices)
	post    *widget.Check
	// 下级单位 forms only: 单位类型, 单位类别 (new units) and 上级单位 (a
	// descendant may move within the subtree).
	typeSel, kindSel, parentSel *widget.Select
	parentIDs                   map[string]string        // parentSel option → unit ID
	errs                        map[string]*widget.Label // field-level messages
	message                     *widget.Label            // the form-level message
	save                        *widget.Button
	body                        fyne.CanvasObject
	dlg                         *dialog.CustomDialog
}

// unitFormSave is what the form is for: its title, where a descendant may
// be moved (FormSubunit), the service call of 【保存】 and what follows it.
type unitFormSave struct {
	title   string
	parents []app.UnitNode
	save    func(ctx context.Context, u model.Unit) error
	onSaved func()
}

// showUnitForm loads the unit and opens its form; onSaved runs after a save.
func (d *Desk) showUnitForm(onSaved func()) {
	d.run(func() func() {
		ctx, cancel := d.ctx()
		defer cancel()
		f, err := d.app.Units.Mine(ctx)
		return func() {
			if err != nil {
				d.showError(err)
				return
			}
			d.newUnitForm(f, onSaved).dlg.Show()
		}
	})
}

// newUnitForm is 【基本信息维护】 of the logged-in unit.
func (d *Desk) newUnitForm(f app.UnitForm, onSaved func()) *unitForm {
	return d.newUnitFormFor(f, unitFormSave{title: "基本信息维护", save: d.app.Units.SaveMine, onSaved: onSaved})
}

// newUnitFormFor builds the form for f.Mode; spec says what saving does.
func (d *Desk) newUnitFormFor(f app.UnitForm, spec unitFormSave) *unitForm {
	u := f.Unit
	uf := &unitForm{d: d, form: f, spec: spec, locked: map[string]*widget.Entry{},
		entries: map[string]*widget.Entry{}, econ: map[string]*widget.Entry{}, errs: map[string]*widget.Label{}}
	own := f.Mode == app.FormOwnUnit
	grid := container.New(layout.NewFormLayout())
	row := func(key string, w fyne.CanvasObject, hint string) {
		label := unitFieldLabels[key]
		if f.RequireEconomics && isEconomicsField(key) || key == "contact" || key == "phone" || !own && isIdentityField(key) {
			label = "* " + label
		}
		errLabel := widget.NewLabel("")
		errLabel.Importance = widget.DangerImportance
		errLabel.Wrapping = fyne.TextWrapWord
		errLabel.Hide()
		uf.errs[key] = errLabel
		cell := container.NewVBox(w, errLabel)
		if hint != "" {
			h := widget.NewLabel(hint)
			h.SizeName = theme.SizeNameCaptionText
			cell = container.NewVBox(container.NewBorder(nil, nil, nil, h, w), errLabel)
		}
		grid.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{}))
		grid.Add(cell)
	}
	lockedEntry := func(key, value, hint string) {
		e := widget.NewEntry()
		e.SetText(value)
		e.Disable() // ACC-1: shown, never editable here
		uf.locked[key] = e
		row(key, e, hint)
	}
	if own {
		lockedEntry("name", u.Name, app.LockedFieldHint)
		lockedEntry("credit_code", u.CreditCode, app.LockedFieldHint)
		lockedEntry("parent_id", f.ParentName, app.LockedFieldHint)
		lockedEntry("type", u.Type.Label(), app.LockedFieldHint)
	} else {
		uf.identityRows(row, lockedEntry)
	}

	uf.post = widget.NewCheck("是", nil)
	uf.post.SetChecked(u.PostManaged)
	row("post_managed", uf.post, "")
	for _, k := range []struct{ key, value, placeholder string }{
		{"address", u.Address, ""}, {"postal_code", u.PostalCode, "6位数字"}, {"contact", u.Contact, ""},
		{"phone", u.Phone, "如 022-23456789 或 13812345678"}, {"email", u.Email, ""},
	} {
		e := widget.NewEntry()
		e.SetText(k.value)
		e.SetPlaceHolder(k.placeholder)
		uf.entries[k.key] = e
		row(k.key, e, "")
	}
	staff := ""
	if u.StaffCount != 0 {
		staff = strconv.Itoa(u.StaffCount)
	}
	for _, k := range []struct {
		key, value string
		options    []string
	}{
		{"economic_type", u.EconomicType, economicTypes}, {"industry", u.Industry, industries},
		{"staff_count", staff, nil}, {"revenue", u.Revenue, nil},
	} {
		if k.options == nil {
			e := widget.NewEntry()
			e.SetText(k.value)
			uf.econ[k.key] = e
			row(k.key, e, "")
			continue
		}
		e := widget.NewSelectEntry(k.options)
		e.SetText(k.value)
		uf.econ[k.key] = &e.Entry
		row(k.key, e, "")
	}

	uf.message = widget.NewLabel("")
	uf.message.Wrapping = fyne.TextWrapWord
	uf.message.Importance = widget.DangerImportance
	uf.message.Hide()
	note := widget.NewLabel("※如本单位有专业技术人才申报经济系列职称，单位必须填写最后4项。")
	note.Wrapping = fyne.TextWrapWord
	note.SizeName = theme.SizeNameCaptionText
	uf.save = widget.NewButton("保存", uf.submit)
	uf.save.Importance = widget.HighImportance
	cancel := widget.NewButton("取消", func() { uf.dlg.Hide() })

	// The scroll bar is drawn over the content: keep the hints clear of it.
	inset := canvas.NewRectangle(color.Transparent)
	inset.SetMinSize(fyne.NewSize(theme.ScrollBarSize()+theme.Padding(), 0))
	uf.body = container.NewBorder(uf.message, note, nil, nil,
		container.NewVScroll(container.NewBorder(nil, nil, nil, inset, grid)))
	uf.dlg = dialog.NewCustomWithoutButtons(spec.title, uf.body, d.win)
	uf.dlg.SetButtons([]fyne.CanvasObject{cancel, uf.save})
	uf.dlg.Resize(fyne.NewSize(820, 660))
	d.lastUnitForm = uf
	return uf
}

// identityRows are the locked fields of a 下级单位 form, editable by the
// department (UNIT-3, UNIT-4); only 单位类别 of an existing unit stays fixed.
func (uf *unitForm) identityRows(row func(string, fyne.CanvasObject, string), lockedEntry func(key, value, hint string)) {
	u := uf.form.Unit
	for _, k := range []struct{ key, value, placeholder string }{
		{"name", u.Name, "2至100个字"}, {"credit_code", u.CreditCode, "18位数字或大写字母"},
	} {
		e := widget.NewEntry()
		e.SetText(k.value)
		e.SetPlaceHolder(k.placeholder)
		uf.entries[k.key] = e
		row(k.key, e, "")
	}
	if uf.form.Mode == app.FormSubunit {
		uf.parentIDs = map[string]string{}
		var options []string
		for _, n := range uf.spec.parents {
			label := strings.Repeat("　", n.Depth) + n.Unit.Name
			if _, dup := uf.parentIDs[label]; dup {
				label += "（" + n.Unit.CreditCode + "）"
			}
			uf.parentIDs[label] = n.Unit.ID
			options = append(options, label)
		}
		uf.parentSel = widget.NewSelect(options, nil)
		for label, id := range uf.parentIDs {
			if id == u.ParentID {
				uf.parentSel.SetSelected(label)
			}
		}
		row("parent_id", uf.parentSel, "")
	} else {
		lockedEntry("parent_id", uf.form.ParentName, "在单位关系树中所选单位")
	}
	uf.typeSel = widget.NewSelect(unitTypeChoices(model.AllUnitTypes), nil)
	uf.typeSel.PlaceHolder = "请选择"
	if u.Type != "" {
		uf.typeSel.SetSelected(u.Type.Label())
	}
	row("type", uf.typeSel, "")
	if uf.form.Mode == app.FormNewSubunit {
		uf.kindSel = widget.NewSelect([]string{model.UnitEmployer.Label(), model.UnitDepartment.Label()}, nil)
		uf.kindSel.SetSelected(u.Kind.Label())
		row("kind", uf.kindSel, "")
	} else {
		lockedEntry("kind", u.Kind.Label(), "单位类别不能修改")
	}
}

func unitTypeChoices(types []model.UnitType) []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = t.Label()
	}
	return out
}

func isIdentityField(key string) bool {
	return key == "name" || key == "credit_code" || key == "type" || key == "kind" || key == "parent_id"
}

func isEconomicsField(key string) bool {
	for _, k := range model.EconomicUnitFields {
		if k == key {
			return true
		}
	}
	return false
}

// collect builds the edited unit. A staff count that is not a number is
// reported as a field error here, since the model field is an int.
func (uf *unitForm) collect() (model.Unit, map[string]string) {
	u := uf.form.Unit
	u.PostManaged = uf.post.Checked
	text := func(k string) string { return strings.TrimSpace(uf.entries[k].Text) }
	u.Address, u.PostalCode, u.Contact, u.Phone, u.Email = text("address"), text("postal_code"), text("contact"), text("phone"), text("email")
	econ := func(k string) string { return strings.TrimSpace(uf.econ[k].Text) }
	u.EconomicType, u.Industry, u.Revenue = econ("economic_type"), econ("industry"), econ("revenue")
	if uf.form.Mode != app.FormOwnUnit {
		u.Name, u.CreditCode = text("name"), strings.ToUpper(text("credit_code"))
		u.Type = ""
		for _, t := range model.AllUnitTypes {
			if t.Label() == uf.typeSel.Selected {
				u.Type = t
			}
		}
		if uf.kindSel != nil {
			u.Kind = model.UnitEmployer
			if uf.kindSel.Selected == model.UnitDepartment.Label() {
				u.Kind = model.UnitDepartment
			}
		}
		if uf.parentSel != nil {
			u.ParentID = uf.parentIDs[uf.parentSel.Selected]
		}
	}
	u.StaffCount = 0
	if s := econ("staff_count"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return u, map[string]string{"staff_count": "从业人员数应为正整数"}
		}
		u.StaffCount = n
	}
	return u, nil
}

func (uf *unitForm) submit() {
	u, bad := uf.collect()
	if bad != nil {
		uf.showErrors("", bad)
		return
	}
	uf.save.Disable()
	uf.d.run(func() func() {
		ctx, cancel := uf.d.ctx()
		defer cancel()
		err := uf.spec.save(ctx, u)
		return func() {
			uf.save.Enable()
			if err != nil {
				uf.showErrors(app.Explain(err), app.FieldErrors(err))
				return
			}
			uf.dlg.Hide()
			if uf.spec.onSaved != nil {
				uf.spec.onSaved()
			}
		}
	})
}

// showErrors puts each field's message under it and msg above the form.
func (uf *unitForm) showErrors(msg string, fields map[string]string) {
	for k, l := range uf.errs {
		if m, ok := fields[k]; ok {
			l.SetText(m)
			l.Show()
		} else {
			l.Hide()
		}
	}
	if len(fields) > 0 { // name them: some may be scrolled out of view
		var names []string
		for _, k := range unitFormOrder {
			if _, ok := fields[k]; ok {
				names = append(names, unitFieldLabels[k])
			}
		}
		msg = "保存失败，请修改标红的项目：" + strings.Join(names, "、")
	}
	uf.message.SetText(msg)
	uf.message.Show()
}
