package server

import (
	"context"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// TestBuiltinCalendarAddsMissingYears: a stored calendar that lacks years
// the built-in one has (a server upgraded to a newer binary) gets them at the
// next start, keeps what it had, and announces the change in the feed.
func TestBuiltinCalendarAddsMissingYears(t *testing.T) {
	ts := newTestServer(t)
	var only2024 []model.CalendarEntry
	for _, e := range model.DefaultCalendar().Entries() {
		if e.Date.Year() == 2024 {
			only2024 = append(only2024, e)
		}
	}
	extra := model.CalendarEntry{Date: "2024-12-31", Kind: model.CalendarHoliday, Name: "本市调整"}
	if err := ts.srv.SetCalendar(context.Background(), append(only2024, extra)); err != nil {
		t.Fatal(err)
	}
	if ts.srv.Calendar().Imported(2026) {
		t.Fatal("2026 still there")
	}
	before := ts.count(`SELECT version FROM calendar WHERE id = 'calendar'`)
	ts.restart()
	cal := ts.srv.Calendar()
	for _, y := range []int{2024, 2025, 2026} {
		if !cal.Imported(y) {
			t.Fatalf("%d missing after restart", y)
		}
	}
	if cal.IsWorkingDay("2024-12-31") {
		t.Fatal("the stored calendar's own entry was lost")
	}
	if after := ts.count(`SELECT version FROM calendar WHERE id = 'calendar'`); after != before+1 {
		t.Fatalf("calendar version %d → %d", before, after)
	}
	st, _ := ts.login(userDept1).pullAll("", feedState{})
	var data api.CalendarData
	st.decode(t, api.KindCalendar, calendarID, &data)
	if !model.NewCalendar(data.Entries).Imported(2026) {
		t.Fatal("the feed's calendar lacks 2026")
	}
	ts.restart()
	if again := ts.count(`SELECT version FROM calendar WHERE id = 'calendar'`); again != before+1 {
		t.Fatal("a restart with nothing to add wrote the calendar again")
	}
}
