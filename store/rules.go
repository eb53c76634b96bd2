package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"

	"titledesk/api"
	"titledesk/model"
)

// The rule documents of BEY-3..6 as the feed brings them: each kind is one
// table of (id, version, data) with the model type's JSON, sealed like
// every record (seal.go).

// docTables maps each document kind to its table.
var docTables = map[string]string{
	api.KindDuplicate:    "duplicate_flags",
	api.KindDeadline:     "deadlines",
	api.KindRuleSet:      "rule_sets",
	api.KindReturnReason: "return_reasons",
}

// docKind handles one such kind; v is a pointer to the model type, used to
// refuse malformed data before it is stored.
func docKind(kind string, v func() any) kindHandler {
	table := docTables[kind]
	upsert := `INSERT INTO ` + table + `(id, version, data) VALUES(?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET version = excluded.version, data = excluded.data`
	return kindHandler{
		upsert: func(a *applier, c api.Change) error {
			if err := decode(c, v()); err != nil {
				return err
			}
			return a.exec(upsert, c.ID, c.Version, a.sealed(c))
		},
		drop: dropFrom(table, "id"),
	}
}

func init() {
	kindHandlers[api.KindDuplicate] = docKind(api.KindDuplicate, func() any { return &model.DuplicateFlag{} })
	kindHandlers[api.KindDeadline] = docKind(api.KindDeadline, func() any { return &model.Deadlines{} })
	kindHandlers[api.KindRuleSet] = docKind(api.KindRuleSet, func() any { return &model.RuleSet{} })
	kindHandlers[api.KindReturnReason] = docKind(api.KindReturnReason, func() any { return &model.ReturnReason{} })
}

// DuplicateFlag is the server's BEY-5 flag on an application, if any.
func (s *Store) DuplicateFlag(ctx context.Context, appID string) (model.DuplicateFlag, bool, error) {
	var f model.DuplicateFlag
	ok, err := s.record(ctx, s.reader, api.KindDuplicate, appID, &f)
	return f, ok, err
}

// Deadlines are the city office's dates for year (BEY-6), if set.
func (s *Store) Deadlines(ctx context.Context, year int) (model.Deadlines, bool, error) {
	var d model.Deadlines
	ok, err := s.record(ctx, s.reader, api.KindDeadline, strconv.Itoa(year), &d)
	return d, ok, err
}

// CurrentDeadlines are the deadlines of the latest year that has a deadline
// on or after today, else of the latest year set; false when none is set.
func (s *Store) CurrentDeadlines(ctx context.Context, today model.Date) (model.Deadlines, bool, error) {
	all, err := queryRecords[model.Deadlines](ctx, s, api.KindDeadline, `SELECT id, data FROM deadlines ORDER BY CAST(id AS INTEGER)`)
	if err != nil || len(all) == 0 {
		return model.Deadlines{}, false, err
	}
	for _, d := range all {
		if _, _, ok := d.Next(today); ok {
			return d, true, nil
		}
	}
	return all[len(all)-1], true, nil
}

// RuleSet is the eligibility rule set of a series and level (BEY-4), if any.
func (s *Store) RuleSet(ctx context.Context, series model.Series, level model.Level) (model.RuleSet, bool, error) {
	var r model.RuleSet
	ok, err := s.record(ctx, s.reader, api.KindRuleSet, model.RuleSetID(series, level), &r)
	return r, ok, err
}

// ReturnReasons are the department's 一次性告知 checklist items, by material
// in model.AllMaterials' order (the order of the default list and of the
// 不通过 dialog), then position (sorted here: the records are sealed).
func (s *Store) ReturnReasons(ctx context.Context) ([]model.ReturnReason, error) {
	all, err := queryRecords[model.ReturnReason](ctx, s, api.KindReturnReason, `SELECT id, data FROM return_reasons`)
	if err != nil {
		return nil, fmt.Errorf("read return reasons: %w", err)
	}
	slices.SortFunc(all, func(a, b model.ReturnReason) int {
		order := func(m model.Material) int { return slices.Index(model.AllMaterials, m) }
		return cmp.Or(cmp.Compare(order(a.Material), order(b.Material)), cmp.Compare(a.Position, b.Position), cmp.Compare(a.ID, b.ID))
	})
	return all, nil
}

// DeadlineCounts counts, for the applications of year, those unitID holds
// in each of stages, and — for StageReturned — those it returned that wait
// with their applicants (BEY-6: the work a deadline would find undone).
func (s *Store) DeadlineCounts(ctx context.Context, unitID string, year int, stages []model.Stage) (map[model.Stage]int, error) {
	out := map[model.Stage]int{}
	for _, st := range stages {
		q := `SELECT COUNT(*) FROM applications WHERE holder_unit_id = ? AND stage = ? AND year = ?`
		args := []any{unitID, string(st), year}
		if st == model.StageReturned {
			q = `SELECT COUNT(*) FROM reviewed_by r JOIN applications a ON a.id = r.application_id
				WHERE r.unit_id = ? AND a.stage = ? AND a.year = ?`
		}
		var n int
		if err := s.reader.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			return nil, fmt.Errorf("deadline counts: %w", err)
		}
		out[st] = n
	}
	return out, nil
}
