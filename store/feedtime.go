package store

// parseFeedTime reads a time member of a record as the feed writes it
// (encoding/json's form of a time.Time, RFC 3339 §5.6 with upper-case
// separators) and returns it as unix milliseconds:
//
//	YYYY-MM-DDTHH:MM:SS[.F…](Z|+HH:MM|-HH:MM)
//
// Every field has exactly its digits; month 01–12, day within its month
// (proleptic Gregorian), hour 00–23, minute and second 00–59 (no leap
// second), any number of fraction digits (cut to the millisecond, rounding
// toward the past like time.Time.UnixMilli), offset hour 00–14 and minute
// 00–59, and the instant no later than 9999-12-31T23:59:59.999Z. Anything
// else is not a time (ok false): one-digit fields, a space for T, a missing
// second or zone, 24:00, 31 February. Both time.Parse and SQLite's date
// functions accept some of these, and differently from each other (each
// read "T0:00:00", "+23:00", "2026-02-30" or ".0006" its own way), which is
// why the cache has its own grammar; TestFeedTime and the SQL reference of
// FuzzDecodeApplicationRow hold it.
func parseFeedTime(s string) (millis int64, ok bool) {
	const minLen = len("2006-01-02T15:04:05Z")
	if len(s) < minLen || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	year, ok1 := digits(s, 0, 4)
	month, ok2 := digits(s, 5, 2)
	day, ok3 := digits(s, 8, 2)
	hour, ok4 := digits(s, 11, 2)
	minute, ok5 := digits(s, 14, 2)
	sec, ok6 := digits(s, 17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return 0, false
	}
	i, ms := 19, int64(0)
	if s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if i-start < 3 {
				ms = ms*10 + int64(s[i]-'0')
			}
			i++
		}
		if i == start {
			return 0, false
		}
		for n := i - start; n < 3; n++ {
			ms *= 10
		}
	}
	offset, ok := parseOffset(s[i:])
	if !ok {
		return 0, false
	}
	secs := daysSinceEpoch(year, month, day)*86400 + int64(hour*3600+minute*60+sec) - offset
	millis = secs*1000 + ms
	const maxMillis = 253402300799999 // 9999-12-31T23:59:59.999Z
	if millis > maxMillis {
		return 0, false
	}
	return millis, true
}

// parseOffset reads the zone of a feed time: "Z" or ±HH:MM, in seconds
// east of UTC.
func parseOffset(z string) (int64, bool) {
	if z == "Z" {
		return 0, true
	}
	if len(z) != 6 || (z[0] != '+' && z[0] != '-') || z[3] != ':' {
		return 0, false
	}
	h, ok1 := digits(z, 1, 2)
	m, ok2 := digits(z, 4, 2)
	if !ok1 || !ok2 || h > 14 || m > 59 {
		return 0, false
	}
	off := int64(h*3600 + m*60)
	if z[0] == '-' {
		off = -off
	}
	return off, true
}

// digits reads n ASCII digits of s at i.
func digits(s string, i, n int) (int, bool) {
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysSinceEpoch counts days from 1970-01-01 to a proleptic Gregorian date
// (Howard Hinnant's days_from_civil).
func daysSinceEpoch(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
