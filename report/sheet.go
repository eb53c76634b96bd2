package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"titledesk/model"
)

// SheetTitle is the heading of the printed review sheet.
const SheetTitle = "专业技术人才职称申报审核表"

// SheetInput is everything printed on one 专业技术人才职称申报审核表.
type SheetInput struct {
	// Application with its Flow (every 经办流程 step, in order),
	// Recommendation, Appointment and Attachments as far as they exist.
	Application model.Application
	Applicant   model.Applicant
	UnitName    string // 工作单位: name of Application.UnitID
	// GeneratedAt is printed in every footer ("生成时间") and is the PDF's
	// creation date; times of the flow are printed in its location. The
	// zero time means time.Now().
	GeneratedAt time.Time
}

// Sizes of the sheet, pt.
const (
	sheetTitleSize   = 18
	sheetHeadingSize = 10.5 // 五号
	sheetBodySize    = 10
	sheetSmallSize   = 9 // 小五: flow and attachment tables
	furnitureSize    = 8.5
)

// Grid of the sheet, mm (A4 portrait: 170 mm between the margins).
const (
	labelW   = 28.0
	valueW   = 57.0
	gridRowH = 8.5
)

// WriteSheet writes one review sheet as a PDF to w.
func WriteSheet(w io.Writer, in SheetInput) error {
	return WriteBatch(context.Background(), w, []SheetInput{in}, nil)
}

// WriteBatch writes one PDF holding a review sheet per input, each starting
// on a new page with its own page numbering ("第 x 页 共 y 页" counts the
// pages of that sheet). It checks ctx between sheets and calls progress (if
// not nil) after each sheet is drawn. Sheets are laid out twice: once to
// count their pages and collect the characters to embed, then drawn; no
// layout is kept between sheets.
func WriteBatch(ctx context.Context, w io.Writer, inputs []SheetInput, progress func(done, total int)) error {
	if len(inputs) == 0 {
		return errors.New("report: no sheets to write")
	}
	face, err := loadFace()
	if err != nil {
		return err
	}
	runes := make(map[rune]struct{}, 512)
	totals := make([]int, len(inputs))
	for i := range inputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		c := newPortraitCanvas(nil, face)
		c.runes = runes
		layoutSheet(c, &inputs[i])
		totals[i] = c.page
	}
	pdf, fonts, err := newDocument("P", face, runes, SheetTitle, generatedAt(&inputs[0]))
	if err != nil {
		return err
	}
	for i := range inputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		c := newPortraitCanvas(pdf, face)
		c.fonts, c.total = fonts, totals[i]
		layoutSheet(c, &inputs[i])
		if pdf.Err() {
			return fmt.Errorf("report: draw sheet %d: %w", i+1, pdf.Error())
		}
		if progress != nil {
			progress(i+1, len(inputs))
		}
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("report: write PDF: %w", err)
	}
	return nil
}

// MissingGlyphs lists, sorted, the characters of the sheets for inputs
// that neither embedded font can draw (they would print as □), from the
// same layout WriteBatch measures; none: nil. Such a character (an ideograph
// of Extension C–G outside the 通用规范汉字表, an emoji) is said before
// printing instead of found on paper.
func MissingGlyphs(inputs []SheetInput) ([]rune, error) {
	face, err := loadFace()
	if err != nil {
		return nil, err
	}
	missing := map[rune]struct{}{}
	for i := range inputs {
		c := newPortraitCanvas(nil, face)
		c.runes, c.missing = map[rune]struct{}{}, missing
		layoutSheet(c, &inputs[i])
	}
	if len(missing) == 0 {
		return nil, nil
	}
	out := make([]rune, 0, len(missing))
	for r := range missing {
		out = append(out, r)
	}
	slices.Sort(out)
	return out, nil
}

func generatedAt(in *SheetInput) time.Time {
	if in.GeneratedAt.IsZero() {
		return time.Now()
	}
	return in.GeneratedAt
}

// newDocument creates an A4 document with the font subsets for runes.
func newDocument(orientation string, face *face, runes map[rune]struct{}, title string, at time.Time) (*fpdf.Fpdf, *fonts, error) {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	pdf.SetAutoPageBreak(false, 0) // the canvas breaks pages itself
	pdf.SetMargins(margin, margin, margin)
	pdf.SetTitle(title, true)
	pdf.SetCreator("TitleDesk 职称审核桌面端", true)
	pdf.SetProducer("TitleDesk", false)
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	pdf.SetCatalogSort(true)
	pdf.SetLineWidth(lineWidth)
	pdf.SetDrawColor(0, 0, 0)
	fonts, err := face.register(pdf, runes)
	if err != nil {
		return nil, nil, err
	}
	return pdf, fonts, nil
}

func newPortraitCanvas(pdf *fpdf.Fpdf, face *face) *canvas {
	return &canvas{
		pdf: pdf, face: face,
		width: 210, height: 297,
		left: margin, right: 210 - margin,
		top: margin, bottom: 297 - margin,
	}
}

// sheet lays out one review sheet on a canvas.
type sheet struct {
	c       *canvas
	in      *SheetInput
	loc     *time.Location
	gen     string // generation time as printed
	section int    // last section number used
}

func layoutSheet(c *canvas, in *SheetInput) {
	at := generatedAt(in)
	s := &sheet{c: c, in: in, loc: at.Location(), gen: at.Format(minuteLayout)}
	c.pageHeader = s.runningHeader
	c.pageFooter = s.footer
	c.beginPage()
	s.title()
	s.applicantBlock()
	s.applicationBlock()
	s.achievements()
	s.flowTable()
	if r := in.Application.Recommendation; r != nil {
		s.recommendation(r)
	}
	if a := in.Application.Appointment; a != nil {
		s.appointment(a)
	}
	s.attachments()
	s.signatures()
	c.endPage()
}

// runningHeader marks continuation pages so a loose page can be matched to
// its sheet.
func (s *sheet) runningHeader() {
	if s.c.page == 1 {
		return
	}
	c := s.c
	y := margin - 9
	title, who, id := SheetTitle+"（续页）", "申报人："+s.in.Applicant.Name, "申报编号："+s.in.Application.ID
	c.setGreyIfDrawing(greyFooter)
	if gap := 4.0; c.furnitureWidth(title)+gap+c.furnitureWidth(joinNonEmpty("　", who, id)) <= c.contentWidth() {
		c.textLine(c.left, y, c.contentWidth(), title, furnitureSize, AlignLeft, false)
		c.textLine(c.left, y, c.contentWidth(), joinNonEmpty("　", who, id), furnitureSize, AlignRight, false)
	} else { // a long name: the number goes up beside the title, the name has its own line
		c.textLine(c.left, y-lineHeight(furnitureSize), c.contentWidth(), title, furnitureSize, AlignLeft, false)
		c.textLine(c.left, y-lineHeight(furnitureSize), c.contentWidth(), id, furnitureSize, AlignRight, false)
		c.textLine(c.left, y, c.contentWidth(), who, furnitureSize, AlignRight, false)
	}
	c.setGreyIfDrawing(0)
	c.hline(c.left, c.right, margin-3)
}

func (s *sheet) footer() {
	c := s.c
	y := c.height - margin + 3
	c.setGreyIfDrawing(greyFooter)
	c.textLine(c.left, y, c.contentWidth(), pageOf(c.page, c.total), furnitureSize, AlignCenter, false)
	c.textLine(c.left, y, c.contentWidth(), "生成时间："+s.gen, furnitureSize, AlignRight, false)
	c.setGreyIfDrawing(0)
}

// pageOf is the footer's page number; the measuring pass does not know the
// total yet and measures with the same number of digits.
func pageOf(page, total int) string {
	if total == 0 {
		total = page
	}
	return "第 " + strconv.Itoa(page) + " 页 共 " + strconv.Itoa(total) + " 页"
}

func (s *sheet) title() {
	c := s.c
	a := &s.in.Application
	c.textLine(c.left, c.y, c.contentWidth(), SheetTitle, sheetTitleSize, AlignCenter, true)
	c.y += lineHeight(sheetTitleSize)
	if a.Year > 0 {
		c.textLine(c.left, c.y, c.contentWidth(), "（"+strconv.Itoa(a.Year)+"年度）", 11, AlignCenter, false)
		c.y += lineHeight(11)
	}
	c.y += 2
	left := "申报编号：" + a.ID
	right := ""
	if a.SubmittedAt != nil {
		right = "提交时间：" + stamp(*a.SubmittedAt, s.loc)
	}
	c.textLine(c.left, c.y, c.contentWidth(), left, sheetSmallSize, AlignLeft, false)
	c.textLine(c.left, c.y, c.contentWidth(), right, sheetSmallSize, AlignRight, false)
	c.y += lineHeight(sheetSmallSize) + 0.8
}

// heading starts a numbered section, kept on the page with at least keepH
// mm of what follows.
func (s *sheet) heading(title string, keepH float64) {
	s.section++
	c := s.c
	h := 8.0
	c.keep(h + keepH)
	c.row([]cell{{
		text: sectionNumber(s.section) + "、" + title, w: c.contentWidth(),
		size: sheetHeadingSize, fill: greyHeading, bold: true,
	}}, h, nil)
}

// pair is one label and its value in the two-column grid.
type pair struct{ label, value string }

// grid draws a row of the label/value grid; a single pair spans the row.
func (s *sheet) grid(pairs ...pair) {
	c := s.c
	var cells []cell
	for i, p := range pairs {
		w := valueW
		if i == len(pairs)-1 {
			w = c.contentWidth() - float64(len(pairs)-1)*(labelW+valueW) - labelW
		}
		cells = append(cells,
			cell{text: p.label, w: labelW, size: sheetBodySize, align: AlignCenter, fill: greyLabel},
			cell{text: p.value, w: w, size: sheetBodySize, fill: -1})
	}
	c.row(cells, gridRowH, nil)
}

func (s *sheet) applicantBlock() {
	p := &s.in.Applicant
	s.heading("申报人基本情况", gridRowH)
	s.grid(pair{"姓名", p.Name}, pair{"性别", p.Gender.Label()})
	s.grid(pair{"出生日期", date(p.BirthDate)}, pair{"身份证号", p.IDNumber})
	s.grid(pair{"学历/学位", joinNonEmpty(" / ", p.Education, p.Degree)},
		pair{"毕业时间", date(p.GraduationDate)})
	s.grid(pair{"毕业院校/专业", joinNonEmpty(" / ", p.School, p.Major)})
	s.grid(pair{"参加工作时间", date(p.WorkStartDate)}, pair{"现任职务/岗位", p.Position})
	s.grid(pair{"现任职称", p.CurrentTitle}, pair{"取得时间", date(p.CurrentTitleDate)})
	s.grid(pair{"工作单位", s.in.UnitName})
	s.grid(pair{"联系电话", p.Phone})
}

func (s *sheet) applicationBlock() {
	a := &s.in.Application
	s.heading("申报信息", gridRowH)
	s.grid(pair{"职称系列", a.Series.Label()}, pair{"专业", a.Specialty})
	s.grid(pair{"申报级别", a.Level.Label()}, pair{"申报职称", a.TitleName})
	s.grid(pair{"评价方式", a.Method.Label()}, pair{"当前环节", a.Stage.Label()})
	if a.CertificateNo != "" {
		s.grid(pair{"证书编号", a.CertificateNo})
	}
}

func (s *sheet) achievements() {
	c := s.c
	text := s.in.Application.Achievements
	if text == "" {
		text = "（未填写）"
	}
	s.heading("主要业绩", 3*lineHeight(sheetBodySize)+2*padY)
	c.row([]cell{{text: text, w: c.contentWidth(), size: sheetBodySize, fill: -1, top: true}}, 24, nil)
}

func (s *sheet) recommendation(r *model.Recommendation) {
	s.heading("推荐和公示情况", gridRowH)
	s.grid(pair{"公示期", joinNonEmpty(" 至 ", date(r.PublicityStart), date(r.PublicityEnd))},
		pair{"公示方式", r.PublicityMethod})
	s.grid(pair{"公示地点", r.PublicityPlace}, pair{"公示结果", r.PublicityResult})
	s.grid(pair{"推荐小组人数", strconv.Itoa(r.GroupSize) + " 人"},
		pair{"表决情况", fmt.Sprintf("赞成 %d，反对 %d，弃权 %d", r.VotesFor, r.VotesAgainst, r.VotesAbstain)})
	s.grid(pair{"推荐小组意见", r.GroupOpinion})
}

func (s *sheet) appointment(a *model.Appointment) {
	s.heading("聘任信息", gridRowH)
	s.grid(pair{"聘任时间", date(a.AppointDate)}, pair{"聘任岗位", a.Post})
	term := ""
	if a.TermYears > 0 {
		term = strconv.Itoa(a.TermYears) + " 年"
	}
	s.grid(pair{"岗位等级", a.PostLevel}, pair{"聘期", term})
	s.grid(pair{"聘任文号", a.DocumentNo})
}

// Attachment table columns, mm.
var attachmentCols = []struct {
	head string
	w    float64
	a    Align
}{
	{"序号", 10, AlignCenter},
	{"材料名称", 74, AlignLeft},
	{"类型", 34, AlignCenter},
	{"大小", 22, AlignCenter},
	{"SHA-256 前12位", 30, AlignCenter},
}

func (s *sheet) attachments() {
	c := s.c
	a := &s.in.Application
	list := a.Attachments
	if r := a.Recommendation; r != nil && len(r.Attachments) > 0 {
		seen := make(map[string]bool, len(list))
		for _, at := range list {
			seen[at.SHA256] = true
		}
		list = list[:len(list):len(list)]
		for _, at := range r.Attachments {
			if !seen[at.SHA256] {
				list = append(list, at)
			}
		}
	}
	header := func() {
		cells := make([]cell, len(attachmentCols))
		for i, col := range attachmentCols {
			cells[i] = cell{text: col.head, w: col.w, size: sheetSmallSize, align: AlignCenter, fill: greyLabel, bold: true}
		}
		c.row(cells, 7, nil)
	}
	s.heading("附件材料", 14)
	header()
	c.onBreak = header
	defer func() { c.onBreak = nil }()
	if len(list) == 0 {
		c.row([]cell{{text: "（无附件）", w: c.contentWidth(), size: sheetSmallSize, align: AlignCenter, fill: -1}}, 7, nil)
		return
	}
	for i, at := range list {
		vals := []string{strconv.Itoa(i + 1), at.Name, at.Kind.Label(), humanSize(at.Size), shortHash(at.SHA256)}
		cells := make([]cell, len(attachmentCols))
		for k, col := range attachmentCols {
			cells[k] = cell{text: vals[k], w: col.w, size: sheetSmallSize, align: col.a, fill: -1}
		}
		c.row(cells, 7, nil)
	}
}

// Signature block geometry, mm.
const (
	signHeadH = 8.0
	signBodyH = 46.0
)

// signatures draws the blank 单位意见 and 主管部门意见 boxes side by side,
// kept together on one page.
func (s *sheet) signatures() {
	c := s.c
	s.section++
	c.keep(8 + signHeadH + signBodyH)
	c.row([]cell{{
		text: sectionNumber(s.section) + "、审核意见", w: c.contentWidth(),
		size: sheetHeadingSize, fill: greyHeading, bold: true,
	}}, 8, nil)
	half := c.contentWidth() / 2
	for i, title := range []string{"单位意见", "主管部门意见"} {
		x := c.left + float64(i)*half
		y := c.y
		c.box(x, y, half, signHeadH, greyLabel, true)
		c.textLine(x, y+(signHeadH-lineHeight(sheetHeadingSize))/2, half, title, sheetHeadingSize, AlignCenter, false)
		y += signHeadH
		c.box(x, y, half, signBodyH, -1, true)
		in := x + 5
		w := half - 10
		lh := lineHeight(sheetBodySize)
		c.textLine(in, y+signBodyH-21, w, "负责人签字：", sheetBodySize, AlignLeft, false)
		c.textLine(in, y+signBodyH-21, w, "（盖章）", sheetBodySize, AlignRight, false)
		c.textLine(in, y+signBodyH-6-lh, w, "年　　月　　日", sheetBodySize, AlignRight, false)
	}
	c.y += signHeadH + signBodyH
}
