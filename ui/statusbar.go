package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// statusBar is DC-1: always 在线/离线, 待同步 N 条, 上次同步, 同步冲突 N and
// 【立即同步】. It is fed by the sync engine's status callback via post.
type statusBar struct {
	d         *Desk
	online    *widget.Label
	pending   *widget.Label
	lastSync  *widget.Label
	conflicts *widget.Label
	note      *widget.Label // progress or the last problem, in Chinese
	syncNow   *widget.Button
	content   fyne.CanvasObject
	// noticeSeen is the last Status.NoticeSeq shown in a dialog.
	noticeSeen int
}

func (d *Desk) newStatusBar() *statusBar {
	b := &statusBar{d: d,
		online: widget.NewLabel("离线"), pending: widget.NewLabel("待同步 0 条"),
		lastSync: widget.NewLabel("上次同步 —"), conflicts: widget.NewLabel("同步冲突 0"),
		note: widget.NewLabel(""),
	}
	b.note.Truncation = fyne.TextTruncateEllipsis
	b.syncNow = widget.NewButtonWithIcon("立即同步", theme.ViewRefreshIcon(), b.syncClicked)
	d.mark("status/sync", b.syncNow)
	d.mark("status/pending", b.pending)
	sep := func() fyne.CanvasObject { return widget.NewSeparator() }
	left := container.NewHBox(b.online, sep(), b.pending, sep(), b.lastSync, sep(), newTapArea(b.conflicts, b.showConflicts), sep())
	b.content = container.NewBorder(widget.NewSeparator(), nil, left, b.syncNow, b.note)
	return b
}

// set shows st. UI goroutine only.
func (b *statusBar) set(st app.Status) {
	switch {
	case st.Syncing && st.InitialSync && st.Total > 0:
		b.online.SetText("在线")
		b.note.SetText(fmt.Sprintf("正在同步 %d/%d", st.Done, st.Total))
	case st.Online:
		b.online.SetText("在线")
	default:
		b.online.SetText("离线")
	}
	b.online.Importance = map[bool]widget.Importance{true: widget.SuccessImportance, false: widget.WarningImportance}[st.Online]
	b.online.Refresh()
	b.pending.SetText(fmt.Sprintf("待同步 %d 条", st.Pending))
	if st.LastSync.IsZero() {
		b.lastSync.SetText("上次同步 —")
	} else {
		b.lastSync.SetText("上次同步 " + st.LastSync.Local().Format("15:04"))
	}
	b.conflicts.SetText(fmt.Sprintf("同步冲突 %d", st.Conflicts))
	b.conflicts.Importance = widget.MediumImportance
	if st.Conflicts > 0 {
		b.conflicts.Importance = widget.DangerImportance
	}
	b.conflicts.Refresh()
	switch {
	case st.NeedPassword:
		b.note.SetText("登录已过期，请点击右上角【退出登录】后重新登录，未同步的操作不会丢失")
	case st.Syncing && !st.InitialSync:
		b.note.SetText("正在同步…")
	case !st.Syncing && st.LastError == "":
		b.note.SetText(st.Notice)
	case !st.Syncing:
		b.note.SetText(st.LastError)
	}
	if st.NoticeSeq > b.noticeSeen && st.Notice != "" {
		// Something happened to the person's data (a restored backup, a
		// copied cache, a new cache): told once, in a dialog.
		b.noticeSeen = st.NoticeSeq
		b.d.showNotice(st.Notice)
	}
	if st.Syncing {
		b.syncNow.Disable()
	} else {
		b.syncNow.Enable()
	}
}

// syncClicked runs one sync cycle now; the new status (and the dashboard
// refresh a finished sync triggers) arrives through the status callback.
func (b *statusBar) syncClicked() {
	b.syncNow.Disable()
	b.d.run(func() func() {
		ctx, cancel := b.d.ctx()
		defer cancel()
		err := b.d.app.Session.SyncNow(ctx)
		return func() {
			b.syncNow.Enable()
			if err != nil {
				b.note.SetText(app.Explain(err))
			}
		}
	})
}

// showConflicts opens the 同步冲突 view (conflicts.go) from the count.
func (b *statusBar) showConflicts() {
	if b.d.main != nil {
		b.d.main.goTo(navConflicts)
	}
}
