package model

import (
	"fmt"
	"sort"
	gosync "sync"

	"github.com/6tail/lunar-go/calendar"
)

// The statutory holidays of 《全国年节及纪念日放假办法》 as revised by the State
// Council on 2024-11-10 (国务院令第798号, in force from 2025-01-01), counted
// for a year whose yearly arrangement has not been imported (BEY-1).
// Article 2 gives every citizen 13 days: 元旦 (1 January), 春节 (农历除夕 and
// 正月初一 to 初三), 清明节 (the day of the 清明 solar term), 劳动节 (1 and 2
// May), 端午节 (农历五月初五), 中秋节 (农历八月十五) and 国庆节 (1 to 3
// October). Article 6: a holiday falling on a Saturday or Sunday is made up
// on a working day (补假); the law does not say which, so we take the first
// working day after the festival, as the yearly notices do. The 调休
// (weekend days worked to lengthen a break) are not in the law and are not
// guessed: that is what the imported arrangement adds.
const (
	StatutoryFromYear = 2025 // the 2024 revision's first year
	StatutoryToYear   = 2100 // beyond: no fallback (lunar tables are extrapolation)
)

// festival is one statutory festival of a year: its name and days.
type festival struct {
	name string
	days []Date
}

// statutoryFestivals computes the festivals of a year from the lunar
// calendar (github.com/6tail/lunar-go, whose tables match the published
// calendars of 1900–2100).
func statutoryFestivals(year int) []festival {
	ymd := func(s *calendar.Solar) Date {
		return Date(fmt.Sprintf("%04d-%02d-%02d", s.GetYear(), s.GetMonth(), s.GetDay()))
	}
	fixed := func(m, d int) Date { return Date(fmt.Sprintf("%04d-%02d-%02d", year, m, d)) }
	newYear := calendar.NewLunarFromYmd(year, 1, 1)
	chuyi := ymd(newYear.GetSolar())
	qingming := ymd(newYear.GetJieQiTable()["清明"])
	return []festival{
		{"元旦", []Date{fixed(1, 1)}},
		{"春节", []Date{chuyi.AddDays(-1), chuyi, chuyi.AddDays(1), chuyi.AddDays(2)}},
		{"清明节", []Date{qingming}},
		{"劳动节", []Date{fixed(5, 1), fixed(5, 2)}},
		{"端午节", []Date{ymd(calendar.NewLunarFromYmd(year, 5, 5).GetSolar())}},
		{"中秋节", []Date{ymd(calendar.NewLunarFromYmd(year, 8, 15).GetSolar())}},
		{"国庆节", []Date{fixed(10, 1), fixed(10, 2), fixed(10, 3)}},
	}
}

// StatutoryHolidays lists the days off the law itself gives in year
// (including 补假 for those on a weekend), sorted by date; nil outside
// StatutoryFromYear..StatutoryToYear. A festival day that falls in another
// Gregorian year (除夕 on 31 December never happens; 春节 is always in
// January or February) is listed all the same.
func StatutoryHolidays(year int) []CalendarEntry {
	if year < StatutoryFromYear || year > StatutoryToYear {
		return nil
	}
	off := map[Date]string{}
	fests := statutoryFestivals(year)
	for _, f := range fests {
		for _, d := range f.days {
			off[d] = f.name
		}
	}
	for _, f := range fests {
		for _, d := range f.days {
			if !dateIsWeekend(d) {
				continue
			}
			m := f.days[len(f.days)-1].AddDays(1)
			for _, taken := off[m]; taken || dateIsWeekend(m); _, taken = off[m] {
				m = m.AddDays(1)
			}
			off[m] = f.name + "（补假）"
		}
	}
	out := make([]CalendarEntry, 0, len(off))
	for d, n := range off {
		out = append(out, CalendarEntry{Date: d, Kind: CalendarHoliday, Name: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

var statutoryCache gosync.Map // year → map[Date]string

// statutoryIndex is StatutoryHolidays(year) as a map, computed once per year.
func statutoryIndex(year int) map[Date]string {
	if m, ok := statutoryCache.Load(year); ok {
		return m.(map[Date]string)
	}
	m := map[Date]string{}
	for _, e := range StatutoryHolidays(year) {
		m[e.Date] = e.Name
	}
	statutoryCache.Store(year, m)
	return m
}
