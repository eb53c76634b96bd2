package model

import (
	"errors"
	"testing"
)

func TestDefaultCalendarIsConsistent(t *testing.T) {
	c := DefaultCalendar()
	if len(c.Holidays) == 0 || len(c.Workdays) == 0 {
		t.Fatal("empty default calendar")
	}
	for d, name := range c.Workdays {
		if !dateIsWeekend(d) {
			t.Errorf("make-up workday %s (%s) is not a weekend day", d, name)
		}
		if _, ok := c.Holidays[d]; ok {
			t.Errorf("%s is both holiday and workday", d)
		}
	}
	for d := range c.Holidays {
		if d < "2024-01-01" || d > "2026-12-31" {
			t.Errorf("holiday %s outside 2024–2026", d)
		}
	}
	// Days off per year, as the notices count them (2025 added 除夕 and 5月2日).
	tests := []struct {
		year     string
		holidays int
		workdays int
	}{
		{"2024", 1 + 8 + 3 + 5 + 3 + 3 + 7, 2 + 1 + 2 + 1 + 2},
		{"2025", 1 + 8 + 3 + 5 + 3 + 8, 2 + 1 + 2},
		{"2026", 3 + 9 + 3 + 5 + 3 + 3 + 7, 1 + 2 + 1 + 2},
	}
	for _, tt := range tests {
		h, w := 0, 0
		for _, e := range c.Entries() {
			if string(e.Date[:4]) != tt.year {
				continue
			}
			if e.Kind == CalendarHoliday {
				h++
			} else {
				w++
			}
		}
		if h != tt.holidays || w != tt.workdays {
			t.Errorf("%s: %d holidays, %d workdays; want %d, %d", tt.year, h, w, tt.holidays, tt.workdays)
		}
	}
}

func TestCalendarIsWorkingDay(t *testing.T) {
	c := DefaultCalendar()
	tests := []struct {
		d    Date
		want bool
	}{
		{"2025-06-03", true},  // Tuesday
		{"2025-06-07", false}, // Saturday
		{"2025-06-08", false}, // Sunday
		{"2025-06-02", false}, // 端午 Monday
		{"2025-10-08", false}, // 国庆 Wednesday
		{"2025-10-11", true},  // make-up Saturday
		{"2025-09-28", true},  // make-up Sunday
		{"2026-01-04", true},  // make-up Sunday after 元旦
		{"2026-02-14", true},  // make-up Saturday before 春节
		{"2026-02-23", false}, // 春节 Monday
		{"2026-10-10", true},
		{"2027-10-01", false}, // not imported: 国庆 by the law (fallback)
		{"2027-10-06", true},  // not imported: the law has no 调休 past 10-3 and its 补假
		{"2025-02-30", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(tt.d); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.d, got, tt.want)
		}
	}
	var none *Calendar
	if !none.IsWorkingDay("2025-10-01") || none.IsWorkingDay("2025-10-11") {
		t.Error("nil calendar should know only weekends")
	}
}

func TestCalendarWorkingDays(t *testing.T) {
	c := DefaultCalendar()
	tests := []struct {
		name       string
		start, end Date
		want       int
	}{
		{"one weekday", "2025-06-03", "2025-06-03", 1},
		{"one Saturday", "2025-06-07", "2025-06-07", 0},
		{"plain week", "2025-06-09", "2025-06-15", 5},
		{"week with 端午 Monday", "2025-06-02", "2025-06-08", 4},
		{"week with make-up Saturday", "2025-10-06", "2025-10-12", 3}, // Thu 9, Fri 10, Sat 11
		{"across 国庆 2025", "2025-09-26", "2025-10-14", 9},             // 26, 28(Sun), 29, 30, 9, 10, 11(Sat), 13, 14
		{"across 国庆 2026", "2026-09-28", "2026-10-12", 7},             // 28, 29, 30, 8, 9, 10(Sat), 12
		{"春节 2026 whole break", "2026-02-15", "2026-02-23", 0},
		{"reversed", "2025-06-15", "2025-06-09", 0},
		{"invalid", "2025-06-31", "2025-07-04", 0},
		{"long range", "2001-01-01", "2001-12-31", 261},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.WorkingDays(tt.start, tt.end); got != tt.want {
				t.Fatalf("WorkingDays(%s, %s) = %d, want %d", tt.start, tt.end, got, tt.want)
			}
		})
	}
}

// The arithmetic count must agree with asking day by day.
func TestCalendarWorkingDaysMatchesDayByDay(t *testing.T) {
	c := NewCalendar(append(DefaultCalendar().Entries(),
		CalendarEntry{"2025-03-05", CalendarHoliday, "weekday holiday that is also a workday"},
		CalendarEntry{"2025-03-05", CalendarWorkday, "weekday holiday that is also a workday"},
		CalendarEntry{"2025-03-08", CalendarHoliday, "Saturday both"},
		CalendarEntry{"2025-03-08", CalendarWorkday, "Saturday both"},
	))
	for start := Date("2023-12-20"); start < "2027-01-10"; start = start.AddDays(9) {
		for _, span := range []int{0, 1, 4, 6, 7, 8, 13, 20, 45} {
			end := start.AddDays(span)
			want := 0
			for d := start; d <= end; d = d.AddDays(1) {
				if c.IsWorkingDay(d) {
					want++
				}
			}
			if got := c.WorkingDays(start, end); got != want {
				t.Fatalf("WorkingDays(%s, %s) = %d, day by day %d", start, end, got, want)
			}
		}
	}
}

func TestNewCalendarAndEntries(t *testing.T) {
	c := NewCalendar([]CalendarEntry{
		{"2030-01-02", CalendarWorkday, "调休"},
		{"2030-01-01", CalendarHoliday, "元旦"},
		{"2030-01-02", CalendarHoliday, "元旦"},
		{"2030-02-30", CalendarHoliday, "bad date"},
		{"2030-03-01", "festival", "bad kind"},
	})
	got := c.Entries()
	want := []CalendarEntry{
		{"2030-01-01", CalendarHoliday, "元旦"},
		{"2030-01-02", CalendarHoliday, "元旦"},
		{"2030-01-02", CalendarWorkday, "调休"},
	}
	if len(got) != len(want) {
		t.Fatalf("Entries = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Entries[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if !NewCalendar(got).IsWorkingDay("2030-01-02") {
		t.Error("a make-up workday wins over a holiday on the same date")
	}
	var none *Calendar
	if none.Entries() != nil {
		t.Error("nil calendar has entries")
	}
}

func TestValidatePublicity(t *testing.T) {
	c := DefaultCalendar()
	tests := []struct {
		name       string
		start, end Date
		code       string // "" means valid
		fields     map[string]string
	}{
		{"exactly 5", "2025-06-09", "2025-06-13", "", nil},
		{"5 over a weekend", "2025-06-12", "2025-06-18", "", nil},
		{"4 working days", "2025-06-09", "2025-06-12", CodePublicityTooShort,
			map[string]string{"publicity_end": "公示期为4个工作日，不得少于5个工作日"}},
		{"week with 端午 is 4", "2025-05-30", "2025-06-05", CodePublicityTooShort,
			map[string]string{"publicity_end": "公示期为4个工作日，不得少于5个工作日"}},
		{"make-up Saturday makes 5", "2025-10-09", "2025-10-14", "", nil}, // 9, 10, 11(Sat), 13, 14
		{"same span without make-up day is 4", "2025-06-12", "2025-06-17", CodePublicityTooShort,
			map[string]string{"publicity_end": "公示期为4个工作日，不得少于5个工作日"}},
		{"eleven calendar days across 国庆", "2025-09-30", "2025-10-10", CodePublicityTooShort,
			map[string]string{"publicity_end": "公示期为3个工作日，不得少于5个工作日"}},
		{"across 国庆 long enough", "2025-09-26", "2025-10-13", "", nil},
		{"one day", "2025-06-09", "2025-06-09", CodePublicityTooShort,
			map[string]string{"publicity_end": "公示期为1个工作日，不得少于5个工作日"}},
		{"missing both", "", "", CodeRecommendation,
			map[string]string{"publicity_start": "请填写公示开始日期", "publicity_end": "请填写公示结束日期"}},
		{"bad start", "2025-13-01", "2025-06-20", CodeRecommendation,
			map[string]string{"publicity_start": "公示开始日期无效"}},
		{"bad end", "2025-06-01", "2025/06/20", CodeRecommendation,
			map[string]string{"publicity_end": "公示结束日期无效"}},
		{"end before start", "2025-06-20", "2025-06-01", CodeRecommendation,
			map[string]string{"publicity_end": "公示结束日期不得早于开始日期"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.ValidatePublicity(tt.start, tt.end)
			checkFormError(t, err, tt.code, tt.fields)
		})
	}
}

// checkFormError asserts err is nil when code is "", else a KindInvalid *Error
// with that code and exactly those field messages.
func checkFormError(t *testing.T, err error, code string, fields map[string]string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want *Error %s", err, code)
	}
	if e.Kind != KindInvalid || e.Code != code {
		t.Fatalf("got kind %d code %s, want invalid %s (%v)", e.Kind, e.Code, code, e)
	}
	if e.Title == "" || e.Detail == "" {
		t.Fatalf("error without title or detail: %+v", e)
	}
	if len(e.Fields) != len(fields) {
		t.Fatalf("fields %v, want %v", e.Fields, fields)
	}
	for k, v := range fields {
		if got, ok := e.Fields[k]; !ok || (v != "*" && got != v) {
			t.Fatalf("fields %v, want %v", e.Fields, fields)
		}
	}
}
