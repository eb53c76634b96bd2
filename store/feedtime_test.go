package store

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// TestFeedTime: the cache's time grammar, case by case, read the same by
// parseFeedTime and by its SQL form (sqlFeedMillis), and, where it accepts
// a time, to the same instant as time.Parse.
func TestFeedTime(t *testing.T) {
	s := openTest(t)
	st, err := s.reader.Prepare(`SELECT ` + sqlFeedMillis(`?1`))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, c := range feedTimeCases {
		got, ok := parseFeedTime(c.in)
		if !ok {
			got = invalidTime
		}
		if got != c.want {
			t.Errorf("parseFeedTime(%q) = %d, want %d", c.in, got, c.want)
		}
		var inSQL sql.NullInt64
		if err := st.QueryRowContext(context.Background(), c.in).Scan(&inSQL); err != nil {
			t.Fatal(err)
		}
		if sqlGot := map[bool]int64{true: inSQL.Int64, false: invalidTime}[inSQL.Valid]; sqlGot != c.want {
			t.Errorf("SQL reads %q as %d, want %d", c.in, sqlGot, c.want)
		}
		if tm, err := time.Parse(time.RFC3339Nano, c.in); ok && (err != nil || tm.UnixMilli() != got) {
			t.Errorf("%q: time.Parse gives %v (%v), we %d", c.in, tm, err, got)
		}
	}
}

// invalidTime marks a case that is not a feed time.
const invalidTime = int64(-1 << 63)

// feedTimeCases are times of every odd kind with what they mean (also
// seeds of FuzzDecodeApplicationRow).
var feedTimeCases = []struct {
	in   string
	want int64
}{
	{"2026-11-02T17:00:00Z", 1793638800000},
	{"2026-11-02T17:00:00.123456789Z", 1793638800123},
	{"2026-11-02T17:00:00.1236Z", 1793638800123}, // cut, not rounded
	{"2026-11-02T17:00:00.0006Z", 1793638800000},
	{"2026-11-02T17:00:00.9999Z", 1793638800999},
	{"2026-11-02T17:00:00.5Z", 1793638800500},
	{"2026-11-02T17:00:00.12345678901234567890Z", 1793638800123},
	{"2026-11-03T01:00:00+08:00", 1793638800000},
	{"2026-11-02T11:30:00-05:30", 1793638800000},
	{"2026-11-02T17:00:00-00:00", 1793638800000},
	{"2026-11-03T07:00:00+14:00", 1793638800000},
	{"2026-11-03T07:59:00+14:59", 1793638800000},
	{"1969-12-31T23:59:59.5Z", -500},
	{"1969-12-31T23:59:59.9999Z", -1},
	{"0000-01-01T00:00:00Z", ms("0000-01-01T00:00:00Z")},
	{"0000-01-01T00:00:00+14:59", ms("0000-01-01T00:00:00+14:59")},
	{"9999-12-31T23:59:59.999Z", 253402300799999},
	{"2024-02-29T00:00:00Z", ms("2024-02-29T00:00:00Z")},
	{"2000-02-29T00:00:00Z", ms("2000-02-29T00:00:00Z")},
	{"2026-12-31T23:59:59Z", ms("2026-12-31T23:59:59Z")},
	{"\u0032026-11-02T17:00:00Z", 1793638800000}, // as the JSON escape decodes

	{"0000-01-01T0:00:00Z", invalidTime}, // one-digit hour (time.Parse takes it)
	{"2026-1-02T17:00:00Z", invalidTime},
	{"2026-11-2T17:00:00Z", invalidTime},
	{"2026-11-02T17:0:00Z", invalidTime},
	{"2026-11-02T17:00:0Z", invalidTime},
	{"2026-11-02T24:00:00Z", invalidTime},
	{"2026-11-02T23:60:00Z", invalidTime},
	{"2026-11-02T23:59:60Z", invalidTime},
	{"2026-02-30T00:00:00Z", invalidTime}, // SQLite moves it to 2 March
	{"2026-02-29T00:00:00Z", invalidTime},
	{"1900-02-29T00:00:00Z", invalidTime},
	{"2026-04-31T00:00:00Z", invalidTime},
	{"2026-13-01T00:00:00Z", invalidTime},
	{"2026-00-01T00:00:00Z", invalidTime},
	{"2026-11-00T00:00:00Z", invalidTime},
	{"2026-11-02T17:00:00+15:00", invalidTime}, // time.Parse takes it, SQLite not
	{"2026-11-02T17:00:00+23:59", invalidTime},
	{"2026-11-02T17:00:00+14:60", invalidTime},
	{"9999-12-31T23:59:59-00:01", invalidTime},
	{"2026-11-02t17:00:00Z", invalidTime},
	{"2026-11-02T17:00:00z", invalidTime},
	{"2026-11-02 17:00:00Z", invalidTime},
	{"2026-11-02T17:00Z", invalidTime},
	{"2026-11-02T17:00:00", invalidTime},
	{"2026-11-02", invalidTime},
	{"2026-11-02T17:00:00.Z", invalidTime},
	{"2026-11-02T17:00:00,5Z", invalidTime},
	{"2026-11-02T17:00:00.5aZ", invalidTime},
	{"2026-11-02T17:00:00+08:00Z", invalidTime},
	{"2026-11-02T17:00:00Z+08:00", invalidTime},
	{"2026-11-02T17:00:00+0800", invalidTime},
	{"2026-11-02T17:00:00+08", invalidTime},
	{"2026-11-02T17:00:00UTC", invalidTime},
	{" 2026-11-02T17:00:00Z", invalidTime},
	{"2026-11-02T17:00:00Z ", invalidTime},
	{"12026-11-02T17:00:00Z", invalidTime},
	{"+2026-11-02T17:00:00Z", invalidTime},
	{"２０２６-11-02T17:00:00Z", invalidTime},
	{"now", invalidTime},
	{"2461346.5", invalidTime},
	{"", invalidTime},
}

// ms is time.Parse's reading of a time the grammar accepts.
func ms(s string) int64 {
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return tm.UnixMilli()
}
