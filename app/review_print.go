package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"titledesk/model"
	"titledesk/report"
)

// Printed is a written PDF: where it is, and the characters it could not
// draw (printed as □), to be named before anyone prints it.
type Printed struct {
	Path    string
	Missing []rune
}

// PrintSheets writes the 专业技术人才职称申报审核表 of each application into
// one PDF (DC-4); open it with OpenFile. progress (may be nil) is called
// after each sheet, from this goroutine. Cancelling ctx stops between
// sheets and leaves no file behind.
func (r *Reviews) PrintSheets(ctx context.Context, ids []string, progress func(done, total int)) (Printed, error) {
	if len(ids) == 0 {
		return Printed{}, &model.Error{Kind: model.KindInvalid, Code: model.CodeValidation, Title: "请选择申报人",
			Detail: "请先勾选要打印审核表的申报人"}
	}
	inputs := make([]report.SheetInput, 0, len(ids))
	now := time.Now()
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return Printed{}, err
		}
		d, err := r.Detail(ctx, id)
		if err != nil {
			return Printed{}, err
		}
		inputs = append(inputs, report.SheetInput{Application: d.Application, Applicant: d.Applicant,
			UnitName: d.Unit.Name, GeneratedAt: now})
	}
	name := "审核表-" + inputs[0].Applicant.Name
	if len(inputs) > 1 {
		name = fmt.Sprintf("审核表-%d人", len(inputs))
	}
	missing, err := report.MissingGlyphs(inputs)
	if err != nil {
		return Printed{}, err
	}
	path, err := r.s.writePDF(r.PrintDir, name, func(f *os.File) error { return report.WriteBatch(ctx, f, inputs, progress) })
	return Printed{Path: path, Missing: missing}, err
}

// PrintList writes the list as filtered and sorted on screen, with its
// visible columns and the filters named under the title (【打印列表】).
func (r *Reviews) PrintList(ctx context.Context, q QueueQuery, filters []string) (string, error) {
	cols := ListColumns(q.Stage)
	title := ListTitle(q.Stage)
	if me, ok := r.s.Me(); ok {
		title = me.UnitName + " " + title // as the export's: whose list it is
	}
	t := report.TableReport{Title: title, Filters: filters, Landscape: true, CountUnit: "人"}
	for _, c := range cols {
		t.Columns = append(t.Columns, report.Column{Header: c.Header, Width: c.Width})
	}
	q.Offset, q.Limit = 0, 1000
	for {
		page, err := r.List(ctx, q)
		if err != nil {
			return "", err
		}
		for _, row := range page.Rows {
			cells := make([]string, len(cols))
			for i, c := range cols {
				cells[i] = c.Value(row)
			}
			t.Rows = append(t.Rows, cells)
		}
		q.Offset += len(page.Rows)
		if len(page.Rows) == 0 || q.Offset >= page.Total {
			break
		}
	}
	return r.s.writePDF(r.PrintDir, "列表-"+ListTitle(q.Stage), func(f *os.File) error { return report.WriteTable(f, t) })
}

// writePDF creates the file name in dir ("" = the session's private folder
// of opened files, removed at logout and exit: a sheet holds ID numbers and
// phones), lets write fill it, and removes it on failure.
func (s *Session) writePDF(dir, name string, write func(*os.File) error) (string, error) {
	path, err := s.opened.path(printName(name), ".pdf")
	if dir != "" {
		path, err = filepath.Join(dir, filepath.Base(path)), os.MkdirAll(dir, 0o700)
	}
	if err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", fmt.Errorf("print: %w", err)
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", fmt.Errorf("print %s: %w", name, err)
	}
	return path, nil
}

// SaveCopy writes the printed PDF at path to w (【另存为…】: the person
// chose where) and closes w.
func (r *Reviews) SaveCopy(w io.WriteCloser, path string) error {
	f, err := os.Open(path)
	if err != nil {
		w.Close()
		return fmt.Errorf("save copy: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		w.Close()
		return &model.Error{Kind: model.KindInternal, Code: model.CodeInternal, Title: "保存失败",
			Detail: "审核表未能保存到所选位置，请换一个位置重试"}
	}
	return w.Close()
}
