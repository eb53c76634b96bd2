package server

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// TestFeedScope checks what each viewer sees of the fixture (SRV-2).
func TestFeedScope(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		user      string
		see, miss []string // kind/id
	}{
		{userDept1,
			[]string{key("unit", fx.D1), key("unit", fx.D1a), key("unit", fx.E1), key("unit", fx.E2), key("unit", fx.City),
				key("applicant", fx.P1), key("applicant", fx.P2), key("application", fx.A1), key("application", fx.A2),
				key("committee", fx.Committee), key("calendar", calendarID)},
			[]string{key("unit", fx.D2), key("unit", fx.E3), key("unit", fx.Unreg), key("applicant", fx.P3), key("application", fx.A3)}},
		{userDept1a,
			[]string{key("unit", fx.D1a), key("unit", fx.E1), key("unit", fx.D1), key("application", fx.A1)},
			[]string{key("unit", fx.City), key("unit", fx.E2), key("application", fx.A2), key("applicant", fx.P2)}},
		{userDept2,
			[]string{key("unit", fx.D2), key("unit", fx.E3), key("application", fx.A3)},
			[]string{key("unit", fx.D1), key("application", fx.A1), key("application", fx.A2)}},
		{userCity,
			[]string{key("unit", fx.D1), key("unit", fx.E3), key("application", fx.A1), key("application", fx.A3)},
			[]string{key("unit", fx.Unreg)}},
		{userAppl1,
			[]string{key("applicant", fx.P1), key("application", fx.A1), key("calendar", calendarID)},
			[]string{key("applicant", fx.P2), key("unit", fx.E1), key("application", fx.A3)}},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			state, _ := ts.login(tt.user).pullAll("", nil)
			for _, k := range tt.see {
				if ch, ok := state[k]; !ok || ch.Op != api.OpUpsert || len(ch.Data) == 0 {
					t.Errorf("should see %s", k)
				}
			}
			for _, k := range tt.miss {
				if _, ok := state[k]; ok {
					t.Errorf("must not see %s", k)
				}
			}
			for k, ch := range state {
				if !strings.Contains(strings.Join(api.AllKinds, " "), ch.Kind) {
					t.Errorf("unknown kind %s", k)
				}
				if strings.Contains(string(ch.Data), "password") || strings.Contains(string(ch.Data), "$2a$") {
					t.Errorf("%s leaks a password hash", k)
				}
			}
		})
	}
}

func TestFeedPaging(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(userDept1)
	all := c.pull("", api.MaxChangesPerPage)
	if all.HasMore || all.Total != int64(len(all.Changes)) || len(all.Changes) < 10 {
		t.Fatalf("one page: has_more=%v total=%d n=%d", all.HasMore, all.Total, len(all.Changes))
	}
	for _, limit := range []int{1, 2, 3, 7} {
		t.Run(strconv.Itoa(limit), func(t *testing.T) {
			var got []api.Change
			cursor, pages := "", 0
			for {
				page := c.pull(cursor, limit)
				if want := all.Total - int64(len(got)); page.Total != want {
					t.Fatalf("page %d: total %d, want %d", pages, page.Total, want)
				}
				if len(page.Changes) > limit {
					t.Fatalf("page of %d over limit %d", len(page.Changes), limit)
				}
				got = append(got, page.Changes...)
				pages++
				if !page.HasMore {
					if page.Cursor == "" {
						t.Fatal("no cursor on the last page")
					}
					break
				}
				cursor = page.Cursor
			}
			if len(got) != len(all.Changes) {
				t.Fatalf("paged %d changes, want %d", len(got), len(all.Changes))
			}
			for i := range got {
				if got[i].Kind != all.Changes[i].Kind || got[i].ID != all.Changes[i].ID {
					t.Fatalf("change %d differs: %s/%s vs %s/%s", i, got[i].Kind, got[i].ID, all.Changes[i].Kind, all.Changes[i].ID)
				}
			}
		})
	}
	// At the end the cursor stays put and nothing comes back.
	end := c.pull(all.Cursor, 10)
	if len(end.Changes) != 0 || end.HasMore || end.Cursor != all.Cursor || end.Total != 0 {
		t.Fatalf("past the end: %+v", end)
	}
	for _, bad := range []string{"abc", "-1"} {
		resp := ts.do("GET", api.Base+"/sync/changes?cursor="+bad, c.token, nil)
		if p := problemOf(t, resp); p.Code != model.CodeBadRequest {
			t.Fatalf("cursor %q: %+v", bad, p)
		}
	}
}

// TestFeedDedupe: an entity changed many times appears once after the
// cursor, with its latest version.
func TestFeedDedupe(t *testing.T) {
	ts := newTestServer(t)
	d1 := ts.login(userDept1)
	_, cursor := d1.pullAll("", nil)
	appl2 := ts.login(userAppl2)
	v := appl2.mustApply(api.CmdApplicationSubmit, 0, api.ApplicationRefArgs{ApplicationID: fx.A2}).Version
	v = d1.mustApply(api.CmdApplicationReject, v, api.RejectArgs{ApplicationID: fx.A2, Opinion: "请补充业绩材料"}).Version
	v = appl2.mustApply(api.CmdApplicationSubmit, v, api.ApplicationRefArgs{ApplicationID: fx.A2}).Version
	page := d1.pull(cursor, 100)
	n := 0
	for _, ch := range page.Changes {
		if ch.Kind == api.KindApplication && ch.ID == fx.A2 {
			n++
			if ch.Version != v {
				t.Fatalf("version %d, want %d", ch.Version, v)
			}
		}
	}
	if n != 1 {
		t.Fatalf("A2 appears %d times after the cursor", n)
	}
}

// TestFeedRemoveOnMove: a unit moved out of a subtree leaves with its
// applicants and applications as `remove`; the new ancestors get them.
func TestFeedRemoveOnMove(t *testing.T) {
	ts := newTestServer(t)
	d1a, d1 := ts.login(userDept1a), ts.login(userDept1)
	before, cursor := d1a.pullAll("", nil)
	if !before.has(api.KindApplication, fx.A1) {
		t.Fatal("fixture: D1a should see A1")
	}
	e1 := unitOf(t, ts, fx.E1)
	d1.mustApply(api.CmdUnitUpdate, 0, api.UnitArgs{Unit: withParent(e1, fx.D1)})
	page := d1a.pull(cursor, 100)
	removed := map[string]bool{}
	for _, ch := range page.Changes {
		if ch.Op == api.OpRemove {
			removed[key(ch.Kind, ch.ID)] = true
		}
	}
	for _, k := range []string{key("unit", fx.E1), key("applicant", fx.P1), key("application", fx.A1)} {
		if !removed[k] {
			t.Errorf("D1a got no remove for %s", k)
		}
	}
	// E1 now sees D1 as its parent and no longer D1a.
	st, _ := ts.login(userEmp1).pullAll("", nil)
	if !st.has(api.KindUnit, fx.D1) || st.has(api.KindUnit, fx.D1a) {
		t.Fatalf("E1's superiors: D1 %v, D1a %v", st.has(api.KindUnit, fx.D1), st.has(api.KindUnit, fx.D1a))
	}
}

// TestAppendChanges: the hand-written page encoding decodes to the same
// page encoding/json would produce.
func TestAppendChanges(t *testing.T) {
	in := &api.ChangesResponse{Changes: []api.Change{
		{Kind: "unit", ID: "a\"b\\c<>&\u2028", Op: api.OpUpsert, Version: 3, Data: []byte(`{"name":"单位"}`)},
		{Kind: "stock_comment", ID: "x", Op: api.OpDelete, Version: 9},
	}, Cursor: "42", HasMore: true, Total: 7}
	var got, want api.ChangesResponse
	if err := json.Unmarshal(appendChanges(nil, in), &got); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(in)
	json.Unmarshal(b, &want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	empty := appendChanges(nil, &api.ChangesResponse{Changes: []api.Change{}})
	if !json.Valid(empty) || !strings.Contains(string(empty), `"changes":[]`) {
		t.Fatalf("empty page %s", empty)
	}
}
