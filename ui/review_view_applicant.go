package ui

import (
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"titledesk/app"
	"titledesk/model"
)

// applicantSections is the left side of the review view: everything the
// applicant filled in, the recommendation and appointment where they
// exist, and the attachments, each openable in the system viewer (REV-2).
func applicantSections(v *reviewView, d app.ReviewDetail) []fyne.CanvasObject {
	p, a := d.Applicant, d.Application
	out := []fyne.CanvasObject{
		section("申报人信息", []string{
			"姓名", p.Name, "身份证号", p.IDNumber, "性别", p.Gender.Label(), "出生日期", string(p.BirthDate),
			"联系电话", p.Phone, "学历", p.Education, "学位", p.Degree, "毕业院校", p.School, "所学专业", p.Major,
			"毕业时间", string(p.GraduationDate), "参加工作时间", string(p.WorkStartDate), "现任职称", p.CurrentTitle,
			"取得现职称时间", string(p.CurrentTitleDate), "现任职务/岗位", p.Position,
		}),
		section("申报信息", []string{
			"申报年度", strconv.Itoa(a.Year), "职称系列", a.Series.Label(), "专业", a.Specialty, "级别", a.Level.Label(),
			"申报职称", a.TitleName, "评价方式", a.Method.Label(), "工作单位", d.Unit.Name,
			"当前环节", a.Stage.Label() + holderText(d), "提交时间", timeText(a.SubmittedAt),
		}),
		longText("主要业绩", a.Achievements),
	}
	if r := a.Recommendation; r != nil {
		out = append(out, section("单位推荐和公示情况", []string{
			"公示期", string(r.PublicityStart) + " 至 " + string(r.PublicityEnd), "公示方式", r.PublicityMethod,
			"公示地点", r.PublicityPlace, "公示结果", r.PublicityResult, "推荐小组人数", strconv.Itoa(r.GroupSize),
			"表决情况", fmt.Sprintf("赞成 %d 票，反对 %d 票，弃权 %d 票", r.VotesFor, r.VotesAgainst, r.VotesAbstain),
		}), longText("推荐小组意见", r.GroupOpinion))
	}
	if ap := a.Appointment; ap != nil {
		out = append(out, section("聘任信息", []string{"聘任时间", string(ap.AppointDate), "聘任岗位", ap.Post,
			"岗位等级", ap.PostLevel, "聘期", strconv.Itoa(ap.TermYears) + "年", "聘任文号", ap.DocumentNo}))
	}
	return append(out, attachmentSection(v, a.Attachments))
}

func heading(text string) fyne.CanvasObject {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// section is a heading over label/value pairs, in two columns when each
// value gets at least the width of an unbroken ID number, else in one (the
// first half of the pairs on the left). Values wrap instead of being cut:
// a name, the full ID number, 工作单位 and 当前环节 always show whole.
func section(title string, pairs []string) fyne.CanvasObject {
	grid := container.New(&pairsLayout{valueMin: idNumberWidth()})
	for i := 0; i+1 < len(pairs); i += 2 {
		value := pairs[i+1]
		if value == "" {
			value = "—"
		}
		l := widget.NewLabel(value)
		l.Wrapping = fyne.TextWrapWord
		grid.Add(widget.NewLabelWithStyle(pairs[i], fyne.TextAlignTrailing, fyne.TextStyle{}))
		grid.Add(l)
	}
	return container.NewVBox(heading(title), grid, widget.NewSeparator())
}

// idNumberWidth is what an 18-digit ID number needs on one line.
func idNumberWidth() float32 {
	return fyne.MeasureText("11010519491231002X", theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding()
}

// pairsLayout lays out label, value, label, value … as a form of one or
// two columns (see section). It remembers the width it last had, so its
// minimum height is that of the wrapped values at that width.
type pairsLayout struct {
	valueMin float32
	width    float32
}

func (p *pairsLayout) labelWidth(objs []fyne.CanvasObject) float32 {
	var w float32
	for i := 0; i < len(objs); i += 2 {
		w = max(w, objs[i].MinSize().Width)
	}
	return w
}

// columns is 2 when both columns give a value at least valueMin.
func (p *pairsLayout) columns(width, labelW float32) int {
	gap := theme.Padding()
	if (width-gap)/2-labelW-gap >= p.valueMin {
		return 2
	}
	return 1
}

// place positions every pair for width and returns the height used.
func (p *pairsLayout) place(objs []fyne.CanvasObject, width float32, move bool) float32 {
	n := len(objs) / 2
	if n == 0 {
		return 0
	}
	gap := theme.Padding()
	labelW := p.labelWidth(objs)
	cols := p.columns(width, labelW)
	rows := (n + cols - 1) / cols
	colW := (width - float32(cols-1)*gap) / float32(cols)
	valueW := max(colW-labelW-gap, p.valueMin)
	var y float32
	for r := 0; r < rows; r++ {
		var h float32
		for c := 0; c < cols; c++ {
			if k := c*rows + r; k < n {
				objs[2*k+1].Resize(fyne.NewSize(valueW, objs[2*k+1].MinSize().Height))
				h = max(h, objs[2*k].MinSize().Height, objs[2*k+1].MinSize().Height)
			}
		}
		for c := 0; c < cols && move; c++ {
			k := c*rows + r
			if k >= n {
				break
			}
			x := float32(c) * (colW + gap)
			objs[2*k].Move(fyne.NewPos(x, y))
			objs[2*k].Resize(fyne.NewSize(labelW, objs[2*k].MinSize().Height))
			objs[2*k+1].Move(fyne.NewPos(x+labelW+gap, y))
			objs[2*k+1].Resize(fyne.NewSize(valueW, h))
		}
		y += h
	}
	return y
}

func (p *pairsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	p.width = size.Width
	p.place(objs, size.Width, true)
}

func (p *pairsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	minW := p.labelWidth(objs) + theme.Padding() + p.valueMin
	width := max(p.width, minW)
	return fyne.NewSize(minW, p.place(objs, width, false))
}

func longText(title, text string) fyne.CanvasObject {
	if text == "" {
		text = "—"
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return container.NewVBox(heading(title), l, widget.NewSeparator())
}

func attachmentSection(v *reviewView, files []model.Attachment) fyne.CanvasObject {
	box := container.NewVBox(heading("附件"))
	if len(files) == 0 {
		box.Add(widget.NewLabel("无附件"))
	}
	for _, f := range files {
		f := f
		name := widget.NewLabel(fmt.Sprintf("【%s】%s（%s）", f.Kind.Label(), f.Name, sizeText(f.Size)))
		name.Truncation = fyne.TextTruncateEllipsis
		open := widget.NewButtonWithIcon("打开", theme.FileIcon(), nil)
		v.d.tapOnce(open, nil, func() { v.openAttachment(f) })
		box.Add(container.NewBorder(nil, nil, nil, open, name))
	}
	return box
}

// openAttachment opens a file in the system viewer, downloading it first
// if this computer does not hold it.
func (v *reviewView) openAttachment(f model.Attachment) {
	v.d.run(func() func() {
		ctx, cancel := v.d.ctx()
		defer cancel()
		_, err := v.d.app.Reviews.OpenAttachment(ctx, f)
		return func() {
			if err != nil {
				v.say("附件无法打开："+app.Explain(err), true)
			}
		}
	})
}

func holderText(d app.ReviewDetail) string {
	if n := d.UnitNames[d.Application.HolderUnitID]; n != "" {
		return "（" + n + "）"
	}
	return ""
}

func timeText(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}
