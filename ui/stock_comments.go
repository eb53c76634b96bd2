package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// stockCommentsDialog is 【常用意见设置】 (REV-3): add, edit, delete and
// reorder the user's 常用意见. Every change is a stock_comment command,
// shown at once and synced like any other action.
type stockCommentsDialog struct {
	d        *Desk
	comments []model.StockComment
	rows     *fyne.Container
	text     *widget.Entry
	save     *widget.Button
	editing  *model.StockComment // nil: 【添加】 adds a new one
	message  *widget.Label
	onChange func([]model.StockComment)
	dlg      *dialog.CustomDialog
}

func (d *Desk) showStockComments(comments []model.StockComment, onChange func([]model.StockComment)) *stockCommentsDialog {
	s := &stockCommentsDialog{d: d, comments: comments, rows: container.NewVBox(), onChange: onChange, message: dangerLabel()}
	s.text = widget.NewMultiLineEntry()
	s.text.SetPlaceHolder("输入常用意见，如：申报材料齐全，符合申报条件。")
	s.text.SetMinRowsVisible(2)
	s.text.Wrapping = fyne.TextWrapWord
	s.save = widget.NewButtonWithIcon("添加", theme.ContentAddIcon(), s.saveClicked)
	s.save.Importance = widget.HighImportance
	s.fill()
	editor := container.NewBorder(nil, s.message, nil, s.save, s.text)
	body := container.NewBorder(nil, editor, nil, nil, container.NewVScroll(s.rows))
	info := d.newInfoDialog("常用意见设置", "关闭", body)
	s.dlg = info.dlg
	s.dlg.Resize(fyne.NewSize(680, 520))
	info.show()
	return s
}

func (s *stockCommentsDialog) fill() {
	s.rows.Objects = nil
	if len(s.comments) == 0 {
		s.rows.Add(widget.NewLabel("还没有常用意见，请在下方输入后点击【添加】"))
	}
	for i, c := range s.comments {
		c := c
		text := widget.NewLabel(c.Text)
		text.Wrapping = fyne.TextWrapWord
		up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() {
			s.do(func(ctx context.Context) error { return s.d.app.Reviews.MoveStockComment(ctx, c.ID, -1) })
		})
		down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() {
			s.do(func(ctx context.Context) error { return s.d.app.Reviews.MoveStockComment(ctx, c.ID, 1) })
		})
		if i == 0 {
			up.Disable()
		}
		if i == len(s.comments)-1 {
			down.Disable()
		}
		edit := widget.NewButtonWithIcon("编辑", theme.DocumentCreateIcon(), func() { s.edit(c) })
		del := widget.NewButtonWithIcon("删除", theme.DeleteIcon(), func() {
			s.do(func(ctx context.Context) error { return s.d.app.Reviews.DeleteStockComment(ctx, c) })
		})
		s.rows.Add(container.NewBorder(nil, nil, nil, container.NewHBox(up, down, edit, del), text))
	}
	s.rows.Refresh()
}

func (s *stockCommentsDialog) edit(c model.StockComment) {
	s.editing = &c
	s.text.SetText(c.Text)
	s.save.SetText("保存修改")
	s.d.win.Canvas().Focus(s.text)
}

func (s *stockCommentsDialog) saveClicked() {
	c := model.StockComment{Text: s.text.Text}
	if s.editing != nil {
		c = *s.editing
		c.Text = s.text.Text
	}
	s.do(func(ctx context.Context) error { return s.d.app.Reviews.SaveStockComment(ctx, c) })
}

// do runs one change, then re-reads the comments; meanwhile and for a
// moment after, the list takes no click.
func (s *stockCommentsDialog) do(change func(ctx context.Context) error) {
	s.d.armButtons(s.rows)
	s.d.run(func() func() {
		ctx, cancel := s.d.ctx()
		defer cancel()
		err := change(ctx)
		var comments []model.StockComment
		if err == nil {
			comments, err = s.d.app.Reviews.StockComments(ctx)
		}
		return func() {
			if err != nil {
				s.message.SetText(app.Explain(err))
				s.message.Show()
				return
			}
			s.message.Hide()
			s.editing = nil
			s.text.SetText("")
			s.save.SetText("添加")
			s.comments = comments
			s.fill()
			s.d.armButtons(s.rows)
			if s.onChange != nil {
				s.onChange(comments)
			}
		}
	})
}
