package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"titledesk/assets"
)

// cjkFont is the bundled WenQuanYi Micro Hei. Fyne's own font has no Chinese
// glyphs, and a .ttc collection crashes Fyne's text shaper, so this is the
// single-face .ttf from assets.
var cjkFont = fyne.NewStaticResource("wqy-microhei.ttf", assets.FontCJK)

// appIcon is the window and taskbar icon.
var appIcon = fyne.NewStaticResource("icon.png", assets.Icon)

// deskTheme is Fyne's default theme with the bundled CJK font for every text
// style. Colours are delegated with the variant Fyne passes in, so light and
// dark follow the system setting — unless 设置 chose one (forced).
type deskTheme struct {
	forced *fyne.ThemeVariant
}

var _ fyne.Theme = deskTheme{}

func (t deskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.forced != nil {
		v = *t.forced
	}
	return theme.DefaultTheme().Color(n, v)
}

// Font returns the CJK face for all styles (it has no bold or monospace
// face; Fyne draws bold text with the regular face). Only the symbol style
// keeps Fyne's font: it carries the key-cap glyphs (⌘, ⇧) shortcuts use.
func (deskTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Symbol {
		return theme.DefaultTheme().Font(s)
	}
	return cjkFont
}

func (deskTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (deskTheme) Size(n fyne.ThemeSizeName) float32 { return theme.DefaultTheme().Size(n) }

// visibleSplit shows a split's divider as a bar people see and drag: Fyne
// draws it in the shadow colour, which is all but invisible (on the dark
// theme entirely); under this override it takes the placeholder grey.
func visibleSplit(s *container.Split) fyne.CanvasObject {
	return container.NewThemeOverride(s, dividerTheme{})
}

// dividerTheme is the app's theme with a visible shadow colour.
type dividerTheme struct{}

func (dividerTheme) base() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t dividerTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameShadow {
		n = theme.ColorNamePlaceHolder
	}
	return t.base().Color(n, v)
}

func (t dividerTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.base().Font(s) }
func (t dividerTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base().Icon(n) }
func (t dividerTheme) Size(n fyne.ThemeSizeName) float32       { return t.base().Size(n) }
