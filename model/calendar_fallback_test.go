package model

import (
	"strings"
	"testing"
)

// TestStatutoryHolidays2027: the law's 13 days plus 补假 for those on a
// weekend, from the lunar calendar: 春节 2027 is 6 February (除夕 the 5th),
// 清明 5 April, 端午 9 June, 中秋 15 September.
func TestStatutoryHolidays2027(t *testing.T) {
	want := map[Date]string{
		"2027-01-01": "元旦",
		"2027-02-05": "春节", "2027-02-06": "春节", "2027-02-07": "春节", "2027-02-08": "春节",
		"2027-02-09": "春节（补假）", "2027-02-10": "春节（补假）",
		"2027-04-05": "清明节",
		"2027-05-01": "劳动节", "2027-05-02": "劳动节", "2027-05-03": "劳动节（补假）", "2027-05-04": "劳动节（补假）",
		"2027-06-09": "端午节",
		"2027-09-15": "中秋节",
		"2027-10-01": "国庆节", "2027-10-02": "国庆节", "2027-10-03": "国庆节",
		"2027-10-04": "国庆节（补假）", "2027-10-05": "国庆节（补假）",
	}
	got := StatutoryHolidays(2027)
	if len(got) != len(want) {
		t.Fatalf("%d days: %v", len(got), got)
	}
	for _, e := range got {
		if want[e.Date] != e.Name || e.Kind != CalendarHoliday {
			t.Errorf("%s %s %s, want %q", e.Date, e.Kind, e.Name, want[e.Date])
		}
	}
	// The law's festivals agree with the State Council's notices of the
	// years we hold (a day of each notice's break is the festival's day).
	for _, y := range []int{2025, 2026} {
		c := DefaultCalendar()
		for _, f := range statutoryFestivals(y) {
			for _, d := range f.days {
				if n, ok := c.Holidays[d]; !ok || !strings.Contains(n, f.name[:3]) {
					t.Errorf("%d: %s %s is not a holiday of the notice (%q)", y, f.name, d, n)
				}
			}
		}
	}
	if StatutoryHolidays(2024) != nil || StatutoryHolidays(2101) != nil {
		t.Error("fallback outside the 2024 revision's years")
	}
}

// example2027 is a test fixture shaped like a yearly notice (not the real
// 2027 arrangement): breaks with weekend days worked around them.
func example2027() []CalendarEntry {
	var out []CalendarEntry
	add := func(kind, name string, from, to Date) {
		for d := from; d <= to; d = d.AddDays(1) {
			out = append(out, CalendarEntry{Date: d, Kind: kind, Name: name})
		}
	}
	add(CalendarHoliday, "元旦", "2027-01-01", "2027-01-03")
	add(CalendarHoliday, "春节", "2027-02-05", "2027-02-13")
	add(CalendarWorkday, "春节", "2027-02-20", "2027-02-20")
	add(CalendarHoliday, "国庆节", "2027-10-01", "2027-10-07")
	add(CalendarWorkday, "国庆节", "2027-09-26", "2027-09-26")
	add(CalendarWorkday, "国庆节", "2027-10-09", "2027-10-09")
	return out
}

// TestPublicityAcross2027 judges publicity periods across 元旦, 春节 and
// 国庆 2027 by the fallback (nothing imported) and by an imported 2027
// arrangement, with the boundary day on each side.
func TestPublicityAcross2027(t *testing.T) {
	fallback := DefaultCalendar()
	imported := NewCalendar(append(DefaultCalendar().Entries(), example2027()...))
	tests := []struct {
		name       string
		cal        *Calendar
		start, end Date
		days       int
		warning    bool
	}{
		{"元旦 fallback: 12-28..01-01 is 4", fallback, "2026-12-28", "2027-01-01", 4, true},
		{"元旦 fallback: ..01-04 is 5", fallback, "2026-12-28", "2027-01-04", 5, true},
		{"元旦 imported: ..01-04 is 5", imported, "2026-12-28", "2027-01-04", 5, false},
		{"元旦 imported: ..01-01 is 4", imported, "2026-12-28", "2027-01-01", 4, false},
		{"春节 fallback: 02-01..02-10 is 4", fallback, "2027-02-01", "2027-02-10", 4, true},
		{"春节 fallback: ..02-11 is 5", fallback, "2027-02-01", "2027-02-11", 5, true},
		{"春节 imported: 02-01..02-15 is 5", imported, "2027-02-01", "2027-02-15", 5, false},
		{"春节 imported: ..02-12 is 4", imported, "2027-02-01", "2027-02-12", 4, false},
		{"国庆 fallback: 09-28..10-06 is 4", fallback, "2027-09-28", "2027-10-06", 4, true},
		{"国庆 fallback: ..10-07 is 5", fallback, "2027-09-28", "2027-10-07", 5, true},
		{"国庆 imported: 09-28..10-08 is 4", imported, "2027-09-28", "2027-10-08", 4, false},
		{"国庆 imported: ..10-09 (make-up Saturday) is 5", imported, "2027-09-28", "2027-10-09", 5, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.WorkingDays(tt.start, tt.end); got != tt.days {
				t.Fatalf("WorkingDays = %d, want %d", got, tt.days)
			}
			day := 0
			for d := tt.start; d <= tt.end; d = d.AddDays(1) {
				if tt.cal.IsWorkingDay(d) {
					day++
				}
			}
			if day != tt.days {
				t.Fatalf("day by day %d, want %d", day, tt.days)
			}
			err := tt.cal.ValidatePublicity(tt.start, tt.end)
			if (err == nil) != (tt.days >= MinPublicityWorkingDays) {
				t.Fatalf("ValidatePublicity = %v", err)
			}
			w := tt.cal.FallbackWarning(tt.start, tt.end)
			if tt.warning != (w == "2027年放假安排尚未导入，已按法定节假日计算") || (!tt.warning && w != "") {
				t.Fatalf("warning %q", w)
			}
		})
	}
}

// TestFallbackMatchesDayByDay: the arithmetic count agrees with asking day by
// day over years mixing imported, fallback and partial imports.
func TestFallbackMatchesDayByDay(t *testing.T) {
	partial := NewCalendar(append(DefaultCalendar().Entries(),
		CalendarEntry{"2028-10-08", CalendarHoliday, "国庆节"}, CalendarEntry{"2028-09-30", CalendarWorkday, "国庆节"}))
	for start := Date("2026-11-20"); start < "2029-01-10"; start = start.AddDays(11) {
		for _, span := range []int{0, 3, 6, 9, 13, 40} {
			end := start.AddDays(span)
			want := 0
			for d := start; d <= end; d = d.AddDays(1) {
				if partial.IsWorkingDay(d) {
					want++
				}
			}
			if got := partial.WorkingDays(start, end); got != want {
				t.Fatalf("WorkingDays(%s, %s) = %d, day by day %d", start, end, got, want)
			}
		}
	}
}
