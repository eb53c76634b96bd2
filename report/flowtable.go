package report

import (
	"strconv"
	"time"
)

// flowCol is one column of the 经办流程 table.
type flowCol struct {
	head string
	w    float64 // mm
	a    Align
}

// flowCols are the columns of the 经办流程 table; 意见 takes what is left of
// the 170 mm so long opinions wrap into as few lines as possible.
var flowCols = []flowCol{
	{"序号", 10, AlignCenter},
	{"办理单位", 36, AlignLeft},
	{"经办人", 17, AlignCenter},
	{"操作", 19, AlignCenter},
	{"意见", 66, AlignLeft},
	{"时间", 22, AlignCenter},
}

// flowOpinionCol is the index of 意见 in flowCols.
const flowOpinionCol = 4

const flowRowH = 9.0

func (s *sheet) flowHeader() {
	cells := make([]cell, len(flowCols))
	for i, col := range flowCols {
		cells[i] = cell{text: col.head, w: col.w, size: sheetSmallSize, align: AlignCenter, fill: greyLabel, bold: true}
	}
	s.c.row(cells, 7, nil)
}

// flowTable draws every step of the flow. Rows grow with their wrapped
// opinion; the header row is repeated on every page the table reaches.
func (s *sheet) flowTable() {
	c := s.c
	steps := s.in.Application.Flow
	s.heading("经办流程", 7+flowRowH)
	s.flowHeader()
	c.onBreak = s.flowHeader
	defer func() { c.onBreak = nil }()
	if len(steps) == 0 {
		c.row([]cell{{text: "（暂无经办记录）", w: c.contentWidth(), size: sheetSmallSize, align: AlignCenter, fill: -1}}, flowRowH, nil)
		return
	}
	cells := make([]cell, len(flowCols))
	for i := range steps {
		st := &steps[i]
		seq := st.Seq
		if seq == 0 {
			seq = i + 1
		}
		n := strconv.Itoa(seq)
		vals := [...]string{n, st.UnitName, st.Person, st.Action.Label(), s.in.Application.StepText(i), flowTime(st.At, s.loc)}
		for k, col := range flowCols {
			cells[k] = cell{text: vals[k], w: col.w, size: sheetSmallSize, align: col.a, fill: -1}
		}
		c.row(cells, flowRowH, func(k int) string {
			if k == 0 {
				return n + "\n续"
			}
			return ""
		})
	}
}

// flowTime prints date and time on two lines to keep the column narrow.
func flowTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02\n15:04")
}
