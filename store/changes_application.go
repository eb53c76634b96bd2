package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

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
}

// flowStepFields are the parts of a flow step the columns need.
type flowStepFields struct {
	unitID, action, toStage, toHolder string
}

// decodeApplicationRow derives an application's columns from its record.
// Like the SQL derivation it replaced: a missing or null applicant_id,
// unit_id, stage, series, level or method is an error (those columns are
// NOT NULL); other missing fields read as empty or zero; a time that does
// not parse as RFC 3339 reads as NULL (updated_at as 0).
func decodeApplicationRow(data []byte) (applicationRow, error) {
	var (
		r       applicationRow
		present uint8
		last    flowStepFields
		nSteps  int
		revs    [8]string // reviewer units; more spill to the heap
		units   = revs[:0]
	)
	const (
		hasApplicant = 1 << iota
		hasUnit
		hasStage
		hasSeries
		hasLevel
		hasMethod
		required = hasApplicant | hasUnit | hasStage | hasSeries | hasLevel | hasMethod
	)
	s := &jsonScanner{b: data}
	// str reads a string or null member into *dst, setting bit when present.
	str := func(dst *string, bit uint8) error {
		if s.null() {
			return nil
		}
		v, err := s.str()
		if err != nil {
			return err
		}
		*dst, present = v, present|bit
		return nil
	}
	timeMillis := func(dst *sql.NullInt64) error {
		var v string
		if err := str(&v, 0); err != nil || v == "" {
			return err
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			*dst = sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
		}
		return nil
	}
	step := func() error {
		var st flowStepFields
		err := s.object(1, func(k []byte) error {
			switch string(k) {
			case "unit_id":
				return str(&st.unitID, 0)
			case "action":
				return str(&st.action, 0)
			case "to_stage":
				return str(&st.toStage, 0)
			case "to_holder":
				return str(&st.toHolder, 0)
			}
			return s.skip(2)
		})
		if err != nil {
			return err
		}
		if (st.action == string(model.ActionPass) || st.action == string(model.ActionReject)) && st.unitID != "" &&
			!contains(units, st.unitID) {
			units = append(units, st.unitID)
		}
		last, nSteps = st, nSteps+1
		return nil
	}
	err := s.object(0, func(k []byte) error {
		switch string(k) {
		case "applicant_id":
			return str(&r.applicantID, hasApplicant)
		case "unit_id":
			return str(&r.unitID, hasUnit)
		case "holder_unit_id":
			return str(&r.holderUnitID, 0)
		case "stage":
			return str(&r.stage, hasStage)
		case "series":
			return str(&r.series, hasSeries)
		case "level":
			return str(&r.level, hasLevel)
		case "method":
			return str(&r.method, hasMethod)
		case "specialty":
			return str(&r.specialty, 0)
		case "title_name":
			return str(&r.titleName, 0)
		case "year":
			if s.null() {
				r.year = 0
				return nil
			}
			num, err := s.number()
			if err != nil {
				return err
			}
			r.year, err = jsonInt(num)
			return err
		case "submitted_at":
			return timeMillis(&r.submittedAt)
		case "returned_at":
			return timeMillis(&r.returnedAt)
		case "updated_at":
			var t sql.NullInt64
			err := timeMillis(&t)
			r.updatedAt = t.Int64
			return err
		case "flow":
			units, last, nSteps = units[:0], flowStepFields{}, 0 // a repeated key wins
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
	if missing := required &^ present; missing != 0 {
		return applicationRow{}, fmt.Errorf("application record lacks %s", missingField(missing))
	}
	if nSteps > 0 && last.action == string(model.ActionPass) && last.toStage == r.stage && last.toHolder == r.holderUnitID {
		r.withdrawableBy = last.unitID
	}
	r.reviewers = jsonStringArray(units)
	return r, nil
}

func missingField(bits uint8) string {
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

// jsonQuote quotes s as a JSON string.
func jsonQuote(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			b, _ := json.Marshal(s) // rare: unit ids are UUIDs
			return string(b)
		}
	}
	return `"` + s + `"`
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
