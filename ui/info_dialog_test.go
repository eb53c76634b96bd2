package ui

import (
	"errors"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"titledesk/model"
)

// pressKey delivers a key as the desktop driver does: to the focused
// widget, else to the canvas's handler.
func pressKey(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
}

// Esc closes every informational dialog (导出完成, 打印, 提示, 数据提示,
// 消息通知, details) — whether its 【关闭】 has the focus (as it does when
// shown), one of its own buttons (【打开】, 【另存为…】) has it, or nothing
// has (after a click on its text) — and never presses 【打开】 or 【另存为…】.
func TestEscClosesInfoDialogsWithoutActing(t *testing.T) {
	d, _ := loggedInDesk(t)
	viewer := &recordingViewer{}
	d.app.Viewer = viewer
	saves := 0
	d.saveFile = func(string, func(fyne.URIWriteCloser)) { saves++ }
	file := filepath.Join(t.TempDir(), "名单.xlsx")
	dialogs := []struct {
		name    string
		buttons bool // has 【打开】 or 【另存为…】
		show    func()
	}{
		{"导出完成", true, func() { d.showExported("已审核列表", countPeople, storage.NewFileURI(file), 3) }},
		{"打印", true, func() { d.showPrinted(file, "审核表", nil) }},
		{"打印（无阅读器）", true, func() { d.showPrinted(file, "审核表", errors.New("no viewer")) }},
		{"提示", false, func() { d.showError(errors.New("x")) }},
		{"数据提示", false, func() { d.showNotice("已恢复") }},
		{"消息通知", false, func() { d.showMessage(model.Message{Title: "通知", Body: "内容"}) }},
		{"关于", false, func() { d.showAbout() }},
		{"详情", false, func() { d.showDetailsDialog("详情", widget.NewLabel("内容"), fyne.NewSize(300, 200)) }},
	}
	c := d.win.Canvas()
	for _, dl := range dialogs {
		for _, focus := range []string{"关闭", "内容按钮", "无"} {
			dl.show()
			top := c.Overlays().Top()
			if top == nil {
				t.Fatalf("%s: not shown", dl.name)
			}
			if b, ok := c.Focused().(*defaultButton); !ok || (b.Text != "关闭" && b.Text != "确定" && b.Text != "知道了") {
				t.Fatalf("%s: focused %T, want its closing button", dl.name, c.Focused())
			}
			switch focus {
			case "内容按钮":
				b := findEscButton(top)
				if (b != nil) != dl.buttons {
					t.Fatalf("%s: content button %v", dl.name, b)
				}
				if b != nil {
					c.Focus(b)
				}
			case "无":
				c.Unfocus()
			}
			pressKey(c, fyne.KeyEscape)
			if got := c.Overlays().Top(); got != nil {
				t.Fatalf("%s, focus on %s: Esc left the dialog open", dl.name, focus)
			}
		}
	}
	if len(viewer.opened) != 0 || saves != 0 {
		t.Fatalf("Esc acted: opened %v, 另存为 %d times", viewer.opened, saves)
	}
}

// findEscButton is the first 【打开】/【另存为…】 in o, if any.
func findEscButton(o fyne.CanvasObject) *escButton {
	if b, ok := o.(*escButton); ok {
		return b
	}
	var kids []fyne.CanvasObject
	switch w := o.(type) {
	case *fyne.Container:
		kids = w.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(w).Objects()
	}
	for _, k := range kids {
		if b := findEscButton(k); b != nil {
			return b
		}
	}
	return nil
}
