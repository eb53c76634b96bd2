package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
)

// fileChooser is the app's file dialog for 上传附件, 另存为 and 导出: Chinese
// throughout, listing only the file types asked for, opening in the folder
// last used for the same purpose. (Fyne's own dialog names its places in
// English whatever the language; docs/decisions.md says why not a native
// one.) UI goroutine only.
type fileChooser struct {
	d       *Desk
	save    bool
	exts    []string // lower-case with the dot; nil: every file
	pref    string   // preference holding the last folder
	dir     string
	items   []os.DirEntry
	chosen  string // the file picked in the list (open)
	path    *widget.Label
	list    *widget.List
	name    *widget.Entry // save: the file name
	message *widget.Label
	ok      *widget.Button
	dlg     *dialog.CustomDialog
	then    func(path string)
}

// Purposes of the chooser; each remembers its own folder.
const (
	folderAttachments = "attachments"
	folderSaved       = "saved"
)

var (
	attachmentTypes = []string{".pdf", ".jpg", ".jpeg", ".png"}
	pdfType         = []string{".pdf"}
)

// typeNames names a filter for people: "PDF、JPG、PNG 文件".
func typeNames(exts []string) string {
	var names []string
	for _, e := range exts {
		n := strings.ToUpper(strings.TrimPrefix(e, "."))
		if n == "JPEG" {
			continue
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return "所有文件"
	}
	return strings.Join(names, "、") + " 文件"
}

// chooseFile asks for an existing file of exts and hands its path on.
func (d *Desk) chooseFile(title string, exts []string, purpose string, then func(path string)) *fileChooser {
	return d.newFileChooser(title, false, "", exts, purpose, then)
}

// chooseSavePath asks where to save a file named name (made safe for
// Windows first) and hands the path on; an existing file is replaced only
// after a confirmation.
func (d *Desk) chooseSavePath(title, name string, exts []string, then func(path string)) *fileChooser {
	return d.newFileChooser(title, true, app.SafeFileName(name), exts, folderSaved, then)
}

func (d *Desk) newFileChooser(title string, save bool, name string, exts []string, purpose string, then func(string)) *fileChooser {
	f := &fileChooser{d: d, save: save, exts: exts, pref: "dialog.folder." + purpose, then: then}
	f.path = widget.NewLabel("")
	f.path.Truncation = fyne.TextTruncateEllipsis
	up := widget.NewButtonWithIcon("上一级", theme.MoveUpIcon(), func() { f.open(filepath.Dir(f.dir)) })
	f.list = widget.NewList(func() int { return len(f.items) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), nil, widget.NewLabel("文件名.pdf"))
		}, f.updateItem)
	f.list.OnSelected = f.selected
	f.message = dangerLabel()
	label := "打开"
	if save {
		label = "保存"
	}
	f.ok = widget.NewButton(label, f.confirm)
	f.ok.Importance = widget.HighImportance
	cancel := newDefaultButton("取消", func() { f.dlg.Hide() })
	bottom := container.NewVBox(widget.NewLabel("文件类型："+typeNames(exts)), f.message)
	if save {
		f.name = widget.NewEntry()
		f.name.SetText(name)
		f.name.OnChanged = func(string) { f.refreshOK() }
		f.name.OnSubmitted = func(string) { f.confirm() }
		bottom.Objects = append([]fyne.CanvasObject{container.NewBorder(nil, nil, widget.NewLabel("文件名"), nil, f.name)}, bottom.Objects...)
	}
	body := container.NewBorder(container.NewBorder(nil, nil, up, nil, f.path), bottom, f.placesBar(), nil, f.list)
	f.dlg = dialog.NewCustomWithoutButtons(title, body, d.win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.ok})
	win := d.win.Canvas().Size()
	f.dlg.Resize(fyne.NewSize(min(760, win.Width-24), min(520, win.Height-24)))
	for n, o := range map[string]fyne.CanvasObject{"file/path": f.path, "file/up": up, "file/ok": f.ok, "file/cancel": cancel} {
		d.mark(n, o)
	}
	if f.name != nil {
		d.mark("file/name", f.name)
	}
	f.open(f.startFolder())
	f.dlg.Show()
	return f
}

// folderPlace is a folder offered on the chooser's left.
type folderPlace struct{ name, path string }

// places are 上次位置, 主目录, 桌面, 文档, 下载 and the computer's drives,
// those that exist.
func (f *fileChooser) places() []folderPlace {
	var out []folderPlace
	if last := f.d.fyne.Preferences().String(f.pref); last != "" && isDir(last) {
		out = append(out, folderPlace{"上次位置", last})
	}
	home, err := os.UserHomeDir()
	if err == nil {
		out = append(out, folderPlace{"主目录", home})
		for _, p := range []struct{ name, dirs string }{{"桌面", "Desktop|桌面"}, {"文档", "Documents|文档"}, {"下载", "Downloads|下载"}} {
			for _, dir := range strings.Split(p.dirs, "|") {
				if isDir(filepath.Join(home, dir)) {
					out = append(out, folderPlace{p.name, filepath.Join(home, dir)})
					break
				}
			}
		}
	}
	if runtime.GOOS == "windows" {
		for c := 'C'; c <= 'Z'; c++ {
			if root := string(c) + `:\`; isDir(root) {
				out = append(out, folderPlace{"本地磁盘 (" + string(c) + ":)", root})
			}
		}
	} else {
		out = append(out, folderPlace{"此电脑", "/"})
	}
	return out
}

func (f *fileChooser) placesBar() fyne.CanvasObject {
	box := container.NewVBox()
	for _, p := range f.places() {
		p := p
		b := widget.NewButton(p.name, func() { f.open(p.path) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		f.d.mark("file/place/"+p.name, b)
		box.Add(b)
	}
	return container.NewVScroll(box)
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// startFolder is the folder last used for this purpose, else the home.
func (f *fileChooser) startFolder() string {
	if last := f.d.fyne.Preferences().String(f.pref); last != "" && isDir(last) {
		return last
	}
	if home, err := os.UserHomeDir(); err == nil {
		return home
	}
	return "."
}

// open lists dir: its folders, then the files of the types asked for.
func (f *fileChooser) open(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.say("无法打开该文件夹：" + dir)
		return
	}
	f.message.Hide()
	f.dir, f.chosen = dir, ""
	f.items = f.items[:0]
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || (!e.IsDir() && !f.wanted(e.Name())) {
			continue
		}
		f.items = append(f.items, e)
	}
	sort.SliceStable(f.items, func(i, j int) bool {
		if a, b := f.items[i].IsDir(), f.items[j].IsDir(); a != b {
			return a
		}
		return strings.ToLower(f.items[i].Name()) < strings.ToLower(f.items[j].Name())
	})
	f.path.SetText(dir)
	f.list.UnselectAll()
	f.list.Refresh()
	f.list.ScrollToTop()
	f.refreshOK()
}

func (f *fileChooser) wanted(name string) bool {
	if f.exts == nil {
		return true
	}
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range f.exts {
		if ext == e {
			return true
		}
	}
	return false
}

func (f *fileChooser) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	label, icon := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Icon)
	e := f.items[i]
	label.SetText(e.Name())
	if e.IsDir() {
		icon.SetResource(theme.FolderIcon())
	} else {
		icon.SetResource(theme.FileIcon())
	}
	f.d.mark("file/item/"+e.Name(), o)
}

func (f *fileChooser) selected(i widget.ListItemID) {
	if i < 0 || i >= len(f.items) {
		return
	}
	e := f.items[i]
	if e.IsDir() {
		f.open(filepath.Join(f.dir, e.Name()))
		return
	}
	f.chosen = e.Name()
	if f.save {
		f.name.SetText(e.Name())
	}
	f.refreshOK()
}

func (f *fileChooser) refreshOK() {
	if (f.save && strings.TrimSpace(f.name.Text) != "") || (!f.save && f.chosen != "") {
		f.ok.Enable()
	} else {
		f.ok.Disable()
	}
}

func (f *fileChooser) say(msg string) {
	f.message.SetText(msg)
	f.message.Show()
}

// confirm hands the chosen path on and remembers the folder; saving over
// an existing file asks first.
func (f *fileChooser) confirm() {
	if f.ok.Disabled() {
		return
	}
	name := f.chosen
	if f.save {
		name = app.SafeFileName(strings.TrimSpace(f.name.Text))
		if len(f.exts) > 0 && !f.wanted(name) {
			name += f.exts[0]
		}
	}
	path := filepath.Join(f.dir, name)
	done := func() {
		f.d.fyne.Preferences().SetString(f.pref, f.dir)
		f.dlg.Hide()
		f.then(path)
	}
	if _, err := os.Stat(path); f.save && err == nil {
		f.d.newDecisionDialog(decisionSpec{title: "文件已存在", about: fmt.Sprintf("“%s”已存在，要替换它吗？", name), ok: "替换",
			submit: func(_ string, finish func(error)) { finish(nil); done() }})
		return
	}
	done()
}
