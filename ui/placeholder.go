package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// placeholder stands in for a screen that is not built yet, so the
// navigation works end to end meanwhile.
func placeholder(title string) fyne.CanvasObject {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	note := widget.NewLabelWithStyle("此功能正在开发中", fyne.TextAlignCenter, fyne.TextStyle{})
	note.SizeName = theme.SizeNameCaptionText
	return container.NewCenter(container.NewVBox(t, note))
}
