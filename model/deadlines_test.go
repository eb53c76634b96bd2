package model

import "testing"

// TestDeadlines: which deadline governs each queue, the next one with the
// days left, and at risk with the boundary day on each side.
func TestDeadlines(t *testing.T) {
	d := Deadlines{Year: 2026, ApplyBy: "2026-06-30", UnitReviewBy: "2026-07-15", SubmitBy: "2026-07-31"}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	next := []struct {
		today Date
		name  string
		days  int
		ok    bool
	}{
		{"2026-06-01", "申报截止", 29, true},
		{"2026-06-30", "申报截止", 0, true},
		{"2026-07-01", "单位审核截止", 14, true},
		{"2026-07-31", "呈报截止", 0, true},
		{"2026-08-01", "", 0, false},
	}
	for _, tt := range next {
		x, days, ok := d.Next(tt.today)
		if ok != tt.ok || x.Name != tt.name || days != tt.days {
			t.Errorf("Next(%s) = %s %d %v", tt.today, x.Name, days, ok)
		}
	}
	risk := []struct {
		stage Stage
		today Date
		year  int
		want  bool
	}{
		{StageOwnUnit, "2026-06-30", 2026, false}, // 15 days before 单位审核截止
		{StageOwnUnit, "2026-07-01", 2026, true},  // 14 days before
		{StageSubordinate, "2026-07-20", 2026, true},
		{StageForward, "2026-07-16", 2026, false}, // 15 days before 呈报截止
		{StageForward, "2026-07-17", 2026, true},
		{StageExam, "2026-08-05", 2026, true}, // past: missed
		{StageReturned, "2026-06-16", 2026, true},
		{StageOwnUnit, "2026-07-10", 2027, false}, // another year's application
		{StageCommittee, "2026-07-30", 2026, false},
	}
	for _, tt := range risk {
		if got := d.AtRisk(tt.year, tt.stage, tt.today); got != tt.want {
			t.Errorf("AtRisk(%d, %s, %s) = %v", tt.year, tt.stage, tt.today, got)
		}
	}
	bad := []Deadlines{{Year: 2026}, {Year: 1999, ApplyBy: "2026-01-01"}, {Year: 2026, ApplyBy: "2026-02-30"},
		{Year: 2026, ApplyBy: "2026-07-01", SubmitBy: "2026-06-01"}}
	for _, b := range bad {
		if b.Validate() == nil {
			t.Errorf("%+v accepted", b)
		}
	}
	if DaysLeftText(3) != "还剩 3 天" || DaysLeftText(0) != "今天截止" || DaysLeftText(-2) != "已过 2 天" {
		t.Error("DaysLeftText")
	}
}
