package ui

import (
	"errors"
	"os"
	"runtime"
)

// CheckDisplay reports, before any window is made, that there is no
// graphical display to show one on (a Linux or BSD session without X11 or
// Wayland): the app then says so in one line instead of a stack trace.
func CheckDisplay() error {
	switch runtime.GOOS {
	case "windows", "darwin", "android", "ios", "js":
		return nil
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("no graphical display (DISPLAY and WAYLAND_DISPLAY are unset): TitleDesk needs a desktop session — 未找到图形显示环境，请在桌面环境中运行")
	}
	return nil
}
