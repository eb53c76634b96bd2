package sync

import (
	"context"
	"testing"

	"titledesk/model"
)

// TestImportedCalendarReachesOfflineClient (BEY-1): before the city office
// imports 2027 the client judges 2027 periods by the statutory fallback with
// its warning, as the server does; after the import and one sync, the
// client — now offline — judges them by the imported arrangement, exactly as
// the server does.
func TestImportedCalendarReachesOfflineClient(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t, 0.1)
	d := newDevice(t, ClientOptions{})
	d.login(srv.URL())
	periods := [][2]model.Date{
		{"2026-12-28", "2027-01-01"}, {"2026-12-28", "2027-01-04"}, // 元旦
		{"2027-02-01", "2027-02-10"}, {"2027-02-01", "2027-02-15"}, // 春节
		{"2027-09-28", "2027-10-07"}, {"2027-09-28", "2027-10-09"}, // 国庆
	}
	same := func(stage string, wantWarning bool) {
		t.Helper()
		for _, p := range periods {
			server, client := srv.srv.Calendar(), d.store.Calendar()
			if s, c := server.WorkingDays(p[0], p[1]), client.WorkingDays(p[0], p[1]); s != c {
				t.Fatalf("%s: %s..%s server %d, client %d working days", stage, p[0], p[1], s, c)
			}
			if w := client.FallbackWarning(p[0], p[1]); (w != "") != wantWarning {
				t.Fatalf("%s: warning %q", stage, w)
			}
		}
	}
	same("fallback", true)
	if got := d.store.Calendar().WorkingDays("2026-12-28", "2027-01-01"); got != 4 {
		t.Fatalf("fallback: 元旦 2027 week has %d working days", got)
	}

	var file []model.CalendarEntry
	add := func(kind, name string, from, to model.Date) {
		for x := from; x <= to; x = x.AddDays(1) {
			file = append(file, model.CalendarEntry{Date: x, Kind: kind, Name: name})
		}
	}
	add(model.CalendarHoliday, "元旦", "2027-01-01", "2027-01-03")
	add(model.CalendarHoliday, "春节", "2027-02-05", "2027-02-13")
	add(model.CalendarWorkday, "春节", "2027-02-20", "2027-02-20")
	add(model.CalendarHoliday, "国庆节", "2027-10-01", "2027-10-07")
	add(model.CalendarWorkday, "国庆节", "2027-10-09", "2027-10-09")
	if _, err := srv.srv.ImportCalendar(ctx, file); err != nil {
		t.Fatal(err)
	}
	if err := d.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Stop() // offline from here on
	same("imported", false)
	if got := d.store.Calendar().WorkingDays("2027-09-28", "2027-10-09"); got != 5 {
		t.Fatalf("imported: 国庆 2027 period has %d working days, want 5", got)
	}
}
