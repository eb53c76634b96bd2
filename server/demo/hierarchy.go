package demo

import (
	"fmt"

	"titledesk/model"
)

// Well-known IDs, so tests and the README can name them.
const (
	CityOfficeID     = "00000000-0000-4000-8000-000000000001"
	DemoDepartmentID = "00000000-0000-4000-8000-000000000002"
)

// buildHierarchy makes the city office, the departments (the first is the
// demo department), a sub-department under each of the first four, and
// employer units three levels deep.
func (g *gen) buildHierarchy() {
	g.city = g.addUnit(model.Unit{ID: CityOfficeID, Kind: model.UnitCityOffice, Name: "天津市职称工作办公室", Type: model.UnitTypeAgency})
	g.addAccount("city", model.RoleCityOffice, g.city.ID, "", g.persons[g.city.ID])
	for i, spec := range departmentSpecs {
		d := model.Unit{Kind: model.UnitDepartment, ParentID: g.city.ID, Name: spec.name, Type: spec.unitType,
			PostManaged: spec.unitType == model.UnitTypeInstitution}
		username := fmt.Sprintf("dept%02d", i+1)
		if i == 0 {
			d.ID, username = DemoDepartmentID, DemoUsername
		}
		d = g.addUnit(d)
		g.addAccount(username, model.RoleDepartment, d.ID, "", g.persons[d.ID])
		t := deptTree{spec: spec, dept: d, members: []model.Unit{d}}
		for j, name := range spec.units {
			t.members = append(t.members, g.employerBranch(d.ID, name, j)...)
		}
		if i < 4 {
			t.members = append(t.members, g.subDepartment(d, i)...)
		}
		g.depts = append(g.depts, t)
	}
}

// employerBranch adds an employer unit under parent with up to two levels of
// sub-units below it, and returns them all.
func (g *gen) employerBranch(parent, name string, j int) []model.Unit {
	typ := model.UnitTypeInstitution
	if g.r.IntN(3) == 0 {
		typ = model.UnitTypeEnterprise
	}
	top := g.addUnit(model.Unit{Kind: model.UnitEmployer, ParentID: parent, Name: name, Type: typ,
		PostManaged: typ == model.UnitTypeInstitution && g.r.IntN(2) == 0})
	g.addAccount(fmt.Sprintf("unit%04d", g.nAccount), model.RoleEmployer, top.ID, "", g.persons[top.ID])
	out := []model.Unit{top}
	for k := 0; k < 1+(j+1)%3; k++ {
		mid := g.addUnit(model.Unit{Kind: model.UnitEmployer, ParentID: top.ID, Name: name + subUnitSuffixes[(j+k)%len(subUnitSuffixes)],
			Type: typ, PostManaged: top.PostManaged})
		g.addAccount(fmt.Sprintf("unit%04d", g.nAccount), model.RoleEmployer, mid.ID, "", g.persons[mid.ID])
		out = append(out, mid)
		if k == 0 {
			leaf := g.addUnit(model.Unit{Kind: model.UnitEmployer, ParentID: mid.ID, Name: mid.Name + "第一课题组",
				Type: typ, PostManaged: top.PostManaged})
			g.addAccount(fmt.Sprintf("unit%04d", g.nAccount), model.RoleEmployer, leaf.ID, "", g.persons[leaf.ID])
			out = append(out, leaf)
		}
	}
	return out
}

var subDepartmentNames = []string{"天津市种业振兴服务中心", "天津市教育招生考试院", "天津市疾病预防控制中心", "天津市科技创新服务中心"}

// subDepartment adds a 职称业务主管部门 below a department, with units of its
// own: applications from there pass two departments (multi-level paths).
func (g *gen) subDepartment(d model.Unit, i int) []model.Unit {
	sd := g.addUnit(model.Unit{Kind: model.UnitDepartment, ParentID: d.ID, Name: subDepartmentNames[i],
		Type: model.UnitTypeInstitution, PostManaged: true})
	g.addAccount(fmt.Sprintf("dept%02da", i+1), model.RoleDepartment, sd.ID, "", g.persons[sd.ID])
	out := []model.Unit{sd}
	out = append(out, g.employerBranch(sd.ID, sd.Name+"直属站", 1)...)
	return out
}

// buildRegistrations adds self-registered units waiting for their chosen
// superior (UNIT-1): four pending and one returned for the demo department,
// one pending for each other department.
func (g *gen) buildRegistrations() {
	names := []string{"天津绿源农业科技有限公司", "天津市金穗种业有限公司", "天津海丰水产研究中心", "天津市惠农合作社联合社", "天津益农信息服务有限公司"}
	for i, t := range g.depts {
		n := 1
		if i == 0 {
			n = len(names)
		}
		for k := 0; k < n; k++ {
			name := fmt.Sprintf("%s下属新注册单位%d", t.dept.Name, k+1)
			if i == 0 {
				name = names[k]
			}
			u := g.addUnit(model.Unit{Kind: model.UnitEmployer, Name: name, Type: model.UnitTypeEnterprise})
			g.addAccount(fmt.Sprintf("reg%04d", g.nAccount), model.RoleEmployer, u.ID, "", g.persons[u.ID])
			proposed := u
			proposed.ParentID = t.dept.ID
			reg := model.Registration{ID: g.newID(), Unit: proposed, Status: model.RegistrationPending,
				SubmittedAt: g.now.AddDate(0, 0, -1-g.r.IntN(20)), Version: 1}
			if i == 0 && k == n-1 {
				at := reg.SubmittedAt.Add(48 * 3600e9)
				reg.Status, reg.Reason, reg.DecidedAt = model.RegistrationRejected, "非本单位下级单位，请选择正确的上级单位后重新提交。", &at
			}
			g.w.Registrations = append(g.w.Registrations, reg)
		}
	}
}

// buildCommittees adds one senior committee per series and a few intermediate ones.
func (g *gen) buildCommittees() {
	for _, s := range model.AllSeries {
		g.w.Committees = append(g.w.Committees, model.Committee{ID: g.newID(), Series: s.Code, Level: model.LevelSenior,
			Name: "天津市" + s.Label + "高级职称评审委员会", Version: 1})
	}
	for _, s := range []model.Series{"engineering", "agriculture", "economics", "health"} {
		g.w.Committees = append(g.w.Committees, model.Committee{ID: g.newID(), Series: s, Level: model.LevelIntermediate,
			Name: "天津市" + s.Label() + "中级职称评审委员会", Version: 1})
	}
}

func (g *gen) committeesOf(s model.Series) []model.Committee {
	var out []model.Committee
	for _, c := range g.w.Committees {
		if c.Series == s {
			out = append(out, c)
		}
	}
	return out
}

// buildExperts adds experts each department recommended, with a status per committee.
func (g *gen) buildExperts() {
	statuses := []model.ExpertStatus{model.ExpertRecommended, model.ExpertRecommended, model.ExpertAccepted, model.ExpertDeclined}
	for i, t := range g.depts {
		n := 3
		if i == 0 {
			n = 12
		}
		for k := 0; k < n; k++ {
			male := g.r.IntN(3) > 0
			series := t.spec.series[k%len(t.spec.series)]
			p := profileOf(series)
			level := model.LevelSenior
			if k%3 == 0 {
				level = model.LevelAssociateSenior
			}
			e := model.Expert{ID: g.newID(), UnitID: t.dept.ID, Name: g.personName(male), IDNumber: g.idNumber(male, 1960, 1980),
				Phone: g.mobile(), Title: p.titles[levelIndex(level)], Level: level, Series: series,
				Specialty: g.pick(p.specialties), WorkUnit: t.members[g.r.IntN(len(t.members))].Name,
				Position: g.pick([]string{"室主任", "副所长", "总工程师", "科长", "首席专家", "副主任"}), Version: 1,
				UpdatedAt: g.now.AddDate(0, 0, -g.r.IntN(90))}
			e.Gender = model.GenderFemale
			if male {
				e.Gender = model.GenderMale
			}
			for j, c := range g.committeesOf(series) {
				if j > 1 {
					break
				}
				e.Recommendations = append(e.Recommendations, model.ExpertRecommendation{CommitteeID: c.ID,
					Status: statuses[(k+j)%len(statuses)], At: e.UpdatedAt})
			}
			g.w.Experts = append(g.w.Experts, e)
		}
	}
}

// markEconomics sets HasEconomicsApplicants and fills the four HOME-2 fields
// for most such units — but not the demo department, so the dashboard shows
// its warning and the form its field-level messages.
func (g *gen) markEconomics() {
	econ := map[string]bool{}
	for _, a := range g.w.Applications {
		if a.Series == model.SeriesEconomics {
			econ[a.UnitID] = true
		}
	}
	for i, u := range g.w.Units {
		if !econ[u.ID] {
			continue
		}
		u.HasEconomicsApplicants = true
		if u.ID != DemoDepartmentID {
			u.EconomicType = g.pick(model.EconomicTypes[:7]) // the form's choices (HOME-2)
			u.Industry = g.pick([]string{"农、林、牧、渔业", "制造业", "金融业", "交通运输、仓储和邮政业", "科学研究和技术服务业", "卫生和社会工作"})
			u.StaffCount = 50 + g.r.IntN(5000)
			u.Revenue = fmt.Sprintf("%d", 500+g.r.IntN(200000))
		}
		g.w.Units[i] = u
		g.units[u.ID] = u
	}
}

// buildMessages: the city office notifies every department (the demo
// department has read half), and each department has a sent history.
func (g *gen) buildMessages() {
	var all []model.Recipient
	for _, t := range g.depts {
		all = append(all, model.Recipient{Kind: model.RecipientUnit, ID: t.dept.ID, Name: t.dept.Name})
	}
	for i, m := range messageTitles {
		read := map[string]bool{}
		for k, rc := range all {
			if (k == 0 && i < 3) || (k > 0 && g.r.IntN(2) == 0) {
				read[rc.ID] = true
			}
		}
		g.w.Messages = append(g.w.Messages, MessageSeed{
			Message: model.Message{ID: g.newID(), SenderUnitID: g.city.ID, SenderName: g.city.Name, Title: m.title, Body: m.body,
				SentAt: g.now.AddDate(0, 0, -2*(len(messageTitles)-i)).Add(-3 * 3600e9), Version: 1},
			Recipients: all, ReadBy: read,
		})
	}
	for _, t := range g.depts {
		var rcpt []model.Recipient
		for _, u := range t.members[1:min(4, len(t.members))] {
			rcpt = append(rcpt, model.Recipient{Kind: model.RecipientUnit, ID: u.ID, Name: u.Name})
		}
		g.w.Messages = append(g.w.Messages, MessageSeed{
			Message: model.Message{ID: g.newID(), SenderUnitID: t.dept.ID, SenderName: t.dept.Name,
				Title: "请及时审核本单位职称申报材料", Body: "各单位：请于本月底前完成本单位申报人员的材料审核和推荐公示工作，逾期将影响申报。",
				SentAt: g.now.AddDate(0, 0, -5), Version: 1},
			Recipients: rcpt, ReadBy: map[string]bool{},
		})
	}
}

// buildStockComments gives every department account the usual 常用意见.
func (g *gen) buildStockComments() {
	for _, a := range g.w.Accounts {
		if a.Account.Role != model.RoleDepartment {
			continue
		}
		for i, text := range stockComments {
			g.w.StockComments = append(g.w.StockComments, StockCommentSeed{AccountID: a.Account.ID,
				Comment: model.StockComment{ID: g.newID(), Text: text, Position: i + 1, Version: 1}})
		}
	}
}
