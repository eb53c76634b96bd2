package model

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestPublicityMustBeOver (BEY-2): a recommendation whose 公示期 ends
// tomorrow or today is refused with the first day it can be submitted; one
// that ended yesterday is accepted. "Today" is the date in China, so the
// boundary is also checked at 23:59 and 00:00 Beijing time.
func TestPublicityMustBeOver(t *testing.T) {
	beijing := func(d string, hh, mm int) time.Time {
		tm, _ := time.ParseInLocation("2006-01-02", d, ChinaZone)
		return tm.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute).UTC()
	}
	rec := func(end Date) *Recommendation {
		r := goodRec(pubFile, postTbl)
		r.PublicityStart, r.PublicityEnd, r.PublicityResult = end.AddDays(-6), end, "公示期内无异议"
		return r
	}
	tests := []struct {
		name string
		now  time.Time
		end  Date
		ok   bool
	}{
		{"ended yesterday", beijing("2026-11-02", 9, 0), "2026-11-01", true},
		{"ends today", beijing("2026-11-02", 9, 0), "2026-11-02", false},
		{"ends tomorrow", beijing("2026-11-02", 9, 0), "2026-11-03", false},
		{"ends today, 23:59 in Beijing", beijing("2026-11-02", 23, 59), "2026-11-02", false},
		{"ended, 00:00 in Beijing (still the day before in UTC)", beijing("2026-11-03", 0, 0), "2026-11-02", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := draft("D", MethodPanelReview)
			app.Stage, app.HolderUnitID = StageOwnUnit, "D"
			env := testEnv
			env.Now = tt.now
			_, err := Apply(app, dept("D"), Transition{Action: ActionPass, Opinion: "同意", Recommendation: rec(tt.end)}, env)
			if tt.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != CodePublicityNotOver {
				t.Fatalf("got %v, want %s", err, CodePublicityNotOver)
			}
			from := string(tt.end.AddDays(1))
			if !strings.Contains(e.Fields["publicity_end"], from) || !strings.Contains(e.Detail, from) {
				t.Fatalf("message %q does not give the date %s", e.Detail, from)
			}
		})
	}
}

// TestSecondWithdraw: a second 撤回 says there is nothing to withdraw, not
// that the next level has acted.
func TestSecondWithdraw(t *testing.T) {
	app := draft("E", MethodExamInLieu)
	app.Stage, app.HolderUnitID = StageSubordinate, "D"
	var err error
	if app, err = Apply(app, dept("D"), pass(dept("D")), testEnv); err != nil {
		t.Fatal(err)
	}
	if app, err = Apply(app, dept("D"), Transition{Action: ActionWithdraw}, testEnv); err != nil {
		t.Fatal(err)
	}
	_, err = Apply(app, dept("D"), Transition{Action: ActionWithdraw}, testEnv)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeNothingToWithdraw || strings.Contains(e.Detail, "上一级") {
		t.Fatalf("second 撤回: %v", err)
	}
	if !strings.Contains(e.Detail, "已撤回") {
		t.Fatalf("detail %q", e.Detail)
	}
}
