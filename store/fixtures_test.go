package store

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
	"titledesk/server/demo"
)

// testNow is the fixed clock of every test (and of the demo world).
var testNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

const deptID = demo.DemoDepartmentID

var (
	smallOnce  sync.Once
	smallWorld *demo.World
	smallErr   error
)

// testWorld is a realistic world (about 1,000 applicants), built once.
func testWorld(t testing.TB) *demo.World {
	t.Helper()
	smallOnce.Do(func() { smallWorld, smallErr = demo.Generate(demo.Options{Scale: 0.2, Seed: 1, Now: testNow}) })
	if smallErr != nil {
		t.Fatal(smallErr)
	}
	return smallWorld
}

// change encodes an entity as one upsert record, as the server's feed would.
func change(t testing.TB, kind, id string, version int64, v any) api.Change {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return api.Change{Kind: kind, ID: id, Op: api.OpUpsert, Version: version, Data: data}
}

// worldChanges turns a world into the feed the demo department would pull:
// every unit, applicant and application (the cache does not care about the
// server's scoping), its messages with its own read marks, and the demo
// account's stock comments.
func worldChanges(t testing.TB, w *demo.World) []api.Change {
	t.Helper()
	var out []api.Change
	add := func(kind, id string, version int64, v any) { out = append(out, change(t, kind, id, version, v)) }
	add(api.KindCalendar, "calendar", 1, api.CalendarData{Entries: w.Calendar})
	for _, u := range w.Units {
		add(api.KindUnit, u.ID, u.Version, u)
	}
	for _, r := range w.Registrations {
		add(api.KindRegistration, r.ID, r.Version, r)
	}
	for _, c := range w.Committees {
		add(api.KindCommittee, c.ID, c.Version, c)
	}
	for _, e := range w.Experts {
		add(api.KindExpert, e.ID, e.Version, e)
	}
	for _, p := range w.Applicants {
		add(api.KindApplicant, p.ID, p.Version, p)
	}
	for _, a := range w.Applications {
		add(api.KindApplication, a.ID, a.Version, a)
	}
	for _, m := range deptMessages(w) {
		add(api.KindMessage, m.ID, m.Version, m)
	}
	for _, sc := range demoStockComments(w) {
		add(api.KindStockComment, sc.ID, sc.Version, sc)
	}
	for _, f := range w.Files {
		add(api.KindAttachment, f.Attachment.SHA256, 1, f.Attachment)
	}
	return out
}

func deptMessages(w *demo.World) []model.Message {
	var out []model.Message
	for _, ms := range w.Messages {
		m := ms.Message
		switch {
		case m.SenderUnitID == deptID:
			m.Recipients = ms.Recipients
			out = append(out, m)
		case hasRecipient(ms.Recipients, deptID):
			m.Inbound = true
			if ms.ReadBy[deptID] {
				at := m.SentAt.Add(time.Hour)
				m.ReadAt = &at
			}
			out = append(out, m)
		}
	}
	return out
}

func hasRecipient(rs []model.Recipient, id string) bool {
	for _, r := range rs {
		if r.ID == id {
			return true
		}
	}
	return false
}

func demoStockComments(w *demo.World) []model.StockComment {
	var account string
	for _, a := range w.Accounts {
		if a.Account.Username == demo.DemoUsername {
			account = a.Account.ID
		}
	}
	var out []model.StockComment
	for _, sc := range w.StockComments {
		if sc.AccountID == account {
			out = append(out, sc.Comment)
		}
	}
	return out
}

// The password and server cache key of every test cache.
var (
	testPassword  = "TitleDesk@2026"
	testServerKey = bytes.Repeat([]byte{0x5a}, 32)
)

// openTest opens an empty cache in a temporary directory with the test
// clock, unlocked as after an online login.
func openTest(t testing.TB) *Store {
	t.Helper()
	return openUnlocked(t, t.TempDir()+"/cache.db")
}

// openUnlocked opens (creating) the cache at path and unlocks it with the
// test password and server key.
func openUnlocked(t testing.TB, path string) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return testNow }
	t.Cleanup(func() { s.Close() })
	if err := s.UnlockOnline(ctx, testPassword, testServerKey); err != nil {
		t.Fatal(err)
	}
	return s
}

// applyPaged applies changes in feed-sized pages, as the sync engine would.
func applyPaged(t testing.TB, s *Store, changes []api.Change) {
	t.Helper()
	for i := 0; i < len(changes); i += api.DefaultPageSize {
		page := changes[i:min(i+api.DefaultPageSize, len(changes))]
		if err := s.ApplyChanges(context.Background(), page, "c"+string(rune('0'+i%10))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CaughtUp(context.Background()); err != nil { // the end of the feed, as the engine says it
		t.Fatal(err)
	}
}

// seeded is a cache holding the small world.
func seeded(t testing.TB) (*Store, *demo.World) {
	t.Helper()
	w := testWorld(t)
	s := openTest(t)
	applyPaged(t, s, worldChanges(t, w))
	return s, w
}
