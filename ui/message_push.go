package ui

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// messagePushScreen is 消息推送 (MSG-1, MSG-2): pick 用人单位 and 申报人 of
// the subtree, 【编辑信息】, 【发送】, and the sent history.
type messagePushScreen struct {
	d      *Desk
	units  *recipientTab
	people *recipientTab
	// chosen keeps every pick across both tabs and searches, in pick order.
	chosen   map[model.Recipient]bool
	order    []model.Recipient
	summary  *widget.Label
	edit     *widget.Button
	clear    *widget.Button
	note     *widget.Label
	sent     []app.SentItem
	sentList *widget.List
	tabs     *container.AppTabs
	compose  *composeDialog // the dialog last opened, for tests
	content  fyne.CanvasObject
}

// recipientTab is one kind of recipient: a search box and a pick table.
type recipientTab struct {
	kind   model.RecipientKind
	rows   []app.RecipientRow
	search *widget.Entry
	list   *pickTable
	found  *widget.Label
	box    fyne.CanvasObject
}

func (d *Desk) newMessagePushScreen() *messagePushScreen {
	s := &messagePushScreen{d: d, chosen: map[model.Recipient]bool{}}
	s.units = s.newRecipientTab(model.RecipientUnit, "按单位名称查询", []string{"单位名称"}, []float32{520})
	s.people = s.newRecipientTab(model.RecipientApplicant, "按姓名或身份证号查询", []string{"姓名", "身份证号", "所在单位"},
		[]float32{120, 200, 320})
	s.summary = widget.NewLabel("")
	s.edit = widget.NewButtonWithIcon("编辑信息", theme.MailComposeIcon(), s.editClicked)
	s.edit.Importance = widget.HighImportance
	s.clear = widget.NewButton("清空选择", func() {
		s.chosen, s.order = map[model.Recipient]bool{}, nil
		for _, t := range []*recipientTab{s.units, s.people} {
			t.list.picked = map[string]bool{}
			t.list.table.Refresh()
		}
		s.chosenChanged()
	})
	s.note = widget.NewLabel("")
	s.note.Wrapping = fyne.TextWrapWord
	s.note.Hide()

	s.sentList = widget.NewList(
		func() int { return len(s.sent) },
		func() fyne.CanvasObject {
			title := widget.NewLabelWithStyle("关于做好年度职称评审工作的通知", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			title.Truncation = fyne.TextTruncateEllipsis
			meta := widget.NewLabel("2026-01-01 10:00 · 发送给 3 个对象")
			meta.SizeName = theme.SizeNameCaptionText
			meta.Truncation = fyne.TextTruncateEllipsis
			return container.New(layout.NewCustomPaddedVBoxLayout(-12), title, meta)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			it := s.sent[i]
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(it.Message.Title)
			meta := fmt.Sprintf("%s · 发送给 %d 个对象：%s", it.Message.SentAt.Local().Format("2006-01-02 15:04"),
				len(it.Message.Recipients), recipientNames(it.Message.Recipients, 6))
			if it.Queued {
				meta = "待同步 · " + meta
			}
			c.Objects[1].(*widget.Label).SetText(meta)
		},
	)
	s.sentList.OnSelected = func(i widget.ListItemID) {
		s.sentList.Unselect(i)
		if i < len(s.sent) {
			s.showSent(s.sent[i])
		}
	}

	s.tabs = container.NewAppTabs(
		container.NewTabItem("用人单位", s.units.box),
		container.NewTabItem("申报人", s.people.box),
		container.NewTabItem("已发送", s.sentList),
	)
	s.tabs.OnSelected = func(t *container.TabItem) {
		if t.Text == "已发送" {
			s.loadSent()
		}
	}
	hint := widget.NewLabel("查询并勾选需要通知的用人单位或申报人（可跨页签多选），点击【编辑信息】，在弹出窗口中输入信息后点击【发送】。")
	hint.Wrapping = fyne.TextWrapWord
	hint.SizeName = theme.SizeNameCaptionText
	top := container.NewVBox(container.NewHBox(screenHeading("消息推送"), layout.NewSpacer(), s.clear, s.edit),
		hint, s.summary, s.note)
	s.content = container.NewBorder(top, nil, nil, nil, s.tabs)
	s.chosenChanged()
	s.units.load(s)
	s.people.load(s)
	s.loadSent()
	d.refreshOnSync(navMessages, s.content, s.loadSent)
	return s
}

func (s *messagePushScreen) newRecipientTab(kind model.RecipientKind, placeholder string, headers []string, widths []float32) *recipientTab {
	t := &recipientTab{kind: kind, search: widget.NewEntry(), found: widget.NewLabel("")}
	t.search.SetPlaceHolder(placeholder)
	t.search.OnSubmitted = func(string) { t.load(s) }
	t.list = newPickTable(headers, widths)
	t.list.key = func(i int) string { return t.rows[i].Recipient.ID }
	t.list.cell = func(i, col int) string {
		r := t.rows[i]
		switch col {
		case 0:
			return r.Recipient.Name
		case 1:
			return r.IDNumber
		}
		return r.UnitName
	}
	t.list.onPick = func() { s.syncPicks(t) }
	t.found.SizeName = theme.SizeNameCaptionText
	searchBtn := widget.NewButtonWithIcon("查询", theme.SearchIcon(), nil)
	s.d.tapOnce(searchBtn, nil, func() { t.load(s) })
	t.box = container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(searchBtn, t.found), t.search),
		nil, nil, nil, t.list.table)
	return t
}

// load searches this tab's recipients; picks made earlier stay picked.
func (t *recipientTab) load(s *messagePushScreen) {
	search := strings.TrimSpace(t.search.Text)
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		rows, err := s.d.app.Messages.Recipients(ctx, t.kind, search)
		return func() {
			if err != nil {
				s.say("查询失败："+app.Explain(err), true)
				return
			}
			t.rows = rows
			for i, r := range rows {
				if s.chosen[recipientKey(r.Recipient)] {
					t.list.picked[t.list.key(i)] = true
				}
			}
			t.list.setRows(len(rows))
			more := ""
			if len(rows) >= app.RecipientLimit {
				more = "，请输入更多查询条件"
			}
			unit := "个" // units are counted 个, people 人
			if t.kind == model.RecipientApplicant {
				unit = "人"
			}
			t.found.SetText(fmt.Sprintf("找到 %d %s%s", len(rows), unit, more))
		}
	})
}

func recipientKey(r model.Recipient) model.Recipient { return model.Recipient{Kind: r.Kind, ID: r.ID} }

// syncPicks copies a tab's picks among its listed rows into chosen.
func (s *messagePushScreen) syncPicks(t *recipientTab) {
	for i, r := range t.rows {
		key := recipientKey(r.Recipient)
		on := t.list.picked[t.list.key(i)]
		switch {
		case on && !s.chosen[key]:
			s.chosen[key] = true
			s.order = append(s.order, r.Recipient)
		case !on && s.chosen[key]:
			delete(s.chosen, key)
			for j, o := range s.order {
				if recipientKey(o) == key {
					s.order = append(s.order[:j], s.order[j+1:]...)
					break
				}
			}
		}
	}
	s.chosenChanged()
}

func (s *messagePushScreen) chosenChanged() {
	units, people := 0, 0
	for _, r := range s.order {
		if r.Kind == model.RecipientUnit {
			units++
		} else {
			people++
		}
	}
	s.summary.SetText(fmt.Sprintf("已选择：用人单位 %d 个，申报人 %d 人", units, people))
	if len(s.order) == 0 {
		s.edit.Disable()
		s.clear.Disable()
	} else {
		s.edit.Enable()
		s.clear.Enable()
	}
}

func (s *messagePushScreen) say(msg string, bad bool) { showNote(s.note, msg, bad) }

func (s *messagePushScreen) loadSent() {
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		sent, err := s.d.app.Messages.Sent(ctx, 0)
		return func() {
			if err != nil {
				s.say("读取已发送消息失败："+app.Explain(err), true)
				return
			}
			s.sent = sent
			s.sentList.Refresh()
			s.tabs.Items[2].Text = fmt.Sprintf("已发送（%d）", len(sent))
			s.tabs.Refresh()
		}
	})
}

func (s *messagePushScreen) editClicked() {
	to := append([]model.Recipient(nil), s.order...)
	s.compose = s.d.newComposeDialog(to, func() {
		s.say(fmt.Sprintf("消息已发送给 %d 个对象，将在同步后送达（待同步）", len(to)), false)
		s.clear.OnTapped()
		s.loadSent()
	})
	s.compose.dlg.Show()
	s.d.win.Canvas().Focus(s.compose.title)
}

func (s *messagePushScreen) showSent(it app.SentItem) {
	title := widget.NewLabelWithStyle(it.Message.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	state := "已送达"
	if it.Queued {
		state = "待同步"
	}
	meta := widget.NewLabel(fmt.Sprintf("发送时间：%s    状态：%s", it.Message.SentAt.Local().Format("2006-01-02 15:04"), state))
	meta.SizeName = theme.SizeNameCaptionText
	to := widget.NewLabel("接收对象：" + recipientNames(it.Message.Recipients, 0))
	to.Wrapping = fyne.TextWrapWord
	body := widget.NewLabel(it.Message.Body)
	body.Wrapping = fyne.TextWrapWord
	s.d.showDetailsDialog("已发送消息", container.NewVBox(title, meta, to, widget.NewSeparator(), body), fyne.NewSize(620, 460))
}

// recipientNames lists names, units first; max 0 lists all.
func recipientNames(rs []model.Recipient, max int) string {
	sorted := append([]model.Recipient(nil), rs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return sorted[i].Kind == model.RecipientUnit && sorted[j].Kind != model.RecipientUnit
	})
	var names []string
	for i, r := range sorted {
		if max > 0 && i == max {
			names = append(names, fmt.Sprintf("等 %d 个", len(rs)))
			break
		}
		names = append(names, r.Name)
	}
	return strings.Join(names, "、")
}

// composeDialog is 【编辑信息】: title and body, then 【发送】.
type composeDialog struct {
	title  *widget.Entry
	body   *widget.Entry
	errs   map[string]*widget.Label
	send   *widget.Button
	dlg    *dialog.CustomDialog
	errMsg *widget.Label
}

func (d *Desk) newComposeDialog(to []model.Recipient, sent func()) *composeDialog {
	c := &composeDialog{title: widget.NewEntry(), body: widget.NewMultiLineEntry(), errs: map[string]*widget.Label{},
		errMsg: widget.NewLabel("")}
	c.title.SetPlaceHolder("消息标题（不超过100字）")
	c.body.SetPlaceHolder("消息内容")
	c.body.Wrapping = fyne.TextWrapWord
	c.body.SetMinRowsVisible(8)
	for _, k := range []string{"title", "body"} {
		l := widget.NewLabel("")
		l.Importance = widget.DangerImportance
		l.Hide()
		c.errs[k] = l
	}
	c.errMsg.Importance = widget.DangerImportance
	c.errMsg.Wrapping = fyne.TextWrapWord
	c.errMsg.Hide()
	toLabel := widget.NewLabel("接收对象：" + recipientNames(to, 8))
	toLabel.Wrapping = fyne.TextWrapWord
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("* 标题"), container.NewVBox(c.title, c.errs["title"]),
		widget.NewLabel("* 内容"), container.NewVBox(c.body, c.errs["body"]))
	c.send = widget.NewButtonWithIcon("发送", theme.MailSendIcon(), func() {
		c.send.Disable()
		title, body := c.title.Text, c.body.Text
		d.run(func() func() {
			ctx, cancel := d.ctx()
			defer cancel()
			_, err := d.app.Messages.Send(ctx, title, body, to)
			return func() {
				c.send.Enable()
				if err != nil {
					c.showErrors(err)
					return
				}
				c.dlg.Hide()
				sent()
			}
		})
	})
	c.send.Importance = widget.HighImportance
	cancel := widget.NewButton("取消", func() { c.dlg.Hide() })
	c.dlg = dialog.NewCustomWithoutButtons("编辑信息", container.NewVBox(toLabel, form, c.errMsg), d.win)
	c.dlg.SetButtons([]fyne.CanvasObject{cancel, c.send})
	c.dlg.Resize(fyne.NewSize(640, 440))
	return c
}

func (c *composeDialog) showErrors(err error) {
	fields := app.FieldErrors(err)
	for k, l := range c.errs {
		if m, ok := fields[k]; ok {
			l.SetText(m)
			l.Show()
		} else {
			l.Hide()
		}
	}
	if m, ok := fields["recipients"]; ok || len(fields) == 0 {
		if !ok {
			m = app.Explain(err)
		}
		c.errMsg.SetText(m)
		c.errMsg.Show()
	} else {
		c.errMsg.Hide()
	}
}
