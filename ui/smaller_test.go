package ui

import (
	"runtime"
	"slices"
	"strings"
	"testing"

	"titledesk/model"
)

// TestSmallerThingsSeen covers issue 10's item 11 one by one.
func TestSmallerThingsSeen(t *testing.T) {
	d, f := loggedInDesk(t)

	t.Run("下级单位注册审核 orders 批量通过 before 批量不通过", func(t *testing.T) {
		s := d.newRegistrationsScreen()
		var order []string
		for _, b := range buttonsUnder(s.content) {
			if b.Text == "批量通过" || b.Text == "批量不通过" {
				order = append(order, b.Text)
			}
		}
		if strings.Join(order, ",") != "批量通过,批量不通过" {
			t.Fatalf("buttons in order %v", order)
		}
	})
	t.Run("people are counted with 人", func(t *testing.T) {
		s := d.newMessagePushScreen()
		if !strings.HasSuffix(strings.SplitN(s.people.found.Text, "，", 2)[0], "人") || !strings.Contains(s.units.found.Text, "个") {
			t.Fatalf("found: people %q, units %q", s.people.found.Text, s.units.found.Text)
		}
	})
	t.Run("the own unit's 上级单位 is not 未同步到本机", func(t *testing.T) {
		s := d.newUnitTreeScreen()
		s.selectUnit(s.rootID)
		if text := labelTexts(s.details); strings.Contains(text, "未同步到本机") {
			t.Fatalf("details say %q", text)
		}
	})
	t.Run("attachment kinds are shown whole", func(t *testing.T) {
		v := review(t, openList(t, d, navOwnUnit), 0)
		v.buttons["pass"].OnTapped()
		for _, k := range []model.AttachmentKind{model.AttachPublicity, model.AttachPostStatusForm} {
			if b := v.form.files.uploads[k]; b == nil || b.Text != "上传"+k.Label() {
				t.Errorf("%s: %v", k, b)
			}
		}
		v.form.dlg.Hide()
	})
	t.Run("demo data uses the form's 经济类型", func(t *testing.T) {
		for _, u := range f.World.Units {
			if u.EconomicType != "" && !slices.Contains(model.EconomicTypes, u.EconomicType) {
				t.Fatalf("%s has 经济类型 %q, not one the form offers", u.Name, u.EconomicType)
			}
		}
	})
	t.Run("no display is one clear line", func(t *testing.T) {
		if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
			t.Skip("a desktop always has its display")
		}
		t.Setenv("DISPLAY", "")
		t.Setenv("WAYLAND_DISPLAY", "")
		err := CheckDisplay()
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "DISPLAY") {
			t.Fatalf("without a display: %v", err)
		}
		t.Setenv("DISPLAY", ":0")
		if err := CheckDisplay(); err != nil {
			t.Fatalf("with DISPLAY: %v", err)
		}
	})
}
