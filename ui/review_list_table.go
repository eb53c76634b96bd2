package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// The review list's table: a checkbox column, a 待同步/冲突 mark, the data
// columns (sortable headers) and the row's buttons. Cells are one template
// (check, label, buttons) showing the part their column needs.

// cell is the template of every table cell.
type cell struct {
	check  *widget.Check
	label  *widget.Label
	act    *widget.Button    // 审核 / 查看经办流程
	act2   *widget.Button    // 撤回
	ops    *fyne.Container   // act and act2
	header *widget.Button    // sortable header
	bg     *canvas.Rectangle // opaque under the sticky columns
	box    *fyne.Container
}

func newCell() *cell {
	c := &cell{check: widget.NewCheck("", nil), label: widget.NewLabel(""),
		act: widget.NewButton("审核", nil), act2: widget.NewButton("撤回", nil), header: widget.NewButton("", nil)}
	c.label.Truncation = fyne.TextTruncateEllipsis
	c.header.Importance = widget.LowImportance
	c.header.Alignment = widget.ButtonAlignLeading
	c.ops = container.NewHBox(c.act, c.act2)
	c.bg = canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	c.box = container.NewStack(c.bg, c.check, c.label, c.ops, c.header)
	return c
}

// show makes only o visible in the cell (over the background, which the
// sticky columns need: the scrolled columns pass beneath them).
func (c *cell) show(o fyne.CanvasObject) {
	c.bg.FillColor = theme.Color(theme.ColorNameBackground)
	c.bg.Refresh()
	for _, x := range c.box.Objects {
		if x == c.bg {
			continue
		}
		if x == o {
			x.Show()
		} else {
			x.Hide()
		}
	}
}

// dataColumn is the app.Column shown in table column col, if any.
func (l *reviewList) dataColumn(col int) (app.Column, bool) {
	switch {
	case col == colName:
		return l.cols[0], true
	case col >= colRest:
		return l.cols[col-colRest+1], true
	}
	return app.Column{}, false
}

func (l *reviewList) newTable() fyne.CanvasObject {
	cells := map[fyne.CanvasObject]*cell{}
	template := func() fyne.CanvasObject {
		c := newCell()
		cells[c.box] = c
		return c.box
	}
	l.table = widget.NewTableWithHeaders(
		func() (int, int) { return l.total, colRest + len(l.cols) - 1 },
		template,
		func(id widget.TableCellID, o fyne.CanvasObject) { l.updateCell(id, cells[o]) },
	)
	l.table.ShowHeaderColumn = false
	l.table.CreateHeader = template
	l.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) { l.updateHeader(id, cells[o]) }
	l.table.StickyColumnCount = colSticky
	l.table.SetColumnWidth(colCheck, 40)
	l.table.SetColumnWidth(colMark, 60)
	for i := range colRest + len(l.cols) - 1 {
		if c, ok := l.dataColumn(i); ok {
			l.table.SetColumnWidth(i, columnWidths[c.Key])
		}
	}
	ops := float32(150)
	if l.stage == app.ReviewedList {
		ops = 196
	}
	l.table.SetColumnWidth(colOps, ops)
	l.table.OnSelected = func(id widget.TableCellID) { l.table.UnselectAll() }
	return l.table
}

func (l *reviewList) updateHeader(id widget.TableCellID, c *cell) {
	switch {
	case id.Col == colCheck:
		c.show(c.check)
		c.check.OnChanged = nil
		c.check.SetChecked(len(l.selected) > 0 && len(l.selected) >= len(l.rows))
		c.check.OnChanged = l.selectAll
	case id.Col == colMark, id.Col == colOps:
		c.show(c.header)
		c.header.SetText(map[bool]string{true: "状态", false: "操作"}[id.Col == colMark])
		c.header.OnTapped = nil
	default:
		col, _ := l.dataColumn(id.Col)
		c.show(c.header)
		text := col.Header
		if col.Sort != "" && l.sort.Column == col.Sort {
			text += map[bool]string{false: " ▲", true: " ▼"}[l.sort.Desc]
		}
		c.header.SetText(text)
		c.header.OnTapped = l.rowAction(sortBusy, func(done func()) { l.sortBy(col, done) })
		setEnabled(c.header, !l.busy[sortBusy])
		if col.Sort == "" {
			c.header.OnTapped = nil
		}
	}
}

// sortBusy keys the sortable headers in reviewList.busy: they wait for
// the rows of the order they asked for.
const sortBusy = "\x00sort"

// sortBy sorts by col, or reverses the order when it is sorted by col
// already; done (may be nil) runs once the rows show.
func (l *reviewList) sortBy(col app.Column, done func()) {
	if col.Sort == "" {
		if done != nil {
			done()
		}
		return
	}
	if l.sort.Column == col.Sort {
		l.sort.Desc = !l.sort.Desc
	} else {
		l.sort = app.Sort{Column: col.Sort}
	}
	l.d.tracking(l.reload, func() {
		if done != nil {
			done()
		}
	})
}

func (l *reviewList) updateCell(id widget.TableCellID, c *cell) {
	r, ok := l.rows[id.Row]
	if !ok {
		l.fetchPage(id.Row / listPage)
		c.show(c.label)
		c.label.SetText("…")
		return
	}
	switch {
	case id.Col == colCheck:
		c.show(c.check)
		l.d.mark(fmt.Sprintf("row/%d/check", id.Row), c.check)
		c.check.OnChanged = nil
		_, on := l.selected[r.ID]
		c.check.SetChecked(on)
		if l.tickable(r) {
			c.check.Enable()
		} else {
			c.check.Disable()
		}
		c.check.OnChanged = func(on bool) { l.setChecked(r, on) }
	case id.Col == colMark:
		c.show(c.label)
		c.label.Importance = widget.MediumImportance
		c.label.SetText("")
		if _, conflict := l.conflicts[r.ID]; conflict && !r.Pending {
			c.label.Importance = widget.DangerImportance
			c.label.SetText("冲突")
		}
		if r.Pending {
			c.label.Importance = widget.WarningImportance
			c.label.SetText("待同步")
		}
		c.label.Refresh()
	case id.Col == colOps:
		c.show(c.ops)
		l.updateOps(id.Row, r, c)
	default:
		col, _ := l.dataColumn(id.Col)
		c.show(c.label)
		c.label.Importance = widget.MediumImportance
		c.label.Truncation = fyne.TextTruncateEllipsis
		text := col.Value(r)
		if col.Key == "unit" { // the distinguishing part of a unit's name is its end
			c.label.Truncation = fyne.TextTruncateOff
			text = tailFit(text, columnWidths[col.Key])
		}
		c.label.SetText(text)
	}
}

// updateOps fills a row's buttons: 【审核】 (queues) or 【查看经办流程】
// (已审核列表), then 【撤销】 while an action is queued on it (BEY-7), else
// in 已审核列表 【撤回】 (REV-13). A row's button is disabled from its tap
// until its result shows (busy).
func (l *reviewList) updateOps(i int, r app.QueueRow, c *cell) {
	l.d.mark(fmt.Sprintf("row/%d/act", i), c.act)
	l.d.mark(fmt.Sprintf("row/%d/act2", i), c.act2)
	if l.stage != app.ReviewedList {
		c.act.SetText("审核")
		c.act.OnTapped = l.rowAction(r.ID, func(done func()) { l.openView(i, r, done) })
	} else {
		c.act.SetText("查看经办流程")
		c.act.OnTapped = l.rowAction(r.ID, func(done func()) { l.d.showFlow(r.ID, done) })
	}
	setEnabled(c.act, !l.busy[r.ID])
	q, queued := l.queued[r.ID]
	switch {
	case r.Pending:
		c.act2.SetText("撤销")
		c.act2.OnTapped = l.rowAction(r.ID, func(done func()) { l.undoRows([]app.Item{app.ItemOf(r)}, done) })
		setEnabled(c.act2, queued && q.Undoable && !l.busy[r.ID])
		c.act2.Show()
	case l.stage == app.ReviewedList:
		c.act2.SetText("撤回")
		c.act2.OnTapped = l.rowAction(r.ID, func(done func()) { l.withdraw(r, done) })
		setEnabled(c.act2, r.CanWithdraw && !l.busy[r.ID])
		c.act2.Show()
	default:
		c.act2.Hide()
	}
}

// rowAction runs act for row id at most once at a time: the row's buttons
// are disabled until act calls done.
func (l *reviewList) rowAction(id string, act func(done func())) func() {
	return func() {
		if l.busy[id] {
			return
		}
		l.busy[id] = true
		l.table.Refresh()
		act(func() {
			delete(l.busy, id)
			l.table.Refresh()
		})
	}
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// tailFit shortens text from the front ("…农业信息研究所") so that it fits a
// label of width: a long unit name differs from its neighbours at the end.
func tailFit(text string, width float32) string {
	avail := width - 2*theme.InnerPadding()
	fits := func(s string) bool { return fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{}).Width <= avail }
	if fits(text) {
		return text
	}
	r := []rune(text)
	lo, hi := 1, len(r) // the shortest cut from the front that fits
	for lo < hi {
		mid := (lo + hi) / 2
		if fits("…" + string(r[mid:])) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return "…" + string(r[lo:])
}
