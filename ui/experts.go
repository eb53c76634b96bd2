package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// expertsScreen is 专家推荐 (EXP-1, EXP-2): the experts this unit
// recommended with their status per committee, and 【新增专家】.
type expertsScreen struct {
	d       *Desk
	all     []app.ExpertItem // as read
	items   []app.ExpertItem // those the search finds, as shown
	search  *widget.Entry
	table   *widget.Table
	count   *widget.Label
	note    *widget.Label
	add     *widget.Button
	form    *expertForm // the form last opened, for tests
	content fyne.CanvasObject
}

var expertColumns = []struct {
	header string
	width  float32
}{
	{"姓名", 70}, {"身份证号", 168}, {"职称", 100}, {"职称系列", 100}, {"专业", 80}, {"工作单位", 120},
	{"同步", 66}, {"推荐的评审委员会及状态", 300},
}

func (d *Desk) newExpertsScreen() *expertsScreen {
	s := &expertsScreen{d: d}
	s.table = widget.NewTable(
		func() (int, int) { return len(s.items), len(expertColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("天津市工程技术人员高级职称评审委员会")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.cell(id.Row, id.Col)) },
	)
	s.table.ShowHeaderRow = true
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(expertColumns[id.Col].header)
	}
	for i, c := range expertColumns {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.items) {
			s.showExpert(s.items[id.Row])
		}
		s.table.UnselectAll()
	}
	s.count = widget.NewLabel("")
	s.note = widget.NewLabel("")
	s.note.Wrapping = fyne.TextWrapWord
	s.note.Hide()
	s.add = widget.NewButtonWithIcon("新增专家", theme.ContentAddIcon(), func() {
		s.form = s.d.newExpertForm(s.created)
		s.form.dlg.Show()
		s.d.win.Canvas().Focus(s.form.entries["name"])
	})
	s.add.Importance = widget.HighImportance
	refresh := widget.NewButtonWithIcon("刷新", theme.ViewRefreshIcon(), nil)
	d.tapOnce(refresh, nil, s.load)
	hint := widget.NewLabel("点击【新增专家】录入专家信息（标*必填），确认后选择需要推荐到的评审委员会，确认后即可提交推荐。")
	hint.Wrapping = fyne.TextWrapWord
	hint.SizeName = theme.SizeNameCaptionText
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder("搜索姓名、身份证号、工作单位或专业")
	s.search.OnChanged = func(string) { s.filter() }
	d.mark("experts/search", s.search)
	top := container.NewVBox(container.NewHBox(screenHeading("专家推荐"), s.count, layout.NewSpacer(), refresh, s.add), hint,
		s.search, s.note)
	s.content = container.NewBorder(top, nil, nil, nil, s.table)
	s.load()
	d.refreshOnSync(navExperts, s.content, s.load)
	return s
}

func (s *expertsScreen) cell(row, col int) string {
	it := s.items[row]
	e := it.Expert
	switch col {
	case 0:
		return e.Name
	case 1:
		return model.MaskIDNumber(e.IDNumber)
	case 2:
		return e.Title
	case 3:
		return e.Series.Label()
	case 4:
		return e.Specialty
	case 5:
		return e.WorkUnit
	case 6:
		if it.Queued {
			return "待同步"
		}
		return "已同步"
	case 7:
		return committeeStatuses(it.Committees, true)
	}
	return ""
}

// committeeStatuses reads "天津市…评审委员会：已推荐；…"; short names drop
// the common "天津市" and "职称评审委员会" for the list column.
func committeeStatuses(cs []app.ExpertCommittee, short bool) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		name := c.Name
		if name == "" {
			name = "（评审委员会未同步）"
		}
		if short {
			name = strings.TrimSuffix(strings.TrimPrefix(name, "天津市"), "职称评审委员会") + "评委会"
		}
		parts[i] = name + "：" + c.Status.Label()
	}
	if len(parts) == 0 {
		return "尚未推荐"
	}
	return strings.Join(parts, "；")
}

func (s *expertsScreen) load() {
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		items, err := s.d.app.Experts.List(ctx)
		return func() {
			if err != nil {
				s.note.SetText("读取专家失败：" + app.Explain(err))
				s.note.Importance = widget.DangerImportance
				s.note.Show()
				return
			}
			s.all = items
			s.filter()
		}
	})
}

// filter shows the experts the search finds (app.MatchExperts).
func (s *expertsScreen) filter() {
	s.items = app.MatchExperts(s.all, s.search.Text)
	if len(s.items) == len(s.all) {
		s.count.SetText(fmt.Sprintf("已推荐专家 %d 人", len(s.all)))
	} else {
		s.count.SetText(fmt.Sprintf("已推荐专家 %d 人，找到 %d 人", len(s.all), len(s.items)))
	}
	s.table.Refresh()
}

// created follows a successful 【提交推荐】.
func (s *expertsScreen) created(e model.Expert) {
	s.note.SetText(fmt.Sprintf("已推荐专家 %s，将在同步后提交到服务器（待同步）", e.Name))
	s.note.Importance = widget.SuccessImportance
	s.note.Show()
	s.note.Refresh()
	s.load()
}

// showExpert shows every field of one expert.
func (s *expertsScreen) showExpert(it app.ExpertItem) {
	e := it.Expert
	form := container.New(layout.NewFormLayout())
	for _, f := range [][2]string{
		{"姓名", e.Name}, {"身份证号", model.MaskIDNumber(e.IDNumber)}, {"性别", e.Gender.Label()}, {"手机号码", e.Phone},
		{"职称", e.Title}, {"职称系列", e.Series.Label()}, {"级别", e.Level.Label()}, {"专业", e.Specialty},
		{"工作单位", e.WorkUnit}, {"职务", e.Position}, {"电子邮箱", e.Email},
	} {
		v := f[1]
		if strings.TrimSpace(v) == "" {
			v = "—"
		}
		form.Add(widget.NewLabelWithStyle(f[0], fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		form.Add(widget.NewLabel(v))
	}
	recs := widget.NewLabel(strings.ReplaceAll(committeeStatuses(it.Committees, false), "；", "\n"))
	recs.Wrapping = fyne.TextWrapWord
	s.d.showDetailsDialog("专家信息", container.NewVBox(form, widget.NewSeparator(),
		widget.NewLabelWithStyle("推荐的评审委员会及状态", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), recs),
		fyne.NewSize(560, 520))
}
