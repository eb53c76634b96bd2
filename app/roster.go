package app

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"titledesk/model"
	"titledesk/report"
	"titledesk/store"
)

// rosterColumn is one column of the 申报人花名册.
type rosterColumn struct {
	header string
	width  float64 // relative, in the PDF only when content does not fit (report.TableReport.FitColumns)
	kind   report.CellKind
	value  func(d store.ApplicationDetail, idNumber string) any
}

// rosterColumns are the 申报人花名册 in the order the next level reads a
// roster: who the person is (姓名, 性别, 出生日期, 身份证号), their
// education (学历, 学位, 毕业院校, 所学专业, 毕业时间), their career
// (参加工作时间, 工作单位, 现任职务, 现任职称 and since when), what they apply
// for (系列, 专业, 级别, 职称名称, 评价方式), the unit's 公示期, and a blank
// 备注 for the reviewer's hand. 序号 comes first. docs/decisions.md
// records the choice.
var rosterColumns = []rosterColumn{
	{"姓名", 1.1, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Applicant.Name }},
	{"性别", 0.5, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Applicant.Gender.Label() }},
	{"出生日期", 1.7, report.CellDate, func(d store.ApplicationDetail, _ string) any { return d.Applicant.BirthDate }},
	{"身份证号", 2.7, report.CellText, func(_ store.ApplicationDetail, id string) any { return id }},
	{"学历", 1, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Applicant.Education }},
	{"学位", 0.5, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Applicant.Degree }},
	{"毕业院校", 1.3, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Applicant.School }},
	{"所学专业", 1.2, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Applicant.Major }},
	{"毕业时间", 1.7, report.CellDate, func(d store.ApplicationDetail, _ string) any { return d.Applicant.GraduationDate }},
	{"参加工作时间", 1.7, report.CellDate, func(d store.ApplicationDetail, _ string) any { return d.Applicant.WorkStartDate }},
	{"工作单位", 2, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Unit.Name }},
	{"现任职务（岗位）", 1.2, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Applicant.Position }},
	{"现任职称", 1.1, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Applicant.CurrentTitle }},
	{"现职称取得时间", 1.7, report.CellDate, func(d store.ApplicationDetail, _ string) any { return d.Applicant.CurrentTitleDate }},
	{"申报系列", 1.4, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Application.Series.Label() }},
	{"申报专业", 1.2, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Application.Specialty }},
	{"申报级别", 0.9, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Application.Level.Label() }},
	{"申报职称", 1.2, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Application.TitleName }},
	{"评价方式", 1, report.CellText, func(d store.ApplicationDetail, _ string) any { return d.Application.Method.Label() }},
	{"公示期", 1.6, report.CellText, func(d store.ApplicationDetail, _ string) any { return publicity(d.Application) }},
	{"备注", 0.8, report.CellText, func(store.ApplicationDetail, string) any { return "" }},
}

// RosterHeaders are the roster's column headers in order, 序号 first.
func RosterHeaders() []string {
	out := []string{"序号"}
	for _, c := range rosterColumns {
		out = append(out, c.header)
	}
	return out
}

func publicity(a model.Application) string {
	if a.Recommendation == nil || a.Recommendation.PublicityStart == "" {
		return ""
	}
	return string(a.Recommendation.PublicityStart) + "至" + string(a.Recommendation.PublicityEnd)
}

// Roster writes the 申报人花名册 of a batch: the applications with the
// given ids in review list q, in q's order (all of q's rows when ids is
// empty), as xlsx or PDF, titled "<unit> 申报人花名册（<list>）". It
// reads each applicant through the store's detail accessor. It returns
// the number of people.
func (e Exports) Roster(ctx context.Context, w io.Writer, q QueueQuery, ids []string, opt ExportOptions, progress Progress) (int, error) {
	_, st, err := e.a.Session.current()
	if err != nil {
		return 0, err
	}
	me, _ := e.a.Session.Me()
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	var batch []string
	err = st.EachQueueRow(ctx, me.UnitID, q, false, func(r QueueRow, _ int) error {
		if len(want) == 0 || want[r.ID] {
			batch = append(batch, r.ID)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("roster: %w", err)
	}
	if len(batch) == 0 {
		return 0, &model.Error{Kind: model.KindInvalid, Code: model.CodeValidation, Title: "没有申报人",
			Detail: "当前列表中没有可导出花名册的申报人"}
	}
	n := len(batch)
	rows := make([][]any, 0, n)
	for i, id := range batch {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		d, err := st.ApplicationDetail(ctx, id)
		if err != nil {
			return 0, fmt.Errorf("roster: %w", err)
		}
		idn := model.MaskIDNumber(d.Applicant.IDNumber)
		if opt.FullIDNumbers {
			idn = model.NormalizeIDNumber(d.Applicant.IDNumber)
		}
		row := []any{i + 1}
		for _, c := range rosterColumns {
			row = append(row, c.value(d, idn))
		}
		rows = append(rows, row)
		if (i+1)%100 == 0 {
			progress.report(i+1, 2*n)
		}
	}
	what := "申报人花名册（" + ListTitle(q.Stage) + "）"
	if err := e.recordIfFull(ctx, opt, what, n); err != nil {
		return 0, err
	}
	title := me.UnitName + " " + what
	filters := []string{fmt.Sprintf("共 %d 人", n), idNote(opt)}
	half := func(done, total int) { progress.report(n+done*n/max(total, 1), 2*n) }
	if opt.Format == FormatPDF {
		// the count is the table's own 共 N 人, not a filter
		t := report.TableReport{Title: title, Filters: filters[1:], Landscape: true, BodySize: 6, CountUnit: "人", FitColumns: true,
			Columns: []report.Column{{Header: "序号", Width: 0.65, Align: report.AlignCenter}}}
		for _, c := range rosterColumns {
			t.Columns = append(t.Columns, report.Column{Header: c.header, Width: c.width})
		}
		for _, r := range rows {
			cells := []string{strconv.Itoa(r[0].(int))}
			for _, v := range r[1:] {
				cells = append(cells, fmt.Sprint(v))
			}
			t.Rows = append(t.Rows, cells)
		}
		return n, report.WriteTableContext(ctx, w, t, half)
	}
	sheet := report.Sheet{Name: "申报人花名册", Title: title, Filters: filters, Rows: rows,
		Columns: []report.SheetColumn{{Header: "序号", Kind: report.CellNumber}}}
	for _, c := range rosterColumns {
		sheet.Columns = append(sheet.Columns, report.SheetColumn{Header: c.header, Kind: c.kind})
	}
	return n, report.WriteXLSX(ctx, w, []report.Sheet{sheet}, half)
}
