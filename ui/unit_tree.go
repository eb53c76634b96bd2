package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// unitTreeScreen is 下级单位管理 (UNIT-2..4): the tree of the whole
// subtree, every level, with search, details, 【新增下级单位】 on the
// selected node and 【修改单位信息】 on a descendant.
type unitTreeScreen struct {
	d        *Desk
	nodes    map[string]app.UnitNode
	children map[string][]string
	order    []app.UnitNode // tree order, for the parent choices of the form
	rootID   string
	selected string

	search  *widget.Entry
	tree    *widget.Tree
	count   *widget.Label
	details *fyne.Container
	add     *widget.Button
	edit    *widget.Button
	addAct  *action
	editAct *action
	note    *widget.Label
	content fyne.CanvasObject
}

func (d *Desk) newUnitTreeScreen() *unitTreeScreen {
	s := &unitTreeScreen{d: d, nodes: map[string]app.UnitNode{}, children: map[string][]string{}}
	me, _ := d.app.Session.Me()
	s.rootID = me.UnitID
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder("按单位名称查询")
	s.search.OnSubmitted = func(string) { s.load() }
	searchBtn := widget.NewButtonWithIcon("查询", theme.SearchIcon(), nil)
	d.tapOnce(searchBtn, nil, s.load)
	s.tree = widget.NewTree(
		func(id widget.TreeNodeID) []widget.TreeNodeID {
			if id == "" {
				if _, ok := s.nodes[s.rootID]; ok {
					return []string{s.rootID}
				}
				return nil
			}
			return s.children[id]
		},
		func(id widget.TreeNodeID) bool { return id == "" || len(s.children[id]) > 0 },
		func(bool) fyne.CanvasObject {
			l := widget.NewLabel("天津市农业科学院作物研究所第一课题组")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			n := s.nodes[id]
			text := n.Unit.Name
			if n.Unit.Kind == model.UnitDepartment && id != s.rootID {
				text += "（主管部门）"
			}
			if n.Queued {
				text += " · 待同步"
			}
			l.SetText(text)
			// Ancestors kept only to connect search hits are muted.
			l.Importance = widget.MediumImportance
			if !n.Match {
				l.Importance = widget.LowImportance
			}
			l.Refresh()
		},
	)
	s.tree.OnSelected = func(id widget.TreeNodeID) {
		s.selected = id
		s.showDetails()
	}
	s.count = widget.NewLabel("")
	s.count.SizeName = theme.SizeNameCaptionText
	s.add = widget.NewButtonWithIcon("新增下级单位", theme.ContentAddIcon(), nil)
	s.add.Importance = widget.HighImportance
	s.addAct = d.tapOnce(s.add, func() bool { _, ok := s.nodes[s.selected]; return ok }, s.addClicked)
	s.edit = widget.NewButtonWithIcon("修改单位信息", theme.DocumentCreateIcon(), nil)
	s.editAct = d.tapOnce(s.edit, func() bool { _, ok := s.nodes[s.selected]; return ok && s.selected != s.rootID }, s.editClicked)
	s.note = widget.NewLabel("")
	s.note.Wrapping = fyne.TextWrapWord
	s.note.Hide()
	s.details = container.NewVBox()

	left := container.NewBorder(
		container.NewBorder(nil, nil, nil, searchBtn, s.search), s.count, nil, nil, s.tree)
	hint := widget.NewLabel("在左侧单位关系树中选择单位后点击【新增下级单位】；对下级单位可点击【修改单位信息】修改单位名称等锁定信息。")
	hint.Wrapping = fyne.TextWrapWord
	hint.SizeName = theme.SizeNameCaptionText
	right := container.NewBorder(
		container.NewVBox(container.NewHBox(screenHeading("下级单位管理"), layout.NewSpacer(), s.edit, s.add), hint, s.note),
		nil, nil, nil, widget.NewCard("单位详细信息", "", container.NewVScroll(s.details)))
	split := container.NewHSplit(left, right)
	split.Offset = 0.42
	s.content = visibleSplit(split)
	s.showDetails()
	s.loadThen(func() { s.selectUnit(s.rootID) }) // its own unit: 【新增下级单位】 works at once
	d.refreshOnSync(navSubUnits, s.content, s.load)
	return s
}

// load reads the tree (with the search text) from the cache.
func (s *unitTreeScreen) load() { s.loadThen(nil) }

// loadThen loads and then runs after (UI goroutine) once the tree shows.
func (s *unitTreeScreen) loadThen(after func()) {
	search := strings.TrimSpace(s.search.Text)
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		nodes, err := s.d.app.Units.Tree(ctx, search)
		return func() {
			if err != nil {
				s.say("读取单位失败："+app.Explain(err), true)
				return
			}
			s.setNodes(nodes, search != "")
			if after != nil {
				after()
			}
		}
	})
}

func (s *unitTreeScreen) setNodes(nodes []app.UnitNode, searching bool) {
	s.nodes, s.children, s.order = map[string]app.UnitNode{}, map[string][]string{}, nodes
	matches := 0
	for _, n := range nodes {
		s.nodes[n.Unit.ID] = n
		if n.Unit.ID != s.rootID {
			s.children[n.Unit.ParentID] = append(s.children[n.Unit.ParentID], n.Unit.ID)
		}
		if n.Match && n.Unit.ID != s.rootID {
			matches++
		}
	}
	if searching {
		s.count.SetText(fmt.Sprintf("找到 %d 个单位", matches))
		s.tree.OpenAllBranches()
	} else {
		s.count.SetText(fmt.Sprintf("共 %d 个下级单位（含多级）", len(nodes)-1))
		s.tree.OpenBranch(s.rootID)
	}
	s.tree.Refresh()
	if _, ok := s.nodes[s.selected]; !ok {
		s.selected = ""
		s.tree.UnselectAll()
	}
	s.showDetails()
}

func (s *unitTreeScreen) say(msg string, bad bool) { showNote(s.note, msg, bad) }

// selectUnit selects a node as if clicked, opening its ancestors.
func (s *unitTreeScreen) selectUnit(id string) {
	for p := s.nodes[id].Unit.ParentID; p != ""; p = s.nodes[p].Unit.ParentID {
		if _, ok := s.nodes[p]; !ok {
			break
		}
		s.tree.OpenBranch(p)
	}
	s.tree.Select(id)
	s.tree.ScrollTo(id)
}

func (s *unitTreeScreen) showDetails() {
	n, ok := s.nodes[s.selected]
	if !ok {
		s.details.Objects = []fyne.CanvasObject{widget.NewLabel("请在左侧选择单位")}
		s.details.Refresh()
		s.addAct.refresh()
		s.editAct.refresh()
		return
	}
	// its own unit cannot be edited here: 首页【基本信息维护】, locked fields read-only
	s.addAct.refresh()
	s.editAct.refresh()
	sync := "已同步"
	if n.Queued {
		sync = "待同步"
	}
	parent := s.nodes[n.Unit.ParentID].Unit.Name
	if n.Unit.ID == s.rootID && parent == "" {
		parent = "—（本单位的上级单位不在本单位的管理范围内）"
	}
	s.details.Objects = []fyne.CanvasObject{unitDetails(n.Unit, parent,
		[2]string{"直属下级单位", strconv.Itoa(n.Children) + " 个"}, [2]string{"同步状态", sync})}
	s.details.Refresh()
}

func (s *unitTreeScreen) addClicked() {
	parent := s.selected
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		f, err := s.d.app.Units.NewSubunitForm(ctx, parent)
		return func() {
			if err != nil {
				s.d.showError(err)
				return
			}
			s.d.newUnitFormFor(f, unitFormSave{
				title: "新增下级单位",
				save: func(ctx context.Context, u model.Unit) error {
					created, err := s.d.app.Units.CreateSubunit(ctx, u)
					if err == nil {
						s.selected = created.ID
					}
					return err
				},
				onSaved: func() {
					s.say("已新增下级单位，将在同步后提交到服务器（待同步）", false)
					s.reloadAndSelect()
				},
			}).dlg.Show()
		}
	})
}

func (s *unitTreeScreen) editClicked() {
	id := s.selected
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		f, err := s.d.app.Units.SubunitForm(ctx, id)
		return func() {
			if err != nil {
				s.d.showError(err)
				return
			}
			s.d.newUnitFormFor(f, unitFormSave{
				title:   "修改单位信息",
				parents: s.parentChoices(id),
				save:    s.d.app.Units.UpdateSubunit,
				onSaved: func() {
					s.say("已保存单位信息，将在同步后提交到服务器（待同步）", false)
					s.reloadAndSelect()
				},
			}).dlg.Show()
		}
	})
}

// reloadAndSelect reloads the whole tree (a search may hide the new unit)
// and keeps the selection.
func (s *unitTreeScreen) reloadAndSelect() {
	keep := s.selected
	s.search.SetText("")
	s.loadThen(func() {
		if _, ok := s.nodes[keep]; ok {
			s.selectUnit(keep)
		}
	})
}

// parentChoices are the units a descendant may be moved under: the
// subtree without the unit's own branch.
func (s *unitTreeScreen) parentChoices(id string) []app.UnitNode {
	var out []app.UnitNode
	skipBelow := -1
	for _, n := range s.order {
		if skipBelow >= 0 && n.Depth > skipBelow {
			continue
		}
		skipBelow = -1
		if n.Unit.ID == id {
			skipBelow = n.Depth
			continue
		}
		out = append(out, n)
	}
	return out
}

// unitDetails is a read-only form of every field of a unit, then extra rows.
func unitDetails(u model.Unit, parentName string, extra ...[2]string) fyne.CanvasObject {
	form := container.New(layout.NewFormLayout())
	add := func(label, value string) {
		if strings.TrimSpace(value) == "" {
			value = "—"
		}
		v := widget.NewLabel(value)
		v.Wrapping = fyne.TextWrapWord
		form.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		form.Add(v)
	}
	post := "否"
	if u.PostManaged {
		post = "是"
	}
	staff := ""
	if u.StaffCount > 0 {
		staff = strconv.Itoa(u.StaffCount)
	}
	if parentName == "" && u.ParentID != "" {
		parentName = "（未同步到本机）"
	}
	for _, f := range [][2]string{
		{"name", u.Name}, {"credit_code", u.CreditCode}, {"kind", u.Kind.Label()}, {"type", u.Type.Label()},
		{"parent_id", parentName}, {"post_managed", post}, {"contact", u.Contact}, {"phone", u.Phone},
		{"email", u.Email}, {"address", u.Address}, {"postal_code", u.PostalCode},
		{"economic_type", u.EconomicType}, {"industry", u.Industry}, {"staff_count", staff}, {"revenue", u.Revenue},
	} {
		add(unitFieldLabels[f[0]], f[1])
	}
	for _, e := range extra {
		add(e[0], e[1])
	}
	return form
}
