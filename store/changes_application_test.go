package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// sqlApplicationRowQuery is the derivation the cache did inside SQLite before
// it moved to Go (decodeApplicationRow): the reference the Go code must match.
// Its times follow the feed's time grammar (sqlFeedMillis), not SQLite's
// looser reading of dates.
var sqlApplicationRowQuery = `SELECT j->>'applicant_id', j->>'unit_id', coalesce(j->>'holder_unit_id', ''), j->>'stage',
		coalesce(j->>'year', 0), j->>'series', j->>'level', j->>'method',
		coalesce(j->>'specialty', ''), coalesce(j->>'title_name', ''),
		` + sqlFeedMillis(`j->>'submitted_at'`) + `,
		` + sqlFeedMillis(`j->>'returned_at'`) + `,
		coalesce(` + sqlFeedMillis(`j->>'updated_at'`) + `, 0),
		CASE WHEN j->>'$.flow[#-1].action' = 'pass' AND j->>'$.flow[#-1].to_stage' = j->>'stage'
			AND coalesce(j->>'$.flow[#-1].to_holder', '') = coalesce(j->>'holder_unit_id', '')
			THEN coalesce(j->>'$.flow[#-1].unit_id', '') ELSE '' END,
		coalesce((SELECT json_group_array(DISTINCT f.value->>'unit_id') FROM json_each(j, '$.flow') f
			WHERE f.value->>'action' IN ('pass', 'reject') AND coalesce(f.value->>'unit_id', '') <> ''), '[]'),
		coalesce((SELECT f.value->>'unit_id' FROM json_each(j, '$.flow') f WHERE f.value->>'action' = 'reject'
			ORDER BY f.key DESC LIMIT 1), ''),
		coalesce(j->>'$.applicant.education', ''),
		coalesce(json_type(j, '$.applicant') = 'object', 0), coalesce(j->>'$.applicant.name', ''),
		coalesce(j->>'$.applicant.id_number', ''), coalesce(j->>'$.applicant.gender', '')
	FROM (SELECT jsonb(?) AS j)`

// sqlFeedMillis is parseFeedTime written independently in SQL, over the
// text expression x: the shape by GLOB, the fraction as digits only, the
// calendar and clock ranges by SQLite normalizing the first 19 characters
// to themselves (31 February or 24:00 would move), the zone's range and
// the 9999 limit by unixepoch; milliseconds from the first three fraction
// digits, so the sub-millisecond part is cut, never rounded.
func sqlFeedMillis(x string) string {
	zone := `(CASE WHEN (` + x + `) GLOB '*Z' THEN 'Z' ELSE substr(` + x + `, -6) END)`
	frac := `substr(` + x + `, 20, length(` + x + `) - 19 - length(` + zone + `))`
	epoch := `unixepoch(substr(` + x + `, 1, 19) || ` + zone + `)`
	return `(CASE WHEN typeof(` + x + `) = 'text'
			AND (` + x + `) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]?*'
			AND ((` + x + `) GLOB '*Z' OR (` + x + `) GLOB '*[+-][0-9][0-9]:[0-9][0-9]')
			AND (` + frac + ` = '' OR (` + frac + ` GLOB '.[0-9]*' AND substr(` + frac + `, 2) NOT GLOB '*[^0-9]*'))
			AND strftime('%Y-%m-%dT%H:%M:%S', substr(` + x + `, 1, 19)) = substr(` + x + `, 1, 19)
			AND ` + epoch + ` IS NOT NULL
			AND ` + epoch + ` * 1000 + CAST(substr(substr(` + frac + `, 2) || '000', 1, 3) AS INTEGER) <= 253402300799999
		THEN ` + epoch + ` * 1000 + CAST(substr(substr(` + frac + `, 2) || '000', 1, 3) AS INTEGER) END)`
}

// sqlApplicationRow derives the columns with sqlApplicationRowQuery; ok is
// false when SQLite cannot (malformed JSON) or a NOT NULL column would be NULL.
func sqlApplicationRow(t testing.TB, s *Store, data []byte) (r applicationRow, ok bool) {
	t.Helper()
	var applicant, unit, stage, series, level, method sql.NullString
	err := s.reader.QueryRowContext(context.Background(), sqlApplicationRowQuery, string(data)).Scan(
		&applicant, &unit, &r.holderUnitID, &stage, &r.year, &series, &level, &method, &r.specialty, &r.titleName,
		&r.submittedAt, &r.returnedAt, &r.updatedAt, &r.withdrawableBy, &r.reviewers, &r.returnedBy, &r.education,
		&r.snapshot, &r.snapName, &r.snapIDNumber, &r.snapGender)
	if err != nil {
		return applicationRow{}, false
	}
	for _, f := range []sql.NullString{applicant, unit, stage, series, level, method} {
		if !f.Valid {
			return applicationRow{}, false
		}
	}
	r.applicantID, r.unitID, r.stage, r.series, r.level, r.method =
		applicant.String, unit.String, stage.String, series.String, level.String, method.String
	return r, true
}

// applicationRecordCases are hand-made records for what the demo world lacks.
var applicationRecordCases = []string{
	`{"applicant_id":"p","unit_id":"u","stage":"draft","series":"","level":"","method":"","year":2026,"flow":[]}`,
	`{"applicant_id":"p","unit_id":"u","stage":"draft","series":"s","level":"l","method":"m","flow":null,"submitted_at":null}`,
	` { "applicant_id" : "p" , "unit_id":"u","stage":"forward","holder_unit_id":"h","series":"s","level":"l","method":"m",
	   "specialty":"电气\u0026自动化 \"A\"\n","title_name":"\u9ad8\u7ea7","year":2026.0,
	   "submitted_at":"2026-11-02T17:00:00.123Z","returned_at":"2026-11-02T17:00:00+08:00","updated_at":"2026-11-03T00:00:00.5Z",
	   "flow":[{"unit_id":"a","action":"pass","to_stage":"x"},{"unit_id":"b","action":"reject"},{"unit_id":"a","action":"reject"},
	           {"action":"pass"},{"unit_id":"h","action":"pass","to_stage":"forward","to_holder":"h","extra":[1,{"k":[true,false,null]}]}],
	   "recommendation":{"attachments":[{"a":-1.5e+3}]}} `,
	`{"applicant_id":"p","unit_id":"u","stage":"forward","holder_unit_id":"h","series":"s","level":"l","method":"m",
	   "flow":[{"unit_id":"h","action":"pass","to_stage":"forward","to_holder":"other"}]}`,
	`{"applicant_id":"p","unit_id":"u","stage":"returned","series":"s","level":"l","method":"m",
	   "flow":[{"unit_id":"h","action":"pass","to_stage":"returned"}]}`,
	`{"applicant_id":"p","unit_id":"u","stage":"s","series":"s","level":"l","method":"m","stage":"later","flow":[{"unit_id":"x","action":"pass"}],"flow":[]}`,
	`{"applicant_id":"p","unit_id":"u","stage":"s","series":"s","level":"l","method":"m","updated_at":"not a time"}`,
	`{"applicant_id":"p","unit_id":"u","stage":"s","series":"s","level":"l","method":"m",
	   "applicant":{"name":"甲","education":"博士研究生","education":"大学本科","x":{"education":"no"}},"applicant":{"education":"later"}}`,
	`{"applicant_id":"p","unit_id":"u","stage":"s","series":"s","level":"l","method":"m","applicant":null}`,
	`{"applicant_id":"p","unit_id":"u","stage":"s","series":"s","level":"l","method":"m","applicant":"p"}`,
	`{"applicant_id":"p","unit_id":"u","stage":"s","series":"s","level":"l","method":"m","applicant":{"education":null}}`,
	`{"applicant_id":"p","unit_id":"u","stage":"s","series":"s","level":"l","method":"m",
	   "applicant":{"name":"甲","id_number":"120101198001010011","gender":"male","name":"乙","gender":null,"x":{"name":"no"}}}`,
	`{"applicant_id":"p","unit_id":"u","stage":"s","series":"s","level":"l","method":"m","applicant":{}}`,
}

// TestDecodeApplicationRowMatchesSQL: the Go derivation gives every column
// the SQL one gave, for every record of the test world and the odd cases.
func TestDecodeApplicationRowMatchesSQL(t *testing.T) {
	s := openTest(t)
	records := applicationRecordCases
	for _, c := range worldChanges(t, testWorld(t)) {
		if c.Kind == api.KindApplication {
			records = append(records, string(c.Data))
		}
	}
	for i, rec := range records {
		want, ok := sqlApplicationRow(t, s, []byte(rec))
		if !ok {
			t.Fatalf("record %d: SQL cannot derive it: %s", i, rec)
		}
		got, err := decodeApplicationRow([]byte(rec))
		if err != nil {
			t.Fatalf("record %d: %v\n%s", i, err, rec)
		}
		if got != want {
			t.Errorf("record %d:\n got %+v\nwant %+v\n%s", i, got, want, rec)
		}
	}
}

func TestDecodeApplicationRowRejects(t *testing.T) {
	valid := `{"applicant_id":"p","unit_id":"u","stage":"s","series":"s","level":"l","method":"m"}`
	if _, err := decodeApplicationRow([]byte(valid)); err != nil {
		t.Fatalf("valid record refused: %v", err)
	}
	for _, rec := range []string{
		``, `{`, `{"stage":`, `[]`, `null`, `"x"`, valid + `x`, valid + `{}`,
		strings.Replace(valid, `"p"`, `"p`, 1),
		strings.Replace(valid, `"p"`, `"\q"`, 1),
		strings.Replace(valid, `"p"`, `"\u12"`, 1),
		strings.Replace(valid, `"p"`, "\"p\x01\"", 1),
		strings.Replace(valid, `}`, `,"year":01}`, 1),
		strings.Replace(valid, `}`, `,"year":1.}`, 1),
		strings.Replace(valid, `}`, `,"year":-}`, 1),
		strings.Replace(valid, `}`, `,"x":[1,]}`, 1),
		strings.Replace(valid, `}`, `,"x":{"a" 1}}`, 1),
		strings.Replace(valid, `}`, `,"x":tru}`, 1),
		strings.Replace(valid, `}`, `,}`, 1),
		strings.Replace(valid, `}`, `,"x":`+strings.Repeat("[", 2000)+strings.Repeat("]", 2000)+`}`, 1),
		strings.Replace(valid, `"applicant_id":"p",`, ``, 1),
		strings.Replace(valid, `"method":"m"`, `"method":null`, 1),
		strings.Replace(valid, `"stage":"s"`, `"stage":1`, 1),
	} {
		if _, err := decodeApplicationRow([]byte(rec)); err == nil {
			t.Errorf("accepted %.80q", rec)
		}
	}
}

// FuzzDecodeApplicationRow: whatever the scanner accepts is valid JSON and
// derives the columns the SQL reference derives, times included (both
// follow the feed's time grammar); invalid JSON is always refused.
func FuzzDecodeApplicationRow(f *testing.F) {
	for _, rec := range applicationRecordCases {
		f.Add([]byte(rec))
	}
	for _, c := range worldChanges(f, testWorld(f))[:300] {
		if c.Kind == api.KindApplication {
			f.Add([]byte(c.Data))
		}
	}
	for i, tc := range feedTimeCases {
		field := []string{"submitted_at", "returned_at", "updated_at"}[i%3]
		f.Add([]byte(`{"applicant_id":"p","unit_id":"u","stage":"s","series":"s","level":"l","method":"m","` +
			field + `":` + strconv.Quote(tc.in) + `}`))
	}
	s, err := Open(context.Background(), f.TempDir()+"/fuzz.db")
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeApplicationRow(data)
		if !json.Valid(data) {
			if err == nil {
				t.Fatalf("invalid JSON accepted: %q", data)
			}
			return
		}
		if err != nil {
			return // valid JSON that is not an application record we can store
		}
		want, ok := sqlApplicationRow(t, s, data)
		if !ok {
			t.Fatalf("accepted a record SQLite could not derive: %q", data)
		}
		if got != want {
			t.Fatalf("\n got %+v\nwant %+v\n%q", got, want, data)
		}
	})
}

// TestReviewedByFollowsFlow: 已审核列表 rows follow the flow through an
// insert, a change of reviewers, an unchanged re-pull and a removal.
func TestReviewedByFollowsFlow(t *testing.T) {
	ctx := context.Background()
	w := testWorld(t)
	s := openTest(t)
	applyPaged(t, s, worldChanges(t, w))
	var app = w.Applications[0]
	for _, a := range w.Applications {
		if len(a.Flow) >= 3 && a.ReviewedBy(a.Flow[1].UnitID) {
			app = a
			break
		}
	}
	units := func() []string {
		rows, err := s.reader.QueryContext(ctx, `SELECT unit_id FROM reviewed_by WHERE application_id = ? ORDER BY unit_id`, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var u string
			rows.Scan(&u)
			out = append(out, u)
		}
		return out
	}
	want := func(a model.Application) []string {
		var out []string
		for _, st := range a.Flow {
			if a.ReviewedBy(st.UnitID) && !slices.Contains(out, st.UnitID) {
				out = append(out, st.UnitID)
			}
		}
		slices.Sort(out)
		return out
	}
	check := func(step string, a model.Application) {
		t.Helper()
		if got, want := units(), want(a); !slices.Equal(got, want) {
			t.Errorf("%s: reviewed_by %v, want %v", step, got, want)
		}
	}
	check("pulled", app)
	if len(want(app)) == 0 {
		t.Fatal("fixture application has no reviewers")
	}

	changed := app
	changed.Flow = append([]model.FlowStep(nil), app.Flow[:1]...)
	changed.Flow = append(changed.Flow, model.FlowStep{UnitID: "another-unit", Action: model.ActionReject})
	changed.Version++
	if err := s.ApplyChanges(ctx, []api.Change{change(t, api.KindApplication, app.ID, changed.Version, changed)}, "c2"); err != nil {
		t.Fatal(err)
	}
	check("reviewers changed", changed)

	changed.Version++ // same reviewers, new version
	if err := s.ApplyChanges(ctx, []api.Change{change(t, api.KindApplication, app.ID, changed.Version, changed)}, "c3"); err != nil {
		t.Fatal(err)
	}
	check("re-pulled unchanged", changed)

	if err := s.ApplyChanges(ctx, []api.Change{{Kind: api.KindApplication, ID: app.ID, Op: api.OpRemove}}, "c4"); err != nil {
		t.Fatal(err)
	}
	check("removed", model.Application{})
}

// TestApplyChangesMalformedInLongPage: a bad record deep in a long page
// fails the page, names the change and leaves nothing behind.
func TestApplyChangesMalformedInLongPage(t *testing.T) {
	ctx := context.Background()
	var apps []api.Change
	for _, c := range worldChanges(t, testWorld(t)) {
		if c.Kind == api.KindApplication {
			apps = append(apps, c)
		}
	}
	const n, bad = 400, 263
	if len(apps) < n {
		t.Fatalf("fixture has %d applications", len(apps))
	}
	page := append([]api.Change(nil), apps[:n]...)
	page[bad] = api.Change{Kind: api.KindApplication, ID: "broken", Op: api.OpUpsert, Version: 1, Data: json.RawMessage(`{"stage":`)}
	s := openTest(t)
	err := s.ApplyChanges(ctx, page, "c1")
	if err == nil || !strings.Contains(err.Error(), "apply change "+strconv.Itoa(bad)+" ") {
		t.Fatalf("error %v, want one naming change %d", err, bad)
	}
	if n := count(t, s, `SELECT (SELECT COUNT(*) FROM applications) + (SELECT COUNT(*) FROM application_data) + (SELECT COUNT(*) FROM reviewed_by)`); n != 0 {
		t.Errorf("%d rows left by a failed page", n)
	}
}
