package model

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// calendarKinds maps what people write in a calendar file's kind column.
var calendarKinds = map[string]string{
	CalendarHoliday: CalendarHoliday, "放假": CalendarHoliday, "休": CalendarHoliday, "假": CalendarHoliday,
	CalendarWorkday: CalendarWorkday, "上班": CalendarWorkday, "班": CalendarWorkday, "调休上班": CalendarWorkday,
}

// ParseCalendarFile reads a holiday arrangement the city office imports
// (BEY-1). Two forms are accepted:
//   - CSV (name ends in .csv, or anything not JSON): one line per day,
//     "date,kind,name", e.g. 2027-01-01,holiday,元旦 or 2027/2/20,上班,春节;
//     an optional header line (date/日期), blank lines and lines starting
//     with # are skipped, a UTF-8 BOM (Excel) is ignored;
//   - JSON: an array of {"date","kind","name"} or {"entries": [...]}.
//
// kind is holiday/放假/休 or workday/上班/调休上班. A make-up workday must fall
// on a Saturday or Sunday, a date may not be both, and every name is checked
// by TextProblem. Any problem refuses the whole file, naming up to ten lines.
func ParseCalendarFile(name string, data []byte) ([]CalendarEntry, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	var (
		rows []calendarRow
		err  error
	)
	if t := bytes.TrimSpace(data); strings.HasSuffix(strings.ToLower(name), ".json") || (len(t) > 0 && (t[0] == '[' || t[0] == '{')) {
		rows, err = calendarJSONRows(data)
	} else {
		rows, err = calendarCSVRows(data)
	}
	if err != nil {
		return nil, calendarFileError([]string{err.Error()})
	}
	return checkCalendarRows(rows)
}

type calendarRow struct {
	line             int
	date, kind, name string
}

func calendarCSVRows(data []byte) ([]calendarRow, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord, r.Comment, r.TrimLeadingSpace = -1, '#', true
	var rows []calendarRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("CSV格式错误：%v", err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if h := strings.ToLower(strings.TrimSpace(rec[0])); len(rows) == 0 && (h == "date" || h == "日期") {
			continue
		}
		for len(rec) < 3 {
			rec = append(rec, "")
		}
		if len(rec) > 3 {
			return nil, fmt.Errorf("第%d行应为三列：日期,类型,名称", line)
		}
		rows = append(rows, calendarRow{line, rec[0], rec[1], rec[2]})
	}
}

func calendarJSONRows(data []byte) ([]calendarRow, error) {
	var list []CalendarEntry
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var doc struct {
			Entries []CalendarEntry `json:"entries"`
		}
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("JSON格式错误：%v", err)
		}
		list = doc.Entries
	} else if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("JSON格式错误：%v", err)
	}
	rows := make([]calendarRow, len(list))
	for i, e := range list {
		rows[i] = calendarRow{i + 1, string(e.Date), e.Kind, e.Name}
	}
	return rows, nil
}

// calendarDate accepts 2027-01-01, 2027-1-1 and 2027/1/1 (what spreadsheets write).
func calendarDate(s string) (Date, bool) {
	s = NormalizeInput(InputCode, s)
	for _, layout := range []string{DateLayout, "2006-1-2", "2006/1/2"} {
		if t, err := time.Parse(layout, s); err == nil {
			return DateOf(t), true
		}
	}
	return "", false
}

func checkCalendarRows(rows []calendarRow) ([]CalendarEntry, error) {
	var problems []string
	bad := func(line int, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("第%d行：", line)+fmt.Sprintf(format, args...))
	}
	seen := map[Date]string{}
	out := make([]CalendarEntry, 0, len(rows))
	for _, r := range rows {
		d, ok := calendarDate(r.date)
		kind := calendarKinds[strings.ToLower(strings.TrimSpace(r.kind))]
		name := CleanText(r.name)
		switch {
		case !ok:
			bad(r.line, "日期“%s”无效，应为YYYY-MM-DD", truncateText(r.date, 20))
		case kind == "":
			bad(r.line, "类型“%s”无效，应为放假(holiday)或上班(workday)", truncateText(r.kind, 20))
		case name == "":
			bad(r.line, "缺少节日名称")
		case TextProblem(name) != "":
			bad(r.line, "名称%s", TextProblem(name))
		case kind == CalendarWorkday && !dateIsWeekend(d):
			bad(r.line, "%s不是周六或周日，不能作为调休上班日", d)
		case seen[d] != "" && seen[d] != kind:
			bad(r.line, "%s既是放假日又是上班日", d)
		default:
			seen[d] = kind
			out = append(out, CalendarEntry{Date: d, Kind: kind, Name: name})
		}
	}
	if len(out) == 0 && len(problems) == 0 {
		problems = append(problems, "文件中没有任何日期")
	}
	if len(problems) > 0 {
		return nil, calendarFileError(problems)
	}
	return out, nil
}

func calendarFileError(problems []string) error {
	if len(problems) > 10 {
		problems = append(problems[:10], fmt.Sprintf("……另有%d处错误", len(problems)-10))
	}
	return &Error{Kind: KindInvalid, Code: CodeValidation, Title: "放假安排文件有误，未导入",
		Detail: strings.Join(problems, "；")}
}

func truncateText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
