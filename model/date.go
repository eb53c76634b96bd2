package model

import "time"

// Date is a calendar date without time or zone, "2006-01-02" on the wire.
type Date string

// DateLayout is the wire and display layout of a Date.
const DateLayout = "2006-01-02"

// DateOf returns the calendar date of t in its own location.
func DateOf(t time.Time) Date { return Date(t.Format(DateLayout)) }

// Time parses d as midnight UTC.
func (d Date) Time() (time.Time, error) { return time.Parse(DateLayout, string(d)) }

// Valid reports whether d is a real date in the expected layout.
func (d Date) Valid() bool {
	t, err := d.Time()
	return err == nil && Date(t.Format(DateLayout)) == d
}

// AddDays returns d shifted by n days; an invalid d stays as it is.
func (d Date) AddDays(n int) Date {
	t, err := d.Time()
	if err != nil {
		return d
	}
	return DateOf(t.AddDate(0, 0, n))
}

// ChinaZone is China Standard Time (UTC+8, no daylight saving): the zone in
// which every date of the workflow — 公示期, deadlines, "today" — is meant.
var ChinaZone = time.FixedZone("CST", 8*60*60)

// ChinaDate is the calendar date in China at instant t, whatever t's zone:
// 00:30 in Tianjin is already the next day while UTC is still on the last.
func ChinaDate(t time.Time) Date { return DateOf(t.In(ChinaZone)) }

// Year is the year of a valid date, 0 otherwise.
func (d Date) Year() int {
	t, err := d.Time()
	if err != nil {
		return 0
	}
	return t.Year()
}
