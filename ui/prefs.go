package ui

import "fyne.io/fyne/v2"

// Preference keys. Addresses and usernames are not secrets; passwords are
// never stored (the cache keeps only an offline verifier).
const (
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
	prefServerURL    = "login.server"
	prefUsername     = "login.username"
)

// defaultWindowSize fits the smallest screens offices have — 1024×600, and
// 1366×768 at 125 % (1093×614 in Fyne's units) — with room for the task
// bar; the person's own size is remembered from then on.
var defaultWindowSize = fyne.NewSize(1000, 560)

func restoreWindowSize(fa fyne.App, w fyne.Window) {
	p := fa.Preferences()
	width := p.FloatWithFallback(prefWindowWidth, float64(defaultWindowSize.Width))
	height := p.FloatWithFallback(prefWindowHeight, float64(defaultWindowSize.Height))
	// A size saved on a larger screen or by a broken build must not make the
	// window unusable.
	if width < 800 || height < 500 {
		width, height = float64(defaultWindowSize.Width), float64(defaultWindowSize.Height)
	}
	w.Resize(fyne.NewSize(float32(width), float32(height)))
}

func saveWindowSize(fa fyne.App, w fyne.Window) {
	s := w.Canvas().Size()
	if s.Width < 1 || s.Height < 1 {
		return
	}
	fa.Preferences().SetFloat(prefWindowWidth, float64(s.Width))
	fa.Preferences().SetFloat(prefWindowHeight, float64(s.Height))
}
