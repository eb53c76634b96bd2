package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// navNode is one entry of the navigation tree (DESIGN §5).
type navNode struct {
	id, label string
	children  []string
}

// Navigation IDs. The review lists use the stage names of model, so a
// dashboard entry can jump to its list by stage.
const (
	navHome          = "home"
	navReview        = "review"
	navOwnUnit       = "review/own_unit"
	navSubordinate   = "review/subordinate"
	navForward       = "review/forward"
	navSelfAppoint   = "review/self_appoint"
	navExam          = "review/exam"
	navReviewed      = "review/reviewed"
	navUnits         = "units"
	navRegistrations = "units/registrations"
	navSubUnits      = "units/manage"
	navExperts       = "experts"
	navMessages      = "messages"
	navStats         = "stats"
	navSettings      = "settings"
)

var navNodes = map[string]navNode{
	"":               {children: []string{navHome, navReview, navUnits, navExperts, navMessages, navStats, navSettings}},
	navHome:          {label: "首页"},
	navReview:        {label: "单位审核", children: []string{navOwnUnit, navSubordinate, navForward, navSelfAppoint, navExam, navReviewed}},
	navOwnUnit:       {label: "本单位人员审核"},
	navSubordinate:   {label: "下级单位人员审核"},
	navForward:       {label: "待呈报人员审核"},
	navSelfAppoint:   {label: "自主聘任审核"},
	navExam:          {label: "以考代评审核"},
	navReviewed:      {label: "已审核列表"},
	navUnits:         {label: "单位管理", children: []string{navRegistrations, navSubUnits}},
	navRegistrations: {label: "下级单位注册审核"},
	navSubUnits:      {label: "下级单位管理"},
	navExperts:       {label: "专家推荐"},
	navMessages:      {label: "消息推送"},
	navStats:         {label: "查询统计"},
	navSettings:      {label: "设置"},
}

// screens builds the content of each navigation entry. Screens not listed
// here show a placeholder (placeholder.go).
var screens = map[string]func(d *Desk) fyne.CanvasObject{
	navHome: func(d *Desk) fyne.CanvasObject { return d.main.home.content },
	// 单位审核: the six review lists (review_list.go) and 同步冲突 (conflicts.go).
	navOwnUnit:     func(d *Desk) fyne.CanvasObject { return d.newReviewList(model.StageOwnUnit) },
	navSubordinate: func(d *Desk) fyne.CanvasObject { return d.newReviewList(model.StageSubordinate) },
	navForward:     func(d *Desk) fyne.CanvasObject { return d.newReviewList(model.StageForward) },
	navSelfAppoint: func(d *Desk) fyne.CanvasObject { return d.newReviewList(model.StageSelfAppoint) },
	navExam:        func(d *Desk) fyne.CanvasObject { return d.newReviewList(model.StageExam) },
	navReviewed:    func(d *Desk) fyne.CanvasObject { return d.newReviewList(app.ReviewedList) },
	navConflicts:   func(d *Desk) fyne.CanvasObject { return d.newConflictsScreen() },
}

// mainScreen is the window after login: navigation, content, status bar.
type mainScreen struct {
	d       *Desk
	nav     *widget.Tree
	content *fyne.Container
	current string
	home    *homeScreen
	status  *statusBar
	stop    func() // ends the status subscription

	logoutButton *widget.Button
	pendingOpen  string // the application the list about to be built opens
}

func (d *Desk) showMain() {
	m := &mainScreen{d: d}
	d.main = m
	m.home = d.newHomeScreen()
	m.status = d.newStatusBar()
	m.content = container.NewStack()
	m.nav = widget.NewTree(
		func(id widget.TreeNodeID) []widget.TreeNodeID { return navNodes[id].children },
		func(id widget.TreeNodeID) bool { return len(navNodes[id].children) > 0 },
		func(branch bool) fyne.CanvasObject { return widget.NewLabel("下级单位人员审核") },
		func(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(navNodes[id].label)
			d.mark("nav/"+navNodes[id].label, o)
		},
	)
	m.nav.OnSelected = func(id widget.TreeNodeID) {
		if kids := navNodes[id].children; len(kids) > 0 { // a group: open it at its first entry
			m.nav.OpenBranch(id)
			m.nav.Select(kids[0])
			return
		}
		m.show(id)
	}
	m.nav.OpenAllBranches()

	header, logout := d.newHeader()
	m.logoutButton = logout
	d.mark("header/logout", logout)
	side := container.New(&fixedWidth{width: navWidth}, m.nav)
	d.mark("nav", m.nav)
	body := container.NewBorder(nil, nil, container.NewHBox(side, widget.NewSeparator()), nil, m.content)
	d.win.SetContent(container.NewBorder(header, m.status.content, nil, nil, body))
	var lastSync time.Time // UI goroutine only
	m.stop = d.app.Session.OnStatus(func(st app.Status) {
		d.post(func() {
			m.status.set(st)
			// A finished sync may have brought new data: redraw the dashboard.
			if synced := !st.LastSync.Equal(lastSync); synced {
				first := lastSync.IsZero()
				lastSync = st.LastSync
				if !first && m.current == navHome {
					m.home.refresh()
				}
			}
		})
	})
	m.nav.Select(navHome)
	m.home.refresh()
}

// openApplicant shows review list nav with application id open in its
// review view (首页's 待审核 entries, HOME-4).
func (m *mainScreen) openApplicant(nav, id string) {
	m.pendingOpen = id
	m.goTo(nav)
	m.pendingOpen = ""
}

// goTo selects nav entry id as if the person had clicked it.
func (m *mainScreen) goTo(id string) {
	if m.current == id {
		m.show(id) // Select ignores the entry already selected
		return
	}
	m.nav.Select(id)
}

// show puts the screen for nav entry id in the content area.
func (m *mainScreen) show(id string) {
	m.current = id
	build, ok := screens[id]
	if !ok {
		build = func(d *Desk) fyne.CanvasObject { return placeholder(navNodes[id].label) }
	}
	m.content.Objects = []fyne.CanvasObject{build(m.d)}
	m.content.Refresh()
	if id == navHome {
		m.home.refresh()
	}
}

// stopMain ends the main screen's subscriptions before it is replaced.
func (d *Desk) stopMain() {
	if d.main != nil && d.main.stop != nil {
		d.main.stop()
	}
	d.main = nil
}

// navWidth fits the navigation's longest entry at its depth (a tree row is
// padding, the indent, the branch icon, padding, then the label), so the
// sidebar never cuts a label or scrolls sideways, at any scale.
func navWidth() float32 {
	pad, icon, inner := theme.Padding(), theme.IconInlineSize(), theme.InnerPadding()
	var w float32
	for id, n := range navNodes {
		depth := float32(strings.Count(id, "/"))
		w = max(w, pad+depth*(icon+pad)+icon+pad+textWidth(n.label)+2*inner)
	}
	return w + 2*pad
}

// fixedWidth gives its objects width() and their own minimum height.
type fixedWidth struct{ width func() float32 }

func (f *fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (f *fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(f.width(), h)
}

// textWidth is the width of s in the body text style.
func textWidth(s string) float32 {
	return fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{}).Width
}
