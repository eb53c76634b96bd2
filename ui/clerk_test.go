package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// Found by a hurried clerk: what a batch decides is what the list shows.

// TestBatchSelectionFollowsTheFilters: rows ticked and then filtered out of
// sight are no longer part of the selection, so a batch never decides an
// applicant the clerk cannot see; ticks on rows the new filter still shows
// stay. Each way of narrowing the list is tried.
func TestBatchSelectionFollowsTheFilters(t *testing.T) {
	d, _ := loggedInDesk(t)
	l := openList(t, d, navSubordinate)
	cases := []struct {
		name   string
		narrow func(keep int)
		widen  func()
	}{
		{"搜索", func(keep int) { test.Type(l.search, l.rows[keep].ApplicantName) }, func() { l.search.SetText("") }},
		{"级别", func(keep int) { l.level.SetSelected(l.rows[keep].Level.Label()) }, func() { l.level.SetSelectedIndex(0) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() { c.widen(); l.selectAllLoaded(false) }()
			keep := -1 // a row whose level differs from row 0's, ticked with it
			for i := 1; i < len(l.rows); i++ {
				if l.rows[i].Level != l.rows[0].Level && l.rows[i].ApplicantName != l.rows[0].ApplicantName {
					keep = i
					break
				}
			}
			if keep < 0 {
				t.Fatal("no two rows of different levels in the demo list")
			}
			kept, hidden := l.rows[keep], l.rows[0]
			l.setChecked(hidden, true)
			l.setChecked(kept, true)
			c.narrow(keep)
			if indexOf(l, hidden.ID) >= 0 {
				t.Fatalf("%s still shows %s", c.name, hidden.ApplicantName)
			}
			if _, on := l.selected[hidden.ID]; on {
				t.Errorf("%s hidden by %s is still ticked (%q)", hidden.ApplicantName, c.name, l.count.Text)
			}
			if _, on := l.selected[kept.ID]; !on {
				t.Errorf("%s, still shown, lost its tick", kept.ApplicantName)
			}
			test.Tap(l.buttons["reject"])
			if rd := l.rejectDialog; rd == nil || strings.Contains(rd.about.Text, hidden.ApplicantName) || !strings.Contains(rd.about.Text, "1 人") {
				t.Fatalf("批量不通过 would return what the list does not show: %v", rd)
			} else {
				test.Tap(rd.cancel)
			}
		})
	}
}
