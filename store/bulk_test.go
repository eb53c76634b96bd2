package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// bulkFeed is the small world's feed plus a page that changes some
// applications' reviewers and deletes others while a first sync's indexes
// may still be deferred: what the triggers left in place must handle.
func bulkFeed(t *testing.T) []api.Change {
	t.Helper()
	w := testWorld(t)
	feed := worldChanges(t, w)
	n := 0
	for _, a := range w.Applications {
		if n == 40 {
			break
		}
		n++
		if n%2 == 0 {
			feed = append(feed, api.Change{Kind: api.KindApplication, ID: a.ID, Op: api.OpDelete, Version: a.Version + 1})
			continue
		}
		a.Flow = append(a.Flow, model.FlowStep{Seq: len(a.Flow) + 1, UnitID: "00000000-0000-4000-8000-0000000000aa", Action: model.ActionPass, At: testNow})
		a.Version++
		feed = append(feed, change(t, api.KindApplication, a.ID, a.Version, a))
	}
	return feed
}

// applyPages applies feed in pages of size, stopping before page stop
// (-1: all), without telling the store the pull ended.
func applyPages(t *testing.T, s *Store, feed []api.Change, size, stop int) {
	t.Helper()
	for i, p := 0, 0; i < len(feed); i, p = i+size, p+1 {
		if p == stop {
			return
		}
		if err := s.ApplyChanges(context.Background(), feed[i:min(i+size, len(feed))], fmt.Sprint("c", p)); err != nil {
			t.Fatal(err)
		}
	}
}

// dump is what the deferral could get wrong: the schema, the list columns
// and reviewed_by.
func dump(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, q := range map[string]string{
		"schema":      `SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY name`,
		"reviewed_by": `SELECT unit_id || ' ' || application_id FROM reviewed_by ORDER BY 1`,
		// id_index is keyed by each cache's own key: compared as "the
		// application's copy equals its applicant's".
		"applications": `SELECT a.id || ' ' || a.applicant_name || ' ' || (a.id_index = coalesce(p.id_index, x'')) || ' ' ||
			a.reviewers || ' ' || a.stage FROM applications a LEFT JOIN applicants p ON p.id = a.applicant_id ORDER BY a.id`,
		"applicants": `SELECT id || ' ' || unit_id || ' ' || length(id_index) FROM applicants ORDER BY id`,
		"bulk meta":  `SELECT key FROM meta WHERE key LIKE 'bulk%'`,
	} {
		rows, err := s.writer.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			out[name] = append(out[name], v)
		}
		rows.Close()
	}
	return out
}

func sameDump(t *testing.T, what string, got, want map[string][]string) {
	t.Helper()
	for k := range want {
		if !slices.Equal(got[k], want[k]) {
			t.Errorf("%s: %s differs from a cache that never deferred (%d vs %d rows)", what, k, len(got[k]), len(want[k]))
		}
	}
}

// TestFirstSyncDefersIndexes: a first sync's pages drop the big tables'
// indexes and CaughtUp builds them; a cache left in between (the process
// killed after any page's commit) is rebuilt by the next Open. Either way
// the cache equals one filled in pages too small to defer anything.
func TestFirstSyncDefersIndexes(t *testing.T) {
	feed := bulkFeed(t)
	reference := func(n int) map[string][]string { // the feed's first n changes, never deferred
		ref := openTest(t)
		if err := ref.ApplyChanges(context.Background(), feed[:1], "ref"); err != nil { // a cursor first: no first sync's page
			t.Fatal(err)
		}
		applyPages(t, ref, feed[:n], 1000, -1)
		d := dump(t, ref)
		ref.Close()
		return d
	}
	want := reference(len(feed))
	if len(want["reviewed_by"]) == 0 || len(want["bulk meta"]) != 0 {
		t.Fatalf("reference: %d reviewed_by rows, bulk meta %v", len(want["reviewed_by"]), want["bulk meta"])
	}
	const size = 1000
	pages := (len(feed) + size - 1) / size
	for stop := 1; stop <= pages; stop++ {
		t.Run(fmt.Sprint("killed after page ", stop), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cache.db")
			s := openUnlocked(t, path)
			applyPages(t, s, feed, size, stop)
			if stop == 1 && len(dump(t, s)["bulk meta"]) == 0 {
				t.Fatal("the first page deferred nothing")
			}
			s.Close() // as a kill after the commit leaves it: nothing more is written
			s = openUnlocked(t, path)
			sameDump(t, "reopened", dump(t, s), reference(min(stop*size, len(feed))))
			applyPages(t, s, feed[min(stop*size, len(feed)):], size, -1)
			if err := s.CaughtUp(context.Background()); err != nil {
				t.Fatal(err)
			}
			sameDump(t, "finished", dump(t, s), want)
		})
	}
	t.Run("caught up", func(t *testing.T) {
		s := openTest(t)
		applyPages(t, s, feed, size, -1)
		if err := s.CaughtUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		sameDump(t, "caught up", dump(t, s), want)
	})
}

// TestBulkOnlyOnFirstSync: only the first page of a first sync defers;
// a re-pull into a full cache (a reset cursor) and a cache that already
// has a cursor keep their indexes.
func TestBulkOnlyOnFirstSync(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	var again []api.Change
	for _, a := range w.Applications {
		again = append(again, change(t, api.KindApplication, a.ID, a.Version+1, a))
	}
	if err := s.ResetCursor(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyChanges(ctx, again, "again"); err != nil {
		t.Fatal(err)
	}
	if m := dump(t, s)["bulk meta"]; len(m) != 0 {
		t.Fatalf("a re-pull into a full cache deferred %v", m)
	}
	later := openTest(t)
	feed := worldChanges(t, w)
	if err := later.ApplyChanges(ctx, feed[:1], "c0"); err != nil {
		t.Fatal(err)
	}
	if err := later.ApplyChanges(ctx, feed, "c1"); err != nil {
		t.Fatal(err)
	}
	if m := dump(t, later)["bulk meta"]; len(m) != 0 {
		t.Fatalf("a page after the first deferred %v", m)
	}
}
