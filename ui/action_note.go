package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// actionNote reports a screen's last decision — what, on whom — with its
// sync state as the outbox has it now, and 【撤销】 while any of it can
// still be taken back (BEY-7). Its owner calls refresh whenever it reloads
// (after every sync, undo or action), so "待同步" never outlives the sync.
type actionNote struct {
	label  *widget.Label
	undo   *widget.Button
	box    *fyne.Container
	verb   string // 通过, 不通过, 撤回
	unit   string // 人, 个单位
	items  []app.Item
	failed []string // "姓名：原因" of those the action did not reach
	// undoable are the items whose newest queued action is this one and
	// has not left this computer.
	undoable []app.Item
}

// newActionNote builds an empty, hidden note; onUndo takes back the
// undoable items.
func newActionNote(unit string, onUndo func(items []app.Item, done func())) *actionNote {
	n := &actionNote{label: widget.NewLabel(""), unit: unit}
	n.label.Wrapping = fyne.TextWrapWord
	n.undo = widget.NewButtonWithIcon("撤销", theme.ContentUndoIcon(), nil)
	actOnce(n.undo, nil, func(done func()) {
		items := n.undoable
		n.undoable = nil
		onUndo(items, func() {
			done()
			if len(n.undoable) == 0 {
				n.undo.Hide()
			}
		})
	})
	n.box = container.NewBorder(nil, nil, nil, n.undo, n.label)
	n.box.Hide()
	return n
}

// set shows a new action: verb done on items (queued), failed the refusals.
func (n *actionNote) set(verb string, items []app.Item, failed []string) {
	n.verb, n.items, n.failed = verb, items, failed
	n.undoable = nil
	n.box.Show()
}

// say shows a plain message instead of an action (a refusal, an undo).
func (n *actionNote) say(msg string, bad bool) {
	n.verb, n.items, n.failed, n.undoable = "", nil, nil, nil
	n.undo.Hide()
	showNote(n.label, msg, bad)
	n.box.Show()
}

func (n *actionNote) clear() {
	n.verb, n.items, n.failed, n.undoable = "", nil, nil, nil
	n.box.Hide()
}

// ids are the items the note follows (for the owner's outbox query).
func (n *actionNote) ids() []string {
	out := make([]string, len(n.items))
	for i, it := range n.items {
		out[i] = it.ID
	}
	return out
}

// refresh rewrites the note from the outbox (queued: newest queued action
// per application) and the 同步冲突 list.
func (n *actionNote) refresh(queued map[string]app.QueuedAction, conflicts map[string]app.Conflict) {
	if n.verb == "" {
		return
	}
	var waiting, refused int
	n.undoable = nil
	names := make([]string, len(n.items))
	for i, it := range n.items {
		names[i] = it.Name
		q, ok := queued[it.ID]
		switch {
		case ok:
			waiting++
			if q.Undoable && q.Action == n.verb {
				n.undoable = append(n.undoable, it)
			}
		case conflicts[it.ID].Action == n.verb:
			refused++
		}
	}
	msg := fmt.Sprintf("已%s %d %s：%s", n.verb, len(n.items), n.unit, namesText(names, n.unit))
	if len(n.items) == 1 {
		msg = fmt.Sprintf("已%s：%s", n.verb, names[0])
	}
	switch {
	case len(n.items) == 0:
		msg = fmt.Sprintf("未能%s", n.verb)
	case refused > 0:
		msg += fmt.Sprintf("（%d %s未被服务器接受，请点击状态栏“同步冲突”处理）", refused, n.unit)
	case waiting == len(n.items):
		msg += "（待同步）"
	case waiting > 0:
		msg += fmt.Sprintf("（%d %s待同步）", waiting, n.unit)
	default:
		msg += "（已同步）"
	}
	if len(n.failed) > 0 {
		msg += fmt.Sprintf("；%d %s未能%s：%s", len(n.failed), n.unit, n.verb, strings.Join(n.failed, "；"))
	}
	showNote(n.label, msg, refused > 0 || len(n.failed) > 0)
	if len(n.undoable) > 0 {
		n.undo.SetText(map[bool]string{true: "撤销", false: fmt.Sprintf("撤销 %d %s", len(n.undoable), n.unit)}[len(n.items) == 1])
		n.undo.Show()
	} else {
		n.undo.Hide()
	}
	n.box.Show()
}
