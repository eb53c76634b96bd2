package store

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"titledesk/model"
)

// applicationRow is what the cache derives from an application record: the
// typed columns the lists filter and sort on, who may 撤回 it and which
// units reviewed it. It is derived in Go by a slim scanner that reads only
// these fields (see decodeApplicationRow), not a full model.Application.
type applicationRow struct {
	applicantID, unitID, holderUnitID, stage string
	series, level, method                    string
	specialty, titleName                     string
	year                                     int64
	submittedAt, returnedAt                  sql.NullInt64
	updatedAt                                int64
	// withdrawableBy mirrors model.Application.CanWithdraw: the unit whose
	// pass is the last step, while the application still sits where that
	// pass put it.
	withdrawableBy string
	// reviewers is the 已审核列表 units (every unit that passed or returned
	// it, first appearance first) as a JSON array; reviewed_by follows it.
	reviewers string
	// returnedBy is the unit of the newest 不通过 step ("" if none): it
	// tells 不通过 from 退回 in the statistics (model.Outcome).
	returnedBy string
	// education is 学历 of the applicant's record frozen at submission
	// (Application.Applicant, SEC-1), "" without one: what 查询统计
	// counts by 学历.
	education string
	// snapshot reports an applicant record frozen at submission
	// (Application.Applicant, SEC-1); the list columns then show its name,
	// ID number and gender — what the application was decided on — and
	// not the live record's, which a city office correction may change.
	snapshot                           bool
	snapName, snapIDNumber, snapGender string
}

// flowStepFields are the parts of a flow step the columns need.
type flowStepFields struct {
	unitID, action, toStage, toHolder string
	hasToStage                        bool // SQL compared a missing to_stage as unequal to anything
}

// decodeApplicationRow derives an application's columns from its record,
// column for column as the SQL derivation it replaced (a test and a fuzz
// target check it against that SQL): a missing or null applicant_id,
// unit_id, stage, series, level or method is an error (those columns are
// NOT NULL); other missing fields read as empty or zero; of a repeated key
// the first wins; a time not in the feed's form (parseFeedTime) reads as
// NULL (updated_at as 0). One difference, not in what the feed sends: the
// record must be strict JSON (jsonb() also took JSON5).
func decodeApplicationRow(data []byte) (applicationRow, error) {
	var (
		r      applicationRow
		seen   uint32 // members read so far: the first of a repeated key wins, as in SQLite
		nulls  uint32 // members that were null (missing, for ->>)
		last   flowStepFields
		nSteps int
		revs   [8]string // reviewer units; more spill to the heap
		units  = revs[:0]
	)
	const (
		fApplicant = 1 << iota
		fUnit
		fStage
		fSeries
		fLevel
		fMethod
		fHolder
		fSpecialty
		fTitle
		fYear
		fSubmitted
		fReturned
		fUpdated
		fFlow
		fSnapshot
		required = fApplicant | fUnit | fStage | fSeries | fLevel | fMethod
	)
	s := &jsonScanner{b: data}
	// first reports whether bit is read for the first time, marking it.
	first := func(seen *uint32, bit uint32) bool {
		if *seen&bit != 0 {
			return false
		}
		*seen |= bit
		return true
	}
	// str reads a string or null member into *dst; null leaves it unset.
	str := func(dst *string) (isNull bool, err error) {
		if s.null() {
			return true, nil
		}
		*dst, err = s.str()
		return false, err
	}
	// field reads the top-level string member bit unless already read.
	field := func(dst *string, bit uint32) error {
		if !first(&seen, bit) {
			return s.skip(1)
		}
		isNull, err := str(dst)
		if isNull {
			nulls |= bit
		}
		return err
	}
	timeMillis := func(dst *sql.NullInt64, bit uint32) error {
		var v string
		if err := field(&v, bit); err != nil || v == "" {
			return err
		}
		if ms, ok := parseFeedTime(v); ok {
			*dst = sql.NullInt64{Int64: ms, Valid: true}
		}
		return nil
	}
	// members reads the string members named keys of a nested object into
	// dsts (the first of a repeated key wins; null leaves it unset) and
	// reports which were read as strings (bit i for keys[i]).
	members := func(keys []string, dsts ...*string) (present uint32, err error) {
		var read uint32
		err = s.object(1, func(k []byte) error {
			for i, key := range keys {
				if string(k) != key {
					continue
				}
				if !first(&read, 1<<i) {
					break
				}
				isNull, err := str(dsts[i])
				if !isNull {
					present |= 1 << i
				}
				return err
			}
			return s.skip(2)
		})
		return present, err
	}
	stepKeys := []string{"unit_id", "action", "to_stage", "to_holder"}
	snapshotKeys := []string{"education", "name", "id_number", "gender"}
	step := func() error {
		var st flowStepFields
		present, err := members(stepKeys, &st.unitID, &st.action, &st.toStage, &st.toHolder)
		if err != nil {
			return err
		}
		st.hasToStage = present&4 != 0
		if (st.action == string(model.ActionPass) || st.action == string(model.ActionReject)) && st.unitID != "" &&
			!contains(units, st.unitID) {
			units = append(units, st.unitID)
		}
		if st.action == string(model.ActionReject) {
			r.returnedBy = st.unitID
		}
		last, nSteps = st, nSteps+1
		return nil
	}
	err := s.object(0, func(k []byte) error {
		switch string(k) {
		case "applicant_id":
			return field(&r.applicantID, fApplicant)
		case "unit_id":
			return field(&r.unitID, fUnit)
		case "holder_unit_id":
			return field(&r.holderUnitID, fHolder)
		case "stage":
			return field(&r.stage, fStage)
		case "series":
			return field(&r.series, fSeries)
		case "level":
			return field(&r.level, fLevel)
		case "method":
			return field(&r.method, fMethod)
		case "specialty":
			return field(&r.specialty, fSpecialty)
		case "title_name":
			return field(&r.titleName, fTitle)
		case "year":
			if !first(&seen, fYear) {
				return s.skip(1)
			}
			if s.null() {
				return nil
			}
			num, err := s.number()
			if err != nil {
				return err
			}
			r.year, err = jsonInt(num)
			return err
		case "submitted_at":
			return timeMillis(&r.submittedAt, fSubmitted)
		case "returned_at":
			return timeMillis(&r.returnedAt, fReturned)
		case "updated_at":
			var t sql.NullInt64
			err := timeMillis(&t, fUpdated)
			r.updatedAt = t.Int64
			return err
		case "applicant":
			if !first(&seen, fSnapshot) || s.peek() != '{' {
				return s.skip(1) // repeated, null or not an object: no snapshot
			}
			r.snapshot = true
			_, err := members(snapshotKeys, &r.education, &r.snapName, &r.snapIDNumber, &r.snapGender)
			return err
		case "flow":
			if !first(&seen, fFlow) {
				return s.skip(1)
			}
			if s.null() {
				return nil
			}
			return s.array(1, step)
		}
		return s.skip(1)
	})
	if err == nil {
		err = s.end()
	}
	if err != nil {
		return applicationRow{}, err
	}
	if missing := required &^ (seen &^ nulls); missing != 0 {
		return applicationRow{}, fmt.Errorf("application record lacks %s", missingField(missing))
	}
	if nSteps > 0 && last.action == string(model.ActionPass) && last.hasToStage && last.toStage == r.stage &&
		last.toHolder == r.holderUnitID {
		r.withdrawableBy = last.unitID
	}
	r.reviewers = jsonStringArray(units)
	return r, nil
}

func missingField(bits uint32) string {
	for i, name := range []string{"applicant_id", "unit_id", "stage", "series", "level", "method"} {
		if bits&(1<<i) != 0 {
			return name
		}
	}
	return "a field"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// jsonInt reads a JSON number as an integer (a fraction is truncated).
func jsonInt(num []byte) (int64, error) {
	if n, err := strconv.ParseInt(string(num), 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil {
		return 0, fmt.Errorf("%w: number %s", errJSONSyntax, num)
	}
	return int64(f), nil
}

// jsonQuote quotes s as a JSON string the way SQLite does: other bytes,
// UTF-8 or not, are kept as they are.
func jsonQuote(s string) string {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\b':
			b = append(b, `\b`...)
		case c == '\f':
			b = append(b, `\f`...)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '\r':
			b = append(b, `\r`...)
		case c == '\t':
			b = append(b, `\t`...)
		case c < 0x20:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		default:
			b = append(b, c)
		}
	}
	return string(append(b, '"'))
}

// jsonStringArray encodes list as SQLite's json_group_array would: no spaces.
func jsonStringArray(list []string) string {
	if len(list) == 0 {
		return "[]"
	}
	var b strings.Builder
	b.Grow(len(list) * 39)
	b.WriteByte('[')
	for i, s := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(jsonQuote(s))
	}
	b.WriteByte(']')
	return b.String()
}
