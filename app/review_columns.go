package app

import (
	"strconv"
	"time"

	"titledesk/model"
	"titledesk/report"
	"titledesk/store"
)

// Column is one column of a review list, shared by the table on screen,
// the printed list (【打印列表】) and the exports, so all show the same
// values. Cell is the typed value an xlsx export writes (Kind says which).
type Column struct {
	Key    string
	Header string
	Width  float64    // relative width
	Sort   SortColumn // "" = not sortable
	Value  func(QueueRow) string
	Kind   report.CellKind
	Cell   func(QueueRow) any
}

// textColumn is a column whose typed value is its text.
func textColumn(key, header string, width float64, sort SortColumn, value func(QueueRow) string) Column {
	return Column{key, header, width, sort, value, report.CellText, func(r QueueRow) any { return value(r) }}
}

var (
	colName      = textColumn("name", "姓名", 0.8, store.SortName, func(r QueueRow) string { return r.ApplicantName })
	colIDNumber  = textColumn("id_number", "身份证号", 1.6, "", func(r QueueRow) string { return r.MaskedIDNumber })
	colGender    = textColumn("gender", "性别", 0.5, "", func(r QueueRow) string { return r.Gender.Label() })
	colUnit      = textColumn("unit", "工作单位", 2, store.SortUnit, func(r QueueRow) string { return r.UnitName })
	colSeries    = textColumn("series", "系列", 1.3, store.SortSeries, func(r QueueRow) string { return r.Series.Label() })
	colSpecialty = textColumn("specialty", "专业", 1.1, store.SortSpecialty, func(r QueueRow) string { return r.Specialty })
	colLevel     = textColumn("level", "级别", 0.9, store.SortLevel, func(r QueueRow) string { return r.Level.Label() })
	colMethod    = textColumn("method", "评价方式", 1, store.SortMethod, func(r QueueRow) string { return r.Method.Label() })
	colYear      = Column{"year", "年度", 0.5, store.SortYear, func(r QueueRow) string { return strconv.Itoa(r.Year) },
		report.CellNumber, func(r QueueRow) any { return r.Year }}
	colSubmitted = Column{"submitted", "提交时间", 0.9, store.SortSubmitted, func(r QueueRow) string { return day(r.SubmittedAt) },
		report.CellDate, func(r QueueRow) any { return r.SubmittedAt }}
	colStage    = textColumn("stage", "当前环节", 1.1, "", func(r QueueRow) string { return r.Stage.Label() })
	colReturned = Column{"returned", "退回时间", 0.9, store.SortReturned, func(r QueueRow) string { return day(r.ReturnedAt) },
		report.CellDate, func(r QueueRow) any { return r.ReturnedAt }}
)

// ListColumns are the data columns of a review list.
func ListColumns(stage model.Stage) []Column {
	if stage == ReviewedList {
		return []Column{colName, colIDNumber, colUnit, colSeries, colLevel, colMethod, colYear, colStage, colReturned}
	}
	return []Column{colName, colIDNumber, colGender, colUnit, colSeries, colSpecialty, colLevel, colMethod, colYear, colSubmitted}
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format(model.DateLayout)
}
