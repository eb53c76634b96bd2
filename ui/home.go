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

// homeMessages is how many messages 消息通知 lists.
const homeMessages = 50

// homeScreen is 首页: 单位基本信息 (HOME-1/2), 消息通知 (HOME-3) and
// 当前待审核情况 (HOME-4).
type homeScreen struct {
	d    *Desk
	data app.DashboardData
	msgs []model.Message

	unitFields  map[string]*widget.Label // 单位基本信息 values by form key
	econWarning *widget.Label
	editUnit    *widget.Button
	unread      *widget.Label
	msgList     *widget.List
	firstCount  *widget.Label
	secondCount *widget.Label
	firstList   *pendingList
	secondList  *pendingList
	loadError   *widget.Label
	content     fyne.CanvasObject

	deadlines     app.DeadlineStatus
	deadlineCard  *widget.Card
	deadlineNext  *widget.Label   // 单位审核截止 2026-12-15，还剩 15 天
	deadlineAll   *widget.Label   // every date of the year
	deadlineRisks *fyne.Container // one link per list with work at risk
}

func (d *Desk) newHomeScreen() *homeScreen {
	h := &homeScreen{d: d, unitFields: map[string]*widget.Label{}}
	h.loadError = widget.NewLabel("")
	h.loadError.Importance = widget.DangerImportance
	h.loadError.Hide()
	// Unit card and messages side by side; the pending lists get the full
	// width below, where their entries have room.
	h.content = container.NewBorder(h.loadError, nil, nil, nil, container.NewVScroll(container.NewVBox(
		container.NewGridWithColumns(2, h.unitCard(), h.messageCard()),
		h.newDeadlineCard(),
		h.pendingCard(),
	)))
	return h
}

// newDeadlineCard is 截止日期 (BEY-6): the next deadline with the days left
// and, per list, how many applications it would find undone; hidden while
// the city office has set none.
func (h *homeScreen) newDeadlineCard() fyne.CanvasObject {
	h.deadlineNext = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.deadlineAll = widget.NewLabel("")
	h.deadlineAll.SizeName = theme.SizeNameCaptionText
	h.deadlineAll.Wrapping = fyne.TextWrapWord
	h.deadlineRisks = container.NewVBox()
	h.deadlineCard = widget.NewCard("截止日期", "", container.NewVBox(h.deadlineNext, h.deadlineRisks, h.deadlineAll))
	h.deadlineCard.Hide()
	return h.deadlineCard
}

// showDeadlines fills 截止日期. UI goroutine only.
func (h *homeScreen) showDeadlines(st app.DeadlineStatus, ok bool) {
	h.deadlines = st
	if !ok {
		h.deadlineCard.Hide()
		return
	}
	var all []string
	for _, x := range st.All {
		all = append(all, x.Name+" "+string(x.Date))
	}
	h.deadlineAll.SetText(fmt.Sprintf("%d年：%s", st.Year, strings.Join(all, "；")))
	h.deadlineRisks.Objects = nil
	if !st.HasNext {
		h.deadlineNext.SetText(fmt.Sprintf("%d年的截止日期均已过", st.Year))
		h.deadlineNext.Importance = widget.MediumImportance
	} else {
		h.deadlineNext.SetText(fmt.Sprintf("%s %s，%s", st.Next.Name, st.Next.Date, model.DaysLeftText(st.DaysLeft)))
		h.deadlineNext.Importance = widget.MediumImportance
		if st.DaysLeft <= model.DeadlineRiskDays {
			h.deadlineNext.Importance = widget.DangerImportance
		}
		for _, q := range st.AtRisk {
			h.deadlineRisks.Add(h.riskLine(q))
		}
	}
	h.deadlineNext.Refresh()
	h.deadlineRisks.Refresh()
	h.deadlineCard.Show()
}

// riskLine is one list's count; a link opens the list filtered to 临近截止.
func (h *homeScreen) riskLine(q app.QueueCount) fyne.CanvasObject {
	text := fmt.Sprintf("%s：%d 件未办理，截止前需完成", q.Title, q.Count)
	if q.Count == 0 {
		return widget.NewLabel(fmt.Sprintf("%s：无待办", q.Title))
	}
	nav := navOfStage(q.Stage)
	if q.Stage == model.StageReturned {
		nav = navOfStage(app.ReviewedList)
	}
	link := widget.NewHyperlink(text, nil)
	link.OnTapped = func() {
		h.d.openDue = true
		h.d.main.goTo(nav)
	}
	return link
}

func (h *homeScreen) unitCard() fyne.CanvasObject {
	form := container.New(layout.NewFormLayout())
	for _, f := range []struct{ key, label string }{
		{"name", "单位名称"}, {"credit_code", "统一社会信用代码"}, {"type", "单位类型"}, {"kind", "单位类别"},
		{"contact", "联系人"}, {"phone", "联系电话"}, {"address", "单位地址"},
	} {
		v := widget.NewLabel("—")
		v.Truncation = fyne.TextTruncateEllipsis
		h.unitFields[f.key] = v
		form.Add(widget.NewLabelWithStyle(f.label, fyne.TextAlignTrailing, fyne.TextStyle{}))
		form.Add(v)
	}
	h.econWarning = widget.NewLabel("")
	h.econWarning.Wrapping = fyne.TextWrapWord
	h.econWarning.Importance = widget.WarningImportance
	h.econWarning.Hide()
	h.editUnit = widget.NewButtonWithIcon("基本信息维护", theme.DocumentCreateIcon(), nil)
	h.d.tapOnce(h.editUnit, nil, func() { h.d.showUnitForm(h.refresh) })
	return widget.NewCard("单位基本信息", "", container.NewVBox(form, h.econWarning,
		container.NewHBox(layout.NewSpacer(), h.editUnit)))
}

func (h *homeScreen) pendingCard() fyne.CanvasObject {
	h.firstCount = widget.NewLabelWithStyle("待初审 0 人", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.secondCount = widget.NewLabelWithStyle("待复审 0 人", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.firstList = newPendingList(h.d)
	h.secondList = newPendingList(h.d)
	hint := widget.NewLabel("仅显示部分条目，点击条目进入相应审核列表")
	// Secondary text is muted by size, not LowImportance: that colour is
	// too pale to read on the light theme.
	hint.SizeName = theme.SizeNameCaptionText
	col := func(count *widget.Label, l *pendingList) fyne.CanvasObject {
		return container.NewVBox(count, l.box)
	}
	return widget.NewCard("当前待审核情况", "", container.NewVBox(
		container.NewGridWithColumns(2, col(h.firstCount, h.firstList), col(h.secondCount, h.secondList)), hint))
}

func (h *homeScreen) messageCard() fyne.CanvasObject {
	h.unread = widget.NewLabel("")
	h.msgList = widget.NewList(
		func() int { return len(h.msgs) },
		func() fyne.CanvasObject {
			mark := widget.NewLabel("●")
			title := widget.NewLabel("关于做好年度职称评审工作的通知")
			title.Truncation = fyne.TextTruncateEllipsis
			meta := widget.NewLabel("天津市职称工作办公室 2026-01-01")
			meta.SizeName = theme.SizeNameCaptionText
			meta.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, mark, nil, container.New(layout.NewCustomPaddedVBoxLayout(-12), title, meta))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			m := h.msgs[i]
			c := o.(*fyne.Container)
			lines := c.Objects[0].(*fyne.Container)
			title, meta, mark := lines.Objects[0].(*widget.Label), lines.Objects[1].(*widget.Label), c.Objects[1].(*widget.Label)
			unread := m.ReadAt == nil
			title.SetText(m.Title)
			title.TextStyle.Bold = unread
			title.Importance = map[bool]widget.Importance{true: widget.HighImportance, false: widget.MediumImportance}[unread]
			title.Refresh()
			mark.SetText(map[bool]string{true: "●", false: "  "}[unread])
			meta.SetText(m.SenderName + "  " + m.SentAt.Local().Format("2006-01-02 15:04"))
		},
	)
	h.msgList.OnSelected = func(i widget.ListItemID) {
		h.msgList.Unselect(i)
		if i < len(h.msgs) {
			h.openMessage(h.msgs[i].ID)
		}
	}
	return widget.NewCard("消息通知", "", container.NewBorder(h.unread, nil, nil, nil, h.msgList))
}

// refresh reloads the dashboard and the inbox from the cache.
func (h *homeScreen) refresh() {
	h.d.run(func() func() {
		ctx, cancel := h.d.ctx()
		defer cancel()
		data, err := h.d.app.Dashboard.Load(ctx)
		var (
			msgs []model.Message
			dl   app.DeadlineStatus
			hasD bool
		)
		if err == nil {
			msgs, err = h.d.app.Messages.Inbox(ctx, homeMessages)
		}
		if err == nil {
			dl, hasD, err = h.d.app.Dashboard.Deadlines(ctx)
		}
		return func() {
			if err != nil {
				h.loadError.SetText("首页数据读取失败：" + app.Explain(err))
				h.loadError.Show()
				return
			}
			h.loadError.Hide()
			h.show(data, msgs)
			h.showDeadlines(dl, hasD)
		}
	})
}

// show fills every card. UI goroutine only.
func (h *homeScreen) show(data app.DashboardData, msgs []model.Message) {
	h.data, h.msgs = data, msgs
	u := data.Unit
	values := map[string]string{"name": u.Name, "credit_code": u.CreditCode, "type": u.Type.Label(),
		"kind": u.Kind.Label(), "contact": u.Contact, "phone": u.Phone, "address": u.Address}
	for k, v := range values {
		if strings.TrimSpace(v) == "" {
			v = "—"
		}
		h.unitFields[k].SetText(v)
	}
	if data.EconomicsWarning {
		h.econWarning.SetText("本单位有专业技术人才申报经济系列职称，必须填写最后4项：" +
			strings.Join(fieldLabels(data.MissingFields), "、") + "。请点击【基本信息维护】补充。")
		h.econWarning.Show()
	} else {
		h.econWarning.Hide()
	}
	unread := 0
	for _, m := range msgs {
		if m.ReadAt == nil {
			unread++
		}
	}
	h.unread.SetText(fmt.Sprintf("未读 %d 条", unread))
	h.msgList.Refresh()
	h.firstCount.SetText(fmt.Sprintf("待初审 %d 人", data.FirstReview))
	h.secondCount.SetText(fmt.Sprintf("待复审 %d 人", data.SecondReview))
	h.firstList.set(data.FirstReviewTop, "暂无待初审人员")
	h.secondList.set(data.SecondReviewTop, "暂无待复审人员")
}

// pendingList shows the first entries of a pending group; each is a link
// that opens the review list it sits in (HOME-4).
type pendingList struct {
	d   *Desk
	box *fyne.Container
}

func newPendingList(d *Desk) *pendingList {
	return &pendingList{d: d, box: container.NewVBox()}
}

func (p *pendingList) set(rows []app.QueueRow, empty string) {
	p.box.Objects = nil
	if len(rows) == 0 {
		l := widget.NewLabel(empty)
		l.SizeName = theme.SizeNameCaptionText
		p.box.Add(l)
	}
	for _, r := range rows {
		stage, id := r.Stage, r.ID
		// A link that truncates: long unit names must not widen the window.
		l := widget.NewHyperlink(fmt.Sprintf("%s · %s%s（%s）· %s", r.ApplicantName, r.Series.Label(),
			r.Level.Label(), stage.Label(), r.UnitName), nil)
		l.Truncation = fyne.TextTruncateEllipsis
		l.OnTapped = func() { p.d.main.openApplicant(navOfStage(stage), id) }
		p.box.Add(l)
	}
	p.box.Refresh()
}

// navOfStage is the review list a queue stage is shown in.
func navOfStage(s model.Stage) string { return navReview + "/" + string(s) }

// openMessage shows a message and marks it read (HOME-3).
func (h *homeScreen) openMessage(id string) {
	h.d.run(func() func() {
		ctx, cancel := h.d.ctx()
		defer cancel()
		msg, err := h.d.app.Messages.Open(ctx, id)
		return func() {
			if err != nil {
				h.d.showError(err)
				return
			}
			for i := range h.msgs {
				if h.msgs[i].ID == msg.ID {
					h.msgs[i] = msg
				}
			}
			h.show(h.data, h.msgs)
			h.d.showMessage(msg)
		}
	})
}
