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

// loadRuleSets brings the stored rule sets in line with the built-in ones
// (model.DefaultRuleSets) at start, leaving every set the city office
// imported as it is: a built-in set missing or changed since an older
// version is stored anew, and one this version no longer ships (its rule
// could not be confirmed) is withdrawn. A set counts as imported when the
// audit log holds a rules-import of its id, so a restored backup keeps
// knowing which sets the city office chose.
func (s *Server) loadRuleSets(ctx context.Context) error {
	return s.write(ctx, func(t *txn) error {
		stored, err := t.storedRuleSets(ctx)
		if err != nil {
			return err
		}
		builtin := map[string]bool{}
		for _, r := range model.DefaultRuleSets() {
			id := model.RuleSetID(r.Series, r.Level)
			builtin[id] = true
			cur, ok := stored[id]
			if ok && (cur.data == string(mustJSON(r)) || cur.imported) {
				continue
			}
			if err := t.putDoc(ctx, "rule_sets", api.KindRuleSet, id, r); err != nil {
				return err
			}
		}
		for id, cur := range stored {
			if builtin[id] || cur.imported {
				continue
			}
			if err := t.exec(ctx, `DELETE FROM rule_sets WHERE id = ?`, id); err != nil {
				return fmt.Errorf("withdraw rule set %s: %w", id, err)
			}
			if err := t.emit(ctx, api.KindRuleSet, id, api.OpDelete, cur.version+1, []string{viewerAll}); err != nil {
				return err
			}
		}
		return nil
	})
}

type storedRuleSet struct {
	data     string
	version  int64
	imported bool // the city office imported it (audited rules-import)
}

func (t *txn) storedRuleSets(ctx context.Context) (map[string]storedRuleSet, error) {
	imported := map[string]bool{}
	rows, err := t.tx.QueryContext(ctx, `SELECT DISTINCT entity_id FROM audit_log WHERE event = ? AND command_type = ?`,
		AuditAdmin, auditRulesImport)
	if err != nil {
		return nil, fmt.Errorf("imported rule sets: %w", err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("imported rule sets: %w", err)
		}
		imported[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("imported rule sets: %w", err)
	}
	rows, err = t.tx.QueryContext(ctx, `SELECT id, version, data FROM rule_sets`)
	if err != nil {
		return nil, fmt.Errorf("rule sets: %w", err)
	}
	defer rows.Close()
	out := map[string]storedRuleSet{}
	for rows.Next() {
		var id string
		var r storedRuleSet
		if err := rows.Scan(&id, &r.version, &r.data); err != nil {
			return nil, fmt.Errorf("rule sets: %w", err)
		}
		r.imported = imported[id]
		out[id] = r
	}
	return out, rows.Err()
}

// auditRulesImport is the audit action of admin rules import.
const auditRulesImport = "rules-import"

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
			if err := t.auditAdmin(ctx, s.cfg.Operator, auditRulesImport, id, r.Source); err != nil {
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
