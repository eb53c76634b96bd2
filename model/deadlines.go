package model

import (
	"fmt"
	"sort"
)

// Deadlines are the dates of one year's 职称申报 the city office sets (BEY-6):
// 申报截止 (applicants submit), 单位审核截止 (employer units and departments
// finish their first review) and 呈报截止 (departments submit upward). A zero
// Date is not set.
type Deadlines struct {
	Year         int  `json:"year"`
	ApplyBy      Date `json:"apply_by"`       // 申报截止
	UnitReviewBy Date `json:"unit_review_by"` // 单位审核截止
	SubmitBy     Date `json:"submit_by"`      // 呈报截止
}

// DeadlineRiskDays is how close a deadline must be for the applications it
// governs to count as at risk (首页, the lists' 临近截止 filter).
const DeadlineRiskDays = 14

// Deadline is one of a year's dates with its name.
type Deadline struct {
	Name string // 申报截止, 单位审核截止, 呈报截止
	Date Date
}

// List is the set deadlines in date order.
func (d Deadlines) List() []Deadline {
	var out []Deadline
	for _, x := range []Deadline{{"申报截止", d.ApplyBy}, {"单位审核截止", d.UnitReviewBy}, {"呈报截止", d.SubmitBy}} {
		if x.Date != "" {
			out = append(out, x)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

// Validate checks a year's deadlines: a plausible year, real dates, at least
// one set, and in their natural order (申报 before 单位审核 before 呈报).
func (d Deadlines) Validate() error {
	fe := FieldErrors{}
	if d.Year < 2000 || d.Year > 2100 {
		fe.Add("year", "年度无效")
	}
	set := 0
	for _, x := range []struct {
		key string
		d   Date
	}{{"apply_by", d.ApplyBy}, {"unit_review_by", d.UnitReviewBy}, {"submit_by", d.SubmitBy}} {
		if x.d == "" {
			continue
		}
		set++
		if !x.d.Valid() {
			fe.Add(x.key, "日期无效，应为YYYY-MM-DD")
		}
	}
	if set == 0 {
		fe.Add("apply_by", "请至少设置一个截止日期")
	}
	ordered := []Date{d.ApplyBy, d.UnitReviewBy, d.SubmitBy}
	keys := []string{"apply_by", "unit_review_by", "submit_by"}
	var last Date
	for i, x := range ordered {
		if x == "" || !x.Valid() {
			continue
		}
		if last != "" && x < last {
			fe.Add(keys[i], "截止日期应依次为申报截止、单位审核截止、呈报截止")
		}
		last = x
	}
	return fe.Err(CodeValidation, "截止日期有误")
}

// For is the deadline that governs an application in stage s: 申报截止 for
// one with the applicant (draft or returned), 单位审核截止 for the first
// reviews, 呈报截止 for the department's second reviews.
func (d Deadlines) For(s Stage) (Deadline, bool) {
	var x Deadline
	switch s {
	case StageDraft, StageReturned:
		x = Deadline{"申报截止", d.ApplyBy}
	case StageUnitReview, StageOwnUnit, StageSubordinate:
		x = Deadline{"单位审核截止", d.UnitReviewBy}
	case StageForward, StageSelfAppoint, StageExam:
		x = Deadline{"呈报截止", d.SubmitBy}
	}
	return x, x.Date != ""
}

// Next is the first deadline on or after today, and how many days are left
// (0 on the day itself).
func (d Deadlines) Next(today Date) (Deadline, int, bool) {
	for _, x := range d.List() {
		if x.Date >= today {
			return x, DaysBetween(today, x.Date), true
		}
	}
	return Deadline{}, 0, false
}

// AtRisk reports whether an application of year d.Year in stage s would miss
// its deadline unless acted on soon: the governing deadline is at most
// DeadlineRiskDays away, or already past.
func (d Deadlines) AtRisk(year int, s Stage, today Date) bool {
	x, ok := d.For(s)
	return ok && year == d.Year && DaysBetween(today, x.Date) <= DeadlineRiskDays
}

// RiskStages are the stages whose deadline is x (for counting at-risk work).
func (d Deadlines) RiskStages(x Deadline) []Stage {
	var out []Stage
	for _, s := range []Stage{StageReturned, StageUnitReview, StageOwnUnit, StageSubordinate, StageForward, StageSelfAppoint, StageExam} {
		if y, ok := d.For(s); ok && y == x {
			out = append(out, s)
		}
	}
	return out
}

// DaysBetween is the number of days from a to b (negative when b is
// earlier); 0 for invalid dates.
func DaysBetween(a, b Date) int {
	ta, err1 := a.Time()
	tb, err2 := b.Time()
	if err1 != nil || err2 != nil {
		return 0
	}
	return int((tb.Unix() - ta.Unix()) / 86400)
}

// DaysLeftText says how far a deadline is, as 首页 shows it.
func DaysLeftText(days int) string {
	switch {
	case days > 0:
		return fmt.Sprintf("还剩 %d 天", days)
	case days == 0:
		return "今天截止"
	}
	return fmt.Sprintf("已过 %d 天", -days)
}
