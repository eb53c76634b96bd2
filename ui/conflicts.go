package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// navConflicts is the 同步冲突 view, opened from the status bar's count.
const navConflicts = "conflicts"

// conflictsScreen is 同步冲突 (DC-1): every action the server refused, its
// reason, and what the person typed; 【重新提交】 queues it again unchanged,
// 【放弃】 drops it (an application's opinion and form stay as its draft).
type conflictsScreen struct {
	widget.BaseWidget
	d       *Desk
	main    *mainScreen
	items   []app.Conflict
	list    *fyne.Container
	message *widget.Label
	root    fyne.CanvasObject
	last    app.Status
	stop    func()
	// the buttons of each conflict, by conflict ID (tests tap them)
	resubmit, discard map[int64]*widget.Button
}

func (d *Desk) newConflictsScreen() *conflictsScreen {
	s := &conflictsScreen{d: d, main: d.main, list: container.NewVBox(), message: widget.NewLabel("")}
	s.ExtendBaseWidget(s)
	s.message.Wrapping = fyne.TextWrapWord
	s.message.Hide()
	title := widget.NewLabelWithStyle("同步冲突", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	hint := widget.NewLabel("以下操作未被服务器接受。可按服务器说明的原因处理后【重新提交】，或【放弃】该操作（已填写的审核意见会保留为草稿）。")
	hint.Wrapping = fyne.TextWrapWord
	hint.SizeName = theme.SizeNameCaptionText
	s.root = container.NewBorder(container.NewVBox(title, hint, s.message), nil, nil, nil, container.NewVScroll(s.list))
	s.reload()
	s.stop = d.app.Session.OnStatus(func(st app.Status) { d.post(func() { s.onStatus(st) }) })
	return s
}

func (s *conflictsScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.root)
}

func (s *conflictsScreen) onStatus(st app.Status) {
	if s.d.main != s.main || len(s.main.content.Objects) == 0 || s.main.content.Objects[0] != s {
		if s.stop != nil {
			s.stop()
			s.stop = nil
		}
		return
	}
	prev := s.last
	s.last = st
	if prev != (app.Status{}) && (st.Conflicts != prev.Conflicts || !st.LastSync.Equal(prev.LastSync)) {
		s.reload()
	}
}

func (s *conflictsScreen) reload() {
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		items, err := s.d.app.Conflicts.List(ctx)
		return func() {
			if err != nil {
				s.say(app.Explain(err), true)
				return
			}
			s.items = items
			s.fill()
		}
	})
}

func (s *conflictsScreen) fill() {
	s.list.Objects = nil
	s.resubmit, s.discard = map[int64]*widget.Button{}, map[int64]*widget.Button{}
	if len(s.items) == 0 {
		s.list.Add(widget.NewLabel("没有同步冲突"))
	}
	for _, c := range s.items {
		c := c
		head := widget.NewLabelWithStyle("【"+c.Action+"】"+c.Subject+"    "+c.At.Local().Format("2006-01-02 15:04"),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		reason := widget.NewLabel("服务器原因：" + c.Reason)
		reason.Wrapping = fyne.TextWrapWord
		reason.Importance = widget.DangerImportance
		box := container.NewVBox(head, reason)
		if c.Opinion != "" {
			op := widget.NewLabel("您填写的意见：" + c.Opinion)
			op.Wrapping = fyne.TextWrapWord
			box.Add(op)
		}
		if c.Form {
			box.Add(widget.NewLabel("已保留您填写的推荐和公示 / 聘任信息"))
		}
		again := widget.NewButtonWithIcon("重新提交", theme.ViewRefreshIcon(), func() { s.resolve(c, true) })
		again.Importance = widget.HighImportance
		drop := widget.NewButtonWithIcon("放弃", theme.DeleteIcon(), func() { s.resolve(c, false) })
		s.resubmit[c.ID], s.discard[c.ID] = again, drop
		box.Add(container.NewHBox(layout.NewSpacer(), drop, again))
		s.list.Add(widget.NewCard("", "", box))
	}
	s.list.Refresh()
}

func (s *conflictsScreen) resolve(c app.Conflict, again bool) {
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		var err error
		if again {
			err = s.d.app.Conflicts.Resubmit(ctx, c.ID)
		} else {
			err = s.d.app.Conflicts.Discard(ctx, c)
		}
		return func() {
			switch {
			case err != nil:
				s.say("【"+c.Action+"】"+c.Subject+" 未能重新提交："+app.Explain(err), true)
			case again:
				s.say("已重新提交：【"+c.Action+"】"+c.Subject+"（待同步）", false)
			default:
				s.say("已放弃：【"+c.Action+"】"+c.Subject, false)
			}
			s.reload()
		}
	})
}

func (s *conflictsScreen) say(msg string, problem bool) {
	s.message.SetText(msg)
	s.message.Importance = map[bool]widget.Importance{true: widget.DangerImportance, false: widget.SuccessImportance}[problem]
	s.message.Show()
	s.message.Refresh()
}

// tapArea makes any object tappable (the status bar's 同步冲突 count).
type tapArea struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
}

func newTapArea(content fyne.CanvasObject, onTap func()) *tapArea {
	t := &tapArea{content: content, onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tapArea) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.content) }
func (t *tapArea) Tapped(*fyne.PointEvent)             { t.onTap() }
func (t *tapArea) Cursor() desktop.Cursor              { return desktop.PointerCursor }
