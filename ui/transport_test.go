package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"titledesk/server/demo"
)

// TestPlainHTTPNeedsConfirmation is SEC-5 in the window: an http:// address
// of another computer is refused with the reason in Chinese and the 设置
// dialog opens; 【允许】 stays disabled until the person ticks that the
// server is on a trusted network; the choice is kept and 设置's 连接安全
// card revokes it. (The refused address is never contacted.)
func TestPlainHTTPNeedsConfirmation(t *testing.T) {
	d, _ := newTestDesk(t)
	typeLogin(d, "http://192.0.2.10:8080", demo.DemoUsername, demo.DemoPassword)
	if d.main != nil {
		t.Fatal("logged in over plain HTTP without confirmation")
	}
	if msg := d.login.message.Text; !strings.Contains(msg, "未加密") || !strings.Contains(msg, "【设置】") {
		t.Fatalf("message = %q", msg)
	}
	if d.login.plainHTTP == nil {
		t.Fatal("the 设置 dialog did not open")
	}
	d.login.plainHTTP.Hide()

	called := false
	dlg := d.confirmPlainHTTP("192.0.2.10:8080", func() { called = true })
	defer dlg.Hide()
	var allow *widget.Button
	var sure *widget.Check
	for _, o := range test.LaidOutObjects(d.win.Canvas().Overlays().Top()) {
		switch w := o.(type) {
		case *widget.Button:
			if w.Text == "允许" {
				allow = w
			}
		case *widget.Check:
			sure = w
		}
	}
	if allow == nil || sure == nil || !allow.Disabled() {
		t.Fatalf("dialog: allow %v, check %v", allow, sure)
	}
	test.Tap(allow)
	if called {
		t.Fatal("allowed without the confirmation ticked")
	}
	test.Tap(sure)
	test.Tap(allow)
	if !called || !slices.Contains(plainHTTPAllowed(d.fyne.Preferences()), "192.0.2.10:8080") {
		t.Fatal("the confirmation was not kept")
	}
	card := d.transportCard()
	var revoke *widget.Button
	for _, o := range test.LaidOutObjects(card) {
		if b, ok := o.(*widget.Button); ok && b.Text == "撤销" {
			revoke = b
		}
	}
	if revoke == nil {
		t.Fatal("连接安全 does not list the allowed server")
	}
	test.Tap(revoke)
	if len(plainHTTPAllowed(d.fyne.Preferences())) != 0 {
		t.Fatal("撤销 did not remove it")
	}
}
