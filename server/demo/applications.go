package demo

import (
	"fmt"
	"time"

	"titledesk/model"
)

var provinces = []string{"12", "12", "12", "12", "12", "12", "12", "13", "37", "41", "11", "21", "14", "34"}

// stageWeight is how often an application is left at a stage of its path,
// so every department queue is well stocked.
var stageWeight = map[model.Stage]int{
	model.StageDraft: 2, model.StageUnitReview: 3, model.StageOwnUnit: 12, model.StageSubordinate: 12,
	model.StageForward: 8, model.StageSelfAppoint: 8, model.StageExam: 8,
	model.StageCommittee: 4, model.StageCityOffice: 4, model.StageCertified: 5,
}

func profileOf(s model.Series) seriesProfile {
	if p, ok := profiles[s]; ok {
		return p
	}
	label := s.Label()
	return seriesProfile{specialties: []string{label}, titles: [5]string{"员级" + label, "助理级" + label, "中级" + label, "副高级" + label, "正高级" + label}}
}

func levelIndex(l model.Level) int {
	for i, x := range model.AllLevels {
		if x == l {
			return i
		}
	}
	return 2
}

func (g *gen) weighted(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

func (g *gen) mobile() string {
	return fmt.Sprintf("1%d%09d", []int{3, 5, 7, 8, 9}[g.r.IntN(5)], g.r.IntN(1000000000))
}

// idNumber hands out a valid ID number not used before.
func (g *gen) idNumber(male bool, fromYear, toYear int) string {
	for {
		birth := time.Date(fromYear+g.r.IntN(toYear-fromYear+1), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
		id := model.MakeIDNumber(provinces[g.r.IntN(len(provinces))], model.DateOf(birth), g.r.IntN(1000), male)
		if !g.ids[id] {
			g.ids[id] = true
			return id
		}
	}
}

func (g *gen) buildApplications(n int, demoShare float64) error {
	for i := 0; i < n; i++ {
		t := g.depts[0]
		if g.r.Float64() >= demoShare {
			t = g.depts[1+g.r.IntN(len(g.depts)-1)]
		}
		unit := t.dept
		if g.r.IntN(10) >= 3 {
			unit = t.members[g.r.IntN(len(t.members))]
		}
		ap := g.applicant(unit)
		app, err := g.application(ap, t.spec.series)
		if err != nil {
			return fmt.Errorf("generate application %d: %w", i, err)
		}
		g.w.Applicants = append(g.w.Applicants, ap)
		g.w.Applications = append(g.w.Applications, app)
		if t.dept.ID == DemoDepartmentID && g.nApplicantAccounts() < 10 {
			g.addAccount(fmt.Sprintf("app%04d", g.nApplicantAccounts()+1), model.RoleApplicant, "", ap.ID, ap.Name)
		}
	}
	return nil
}

func (g *gen) nApplicantAccounts() int {
	n := 0
	for _, a := range g.w.Accounts {
		if a.Account.Role == model.RoleApplicant {
			n++
		}
	}
	return n
}

func (g *gen) applicant(unit model.Unit) model.Applicant {
	male := g.r.IntN(2) == 0
	id := g.idNumber(male, 1968, 2000)
	info, _ := model.ParseIDNumber(id)
	edu := educations[g.r.IntN(len(educations))]
	birthYear, _ := info.BirthDate.Time()
	grad := time.Date(birthYear.Year()+22+g.r.IntN(6), 7, 1, 0, 0, 0, 0, time.UTC)
	if limit := time.Date(g.now.Year()-2, 7, 1, 0, 0, 0, 0, time.UTC); grad.After(limit) {
		grad = limit // applicants have worked at least a year
	}
	work := grad.AddDate(0, 1+g.r.IntN(3), 0)
	ap := model.Applicant{
		ID: g.newID(), UnitID: unit.ID, Name: g.personName(male), IDNumber: id, Gender: info.Gender, BirthDate: info.BirthDate,
		Phone: g.mobile(), Education: edu.education, Degree: edu.degree, School: g.pick(schools),
		Major:          g.pick([]string{"农学", "植物保护", "机械工程", "临床医学", "会计学", "经济学", "计算机科学与技术", "汉语言文学", "生物科学", "土木工程"}),
		GraduationDate: model.DateOf(grad), WorkStartDate: model.DateOf(work),
		CurrentTitle:     g.pick([]string{"助理工程师", "工程师", "农艺师", "主治医师", "讲师", "经济师", "会计师", "无"}),
		CurrentTitleDate: model.DateOf(work.AddDate(3+g.r.IntN(5), 0, 0)), Position: g.pick([]string{"技术员", "课题组长", "主管", "科员", "副主任", "项目负责人"}),
		Version: 1, UpdatedAt: g.now.AddDate(0, -3, 0),
	}
	if t, _ := ap.CurrentTitleDate.Time(); t.After(g.now.AddDate(-1, 0, 0)) {
		// Too young for a current title: none yet, and no date.
		ap.CurrentTitle, ap.CurrentTitleDate = "无", ""
	}
	if ap.CurrentTitle == "无" {
		ap.CurrentTitleDate = ""
	}
	return ap
}

// application draws an application and walks it through the real state
// machine to a stage chosen by stageWeight (or returns it to the applicant).
func (g *gen) application(ap model.Applicant, series []model.Series) (model.Application, error) {
	s := series[g.r.IntN(len(series))]
	p := profileOf(s)
	level := model.AllLevels[g.weighted([]int{5, 15, 40, 30, 10})]
	method := model.AllMethods[g.weighted([]int{60, 25, 15})]
	year := g.now.Year()
	past := g.r.IntN(100) < 15
	base := g.now.AddDate(0, 0, -5-g.r.IntN(85))
	if past {
		year -= 1 + g.r.IntN(4)
		base = time.Date(year, time.Month(3+g.r.IntN(6)), 1+g.r.IntN(28), 9, 0, 0, 0, time.Local)
	}
	base = base.Truncate(time.Hour).Add(9 * time.Hour)
	app := model.Application{
		ID: g.newID(), ApplicantID: ap.ID, UnitID: ap.UnitID, Year: year, Series: s, Specialty: g.pick(p.specialties),
		Level: level, TitleName: p.titles[levelIndex(level)], Method: method, Stage: model.StageDraft, Version: 1,
		Achievements: g.achievements(s), UpdatedAt: base.AddDate(0, 0, -3),
	}
	snaps, err := g.walk(app, ap, base)
	if err != nil {
		return app, err
	}
	return g.settle(snaps, past)
}

func (g *gen) achievements(s model.Series) string {
	return fmt.Sprintf("近五年主持或参与%s相关项目%d项，发表论文%d篇（其中核心期刊%d篇），获得专利%d项；%s。",
		s.Label(), 1+g.r.IntN(6), 2+g.r.IntN(8), g.r.IntN(4), g.r.IntN(3),
		g.pick([]string{"获天津市科学技术进步奖三等奖1项", "参与制定地方标准1项", "指导青年技术人员3名", "完成技术推广面积2万亩", "年度考核连续三年优秀"}))
}

// walk applies submit and then every pass to the end of the path, keeping a
// snapshot after each step. Steps are one to three days apart.
func (g *gen) walk(app model.Application, ap model.Applicant, at time.Time) ([]model.Application, error) {
	snaps := []model.Application{app}
	env := model.Env{Now: at, Units: g, Calendar: g.cal}
	cur, err := model.Apply(app, model.Actor{Role: model.RoleApplicant, ApplicantID: ap.ID, Person: ap.Name},
		model.Transition{Action: model.ActionSubmit, Applicant: &ap}, env)
	if err != nil {
		return nil, err
	}
	for step := 0; step < 20; step++ {
		snaps = append(snaps, cur)
		if cur.Stage == model.StageCertified {
			return snaps, nil
		}
		env.Now = env.Now.Add(time.Duration(24+g.r.IntN(48)) * time.Hour)
		if cur, err = model.Apply(cur, g.actorFor(cur), g.passFor(cur, env.Now), env); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("path of application did not end")
}

func (g *gen) actorFor(app model.Application) model.Actor {
	role := map[model.Stage]model.Role{model.StageUnitReview: model.RoleEmployer, model.StageCommittee: model.RoleCityOffice,
		model.StageCityOffice: model.RoleCityOffice}[app.Stage]
	if role == "" {
		role = model.RoleDepartment
	}
	return model.Actor{Role: role, UnitID: app.HolderUnitID, Person: g.persons[app.HolderUnitID]}
}

func (g *gen) passFor(app model.Application, at time.Time) model.Transition {
	switch {
	case app.Stage == model.StageOwnUnit, app.Stage == model.StageUnitReview && app.HolderUnitID == app.UnitID:
		return model.Transition{Action: model.ActionPass, Opinion: g.pick(stockComments[:2]), Recommendation: g.recommendation(app, at)}
	case app.Stage == model.StageSelfAppoint:
		return model.Transition{Action: model.ActionPass, Opinion: "聘任程序规范，同意聘任。", Appointment: &model.Appointment{
			AppointDate: model.DateOf(at), Post: "专业技术岗位", PostLevel: postLevel(app.Level), TermYears: 3,
			DocumentNo: fmt.Sprintf("津人聘〔%d〕%d号", at.Year(), 1+g.r.IntN(300))},
			Attachments: []model.Attachment{g.files.appointment.Attachment}}
	case app.Stage == model.StageCityOffice:
		return model.Transition{Action: model.ActionCertify, Opinion: "准予发放电子证书。",
			CertificateNo: fmt.Sprintf("TJ%d%08d", at.Year(), g.r.IntN(100000000))}
	case app.Stage == model.StageCommittee:
		return model.Transition{Action: model.ActionPass, Opinion: "经评审委员会评议，表决通过。"}
	}
	return model.Transition{Action: model.ActionPass, Opinion: g.pick([]string{"同意上报。", "经审核，材料齐全，同意。", "同意推荐。"})}
}

func postLevel(l model.Level) string {
	return map[model.Level]string{model.LevelSenior: "专业技术二级岗位", model.LevelAssociateSenior: "专业技术五级岗位",
		model.LevelIntermediate: "专业技术八级岗位", model.LevelJuniorAssistant: "专业技术十一级岗位", model.LevelJuniorStaff: "专业技术十三级岗位"}[l]
}

// recommendation fills 推荐和公示情况 with a publicity period of five or six
// working days that ended the day before the unit's pass (BEY-2: never
// later, whatever holidays fall in it).
func (g *gen) recommendation(app model.Application, at time.Time) *model.Recommendation {
	end := model.ChinaDate(at).AddDays(-1)
	start := end
	want := 5 + g.r.IntN(2)
	for g.cal.WorkingDays(start, end) < want {
		start = start.AddDays(-1)
	}
	size := 5 + 2*g.r.IntN(4)
	against := g.r.IntN(2)
	files := []model.Attachment{g.files.publicity.Attachment}
	if u, _ := g.Unit(app.UnitID); u.PostManaged {
		files = append(files, g.files.postStatus.Attachment)
	}
	return &model.Recommendation{PublicityStart: start, PublicityEnd: end, PublicityMethod: "单位公告栏及内网公示",
		PublicityPlace: "本单位办公楼一楼公告栏", PublicityResult: "公示期内无异议", GroupOpinion: "经推荐小组评议，同意推荐。",
		GroupSize: size, VotesFor: size - against, VotesAgainst: against, Attachments: files}
}

// settle picks where the application stops: a weighted snapshot of its path,
// or a return to the applicant (7%, or a quarter of past years' ones).
func (g *gen) settle(snaps []model.Application, past bool) (model.Application, error) {
	last := snaps[len(snaps)-1]
	if past {
		if g.r.IntN(4) > 0 {
			return last, nil
		}
	} else if g.r.IntN(100) >= 7 {
		weights := make([]int, 0, len(snaps))
		for _, s := range snaps {
			w := stageWeight[s.Stage]
			if s.UpdatedAt.After(g.now) {
				w = 0
			}
			weights = append(weights, w)
		}
		if sum(weights) > 0 {
			return snaps[g.weighted(weights)], nil
		}
	}
	var open []model.Application
	for _, s := range snaps {
		if _, ok := reviewers[s.Stage]; ok && s.UpdatedAt.Add(72*time.Hour).Before(g.now) {
			open = append(open, s)
		}
	}
	if len(open) == 0 {
		return snaps[0], nil
	}
	at := open[g.r.IntN(len(open))]
	env := model.Env{Now: at.UpdatedAt.Add(time.Duration(24+g.r.IntN(48)) * time.Hour), Units: g, Calendar: g.cal}
	return model.Apply(at, g.actorFor(at), model.Transition{Action: model.ActionReject, Opinion: g.pick(stockComments[2:])}, env)
}

var reviewers = map[model.Stage]bool{model.StageUnitReview: true, model.StageOwnUnit: true, model.StageSubordinate: true,
	model.StageForward: true, model.StageSelfAppoint: true, model.StageExam: true}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
