package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"titledesk/model"
)

// queryPlan returns EXPLAIN QUERY PLAN's detail lines.
func queryPlan(t *testing.T, s *Store, query string, args ...any) []string {
	t.Helper()
	// EXPLAIN runs nothing, so it does not notice a schema changed by
	// another connection (a first sync's indexes built again, bulk.go) and
	// plans with the one this connection read last; a real read first
	// makes it read the current schema, as every real query does.
	ctx := context.Background()
	conn, err := s.reader.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT count(*) FROM sqlite_master`); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var (
			id, parent, unused int
			detail             string
		)
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, detail)
	}
	return out
}

// TestQueryPlansUseIndexes: no screen query scans applications (or
// reviewed_by) whole; each starts from an index range.
func TestQueryPlansUseIndexes(t *testing.T) {
	s, _ := seeded(t)
	type plan struct {
		name  string
		query string
		args  []any
		want  string // a line the plan must contain
	}
	var plans []plan
	queues := []QueueQuery{
		{Stage: model.StageOwnUnit},
		{Stage: model.StageSubordinate, Text: "王", Series: model.SeriesEconomics, Sort: Sort{Column: SortName, Desc: true}},
		{Stage: model.StageForward, Level: model.LevelIntermediate, Year: 2026, SubmittedFrom: testNow.Add(-90 * 24 * time.Hour)},
		{Stage: model.StageSelfAppoint, Method: model.MethodSelfAppointment, Sort: Sort{Column: SortUnit}},
		{Stage: model.StageExam, Text: "1201"},
		{Stage: ReviewedList, Text: "120101198001011234"},
		{Stage: ReviewedList, ReturnedMoreThanDays: 30},
		{Stage: ReviewedList, Text: "张", Sort: Sort{Column: SortReturned, Desc: true}},
	}
	for _, q := range queues {
		from, where, args, err := s.queueWhere(s.keys.Load(), deptID, q)
		if err != nil {
			t.Fatal(err)
		}
		want := "applications_queue (holder_unit_id=? AND stage=?"
		if q.Stage == ReviewedList {
			want = "SEARCH r USING PRIMARY KEY (unit_id=?)"
		}
		plans = append(plans,
			plan{"page " + string(q.Stage), pageQuery(q, from, where, windowTotal(q, args)), append(args, 50, 0), want},
			plan{"count " + string(q.Stage), "SELECT COUNT(*) " + from + where, args, want})
	}
	plans = append(plans,
		plan{"dashboard counts", `SELECT stage, COUNT(*) FROM applications WHERE holder_unit_id = ? GROUP BY stage`, []any{deptID},
			"USING COVERING INDEX applications_queue (holder_unit_id=?)"},
		plan{"dashboard top", queueSelect + `FROM applications a WHERE a.holder_unit_id = ? AND a.stage = ? ORDER BY a.submitted_at, a.id LIMIT 5`,
			[]any{deptID, "own_unit"}, "SEARCH a USING INDEX applications_queue (holder_unit_id=? AND stage=?)"},
		func() plan {
			q, args, _ := countQuery(deptID, StatsFilter{YearFrom: 2026, Method: model.MethodPanelReview}, []StatDimension{DimSeries, DimOutcome})
			return plan{"statistics", q, args, "applications_unit (unit_id=?)"}
		}(),
		plan{"unread", `SELECT COUNT(*) FROM messages WHERE inbound = 1 AND unread = 1`, nil, "SEARCH messages USING COVERING INDEX messages_box"},
		// The statement the reviewers triggers delete with (migration 0003).
		plan{"reviewed_by trigger delete", `DELETE FROM reviewed_by WHERE unit_id IN (SELECT value FROM json_each(?)) AND application_id = ?`,
			[]any{`["a","b"]`, "x"}, "SEARCH reviewed_by USING PRIMARY KEY (unit_id=? AND application_id=?)"},
	)
	for _, p := range plans {
		t.Run(p.name, func(t *testing.T) {
			lines := queryPlan(t, s, p.query, p.args...)
			joined := strings.Join(lines, "\n")
			for _, l := range lines {
				if strings.HasPrefix(l, "SCAN a") || strings.HasPrefix(l, "SCAN applications") || strings.HasPrefix(l, "SCAN r") {
					t.Errorf("full scan: %q\nplan:\n%s", l, joined)
				}
			}
			if !strings.Contains(joined, p.want) {
				t.Errorf("plan lacks %q:\n%s", p.want, joined)
			}
		})
	}
}
