package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// The six lists of 单位审核 (REV-1, REV-9..13). The table is windowed: it
// knows the total from the store and loads pages of listPage rows as they
// scroll into view, so 50,000 rows never become 50,000 widgets. Queries run
// off the UI goroutine; results are applied only if no newer query started.

const listPage = 100

// searchDebounce is how long typing must pause before the list is queried;
// tests set 0 to query on every change.
var searchDebounce = 60 * time.Millisecond

// Table columns: the checkbox, 姓名, the row's buttons and the 待同步 mark
// stay at the left (sticky), so who and 【审核】 stay in view while the
// other columns scroll.
const (
	colCheck  = 0
	colName   = 1 // app.ListColumns' first column
	colOps    = 2
	colMark   = 3
	colRest   = 4 // app.ListColumns' other columns from here
	colSticky = 4
)

var columnWidths = map[string]float32{"name": 76, "id_number": 168, "gender": 46, "unit": 200, "series": 120,
	"specialty": 110, "level": 96, "method": 100, "year": 54, "submitted": 96, "stage": 116, "returned": 96}

type reviewList struct {
	widget.BaseWidget
	d     *Desk
	main  *mainScreen
	stage model.Stage
	cols  []app.Column
	root  *fyne.Container // the list, or the review view in its place
	body  fyne.CanvasObject

	search   *widget.Entry
	series   *widget.Select
	level    *widget.Select
	method   *widget.Select
	year     *widget.Select
	returned *widget.Entry // 已审核列表: 退回超过 N 天
	due      *widget.Check // 临近截止 (BEY-6)
	table    *widget.Table
	count    *widget.Label
	message  *widget.Label
	buttons  map[string]*widget.Button
	actions  map[string]*action // the buttons above, as actions

	sort      app.Sort
	query     app.QueueQuery // of the rows shown
	gen       int            // bumped by every new query
	total     int
	rows      map[int]app.QueueRow // the loaded window, by row index
	fetching  map[int]bool         // pages in flight for gen
	selected  map[string]app.QueueRow
	conflicts map[string]app.Conflict
	timer     *time.Timer
	last      app.Status
	stop      func()

	busy       map[string]bool             // rows whose 【撤回】/【撤销】/流程 is running
	queued     map[string]app.QueuedAction // newest queued action of the loaded pending rows and the noted ones
	note       *actionNote                 // the last decision taken from here, with 【撤销】
	openOnLoad string                      // an application to open once the first page is in
	batch      batchDraft                  // 批量通过's form as last typed

	onLoaded       func()           // after a query's rows are shown (benchmarks)
	view           *reviewView      // the review view last opened
	form           *passForm        // the batch pass form last opened
	rejectDialog   *decisionDialog  // the 批量不通过 dialog last opened
	checklist      *returnChecklist // its 一次性告知 checklist
	withdrawDialog *decisionDialog  // the 撤回 confirmation last opened
}

// newReviewList builds the list of stage and loads its first page.
func (d *Desk) newReviewList(stage model.Stage) *reviewList {
	l := &reviewList{d: d, main: d.main, stage: stage, cols: app.ListColumns(stage), rows: map[int]app.QueueRow{},
		fetching: map[int]bool{}, selected: map[string]app.QueueRow{}, buttons: map[string]*widget.Button{},
		actions: map[string]*action{}, queued: map[string]app.QueuedAction{}, busy: map[string]bool{}}
	l.ExtendBaseWidget(l)
	l.note = newActionNote("人", l.undoRows)
	d.mark("list/note", l.note.label)
	d.mark("list/note-undo", l.note.undo)
	if stage == app.ReviewedList { // what was acted on last comes first
		l.sort = app.Sort{Column: app.SortUpdated, Desc: true}
	}
	l.body = container.NewBorder(container.NewVBox(l.filterBar(), l.actionBar(), l.note.box, l.message), nil, nil, nil, l.newTable())
	l.root = container.NewStack(l.body)
	if d.main != nil {
		l.openOnLoad = d.main.pendingOpen
	}
	l.reload()
	l.stop = d.app.Session.OnStatus(func(st app.Status) { d.post(func() { l.onStatus(st) }) })
	return l
}

func (l *reviewList) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(l.root) }

func (l *reviewList) filterBar() fyne.CanvasObject {
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder("搜索姓名、工作单位、专业或身份证号（全号或前后4位）")
	l.search.OnChanged = func(string) { l.queryLater() }
	l.d.mark("list/search", l.search)
	all := func(first string, labels []string) *widget.Select {
		s := widget.NewSelect(append([]string{first}, labels...), func(string) { l.reload() })
		s.SetSelectedIndex(0)
		return s
	}
	var series, levels, methods, years []string
	for _, s := range model.AllSeries {
		series = append(series, s.Label)
	}
	for _, v := range model.AllLevels {
		levels = append(levels, v.Label())
	}
	for _, m := range model.AllMethods {
		methods = append(methods, m.Label())
	}
	for y := time.Now().Year(); y >= time.Now().Year()-5; y-- {
		years = append(years, strconv.Itoa(y)+"年")
	}
	l.series, l.level, l.method, l.year = all("全部系列", series), all("全部级别", levels), all("全部评价方式", methods), all("全部年度", years)
	l.due = widget.NewCheck("临近截止", func(bool) { l.reload() })
	if l.d.openDue {
		l.due.Checked, l.d.openDue = true, false
	}
	filters := container.NewHBox(l.series, l.level, l.method, l.year, l.due)
	if l.stage == app.ReviewedList {
		l.returned = widget.NewEntry()
		l.returned.SetPlaceHolder("N")
		l.returned.OnChanged = func(string) { l.queryLater() }
		filters.Add(container.NewHBox(widget.NewLabel("退回超过"), container.NewGridWrap(fyne.NewSize(56, l.returned.MinSize().Height), l.returned), widget.NewLabel("天")))
	}
	title := widget.NewLabelWithStyle(app.ListTitle(l.stage), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(container.NewBorder(nil, nil, title, nil, l.search), filters)
}

func (l *reviewList) actionBar() fyne.CanvasObject {
	l.count = widget.NewLabel("正在读取…")
	l.message = widget.NewLabel("")
	l.message.Wrapping = fyne.TextWrapWord
	l.message.Hide()
	bar := container.NewHBox()
	add := func(key, label string, icon fyne.Resource, act func(done func())) {
		b := widget.NewButtonWithIcon(label, icon, nil)
		l.actions[key] = actOnce(b, func() bool { return key == "list" || key == "export" || len(l.selected) > 0 }, act)
		l.d.mark("list/"+key, b)
		l.buttons[key] = b
		bar.Add(b)
	}
	if l.stage != app.ReviewedList {
		add("pass", "批量通过", theme.ConfirmIcon(), l.passSelected)
		add("reject", "批量不通过", theme.CancelIcon(), l.rejectSelected)
		l.buttons["pass"].Importance = widget.HighImportance
	}
	add("sheets", "打印审核表", theme.DocumentPrintIcon(), l.printSelected)
	add("list", "打印列表", theme.DocumentPrintIcon(), l.printList)
	add("export", "导出", theme.DownloadIcon(), func(done func()) { l.d.tracking(l.exportList, done) })
	l.updateButtons()
	return container.NewBorder(nil, nil, l.count, nil, container.NewHBox(layout.NewSpacer(), bar))
}

// query builds the query the filters describe. UI goroutine only.
func (l *reviewList) currentQuery() app.QueueQuery {
	q := app.QueueQuery{Stage: l.stage, Text: strings.TrimSpace(l.search.Text), Sort: l.sort, Limit: listPage}
	if i := l.series.SelectedIndex(); i > 0 {
		q.Series = model.AllSeries[i-1].Code
	}
	if i := l.level.SelectedIndex(); i > 0 {
		q.Level = model.AllLevels[i-1]
	}
	if i := l.method.SelectedIndex(); i > 0 {
		q.Method = model.AllMethods[i-1]
	}
	if i := l.year.SelectedIndex(); i > 0 {
		q.Year, _ = strconv.Atoi(strings.TrimSuffix(l.year.Selected, "年"))
	}
	if l.returned != nil {
		if n, err := strconv.Atoi(strings.TrimSpace(l.returned.Text)); err == nil && n > 0 {
			q.ReturnedMoreThanDays = n
		}
	}
	q.AtRisk = l.due != nil && l.due.Checked
	return q
}

// queryLater debounces typing: the query runs once typing pauses.
func (l *reviewList) queryLater() {
	if searchDebounce == 0 {
		l.reload()
		return
	}
	if l.timer != nil {
		l.timer.Stop()
	}
	l.timer = time.AfterFunc(searchDebounce, func() { l.d.post(l.reload) })
}

// reload queries the first page for the current filters; the rows shown
// stay until the new ones arrive, so the table never flashes empty.
func (l *reviewList) reload() {
	if l.series == nil || l.search == nil {
		return // still building the filter bar
	}
	l.gen++
	gen, q := l.gen, l.currentQuery()
	l.fetching = map[int]bool{0: true}
	noted, ticked := l.note.ids(), l.selectedIDs()
	l.d.run(func() func() {
		ctx, cancel := l.d.ctx()
		defer cancel()
		page, err := l.d.app.Reviews.List(ctx, q)
		var (
			conflicts map[string]app.Conflict
			queued    map[string]app.QueuedAction
			undecided map[string]bool
		)
		if err == nil {
			conflicts, err = l.d.app.Conflicts.ByApplication(ctx)
		}
		if err == nil {
			queued, err = l.d.app.Reviews.Queued(ctx, append(noted, pendingIDs(page.Rows)...))
		}
		if err == nil && len(ticked) > 0 && l.stage != app.ReviewedList {
			undecided, err = l.d.app.Reviews.Undecided(ctx, q, ticked)
		}
		return func() {
			if gen != l.gen {
				return // a newer query is on its way
			}
			if err != nil {
				l.showMessage("列表读取失败："+app.Explain(err), true)
				return
			}
			l.query, l.total, l.conflicts, l.queued = q, page.Total, conflicts, queued
			l.rows = make(map[int]app.QueueRow, len(page.Rows))
			for i, r := range page.Rows {
				l.rows[i] = r
			}
			if undecided != nil {
				l.dropDecided(ticked, undecided)
			}
			l.fetching = map[int]bool{}
			l.count.SetText(fmt.Sprintf("共 %d 人", l.total))
			l.updateButtons()
			l.message.Hide()
			l.showConflictOnPage()
			l.note.refresh(queued, conflicts)
			l.table.Refresh()
			if id := l.openOnLoad; id != "" {
				l.openOnLoad = ""
				for i, r := range page.Rows {
					if r.ID == id {
						l.openView(i, r, nil)
						break
					}
				}
			}
			if l.onLoaded != nil {
				l.onLoaded()
			}
		}
	})
}

// pendingIDs are the rows with a queued action (their 【撤销】 needs its state).
func pendingIDs(rows []app.QueueRow) []string {
	var out []string
	for _, r := range rows {
		if r.Pending {
			out = append(out, r.ID)
		}
	}
	return out
}

func (l *reviewList) selectedIDs() []string {
	out := make([]string, 0, len(l.selected))
	for id := range l.selected {
		out = append(out, id)
	}
	return out
}

// dropDecided unticks the rows of ticked (the ticks when the query began)
// decided since, here, in the review view or on another device, or no
// longer shown by the filters: a batch decides only what the list shows,
// and the batch buttons follow what is left. Rows ticked while the query
// ran keep their tick.
func (l *reviewList) dropDecided(ticked []string, undecided map[string]bool) {
	for _, id := range ticked {
		if !undecided[id] {
			delete(l.selected, id)
		}
	}
}

// fetchPage loads page p of the current query when it scrolls into view.
func (l *reviewList) fetchPage(p int) {
	if l.fetching[p] {
		return
	}
	l.fetching[p] = true
	gen, q := l.gen, l.query
	q.Offset, q.Limit = p*listPage, listPage
	l.d.run(func() func() {
		ctx, cancel := l.d.ctx()
		defer cancel()
		page, err := l.d.app.Reviews.List(ctx, q)
		var queued map[string]app.QueuedAction
		if err == nil {
			queued, err = l.d.app.Reviews.Queued(ctx, pendingIDs(page.Rows))
		}
		return func() {
			if gen != l.gen {
				return
			}
			delete(l.fetching, p)
			if err != nil {
				l.showMessage("列表读取失败："+app.Explain(err), true)
				return
			}
			for i, r := range page.Rows {
				l.rows[q.Offset+i] = r
			}
			for id, a := range queued {
				l.queued[id] = a
			}
			l.table.Refresh()
		}
	})
}

// onStatus reloads after a sync brought new data or conflicts; it ends
// its subscription once the list is no longer shown.
func (l *reviewList) onStatus(st app.Status) {
	if l.d.main != l.main || !l.shown() {
		if l.stop != nil {
			l.stop()
			l.stop = nil
		}
		return
	}
	prev := l.last
	l.last = st
	if prev == (app.Status{}) {
		return // the first call only records where we are
	}
	if !st.LastSync.Equal(prev.LastSync) || st.Conflicts != prev.Conflicts {
		l.reload()
		if l.view != nil && l.root.Objects[0] == l.view.content {
			l.view.refreshMarks()
		}
	}
}

func (l *reviewList) shown() bool {
	for _, o := range l.main.content.Objects {
		if o == l {
			return true
		}
	}
	return false
}

func (l *reviewList) showMessage(msg string, problem bool) {
	l.message.SetText(msg)
	l.message.Importance = map[bool]widget.Importance{true: widget.DangerImportance, false: widget.SuccessImportance}[problem]
	l.message.Show()
	l.message.Refresh()
}

// showConflictOnPage names the server's reason for a refused action on a
// loaded row (e.g. 撤回 after the next level acted, REV-13).
func (l *reviewList) showConflictOnPage() {
	for i := 0; i < len(l.rows); i++ {
		r, ok := l.rows[i]
		if !ok {
			continue
		}
		if c, ok := l.conflicts[r.ID]; ok {
			l.showMessage(fmt.Sprintf("同步冲突：%s【%s】未被服务器接受：%s。请点击状态栏“同步冲突”处理。", r.ApplicantName, c.Action, c.Reason), true)
			return
		}
	}
}

// rowAt reads the row at index i of the current query (off the UI goroutine).
func (l *reviewList) rowAtFunc() func(i int) (app.QueueRow, bool, error) {
	q := l.query
	return func(i int) (app.QueueRow, bool, error) {
		if i < 0 {
			return app.QueueRow{}, false, nil
		}
		ctx, cancel := l.d.ctx()
		defer cancel()
		q.Offset, q.Limit = i, 1
		page, err := l.d.app.Reviews.List(ctx, q)
		if err != nil || len(page.Rows) == 0 {
			return app.QueueRow{}, false, err
		}
		return page.Rows[0], true, nil
	}
}

// showList puts the list back in place of the review view.
func (l *reviewList) showList() {
	l.root.Objects = []fyne.CanvasObject{l.body}
	l.root.Refresh()
	l.reload()
}

func (l *reviewList) selectedItems() ([]app.Item, []string) {
	items := make([]app.Item, 0, len(l.selected))
	ids := make([]string, 0, len(l.selected))
	for i := 0; i < l.total && len(items) < len(l.selected); i++ {
		if r, ok := l.rows[i]; ok {
			if _, sel := l.selected[r.ID]; sel {
				items, ids = append(items, app.ItemOf(r)), append(ids, r.ID)
			}
		}
	}
	for id, r := range l.selected { // selected rows scrolled out of the loaded window
		if !contains(ids, id) {
			items, ids = append(items, app.ItemOf(r)), append(ids, id)
		}
	}
	return items, ids
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (l *reviewList) updateButtons() {
	n := len(l.selected)
	for _, a := range l.actions {
		a.refresh()
	}
	if n > 0 {
		l.count.SetText(fmt.Sprintf("共 %d 人，已选 %d 人", l.total, n))
	} else if l.count.Text != "正在读取…" {
		l.count.SetText(fmt.Sprintf("共 %d 人", l.total))
	}
}

// setChecked ticks or unticks row r; a row with a queued action cannot
// be ticked (it is decided until synced or undone).
func (l *reviewList) setChecked(r app.QueueRow, on bool) {
	if on && !l.tickable(r) {
		return
	}
	if on {
		l.selected[r.ID] = r
	} else {
		delete(l.selected, r.ID)
	}
	l.updateButtons()
}

// selectAll is the header's 全选: on ticks every row the current filters
// show — all of them, read from the cache, not only the pages loaded so
// far — that a batch may still decide; off unticks every row. A result
// that arrives after the filters changed is dropped.
func (l *reviewList) selectAll(on bool) {
	if !on {
		clear(l.selected)
		l.updateButtons()
		l.table.Refresh()
		return
	}
	gen, q := l.gen, l.query
	l.d.run(func() func() {
		ctx, cancel := l.d.ctx()
		defer cancel()
		rows, err := l.d.app.Reviews.Matching(ctx, q)
		return func() {
			if gen != l.gen {
				return // the filters changed meanwhile
			}
			if err != nil {
				l.showMessage("全选失败："+app.Explain(err), true)
				return
			}
			for _, r := range rows {
				if l.tickable(r) {
					l.selected[r.ID] = r
				}
			}
			l.updateButtons()
			l.table.Refresh()
		}
	})
}

// tickable: a row a batch may still decide (in 已审核列表 only printing
// needs ticks, so every row is).
func (l *reviewList) tickable(r app.QueueRow) bool {
	return l.stage == app.ReviewedList || !r.Pending
}
