package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// The screens of 单位管理, 专家推荐, 消息推送, 查询统计 and 设置, each built
// afresh when shown. Registered in init: some of them lead back to the
// main screen (设置 › 清除本地缓存 logs out), which reads the map.
func init() {
	screens[navRegistrations] = func(d *Desk) fyne.CanvasObject { return d.newRegistrationsScreen().content }
	screens[navSubUnits] = func(d *Desk) fyne.CanvasObject { return d.newUnitTreeScreen().content }
	screens[navExperts] = func(d *Desk) fyne.CanvasObject { return d.newExpertsScreen().content }
	screens[navMessages] = func(d *Desk) fyne.CanvasObject { return d.newMessagePushScreen().content }
	screens[navStats] = func(d *Desk) fyne.CanvasObject { return d.newStatisticsScreen().content }
	screens[navSettings] = func(d *Desk) fyne.CanvasObject { return d.newSettingsScreen().content }
}

// pickTable is a widget.Table with a checkbox column for multi-select (the
// manual's 勾选), a header row, and a details callback when a row is
// clicked. Picks are kept by key, so they survive a reload or a new search.
// UI goroutine only.
type pickTable struct {
	table   *widget.Table
	headers []string // after the checkbox column
	rows    int
	cell    func(row, col int) string // col counts from 0 after the checkbox
	key     func(row int) string
	// locked rows cannot be picked (e.g. a decision waiting to be synced).
	locked   func(row int) bool
	picked   map[string]bool
	onPick   func()        // the picks changed
	onSelect func(row int) // a row was clicked
}

func newPickTable(headers []string, widths []float32) *pickTable {
	p := &pickTable{headers: headers, picked: map[string]bool{}}
	p.table = widget.NewTable(
		func() (int, int) { return p.rows, len(p.headers) + 1 },
		func() fyne.CanvasObject {
			l := widget.NewLabel("天津市农业科学院作物研究所")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewStack(widget.NewCheck("", nil), l)
		},
		p.update,
	)
	p.table.ShowHeaderRow = true
	p.table.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		return container.NewStack(widget.NewCheck("", nil), l)
	}
	p.table.UpdateHeader = p.updateHeader
	p.table.SetColumnWidth(0, 40)
	for i, w := range widths {
		p.table.SetColumnWidth(i+1, w)
	}
	p.table.OnSelected = func(id widget.TableCellID) {
		if id.Row < 0 || id.Row >= p.rows {
			return
		}
		if id.Col == 0 {
			p.toggle(id.Row)
		}
		if p.onSelect != nil {
			p.onSelect(id.Row)
		}
	}
	return p
}

func (p *pickTable) update(id widget.TableCellID, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	check, label := c.Objects[0].(*widget.Check), c.Objects[1].(*widget.Label)
	if id.Col == 0 {
		label.Hide()
		check.Show()
		row := id.Row
		check.OnChanged = nil
		check.SetChecked(p.picked[p.key(row)])
		if p.locked != nil && p.locked(row) {
			check.Disable()
		} else {
			check.Enable()
		}
		check.OnChanged = func(on bool) { p.set(row, on) }
		return
	}
	check.Hide()
	label.Show()
	label.SetText(p.cell(id.Row, id.Col-1))
}

func (p *pickTable) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	check, label := c.Objects[0].(*widget.Check), c.Objects[1].(*widget.Label)
	if id.Col == 0 {
		label.Hide()
		check.Show()
		check.OnChanged = nil
		check.SetChecked(p.rows > 0 && p.allPicked())
		check.OnChanged = func(on bool) { p.pickAll(on) }
		return
	}
	check.Hide()
	label.Show()
	if id.Col-1 < len(p.headers) {
		label.SetText(p.headers[id.Col-1])
	}
}

// setRows shows n rows; picks of keys no longer listed, or locked now
// (decided meanwhile), are dropped, so the buttons follow what is left.
func (p *pickTable) setRows(n int) {
	p.rows = n
	listed := make(map[string]bool, n)
	for i := 0; i < n; i++ {
		if p.pickable(i) {
			listed[p.key(i)] = true
		}
	}
	for k := range p.picked {
		if !listed[k] {
			delete(p.picked, k)
		}
	}
	p.table.UnselectAll()
	p.table.Refresh()
	p.changed()
}

func (p *pickTable) pickable(row int) bool { return p.locked == nil || !p.locked(row) }

func (p *pickTable) set(row int, on bool) {
	if row >= p.rows || !p.pickable(row) {
		return
	}
	if on {
		p.picked[p.key(row)] = true
	} else {
		delete(p.picked, p.key(row))
	}
	p.table.RefreshItem(widget.TableCellID{Row: row, Col: 0})
	p.changed()
}

func (p *pickTable) toggle(row int) { p.set(row, !p.picked[p.key(row)]) }

func (p *pickTable) pickAll(on bool) {
	for i := 0; i < p.rows; i++ {
		if !p.pickable(i) {
			continue
		}
		if on {
			p.picked[p.key(i)] = true
		} else {
			delete(p.picked, p.key(i))
		}
	}
	p.table.Refresh()
	p.changed()
}

func (p *pickTable) allPicked() bool {
	some := false
	for i := 0; i < p.rows; i++ {
		if p.pickable(i) {
			some = true
			if !p.picked[p.key(i)] {
				return false
			}
		}
	}
	return some
}

// pickedRows are the listed rows that are picked, in list order.
func (p *pickTable) pickedRows() []int {
	var out []int
	for i := 0; i < p.rows; i++ {
		if p.picked[p.key(i)] {
			out = append(out, i)
		}
	}
	return out
}

func (p *pickTable) changed() {
	if p.onPick != nil {
		p.onPick()
	}
}

// refreshOnSync reloads a screen after every finished sync while it is the
// screen shown under nav; once another screen replaced it, it unsubscribes.
func (d *Desk) refreshOnSync(nav string, content fyne.CanvasObject, reload func()) {
	var (
		last  time.Time
		first = true
		stop  func()
	)
	stop = d.app.Session.OnStatus(func(st app.Status) {
		d.post(func() {
			if first { // delivered while the screen is being built
				first, last = false, st.LastSync
				return
			}
			m := d.main
			if m == nil || m.current != nav || len(m.content.Objects) == 0 || m.content.Objects[0] != content {
				if stop != nil {
					stop()
				}
				return
			}
			if !st.LastSync.Equal(last) {
				last = st.LastSync
				reload()
			}
		})
	})
}

// showDetailsDialog shows read-only content in a dialog with 【关闭】.
func (d *Desk) showDetailsDialog(title string, content fyne.CanvasObject, size fyne.Size) {
	dlg := d.newInfoDialog(title, "关闭", container.NewVScroll(content))
	dlg.dlg.Resize(size)
	dlg.show()
}

// showNote shows msg under a screen's actions: green for done, red for a
// refusal.
func showNote(note *widget.Label, msg string, bad bool) {
	note.SetText(msg)
	note.Importance = widget.SuccessImportance
	if bad {
		note.Importance = widget.DangerImportance
	}
	note.Show()
	note.Refresh()
}

// scrollIntoView scrolls s (vertically) just enough that o, somewhere in its
// content, is whole in view; o taller than s shows its top. UI goroutine.
func scrollIntoView(s *container.Scroll, o fyne.CanvasObject) {
	s.Refresh() // o may just have appeared or grown
	drv := fyne.CurrentApp().Driver()
	top := drv.AbsolutePositionForObject(o).Y - drv.AbsolutePositionForObject(s.Content).Y
	y := s.Offset.Y
	if bottom := top + o.Size().Height; bottom > y+s.Size().Height {
		y = bottom - s.Size().Height
	}
	y = min(y, top)
	s.ScrollToOffset(fyne.NewPos(s.Offset.X, max(0, y)))
}

// armButtons disables the enabled buttons in the containers under o and
// enables them again after armDelay: a list just redrawn by a change (an
// item deleted or moved) puts another item's button under the pointer, and
// the second click of a double-click must not land on it. UI goroutine.
func (d *Desk) armButtons(o fyne.CanvasObject) {
	switch x := o.(type) {
	case *widget.Button:
		if !x.Disabled() {
			d.arm(x, nil)
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			d.armButtons(c)
		}
	}
}
