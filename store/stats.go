package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"titledesk/model"
)

// StatDimension is what 查询统计 groups applications by (STAT-1).
type StatDimension string

const (
	DimYear      StatDimension = "year"      // 年度: the application's year
	DimSeries    StatDimension = "series"    // 职称系列 (model.Series code)
	DimLevel     StatDimension = "level"     // 级别 (model.Level code)
	DimMethod    StatDimension = "method"    // 评价方式 (model.EvaluationMethod code)
	DimOutcome   StatDimension = "outcome"   // 审核结果 (model.Outcome code)
	DimUnit      StatDimension = "unit"      // 工作单位, rolled up: a unit counts its whole subtree
	DimEducation StatDimension = "education" // 学历 as submitted (the application's frozen record; "" when empty)
)

// AllStatDimensions in the order the screen offers them.
var AllStatDimensions = []StatDimension{DimYear, DimSeries, DimLevel, DimMethod, DimOutcome, DimUnit, DimEducation}

var dimLabels = map[StatDimension]string{DimYear: "年度", DimSeries: "职称系列", DimLevel: "级别", DimMethod: "评价方式",
	DimOutcome: "审核结果", DimUnit: "工作单位", DimEducation: "学历"}

// Valid reports whether d is one of AllStatDimensions.
func (d StatDimension) Valid() bool { _, ok := dimLabels[d]; return ok }

// Label is the Chinese name of the dimension (a column heading).
func (d StatDimension) Label() string {
	if l, ok := dimLabels[d]; ok {
		return l
	}
	return string(d)
}

// StatsFilter narrows the statistics; zero values mean "any".
type StatsFilter struct {
	// YearFrom and YearTo bound the application year, both inclusive.
	YearFrom, YearTo int
	// UnitID narrows to that unit's subtree, which must lie in the
	// department's own; "" is the department's whole subtree.
	UnitID string
	Series model.Series
	Level  model.Level
	Method model.EvaluationMethod
}

// StatCount is one cell of a count: the keys of the dimensions asked for, in
// their order (codes, years as decimal text, unit IDs), and how many
// applications share them.
type StatCount struct {
	Keys  []string
	Count int
}

// CountApplications counts the applications of deptID's subtree that were
// submitted at least once (drafts are the applicant's business), narrowed
// by f, grouped by up to two dimensions; none gives the single total. It is
// one SQL statement over the cache: the closure table for the subtree, the
// typed application columns (学历 from the record frozen at submission), and the rule of
// model.Outcome (relative to deptID) for 审核结果. By DimUnit an application
// counts for its unit and every ancestor of it inside the filtered subtree.
// A filter unit outside deptID's subtree is refused (model error, not found).
func (s *Store) CountApplications(ctx context.Context, deptID string, f StatsFilter, dims ...StatDimension) ([]StatCount, error) {
	query, args, err := countQuery(deptID, f, dims)
	if err != nil {
		return nil, err
	}
	out := []StatCount{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		if f.UnitID != "" && f.UnitID != deptID {
			var in bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM unit_tree WHERE ancestor = ? AND descendant = ?)`,
				deptID, f.UnitID).Scan(&in); err != nil {
				return fmt.Errorf("count applications: %w", err)
			}
			if !in {
				return model.Errorf(model.KindNotFound, model.CodeNotFound, "单位不在统计范围内",
					"只能统计本单位及下级单位的申报情况")
			}
		}
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("count applications: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			c := StatCount{Keys: make([]string, len(dims))}
			dest := make([]any, 0, len(dims)+1)
			for i := range c.Keys {
				dest = append(dest, &c.Keys[i])
			}
			if err := rows.Scan(append(dest, &c.Count)...); err != nil {
				return fmt.Errorf("count applications: %w", err)
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// outcomeSQL is model.Outcome's rule over the application columns, for the
// department :dept (see model.Outcome for each case).
const outcomeSQL = `CASE
		WHEN a.stage = 'certified' THEN 'certified'
		WHEN a.stage = 'returned' THEN CASE WHEN a.returned_by = :dept THEN 'rejected' ELSE 'returned' END
		WHEN a.holder_unit_id IN (SELECT descendant FROM unit_tree WHERE ancestor = :dept) THEN 'in_review'
		ELSE 'passed' END`

// countQuery builds CountApplications' statement; only fixed SQL is
// concatenated, every value is a parameter.
func countQuery(deptID string, f StatsFilter, dims []StatDimension) (string, []any, error) {
	if len(dims) > 2 || len(dims) == 2 && dims[0] == dims[1] {
		return "", nil, fmt.Errorf("count applications: dimensions %v: at most two different ones", dims)
	}
	root := f.UnitID
	if root == "" {
		root = deptID
	}
	args := []any{sql.Named("root", root)}
	from := `FROM unit_tree t JOIN applications a ON a.unit_id = t.descendant `
	conds := []string{`t.ancestor = :root`, `a.stage <> 'draft'`}
	var cols []string
	for _, d := range dims {
		switch d {
		case DimYear:
			cols = append(cols, `CAST(a.year AS TEXT)`)
		case DimSeries, DimLevel, DimMethod:
			cols = append(cols, `a.`+string(d))
		case DimOutcome:
			cols = append(cols, outcomeSQL)
			args = append(args, sql.Named("dept", deptID))
		case DimEducation:
			// The record frozen at submission (SEC-1); the applicant's
			// current one only for an application cached without it.
			from += `LEFT JOIN applicants p ON p.id = a.applicant_id `
			cols = append(cols, `CASE WHEN a.education <> '' THEN trim(a.education) ELSE coalesce(p.education, '') END`)
		case DimUnit:
			// Every ancestor of the application's unit that lies in the
			// filtered subtree (the unit itself included) gets it.
			from += `JOIN unit_tree r ON r.descendant = a.unit_id
				AND r.ancestor IN (SELECT descendant FROM unit_tree WHERE ancestor = :root) `
			cols = append(cols, `r.ancestor`)
		default:
			return "", nil, fmt.Errorf("count applications: unknown dimension %q", d)
		}
	}
	add := func(cond string, v any) { conds, args = append(conds, cond), append(args, v) }
	if f.YearFrom != 0 {
		add(`a.year >= :year_from`, sql.Named("year_from", f.YearFrom))
	}
	if f.YearTo != 0 {
		add(`a.year <= :year_to`, sql.Named("year_to", f.YearTo))
	}
	if f.Series != "" {
		add(`a.series = :series`, sql.Named("series", string(f.Series)))
	}
	if f.Level != "" {
		add(`a.level = :level`, sql.Named("level", string(f.Level)))
	}
	if f.Method != "" {
		add(`a.method = :method`, sql.Named("method", string(f.Method)))
	}
	sel, group := "SELECT ", ""
	for i, c := range cols {
		sel += c + " AS k" + fmt.Sprint(i) + ", "
		if i > 0 {
			group += ", "
		}
		group += "k" + fmt.Sprint(i)
	}
	query := sel + `COUNT(*) ` + from + `WHERE ` + strings.Join(conds, " AND ")
	if group != "" {
		query += ` GROUP BY ` + group
	}
	return query, args, nil
}
