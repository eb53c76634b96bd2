package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"titledesk/api"
	"titledesk/model"
)

// The rule documents of BEY-3..6 as the feed brings them: each kind is one
// table of (id, version, data) with the model type's JSON.

// docKind handles one such kind; v is a pointer to the model type, used to
// refuse malformed data before it is stored.
func docKind(table string, v func() any) kindHandler {
	upsert := `INSERT INTO ` + table + `(id, version, data) VALUES(?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET version = excluded.version, data = excluded.data`
	return kindHandler{
		upsert: func(a *applier, c api.Change) error {
			if err := decode(c, v()); err != nil {
				return err
			}
			return a.exec(upsert, c.ID, c.Version, string(c.Data))
		},
		drop: dropFrom(table, "id"),
	}
}

func init() {
	kindHandlers[api.KindDuplicate] = docKind("duplicate_flags", func() any { return &model.DuplicateFlag{} })
	kindHandlers[api.KindDeadline] = docKind("deadlines", func() any { return &model.Deadlines{} })
	kindHandlers[api.KindRuleSet] = docKind("rule_sets", func() any { return &model.RuleSet{} })
	kindHandlers[api.KindReturnReason] = docKind("return_reasons", func() any { return &model.ReturnReason{} })
}

// DuplicateFlag is the server's BEY-5 flag on an application, if any.
func (s *Store) DuplicateFlag(ctx context.Context, appID string) (model.DuplicateFlag, bool, error) {
	var f model.DuplicateFlag
	ok, err := s.doc(ctx, &f, `SELECT data FROM duplicate_flags WHERE id = ?`, appID)
	return f, ok, err
}

// Deadlines are the city office's dates for year (BEY-6), if set.
func (s *Store) Deadlines(ctx context.Context, year int) (model.Deadlines, bool, error) {
	var d model.Deadlines
	ok, err := s.doc(ctx, &d, `SELECT data FROM deadlines WHERE id = ?`, strconv.Itoa(year))
	return d, ok, err
}

// CurrentDeadlines are the deadlines of the latest year that has a deadline
// on or after today, else of the latest year set; false when none is set.
func (s *Store) CurrentDeadlines(ctx context.Context, today model.Date) (model.Deadlines, bool, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT data FROM deadlines ORDER BY CAST(id AS INTEGER)`)
	if err != nil {
		return model.Deadlines{}, false, fmt.Errorf("read deadlines: %w", err)
	}
	all, err := scanJSON[model.Deadlines](rows)
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
	ok, err := s.doc(ctx, &r, `SELECT data FROM rule_sets WHERE id = ?`, model.RuleSetID(series, level))
	return r, ok, err
}

// ReturnReasons are the department's 一次性告知 checklist items, by position.
func (s *Store) ReturnReasons(ctx context.Context) ([]model.ReturnReason, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT data FROM return_reasons
		ORDER BY json_extract(data, '$.material'), json_extract(data, '$.position'), id`)
	if err != nil {
		return nil, fmt.Errorf("read return reasons: %w", err)
	}
	return scanJSON[model.ReturnReason](rows)
}

func (s *Store) doc(ctx context.Context, v any, query string, args ...any) (bool, error) {
	var data []byte
	err := s.reader.QueryRowContext(ctx, query, args...).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("decode: %w", err)
	}
	return true, nil
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
