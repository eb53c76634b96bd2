package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// Decision safety: a clerk cannot decide by accident.
//   - an action button is disabled from its first tap until its result is
//     shown (actOnce), so a double-click never starts it twice;
//   - a decision button that appears under the pointer — the next
//     applicant's 【通过】, a confirmation's 【确认】 — stays disabled for
//     armDelay (arm), longer than the gap between a double-click's clicks;
//   - 不通过, 批量不通过, 批量通过, 撤回 and the registration decisions ask in
//     a dialog that names whom they decide and whose default button is
//     【取消】 (decisionDialog).

// armDelay is how long a decision button that just appeared stays disabled.
// A double-click's second click comes within the system's double-click time
// (Windows' default: 500 ms; the issue measured 200 ms).
const armDelay = 600 * time.Millisecond

// afterFunc runs f on the UI goroutine once delay has passed (Desk.after).
func afterFunc(delay time.Duration, f func()) {
	time.AfterFunc(delay, func() { fyne.Do(f) })
}

// action is a button that runs at most once at a time: it is disabled
// from its tap until act calls done (on the UI goroutine, once the result
// is shown), and otherwise enabled while can says so (nil: always).
type action struct {
	b    *widget.Button
	can  func() bool
	busy bool
}

// actOnce makes b such an action.
func actOnce(b *widget.Button, can func() bool, act func(done func())) *action {
	a := &action{b: b, can: can}
	b.OnTapped = func() {
		if a.busy || b.Disabled() {
			return
		}
		a.busy = true
		b.Disable()
		act(func() {
			a.busy = false
			a.refresh()
		})
	}
	return a
}

// tapOnce makes b an action that runs f: b stays disabled until the
// background work f starts (through Desk.run) has shown its result — at
// once when f starts none.
func (d *Desk) tapOnce(b *widget.Button, can func() bool, f func()) *action {
	return actOnce(b, can, func(done func()) { d.tracking(f, done) })
}

// tracking runs f and calls done once, after every piece of background
// work f started has been applied on the UI goroutine.
func (d *Desk) tracking(f func(), done func()) {
	running, returned, finished := 0, false, false
	finish := func() {
		if returned && running == 0 && !finished {
			finished = true
			done()
		}
	}
	keep := d.run
	d.run = func(work func() func()) {
		running++
		keep(func() func() {
			apply := work()
			return func() {
				apply()
				running--
				finish()
			}
		})
	}
	f()
	d.run = keep
	returned = true
	finish()
}

// refresh enables the button unless it is busy or cannot act now.
func (a *action) refresh() {
	if a.busy || (a.can != nil && !a.can()) {
		a.b.Disable()
		return
	}
	a.b.Enable()
}

// arm enables b after armDelay unless still() says the moment has passed
// (another applicant opened, the dialog closed). b must be disabled now.
func (d *Desk) arm(b *widget.Button, still func() bool) {
	b.Disable()
	d.after(armDelay, func() {
		if still == nil || still() {
			b.Enable()
		}
	})
}

// maxNamed is how many names a confirmation lists before "等 N 人".
const maxNamed = 5

// namesText lists who a decision is about: every name up to maxNamed,
// else the first ones and the count ("张三、李四、王五、赵六、钱七 等 12 人").
func namesText(names []string, unit string) string {
	if len(names) <= maxNamed {
		return strings.Join(names, "、")
	}
	return fmt.Sprintf("%s 等 %d %s", strings.Join(names[:maxNamed], "、"), len(names), unit)
}

// defaultButton is a dialog's default button: Enter, Return and Escape
// choose it like Space and a click, so a key pressed without looking
// cancels rather than decides.
type defaultButton struct{ widget.Button }

func newDefaultButton(label string, tapped func()) *defaultButton {
	b := &defaultButton{}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *defaultButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyEscape:
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
		return
	}
	b.Button.TypedKey(ev)
}

// decisionSpec says what a decisionDialog asks.
type decisionSpec struct {
	title string
	about string // names whom it decides, e.g. "将退回以下 3 人：张三、李四、王五"
	ok    string // the confirming button, e.g. "确认不通过"
	// reason asks for a required reason (不通过原因), prefilled with
	// reasonText; onReason sees every edit (drafts).
	reason      bool
	reasonLabel string // default "* 不通过原因"
	reasonHint  string
	reasonText  string
	onReason    func(string)
	// extra goes between the names and the reason (the 一次性告知 checklist).
	extra fyne.CanvasObject
	// submit queues the decision; it calls done on the UI goroutine with
	// the refusal, if any. The dialog stays open with it, else closes.
	submit func(reason string, done func(error))
}

// decisionDialog asks to confirm a decision. Its body can take more (the
// 一次性告知 checklist of a 不通过 goes between the names and the reason).
type decisionDialog struct {
	dlg     *dialog.CustomDialog
	about   *widget.Label
	body    *fyne.Container
	reason  *widget.Entry // nil when no reason is asked
	message *widget.Label
	cancel  *defaultButton
	confirm *widget.Button
	shown   bool // between Show and Hide
}

func (d *Desk) newDecisionDialog(s decisionSpec) *decisionDialog {
	dd := &decisionDialog{message: dangerLabel()}
	about := widget.NewLabel(s.about)
	about.Wrapping = fyne.TextWrapWord
	about.TextStyle.Bold = true
	dd.about = about
	dd.body = container.NewVBox(about)
	if s.extra != nil {
		dd.body.Add(s.extra)
	}
	if s.reason {
		dd.reason = widget.NewMultiLineEntry()
		dd.reason.Wrapping = fyne.TextWrapWord
		dd.reason.SetMinRowsVisible(5)
		dd.reason.SetPlaceHolder(s.reasonHint)
		dd.reason.SetText(s.reasonText)
		dd.reason.OnChanged = s.onReason
		label := s.reasonLabel
		if label == "" {
			label = "* 不通过原因"
		}
		dd.body.Add(widget.NewLabel(label))
		dd.body.Add(dd.reason)
	}
	dd.body.Add(dd.message)
	dd.cancel = newDefaultButton("取消", dd.hide)
	dd.confirm = widget.NewButton(s.ok, nil)
	dd.confirm.Importance = widget.DangerImportance
	actOnce(dd.confirm, func() bool { return dd.shown }, func(done func()) {
		text := ""
		if dd.reason != nil {
			text = dd.reason.Text
		}
		s.submit(text, func(err error) {
			defer done()
			if err != nil {
				fields := app.FieldErrors(err)
				msg := fields["reason"]
				if msg == "" {
					msg = fields["opinion"] + fields["problems"]
				}
				if msg == "" {
					msg = app.Explain(err)
				}
				dd.message.SetText(msg)
				dd.message.Show()
				return
			}
			dd.hide()
		})
	})
	for name, o := range map[string]fyne.CanvasObject{"dialog/about": about, "dialog/cancel": dd.cancel,
		"dialog/confirm": dd.confirm, "dialog/message": dd.message} {
		d.mark(name, o)
	}
	if dd.reason != nil {
		d.mark("dialog/reason", dd.reason)
	}
	dd.dlg = dialog.NewCustomWithoutButtons(s.title, container.NewPadded(dd.body), d.win)
	dd.dlg.SetButtons([]fyne.CanvasObject{dd.cancel, dd.confirm})
	dd.dlg.Resize(fyne.NewSize(min(560, d.win.Canvas().Size().Width-40), 0))
	dd.show(d)
	return dd
}

func (dd *decisionDialog) show(d *Desk) {
	dd.shown = true
	dd.dlg.Show()
	d.arm(dd.confirm, func() bool { return dd.shown })
	if dd.reason != nil {
		d.win.Canvas().Focus(dd.reason)
		// after the opinion brought in, so typing continues it
		dd.reason.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageDown})
	} else {
		d.win.Canvas().Focus(dd.cancel)
	}
}

func (dd *decisionDialog) hide() {
	dd.shown = false
	dd.dlg.Hide()
}
