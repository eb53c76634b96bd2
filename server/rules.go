package server

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"titledesk/api"
	"titledesk/model"
)

// Rules the city office maintains as data and every client receives through
// the feed: eligibility rule sets (BEY-4) and a year's deadlines (BEY-6).

// putDoc stores one document of a rules table with the next version and
// announces it to everyone.
func (t *txn) putDoc(ctx context.Context, table, kind, id string, v any) error {
	var version int64
	if err := t.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM `+table+` WHERE id = ?`, id).
		Scan(&version); err != nil {
		return fmt.Errorf("%s version: %w", kind, err)
	}
	if err := t.exec(ctx, `INSERT INTO `+table+`(id, version, data) VALUES (?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET version = excluded.version, data = excluded.data`, id, version, mustJSON(v)); err != nil {
		return fmt.Errorf("save %s: %w", kind, err)
	}
	return t.emit(ctx, kind, id, api.OpUpsert, version, []string{viewerAll})
}

// loadRuleSets stores the built-in rule sets (model.DefaultRuleSets) whose
// series and level have none yet: a newer binary adds rules, never replaces
// what the city office imported.
func (s *Server) loadRuleSets(ctx context.Context) error {
	return s.write(ctx, func(t *txn) error {
		for _, r := range model.DefaultRuleSets() {
			id := model.RuleSetID(r.Series, r.Level)
			var n int
			if err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM rule_sets WHERE id = ?`, id).Scan(&n); err != nil {
				return fmt.Errorf("rule sets: %w", err)
			}
			if n == 0 {
				if err := t.putDoc(ctx, "rule_sets", api.KindRuleSet, id, r); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ImportRuleSets stores rule sets read by model.ParseRuleSets (admin rules
// import), each replacing the one of its series and level; audited.
func (s *Server) ImportRuleSets(ctx context.Context, sets []model.RuleSet) error {
	return s.write(ctx, func(t *txn) error {
		for _, r := range sets {
			if err := r.Validate(); err != nil {
				return err
			}
			id := model.RuleSetID(r.Series, r.Level)
			if err := t.putDoc(ctx, "rule_sets", api.KindRuleSet, id, r); err != nil {
				return err
			}
			if err := t.auditAdmin(ctx, s.cfg.Operator, "rules-import", id, r.Source); err != nil {
				return err
			}
		}
		return nil
	})
}

// RuleSets lists the stored rule sets by id.
func (s *Server) RuleSets(ctx context.Context) ([]model.RuleSet, error) {
	var out []model.RuleSet
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT data FROM rule_sets ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var data []byte
			var r model.RuleSet
			if err := rows.Scan(&data); err != nil {
				return err
			}
			if err := decodeJSON(data, &r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("rule sets: %w", err)
	}
	return out, nil
}

// SetDeadlines sets a year's deadlines (admin deadlines set); audited.
func (s *Server) SetDeadlines(ctx context.Context, d model.Deadlines) error {
	if err := d.Validate(); err != nil {
		return err
	}
	id := strconv.Itoa(d.Year)
	return s.write(ctx, func(t *txn) error {
		if err := t.putDoc(ctx, "deadlines", api.KindDeadline, id, d); err != nil {
			return err
		}
		return t.auditAdmin(ctx, s.cfg.Operator, "deadlines-set", id,
			fmt.Sprintf("申报截止 %s 单位审核截止 %s 呈报截止 %s", d.ApplyBy, d.UnitReviewBy, d.SubmitBy))
	})
}

// Deadlines is a year's deadlines, if set.
func (s *Server) Deadlines(ctx context.Context, year int) (model.Deadlines, bool, error) {
	var d model.Deadlines
	ok, err := loadJSON(ctx, s.reader, &d, `SELECT data FROM deadlines WHERE id = ?`, strconv.Itoa(year))
	return d, ok, err
}
