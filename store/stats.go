package store

import (
	"context"
	"fmt"
	"strings"

	"titledesk/model"
)

// StatResult is the outcome column of the statistics (STAT-1).
type StatResult string

const (
	ResultCertified  StatResult = "certified"   // 已发证
	ResultReturned   StatResult = "returned"    // 退回修改
	ResultInProgress StatResult = "in_progress" // 审核中
)

// Label is the Chinese column heading.
func (r StatResult) Label() string {
	switch r {
	case ResultCertified:
		return "已发证"
	case ResultReturned:
		return "退回修改"
	case ResultInProgress:
		return "审核中"
	}
	return string(r)
}

// StatsFilter narrows the statistics; zero values mean "any".
type StatsFilter struct {
	Year   int
	Series model.Series
	Level  model.Level
	Method model.EvaluationMethod
}

// StatRow is one cell group: how many applications share these values.
type StatRow struct {
	Year   int
	Series model.Series
	Level  model.Level
	Method model.EvaluationMethod
	Result StatResult
	Count  int
}

// Statistics counts the applications of unitID's whole subtree (submitted
// ones: drafts are the applicant's business) by year × series × level ×
// method × result. It walks the closure table, then applications by unit.
func (s *Store) Statistics(ctx context.Context, unitID string, f StatsFilter) ([]StatRow, error) {
	query, args := statsQuery(unitID, f)
	rows, err := s.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read statistics: %w", err)
	}
	defer rows.Close()
	out := []StatRow{}
	for rows.Next() {
		var r StatRow
		if err := rows.Scan(&r.Year, &r.Series, &r.Level, &r.Method, &r.Result, &r.Count); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// statsQuery builds the statistics query; only fixed SQL is concatenated.
func statsQuery(unitID string, f StatsFilter) (string, []any) {
	conds := []string{`t.ancestor = ?`, `a.stage <> 'draft'`}
	args := []any{unitID}
	add := func(cond string, v any) { conds, args = append(conds, cond), append(args, v) }
	if f.Year != 0 {
		add(`a.year = ?`, f.Year)
	}
	if f.Series != "" {
		add(`a.series = ?`, string(f.Series))
	}
	if f.Level != "" {
		add(`a.level = ?`, string(f.Level))
	}
	if f.Method != "" {
		add(`a.method = ?`, string(f.Method))
	}
	query := `SELECT a.year, a.series, a.level, a.method,
			CASE a.stage WHEN 'certified' THEN 'certified' WHEN 'returned' THEN 'returned' ELSE 'in_progress' END AS result,
			COUNT(*)
		FROM unit_tree t JOIN applications a ON a.unit_id = t.descendant
		WHERE ` + strings.Join(conds, " AND ") + `
		GROUP BY a.year, a.series, a.level, a.method, result
		ORDER BY a.year DESC, a.series, a.level, a.method, result`
	return query, args
}
