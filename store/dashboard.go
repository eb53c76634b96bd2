package store

import (
	"context"
	"database/sql"
	"fmt"

	"titledesk/api"
	"titledesk/model"
)

// DashboardTop is how many entries of each group 首页 lists (HOME-4).
const DashboardTop = 5

// Dashboard is what 首页 shows.
type Dashboard struct {
	Unit            model.Unit          // 单位基本信息 card (HOME-1)
	Counts          map[model.Stage]int // per department queue
	FirstReview     int                 // 待初审: 本单位 + 下级单位人员审核
	SecondReview    int                 // 待复审: 待呈报 + 自主聘任 + 以考代评
	FirstReviewTop  []QueueRow          // the oldest DashboardTop of 待初审 (Row.Stage names its list)
	SecondReviewTop []QueueRow          // the oldest DashboardTop of 待复审
	Unread          int                 // unread inbound messages (HOME-3)
	// EconomicsWarning: the unit has 经济系列 applicants and a HOME-2 field
	// is empty; MissingFields names them (unit form keys).
	EconomicsWarning bool
	MissingFields    []string
}

// Dashboard reads 首页 for unitID in one snapshot: a grouped count over the
// queue index, five short index-ordered reads, and two point lookups.
func (s *Store) Dashboard(ctx context.Context, unitID string) (Dashboard, error) {
	d := Dashboard{Counts: map[model.Stage]int{}}
	keys, err := s.keyring()
	if err != nil {
		return d, err
	}
	err = s.read(ctx, func(tx *sql.Tx) error {
		if err := dashboardCounts(ctx, tx, unitID, &d); err != nil {
			return err
		}
		if err := dashboardTops(ctx, keys, tx, unitID, &d); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE inbound = 1 AND unread = 1`).Scan(&d.Unread); err != nil {
			return fmt.Errorf("count unread: %w", err)
		}
		return s.dashboardUnit(ctx, tx, unitID, &d)
	})
	return d, err
}

func dashboardCounts(ctx context.Context, tx *sql.Tx, unitID string, d *Dashboard) error {
	rows, err := tx.QueryContext(ctx, `SELECT stage, COUNT(*) FROM applications WHERE holder_unit_id = ? GROUP BY stage`, unitID)
	if err != nil {
		return fmt.Errorf("count queues: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			st model.Stage
			n  int
		)
		if err := rows.Scan(&st, &n); err != nil {
			return err
		}
		switch {
		case st.IsFirstReview():
			d.FirstReview += n
		case st.IsSecondReview():
			d.SecondReview += n
		default:
			continue
		}
		d.Counts[st] = n
	}
	return rows.Err()
}

// dashboardTops reads the oldest few of each queue (index order, no sort)
// and merges them per group.
func dashboardTops(ctx context.Context, keys *keyring, tx *sql.Tx, unitID string, d *Dashboard) error {
	for _, st := range model.DepartmentQueues {
		if d.Counts[st] == 0 {
			continue
		}
		rows, _, err := queryQueueRows(ctx, keys, tx, unitID, false, queueSelect+`FROM applications a
			WHERE a.holder_unit_id = ? AND a.stage = ? ORDER BY a.submitted_at, a.id LIMIT ?`, unitID, string(st), DashboardTop)
		if err != nil {
			return err
		}
		if st.IsFirstReview() {
			d.FirstReviewTop = mergeOldest(d.FirstReviewTop, rows)
		} else {
			d.SecondReviewTop = mergeOldest(d.SecondReviewTop, rows)
		}
	}
	return nil
}

func mergeOldest(a, b []QueueRow) []QueueRow {
	out := make([]QueueRow, 0, DashboardTop)
	for len(out) < DashboardTop && (len(a) > 0 || len(b) > 0) {
		if len(b) == 0 || (len(a) > 0 && !b[0].SubmittedAt.Before(a[0].SubmittedAt)) {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}

func (s *Store) dashboardUnit(ctx context.Context, tx *sql.Tx, unitID string, d *Dashboard) error {
	ok, err := s.record(ctx, tx, api.KindUnit, unitID, &d.Unit)
	if err != nil {
		return fmt.Errorf("read unit: %w", err)
	}
	if !ok {
		return nil // not synced yet: the card stays empty
	}
	econ := d.Unit.HasEconomicsApplicants
	if !econ {
		err := tx.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM applications WHERE unit_id = ? AND series = ?)`,
			unitID, string(model.SeriesEconomics)).Scan(&econ)
		if err != nil {
			return fmt.Errorf("check economics applicants: %w", err)
		}
	}
	if econ {
		d.MissingFields = missingEconomicsFields(d.Unit)
		d.EconomicsWarning = len(d.MissingFields) > 0
	}
	return nil
}

// missingEconomicsFields lists the empty HOME-2 fields by their form keys.
func missingEconomicsFields(u model.Unit) []string {
	var out []string
	if u.EconomicType == "" {
		out = append(out, "economic_type")
	}
	if u.Industry == "" {
		out = append(out, "industry")
	}
	if u.StaffCount <= 0 {
		out = append(out, "staff_count")
	}
	if u.Revenue == "" {
		out = append(out, "revenue")
	}
	return out
}
