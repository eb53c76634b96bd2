package report

import (
	"fmt"
	"strings"
	"time"

	"titledesk/model"
)

// cst is the zone the fixtures are generated in (China Standard Time).
var cst = time.FixedZone("CST", 8*3600)

// fixedNow is the generation time every test prints.
var fixedNow = time.Date(2026, 11, 27, 9, 0, 0, 0, cst)

const fixedNowText = "生成时间：2026-11-27 09:00"

func at(month, day, hour, minute int) time.Time {
	return time.Date(2026, time.Month(month), day, hour, minute, 0, 0, cst).UTC()
}

func ptrTime(t time.Time) *time.Time { return &t }

// panelFixture is a 社会化评审 application with 推荐和公示情况, waiting in
// 待呈报人员审核.
func panelFixture() SheetInput {
	app := model.Application{
		ID: "SB-2026-000123", ApplicantID: "p-1", UnitID: "u-1", Year: 2026,
		Series: "engineering", Specialty: "建筑工程（结构设计）", Level: model.LevelAssociateSenior,
		TitleName: "高级工程师", Method: model.MethodPanelReview, Stage: model.StageForward,
		Achievements: "主持天津市滨海新区综合交通枢纽结构设计，负责大跨度钢结构屋盖的方案比选与施工图设计，" +
			"获2024年度天津市优秀勘察设计一等奖（排名第一）。参与编制《天津市装配式混凝土结构技术规程》DB12/T 1234-2023。\n" +
			"在《建筑结构学报》等核心期刊发表论文3篇，取得发明专利1项（ZL202310123456.7）。",
		SubmittedAt: ptrTime(at(9, 15, 10, 30)),
		Recommendation: &model.Recommendation{
			PublicityStart: "2026-09-22", PublicityEnd: "2026-09-28",
			PublicityMethod: "单位内网及公告栏", PublicityPlace: "天津市建筑设计研究院一楼公告栏",
			PublicityResult: "公示期内无异议", GroupOpinion: "该同志业绩突出，符合高级工程师申报条件，同意推荐。",
			GroupSize: 7, VotesFor: 6, VotesAgainst: 0, VotesAbstain: 1,
			Attachments: []model.Attachment{
				{SHA256: strings.Repeat("ab", 32), Name: "公示情况说明.pdf", Kind: model.AttachPublicity, Size: 245_760, ContentType: "application/pdf"},
			},
		},
		Attachments: []model.Attachment{
			{SHA256: strings.Repeat("3f", 32), Name: "专业技术人员职称申报表.pdf", Kind: model.AttachApplicant, Size: 1_572_864, ContentType: "application/pdf"},
			{SHA256: strings.Repeat("c0", 32), Name: "事业单位岗位情况表.jpg", Kind: model.AttachPostStatusForm, Size: 512_000, ContentType: "image/jpeg"},
			{SHA256: strings.Repeat("9d", 32), Name: "推荐材料.png", Kind: model.AttachRecommendation, Size: 980, ContentType: "image/png"},
		},
		Flow: []model.FlowStep{
			{Seq: 1, UnitName: "申报人", Person: "张伟", Action: model.ActionSubmit, At: at(9, 15, 10, 30)},
			{Seq: 2, UnitName: "天津市建筑设计研究院有限公司", Person: "刘芳", Action: model.ActionPass,
				Opinion: "经审核，申报材料真实完整，同意推荐。", At: at(9, 18, 14, 5)},
			{Seq: 3, UnitName: "天津市住房和城乡建设委员会", Person: "赵敏", Action: model.ActionReject,
				Opinion: "论文检索证明缺少页码，请补充后重新提交。", At: at(9, 20, 9, 12)},
			{Seq: 4, UnitName: "申报人", Person: "张伟", Action: model.ActionSubmit, At: at(9, 21, 16, 40)},
			{Seq: 5, UnitName: "天津市建筑设计研究院有限公司", Person: "刘芳", Action: model.ActionPass,
				Opinion: "已补充检索证明，同意推荐。", At: at(9, 22, 8, 55)},
			{Seq: 6, UnitName: "天津市住房和城乡建设委员会", Person: "赵敏", Action: model.ActionPass,
				Opinion: "材料齐全，业绩条件符合《天津市工程技术人员职称评价标准》，同意报送评委会。", At: at(10, 9, 11, 20)},
		},
	}
	return SheetInput{
		Application: app,
		Applicant: model.Applicant{
			ID: "p-1", UnitID: "u-1", Name: "张伟", IDNumber: model.MakeIDNumber("12", "1985-03-12", 123, true),
			Gender: model.GenderMale, BirthDate: "1985-03-12", Phone: "13802150123",
			Education: "研究生", Degree: "工学硕士", School: "天津大学", Major: "结构工程",
			GraduationDate: "2010-07-01", WorkStartDate: "2010-07-15",
			CurrentTitle: "工程师", CurrentTitleDate: "2015-12-30", Position: "结构专业负责人",
		},
		UnitName:    "天津市建筑设计研究院有限公司",
		GeneratedAt: fixedNow,
	}
}

// appointFixture is a 自主聘任 application with 聘任信息.
func appointFixture() SheetInput {
	app := model.Application{
		ID: "SB-2026-000456", ApplicantID: "p-2", UnitID: "u-2", Year: 2026,
		Series: "health", Specialty: "内科学", Level: model.LevelIntermediate,
		TitleName: "主治医师", Method: model.MethodSelfAppointment, Stage: model.StageCityOffice,
		Achievements: "从事心血管内科临床工作十年，年均门诊量4000人次。",
		Appointment: &model.Appointment{AppointDate: "2026-10-01", Post: "心血管内科主治医师",
			PostLevel: "专业技术十级", TermYears: 3, DocumentNo: "津医大总院人〔2026〕15号"},
		Flow: []model.FlowStep{
			{Seq: 1, UnitName: "申报人", Person: "李娜", Action: model.ActionSubmit, At: at(9, 1, 9, 0)},
			{Seq: 2, UnitName: "天津医科大学总医院", Person: "孙丽", Action: model.ActionPass,
				Opinion: "同意聘任。", At: at(9, 3, 15, 30)},
		},
	}
	return SheetInput{
		Application: app,
		Applicant: model.Applicant{
			ID: "p-2", Name: "李娜", IDNumber: model.MakeIDNumber("12", "1990-11-02", 246, false),
			Gender: model.GenderFemale, BirthDate: "1990-11-02", Phone: "022-60362255",
			Education: "大学本科", Degree: "医学学士", School: "天津医科大学", Major: "临床医学",
			WorkStartDate: "2014-08-01", CurrentTitle: "住院医师", CurrentTitleDate: "2016-06-30",
		},
		UnitName:    "天津医科大学总医院",
		GeneratedAt: fixedNow,
	}
}

// longOpinion is n characters of realistic opinion text; it names its step
// and ends with a marker so tests can find where it ends.
func longOpinion(step, n int) string {
	const base = "经复核，该同志申报材料中业绩证明、论文检索报告及继续教育学时证明齐全，" +
		"所在单位已按规定进行公示，公示期间未收到异议，推荐程序符合要求；" +
		"同时提醒申报人注意核对专业技术工作经历中的起止时间，确保与档案记载一致。"
	head := fmt.Sprintf("第%d条意见：", step)
	tail := fmt.Sprintf("（第%d条意见完）", step)
	rs := []rune(base)
	var b strings.Builder
	b.WriteString(head)
	for i := 0; len([]rune(b.String()))+len([]rune(tail)) < n; i++ {
		b.WriteRune(rs[i%len(rs)])
	}
	b.WriteString(tail)
	return b.String()
}

// longFlowFixture has 30 flow steps with opinions of about 2,000 characters.
func longFlowFixture(opinionLen int) SheetInput {
	in := panelFixture()
	in.Application.ID = "SB-2026-000789"
	in.Applicant.Name = "王建国"
	in.Applicant.IDNumber = model.MakeIDNumber("13", "1978-06-30", 57, true)
	in.Application.Flow = nil
	units := []string{"天津市建筑设计研究院有限公司", "天津市住房和城乡建设委员会", "天津市人力资源和社会保障局职称办"}
	for i := range 30 {
		in.Application.Flow = append(in.Application.Flow, model.FlowStep{
			Seq: i + 1, UnitName: units[i%len(units)], Person: "经办人" + string(rune('甲'+i%10)),
			Action:  []model.Action{model.ActionPass, model.ActionReject, model.ActionWithdraw}[i%3],
			Opinion: longOpinion(i+1, opinionLen), At: at(10, 1+i%28, 8+i%9, i%60),
		})
	}
	return in
}
