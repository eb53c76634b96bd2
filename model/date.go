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
