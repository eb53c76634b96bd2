package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// MinPublicityWorkingDays is the national minimum length of a 公示期 (REV-5).
const MinPublicityWorkingDays = 5

// Kinds of CalendarEntry.
const (
	CalendarHoliday = "holiday" // 法定节假日 (non-working, including the weekend days of the break)
	CalendarWorkday = "workday" // 调休上班 (a weekend day that is worked)
)

// Calendar says which days are working days: Monday to Friday, except the
// holidays, plus the weekend days worked to make up for them (调休上班).
//
// Its entries are the State Council's yearly arrangements as imported by the
// city office (BEY-1). A year is "imported" when the entries hold its 春节
// (every yearly notice has one, and 春节 never straddles a new year, unlike
// 元旦); for a year from StatutoryFromYear on that is not imported, the
// statutory holidays of the law (StatutoryHolidays) count as well, and
// FallbackWarning says so. A nil *Calendar knows only weekends.
type Calendar struct {
	Holidays map[Date]string // date → holiday name; non-working
	Workdays map[Date]string // weekend date → holiday it makes up for (调休上班)
	imported map[int]bool    // years whose arrangement is in the entries
}

// CalendarEntry is one line of a calendar, as stored or exchanged.
type CalendarEntry struct {
	Date Date   `json:"date"`
	Kind string `json:"kind"` // CalendarHoliday or CalendarWorkday
	Name string `json:"name"`
}

// NewCalendar builds a calendar from entries. Entries with an invalid date or
// an unknown kind are skipped; a later entry for the same date and kind wins.
func NewCalendar(entries []CalendarEntry) *Calendar {
	c := &Calendar{Holidays: map[Date]string{}, Workdays: map[Date]string{}, imported: map[int]bool{}}
	for _, e := range entries {
		if !e.Date.Valid() {
			continue
		}
		switch e.Kind {
		case CalendarHoliday:
			c.Holidays[e.Date] = e.Name
			if strings.Contains(e.Name, "春节") {
				c.imported[e.Date.Year()] = true
			}
		case CalendarWorkday:
			c.Workdays[e.Date] = e.Name
		}
	}
	return c
}

// Imported reports whether year's arrangement is among the entries.
func (c *Calendar) Imported(year int) bool { return c != nil && c.imported[year] }

// ImportedYears lists the years whose arrangement is among the entries.
func (c *Calendar) ImportedYears() []int {
	if c == nil {
		return nil
	}
	out := make([]int, 0, len(c.imported))
	for y := range c.imported {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// fallbackYear reports whether year's statutory holidays count because its
// arrangement was not imported.
func (c *Calendar) fallbackYear(year int) bool {
	return c != nil && !c.imported[year] && year >= StatutoryFromYear && year <= StatutoryToYear
}

// FallbackYears lists the years between start and end (inclusive) whose
// working days are counted from the statutory holidays only.
func (c *Calendar) FallbackYears(start, end Date) []int {
	if !start.Valid() || !end.Valid() || end < start {
		return nil
	}
	var out []int
	for y := start.Year(); y <= end.Year(); y++ {
		if c.fallbackYear(y) {
			out = append(out, y)
		}
	}
	return out
}

// FallbackWarning is the notice a form shows while a period falls in a year
// whose arrangement was not imported: "2027年放假安排尚未导入，已按法定节假日计算",
// or "" when every year of it was imported.
func (c *Calendar) FallbackWarning(start, end Date) string {
	years := c.FallbackYears(start, end)
	if len(years) == 0 {
		return ""
	}
	names := make([]string, len(years))
	for i, y := range years {
		names[i] = strconv.Itoa(y)
	}
	return strings.Join(names, "、") + "年放假安排尚未导入，已按法定节假日计算"
}

// holidayName is the name of d's holiday, imported or (in a fallback year)
// statutory, and whether it is one.
func (c *Calendar) holidayName(d Date) (string, bool) {
	if n, ok := c.Holidays[d]; ok {
		return n, true
	}
	if c.fallbackYear(d.Year()) {
		n, ok := statutoryIndex(d.Year())[d]
		return n, ok
	}
	return "", false
}

// Entries lists the calendar by date (holiday before workday on the same date).
func (c *Calendar) Entries() []CalendarEntry {
	if c == nil {
		return nil
	}
	out := make([]CalendarEntry, 0, len(c.Holidays)+len(c.Workdays))
	for d, n := range c.Holidays {
		out = append(out, CalendarEntry{Date: d, Kind: CalendarHoliday, Name: n})
	}
	for d, n := range c.Workdays {
		out = append(out, CalendarEntry{Date: d, Kind: CalendarWorkday, Name: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

// IsWorkingDay reports whether d is a working day: a make-up workday, or a
// weekday that is not a holiday. An invalid date is not a working day.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if !d.Valid() {
		return false
	}
	t, _ := d.Time()
	if c != nil {
		if _, ok := c.Workdays[d]; ok {
			return true
		}
		if _, ok := c.holidayName(d); ok {
			return false
		}
	}
	return !isWeekend(t.Weekday())
}

// WorkingDays counts the working days from start to end, both included; it is
// 0 when either date is invalid or end is before start. It counts weekdays
// arithmetically and then corrects for the calendar's entries, so long
// ranges cost no more than short ones.
func (c *Calendar) WorkingDays(start, end Date) int {
	if !start.Valid() || !end.Valid() || end < start {
		return 0
	}
	t0, _ := start.Time()
	t1, _ := end.Time()
	// Unix seconds, not t1.Sub(t0): a Duration overflows after 292 years.
	days := int((t1.Unix()-t0.Unix())/86400) + 1
	n := days / 7 * 5
	wd := t0.Weekday()
	for i := 0; i < days%7; i++ {
		if !isWeekend((wd + time.Weekday(i)) % 7) {
			n++
		}
	}
	if c == nil {
		return n
	}
	in := func(d Date) bool { return d >= start && d <= end }
	for d := range c.Holidays {
		if _, worked := c.Workdays[d]; in(d) && !worked && !dateIsWeekend(d) {
			n--
		}
	}
	for d := range c.Workdays {
		if in(d) && dateIsWeekend(d) {
			n++
		}
	}
	for _, y := range c.FallbackYears(start, end) {
		for d := range statutoryIndex(y) {
			_, imported := c.Holidays[d]
			_, worked := c.Workdays[d]
			if in(d) && !imported && !worked && !dateIsWeekend(d) {
				n--
			}
		}
	}
	return n
}

func isWeekend(w time.Weekday) bool { return w == time.Saturday || w == time.Sunday }

func dateIsWeekend(d Date) bool {
	t, err := d.Time()
	return err == nil && isWeekend(t.Weekday())
}

// ValidatePublicity checks a 公示期: two real dates, the end not before the
// start, and at least MinPublicityWorkingDays working days counting both ends
// (REV-5). A period that is too short fails with CodePublicityTooShort so
// callers can tell it from a malformed one (CodeRecommendation).
func (c *Calendar) ValidatePublicity(start, end Date) error {
	fe := FieldErrors{}
	switch {
	case start == "":
		fe.Add("publicity_start", "请填写公示开始日期")
	case !start.Valid():
		fe.Add("publicity_start", "公示开始日期无效")
	}
	switch {
	case end == "":
		fe.Add("publicity_end", "请填写公示结束日期")
	case !end.Valid():
		fe.Add("publicity_end", "公示结束日期无效")
	}
	if len(fe) == 0 && end < start {
		fe.Add("publicity_end", "公示结束日期不得早于开始日期")
	}
	if err := fe.Err(CodeRecommendation, recommendationTitle); err != nil {
		return err
	}
	if n := c.WorkingDays(start, end); n < MinPublicityWorkingDays {
		msg := fmt.Sprintf("公示期为%d个工作日，不得少于%d个工作日", n, MinPublicityWorkingDays)
		return &Error{Kind: KindInvalid, Code: CodePublicityTooShort, Title: "公示期不足",
			Detail: msg, Fields: map[string]string{"publicity_end": msg}}
	}
	return nil
}

// DefaultCalendar returns China's holidays and make-up working days for
// 2024–2026, as published by the General Office of the State Council:
// 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号),
// 关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号) and
// 关于2026年部分节假日安排的通知 (2025年11月4日).
// Holidays list every day of each break, weekend days included, so the
// calendar reads like the notice. Later years are imported by the city office
// as they are published (each November: titledesk-server admin calendar
// import); until then their statutory holidays count (StatutoryHolidays).
// A server whose stored calendar lacks a year this one has adds it.
func DefaultCalendar() *Calendar {
	var entries []CalendarEntry
	add := func(kind, name string, from, to Date) {
		for d := from; d <= to; d = d.AddDays(1) {
			entries = append(entries, CalendarEntry{Date: d, Kind: kind, Name: name})
		}
	}
	holiday := func(name string, from, to Date) { add(CalendarHoliday, name, from, to) }
	workday := func(name string, days ...Date) {
		for _, d := range days {
			add(CalendarWorkday, name, d, d)
		}
	}

	// 2024
	holiday("元旦", "2024-01-01", "2024-01-01")
	holiday("春节", "2024-02-10", "2024-02-17")
	workday("春节", "2024-02-04", "2024-02-18")
	holiday("清明节", "2024-04-04", "2024-04-06")
	workday("清明节", "2024-04-07")
	holiday("劳动节", "2024-05-01", "2024-05-05")
	workday("劳动节", "2024-04-28", "2024-05-11")
	holiday("端午节", "2024-06-08", "2024-06-10")
	holiday("中秋节", "2024-09-15", "2024-09-17")
	workday("中秋节", "2024-09-14")
	holiday("国庆节", "2024-10-01", "2024-10-07")
	workday("国庆节", "2024-09-29", "2024-10-12")

	// 2025
	holiday("元旦", "2025-01-01", "2025-01-01")
	holiday("春节", "2025-01-28", "2025-02-04")
	workday("春节", "2025-01-26", "2025-02-08")
	holiday("清明节", "2025-04-04", "2025-04-06")
	holiday("劳动节", "2025-05-01", "2025-05-05")
	workday("劳动节", "2025-04-27")
	holiday("端午节", "2025-05-31", "2025-06-02")
	holiday("国庆节、中秋节", "2025-10-01", "2025-10-08")
	workday("国庆节、中秋节", "2025-09-28", "2025-10-11")

	// 2026
	holiday("元旦", "2026-01-01", "2026-01-03")
	workday("元旦", "2026-01-04")
	holiday("春节", "2026-02-15", "2026-02-23")
	workday("春节", "2026-02-14", "2026-02-28")
	holiday("清明节", "2026-04-04", "2026-04-06")
	holiday("劳动节", "2026-05-01", "2026-05-05")
	workday("劳动节", "2026-05-09")
	holiday("端午节", "2026-06-19", "2026-06-21")
	holiday("中秋节", "2026-09-25", "2026-09-27")
	holiday("国庆节", "2026-10-01", "2026-10-07")
	workday("国庆节", "2026-09-20", "2026-10-10")

	return NewCalendar(entries)
}
