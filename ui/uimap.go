package ui

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// The UI map lets the real-window smoke test (scripts/smoke.sh) find the
// controls it clicks wherever the layout puts them, at any window size and
// scale. With TITLEDESK_UI_MAP=FILE set, the app rewrites FILE four times a
// second with one line per named control that is on screen:
//
//	name TAB x TAB y TAB width TAB height TAB enabled|disabled TAB text
//
// in pixels from the window's top left. Controls are named where they are
// made (Desk.mark). Without the variable nothing is recorded or written.

// uiMapEnv names the file the UI map is written to.
const uiMapEnv = "TITLEDESK_UI_MAP"

// mark names o in the UI map (a no-op unless the map is on). A table cell
// reused for another row takes its new name only.
func (d *Desk) mark(name string, o fyne.CanvasObject) {
	if d.marks == nil {
		return
	}
	for k, v := range d.marks {
		if v == o && k != name {
			delete(d.marks, k)
		}
	}
	d.marks[name] = o
}

// startUIMap writes the map to path until the app quits.
func (d *Desk) startUIMap(path string) {
	d.marks = map[string]fyne.CanvasObject{}
	go func() {
		for range time.Tick(250 * time.Millisecond) {
			fyne.DoAndWait(func() {
				data := d.uiMapText()
				tmp := path + ".tmp"
				if os.WriteFile(tmp, []byte(data), 0o600) == nil {
					os.Rename(tmp, path)
				}
			})
		}
	}()
}

// uiMapText is the map as written. UI goroutine only.
func (d *Desk) uiMapText() string {
	scale := d.win.Canvas().Scale()
	drv := fyne.CurrentApp().Driver()
	names := make([]string, 0, len(d.marks))
	for k := range d.marks {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		o := d.marks[name]
		pos := drv.AbsolutePositionForObject(o)
		if !o.Visible() || pos.IsZero() || o.Size().IsZero() {
			continue // hidden, or not on the canvas now
		}
		state := "enabled"
		if dis, ok := o.(fyne.Disableable); ok && dis.Disabled() {
			state = "disabled"
		}
		size := o.Size()
		fmt.Fprintf(&b, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t%s\n", name, pos.X*scale, pos.Y*scale,
			size.Width*scale, size.Height*scale, state, strings.ReplaceAll(textOf(o), "\n", " "))
	}
	return b.String()
}

func textOf(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case *widget.Button:
		return x.Text
	case *defaultButton:
		return x.Text
	case *widget.Label:
		return x.Text
	case *widget.Entry:
		return x.Text
	case *widget.SelectEntry:
		return x.Text
	case *opinionEntry:
		return x.Text
	case *widget.Select:
		return x.Selected
	case *widget.Hyperlink:
		return x.Text
	case *widget.Check:
		return fmt.Sprint(x.Checked)
	}
	return ""
}
