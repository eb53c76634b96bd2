package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"titledesk/model"
)

// ReviewedList selects 已审核列表 in QueueQuery.Stage: everything the unit
// passed or returned, whatever its stage now (REV-13).
const ReviewedList model.Stage = "reviewed"

// SortColumn is a sortable column of a review list.
type SortColumn string

const (
	SortSubmitted SortColumn = "submitted_at" // default for the five queues
	SortReturned  SortColumn = "returned_at"
	SortUpdated   SortColumn = "updated_at" // default for 已审核列表
	SortName      SortColumn = "applicant_name"
	SortUnit      SortColumn = "unit_name"
	SortSeries    SortColumn = "series"
	SortLevel     SortColumn = "level"
	SortMethod    SortColumn = "method"
	SortYear      SortColumn = "year"
	SortSpecialty SortColumn = "specialty"
)

var sortColumns = map[SortColumn]bool{SortSubmitted: true, SortReturned: true, SortUpdated: true, SortName: true,
	SortUnit: true, SortSeries: true, SortLevel: true, SortMethod: true, SortYear: true, SortSpecialty: true}

// Sort orders a list. Text sorts by code point (not pinyin).
type Sort struct {
	Column SortColumn
	Desc   bool
}

// QueueQuery filters one review list. Zero values mean "any".
type QueueQuery struct {
	Stage  model.Stage // one of model.DepartmentQueues, or ReviewedList
	Text   string      // substring of name, unit name or specialty; or an ID number (see idQuery)
	Series model.Series
	Level  model.Level
	Method model.EvaluationMethod
	Year   int
	// SubmittedFrom/To bound the submission time (inclusive, exclusive).
	SubmittedFrom, SubmittedTo time.Time
	// ReturnedMoreThanDays > 0 keeps applications returned more than that
	// many days ago and not resubmitted (已审核列表 follow-up, REV-13).
	ReturnedMoreThanDays int
	// DueYear and DueStages, when DueYear is set, keep the applications of
	// that year in those stages: the ones that would miss a deadline
	// (BEY-6; app.Reviews.List fills them for AtRisk). No stage: none.
	DueYear   int
	DueStages []model.Stage
	AtRisk    bool // 临近截止: resolved by app into DueYear/DueStages
	// IDs, when not empty, keeps only these applications (is a ticked
	// row still in the list?).
	IDs           []string
	Sort          Sort
	Offset, Limit int // Limit 0: 50
}

// Page is one page of a list and the number of rows matching in all.
type Page[T any] struct {
	Rows  []T
	Total int
}

// QueueRow is one line of a review list. Labels come from the typed values
// (row.Series.Label()); the ID number is masked, never the full one.
type QueueRow struct {
	ID             string
	ApplicantName  string
	MaskedIDNumber string
	Gender         model.Gender
	UnitName       string
	Series         model.Series
	Level          model.Level
	Method         model.EvaluationMethod
	Specialty      string
	TitleName      string
	Year           int
	Stage          model.Stage
	HolderUnitID   string
	SubmittedAt    time.Time // zero when never submitted
	ReturnedAt     time.Time // zero unless returned and not resubmitted
	Version        int64
	Pending        bool // has a queued command (待同步)
	CanWithdraw    bool // 【撤回】 is possible for the unit asking
	// IDNumber is the full ID number, set only by EachQueueRow when an
	// export asks for it (导出完整身份证号); never shown on screen.
	IDNumber string
}

// ReviewQueue is one page of a review list of unitID. Each of the five
// queues is a range of the (holder_unit_id, stage, submitted_at) index;
// 已审核列表 is a range of reviewed_by's primary key.
func (s *Store) ReviewQueue(ctx context.Context, unitID string, q QueueQuery) (Page[QueueRow], error) {
	keys, err := s.keyring()
	if err != nil {
		return Page[QueueRow]{}, err
	}
	from, where, args, err := s.queueWhere(keys, unitID, q)
	if err != nil {
		return Page[QueueRow]{}, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	pageArgs := append(args[:len(args):len(args)], limit, max(q.Offset, 0))
	var page Page[QueueRow]
	err = s.read(ctx, func(tx *sql.Tx) error {
		// A filtered 已审核列表 reads every reviewed application's row to
		// filter it and is never in index order: a window count in the page
		// query reads them once instead of twice (measured 24 → 15 ms for
		// a text search over 5,000). Elsewhere two queries: unfiltered, the
		// count is index-only (3 ms) while a window count would carry every
		// row through the sort (measured 12 → 19 ms); for the five queues it
		// makes the index-ordered first page visit every row (1 → 14 ms).
		withTotal := windowTotal(q, args)
		var err error
		page.Rows, page.Total, err = queryQueueRows(ctx, keys, tx, unitID, withTotal, pageQuery(q, from, where, withTotal), pageArgs...)
		if err != nil || withTotal && len(page.Rows) > 0 {
			return err
		}
		// No row carried the total (a page past the end) or there is none.
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) `+from+where, args...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count queue: %w", err)
		}
		return nil
	})
	return page, err
}

const queueSelect = `SELECT a.id, a.applicant_id, a.applicant_name, a.id_number, a.gender, a.unit_name, a.series, a.level, a.method,
	a.specialty, a.title_name, a.year, a.stage, a.holder_unit_id, a.submitted_at, a.returned_at, a.version,
	EXISTS(SELECT 1 FROM outbox o WHERE o.entity_id = a.id), a.withdrawable_by `

// windowTotal reports whether list q's page query carries its total (see
// ReviewQueue); args are queueWhere's.
func windowTotal(q QueueQuery, args []any) bool {
	filtered := len(args) > 1 // a condition beyond the list's own key
	return q.Stage == ReviewedList && filtered
}

// pageQuery is the page query of list q; withTotal adds the number of
// matching rows as a last column.
func pageQuery(q QueueQuery, from, where string, withTotal bool) string {
	sel := queueSelect
	if withTotal {
		sel += `, COUNT(*) OVER () `
	}
	return sel + from + where + orderBy(q) + ` LIMIT ? OFFSET ?`
}

// queueWhere builds FROM … WHERE … for q. Only fixed SQL is concatenated;
// every value is a parameter.
func (s *Store) queueWhere(keys *keyring, unitID string, q QueueQuery) (from, where string, args []any, err error) {
	var conds []string
	switch {
	case q.Stage == ReviewedList:
		from = `FROM reviewed_by r JOIN applications a ON a.id = r.application_id `
		conds, args = append(conds, `r.unit_id = ?`), append(args, unitID)
	case q.Stage.Valid():
		from = `FROM applications a `
		conds, args = append(conds, `a.holder_unit_id = ?`, `a.stage = ?`), append(args, unitID, string(q.Stage))
	default:
		return "", "", nil, fmt.Errorf("unknown review list %q", q.Stage)
	}
	add := func(cond string, v any) { conds, args = append(conds, cond), append(args, v) }
	if t := strings.TrimSpace(q.Text); t != "" {
		// Names compare by model.NameSearchKey: every separator dot and spacing are one.
		sub := "%" + escapeLike(t) + "%"
		cond := model.NameSearchSQL("a.applicant_name") + ` LIKE ? ESCAPE '\' OR a.unit_name LIKE ? ESCAPE '\' OR a.specialty LIKE ? ESCAPE '\'`
		args = append(args, "%"+escapeLike(model.NameSearchKey(t))+"%", sub, sub)
		if idCond, idArgs := idQuery(keys, "a.id_index", t); idCond != "" {
			cond += ` OR ` + idCond
			args = append(args, idArgs...)
		}
		conds = append(conds, `(`+cond+`)`)
	}
	if q.Series != "" {
		add(`a.series = ?`, string(q.Series))
	}
	if q.Level != "" {
		add(`a.level = ?`, string(q.Level))
	}
	if q.Method != "" {
		add(`a.method = ?`, string(q.Method))
	}
	if q.Year != 0 {
		add(`a.year = ?`, q.Year)
	}
	if !q.SubmittedFrom.IsZero() {
		add(`a.submitted_at >= ?`, millis(q.SubmittedFrom))
	}
	if !q.SubmittedTo.IsZero() {
		add(`a.submitted_at < ?`, millis(q.SubmittedTo))
	}
	if len(q.IDs) > 0 {
		conds = append(conds, `a.id IN (?`+strings.Repeat(`, ?`, len(q.IDs)-1)+`)`)
		for _, id := range q.IDs {
			args = append(args, id)
		}
	}
	if q.DueYear != 0 {
		if len(q.DueStages) == 0 {
			conds = append(conds, `0 = 1`)
		} else {
			add(`a.year = ?`, q.DueYear)
			conds = append(conds, `a.stage IN (?`+strings.Repeat(`, ?`, len(q.DueStages)-1)+`)`)
			for _, st := range q.DueStages {
				args = append(args, string(st))
			}
		}
	}
	if q.ReturnedMoreThanDays > 0 {
		cutoff := s.Now().Add(-time.Duration(q.ReturnedMoreThanDays) * 24 * time.Hour)
		conds = append(conds, `a.stage = 'returned'`)
		add(`a.returned_at < ?`, millis(cutoff))
	}
	return from, "WHERE " + strings.Join(conds, " AND ") + " ", args, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func orderBy(q QueueQuery) string {
	col := q.Sort.Column
	if !sortColumns[col] {
		col = SortSubmitted
		if q.Stage == ReviewedList {
			col = SortUpdated
		}
	}
	dir := " ASC"
	if q.Sort.Desc {
		dir = " DESC"
	}
	return "ORDER BY a." + string(col) + dir + ", a.id" + dir
}

// queryQueueRows reads queue rows; withTotal reads the window count
// pageQuery adds for 已审核列表.
func queryQueueRows(ctx context.Context, keys *keyring, q queryer, unitID string, withTotal bool, query string, args ...any) (out []QueueRow, total int, err error) {
	out = []QueueRow{}
	err = scanQueueRows(ctx, keys, q, unitID, withTotal, false, query, args, func(r QueueRow, n int) error {
		out, total = append(out, r), n
		return nil
	})
	return out, total, err
}

// scanQueueRows runs a queue query and hands each row to fn with the
// window total (when withTotal). The ID number is opened from its sealed
// column and masked; fullID keeps the whole number too.
func scanQueueRows(ctx context.Context, keys *keyring, q queryer, unitID string, withTotal, fullID bool, query string, args []any,
	fn func(r QueueRow, total int) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read queue: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r                           QueueRow
			applicantID, withdrawableBy string
			idn                         []byte
			sub, ret                    sql.NullInt64
			total                       int
		)
		dest := []any{&r.ID, &applicantID, &r.ApplicantName, &idn, &r.Gender, &r.UnitName, &r.Series, &r.Level, &r.Method,
			&r.Specialty, &r.TitleName, &r.Year, &r.Stage, &r.HolderUnitID, &sub, &ret, &r.Version, &r.Pending,
			&withdrawableBy}
		if withTotal {
			dest = append(dest, &total)
		}
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("read queue: %w", err)
		}
		if len(idn) > 0 {
			n, err := keys.openString(purposeIDNumber, applicantID, idn)
			if err != nil {
				return fmt.Errorf("read queue: %w", err)
			}
			r.MaskedIDNumber = model.MaskIDNumber(n)
			if fullID {
				r.IDNumber = n
			}
		}
		r.SubmittedAt, r.ReturnedAt = fromMillis(sub), fromMillis(ret)
		r.CanWithdraw = withdrawableBy != "" && withdrawableBy == unitID
		if err := fn(r, total); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachQueueRow reads the whole review list q of unitID in its order, in
// one statement and one read transaction (no pages), calling fn for each
// row; total is the number of rows, counted first, so progress can be
// shown. Offset and Limit are ignored. With fullID each row also carries
// its full ID number (QueueRow.IDNumber) — only for an export the person
// asked to hold them (导出完整身份证号). fn's error stops the read and is
// returned as is; so is the context's.
func (s *Store) EachQueueRow(ctx context.Context, unitID string, q QueueQuery, fullID bool,
	fn func(r QueueRow, total int) error) error {
	keys, err := s.keyring()
	if err != nil {
		return err
	}
	from, where, args, err := s.queueWhere(keys, unitID, q)
	if err != nil {
		return err
	}
	return s.read(ctx, func(tx *sql.Tx) error {
		var total int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) `+from+where, args...).Scan(&total); err != nil {
			return fmt.Errorf("count queue: %w", err)
		}
		return scanQueueRows(ctx, keys, tx, unitID, false, fullID, queueSelect+from+where+orderBy(q), args,
			func(r QueueRow, _ int) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				return fn(r, total)
			})
	})
}
