package model

import (
	"strings"
	"testing"
)

func validRecommendation() Recommendation {
	return Recommendation{
		PublicityStart:  "2025-06-09",
		PublicityEnd:    "2025-06-13",
		PublicityMethod: "单位内网及公告栏",
		PublicityPlace:  "单位一楼公告栏",
		PublicityResult: "公示期内无异议",
		GroupOpinion:    "同意推荐",
		GroupSize:       7,
		VotesFor:        6,
		VotesAgainst:    1,
	}
}

func TestRecommendationValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(r *Recommendation)
		code   string
		fields map[string]string
	}{
		{"valid", func(r *Recommendation) {}, "", nil},
		{"three members two for", func(r *Recommendation) { r.GroupSize, r.VotesFor, r.VotesAgainst = 3, 2, 1 }, "", nil},
		{"missing dates", func(r *Recommendation) { r.PublicityStart, r.PublicityEnd = "", "" }, CodeRecommendation,
			map[string]string{"publicity_start": "请填写公示开始日期", "publicity_end": "请填写公示结束日期"}},
		{"invalid start", func(r *Recommendation) { r.PublicityStart = "2025-02-30" }, CodeRecommendation,
			map[string]string{"publicity_start": "公示开始日期无效"}},
		{"end before start", func(r *Recommendation) { r.PublicityEnd = "2025-06-01" }, CodeRecommendation,
			map[string]string{"publicity_end": "公示结束日期不得早于开始日期"}},
		{"too short alone", func(r *Recommendation) { r.PublicityEnd = "2025-06-12" }, CodePublicityTooShort,
			map[string]string{"publicity_end": "公示期为4个工作日，不得少于5个工作日"}},
		{"too short with other problems", func(r *Recommendation) { r.PublicityEnd = "2025-06-12"; r.PublicityPlace = " " }, CodePublicityTooShort,
			map[string]string{"publicity_end": "公示期为4个工作日，不得少于5个工作日", "publicity_place": "请填写公示地点"}},
		{"method", func(r *Recommendation) { r.PublicityMethod = "" }, CodeRecommendation,
			map[string]string{"publicity_method": "请填写公示方式"}},
		{"place", func(r *Recommendation) { r.PublicityPlace = "\t" }, CodeRecommendation,
			map[string]string{"publicity_place": "请填写公示地点"}},
		{"result", func(r *Recommendation) { r.PublicityResult = "" }, CodeRecommendation,
			map[string]string{"publicity_result": "请填写公示结果"}},
		{"group opinion", func(r *Recommendation) { r.GroupOpinion = "" }, CodeRecommendation,
			map[string]string{"group_opinion": "请填写推荐小组意见"}},
		{"group of two", func(r *Recommendation) { r.GroupSize, r.VotesFor, r.VotesAgainst = 2, 2, 0 }, CodeRecommendation,
			map[string]string{"group_size": "推荐小组人数不得少于3人"}},
		{"negative votes", func(r *Recommendation) { r.VotesAgainst, r.VotesAbstain = -1, -2 }, CodeRecommendation,
			map[string]string{"votes_against": "票数不能为负数", "votes_abstain": "票数不能为负数"}},
		{"negative for", func(r *Recommendation) { r.VotesFor = -6 }, CodeRecommendation,
			map[string]string{"votes_for": "票数不能为负数"}},
		{"votes exceed group", func(r *Recommendation) { r.VotesAbstain = 1 }, CodeRecommendation,
			map[string]string{"votes_for": "赞成、反对、弃权票数之和不得超过推荐小组人数"}},
		{"exactly half", func(r *Recommendation) { r.GroupSize, r.VotesFor, r.VotesAgainst = 8, 4, 4 }, CodeRecommendation,
			map[string]string{"votes_for": "赞成票未超过推荐小组人数的半数"}},
		{"majority of voters but not of group", func(r *Recommendation) { r.VotesFor, r.VotesAgainst = 3, 0 }, CodeRecommendation,
			map[string]string{"votes_for": "赞成票未超过推荐小组人数的半数"}},
		{"empty form", func(r *Recommendation) { *r = Recommendation{} }, CodeRecommendation,
			map[string]string{"publicity_start": "*", "publicity_end": "*", "publicity_method": "*", "publicity_place": "*",
				"publicity_result": "*", "group_opinion": "*", "group_size": "*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validRecommendation()
			tt.edit(&r)
			checkFormError(t, r.Validate(DefaultCalendar()), tt.code, tt.fields)
		})
	}
}

func TestRecommendationValidateUsesCalendar(t *testing.T) {
	r := validRecommendation()
	r.PublicityStart, r.PublicityEnd = "2025-09-29", "2025-10-09" // 29, 30, 9 under the default calendar
	if err := r.Validate(nil); AsError(err).Code != CodePublicityTooShort {
		t.Fatalf("nil calendar should mean the default one; got %v", err)
	}
	if err := r.Validate(NewCalendar(nil)); err != nil {
		t.Fatalf("without holidays the period has 9 working days: %v", err)
	}
}

func TestAppointmentValidate(t *testing.T) {
	valid := Appointment{AppointDate: "2025-07-01", Post: "专业技术岗位", PostLevel: "七级", TermYears: 3, DocumentNo: "津职聘〔2025〕12号"}
	tests := []struct {
		name   string
		edit   func(a *Appointment)
		fields map[string]string
	}{
		{"valid", func(a *Appointment) {}, nil},
		{"term 1", func(a *Appointment) { a.TermYears = 1 }, nil},
		{"term 10", func(a *Appointment) { a.TermYears = 10 }, nil},
		{"no date", func(a *Appointment) { a.AppointDate = "" }, map[string]string{"appoint_date": "请填写聘任时间"}},
		{"bad date", func(a *Appointment) { a.AppointDate = "2025-7-1" }, map[string]string{"appoint_date": "聘任时间无效"}},
		{"no post", func(a *Appointment) { a.Post = " " }, map[string]string{"post": "请填写聘任岗位"}},
		{"no post level", func(a *Appointment) { a.PostLevel = "" }, map[string]string{"post_level": "请填写岗位等级"}},
		{"term 0", func(a *Appointment) { a.TermYears = 0 }, map[string]string{"term_years": "聘期应为1至10年"}},
		{"term 11", func(a *Appointment) { a.TermYears = 11 }, map[string]string{"term_years": "聘期应为1至10年"}},
		{"term negative", func(a *Appointment) { a.TermYears = -3 }, map[string]string{"term_years": "聘期应为1至10年"}},
		{"no document", func(a *Appointment) { a.DocumentNo = "" }, map[string]string{"document_no": "请填写聘任文号"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid
			tt.edit(&a)
			code := ""
			if tt.fields != nil {
				code = CodeAppointment
			}
			err := a.Validate()
			checkFormError(t, err, code, tt.fields)
			if err != nil && AsError(err).Title != "聘任信息不完整" {
				t.Fatalf("title %q", AsError(err).Title)
			}
		})
	}
}

func TestCreditCode(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"91350100M000100Y43", true}, // the sample code printed in GB 32100-2015 guides
		{MakeCreditCode("91120116MA05X7Y8K"), true},
		{MakeCreditCode("12120000401359321"), true},
		{"91350100M000100Y44", false},
		{"91350100m000100Y43", false},
		{"91350100I000100Y43", false},
		{"91350100M000100Y4", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidCreditCode(tt.in); got != tt.want {
			t.Errorf("ValidCreditCode(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := MakeCreditCode("91350100M000100Y4"); got != "91350100M000100Y43" {
		t.Errorf("MakeCreditCode = %s", got)
	}
	for _, bad := range []string{"", "9135", "91350100O000100Y4", "91350100M000100Y43"} {
		if got := MakeCreditCode(bad); got != bad {
			t.Errorf("MakeCreditCode(%q) = %q, want it unchanged", bad, got)
		}
	}
	// Every check value 0..30 is reachable and round-trips.
	seen := map[byte]bool{}
	for i := 0; i < 2000 && len(seen) < 31; i++ {
		p := []byte("9112000000000000")
		p = append(p, creditCharset[i%31])
		p[10] = creditCharset[i/31%31]
		c := MakeCreditCode(string(p))
		if !ValidCreditCode(c) {
			t.Fatalf("MakeCreditCode gave invalid %s", c)
		}
		seen[c[17]] = true
	}
	if len(seen) != 31 {
		t.Errorf("only %d check characters seen", len(seen))
	}
}

func validUnit() Unit {
	return Unit{
		Kind:       UnitEmployer,
		Name:       "天津市某某工程有限公司",
		CreditCode: MakeCreditCode("91120116MA05X7Y8K"),
		Type:       UnitTypeEnterprise,
		Address:    "天津市滨海新区某路1号",
		PostalCode: "300457",
		Contact:    "王明",
		Phone:      "022-66201234",
		Email:      "hr@example.com.cn",
	}
}

func TestUnitValidate(t *testing.T) {
	withEconomics := func(u *Unit) {
		u.EconomicType, u.Industry, u.StaffCount, u.Revenue = "有限责任公司", "建筑业", 320, "12500.5"
	}
	tests := []struct {
		name      string
		economics bool
		edit      func(u *Unit)
		fields    map[string]string
	}{
		{"valid", false, func(u *Unit) {}, nil},
		{"valid mobile, no email or postcode", false, func(u *Unit) { u.Phone, u.Email, u.PostalCode = "13812345678", "", "" }, nil},
		{"two-character name", false, func(u *Unit) { u.Name = "某局" }, nil},
		{"valid with economics", true, withEconomics, nil},
		{"zero revenue", true, func(u *Unit) { withEconomics(u); u.Revenue = "0" }, nil},
		{"no name", false, func(u *Unit) { u.Name = "  " }, map[string]string{"name": "请填写单位名称"}},
		{"one-character name", false, func(u *Unit) { u.Name = "局" }, map[string]string{"name": "单位名称应为2至100个字"}},
		{"101-character name", false, func(u *Unit) { u.Name = strings.Repeat("天", 101) }, map[string]string{"name": "单位名称应为2至100个字"}},
		{"100-character name", false, func(u *Unit) { u.Name = strings.Repeat("天", 100) }, nil},
		{"no credit code", false, func(u *Unit) { u.CreditCode = "" }, map[string]string{"credit_code": "请填写统一社会信用代码"}},
		{"short credit code", false, func(u *Unit) { u.CreditCode = "9112011" }, map[string]string{"credit_code": "统一社会信用代码应为18位"}},
		{"credit code with O", false, func(u *Unit) { u.CreditCode = "91120116OA05X7Y8K1" }, map[string]string{"credit_code": "统一社会信用代码含有非法字符（应为数字或大写字母，不含I、O、S、V、Z）"}},
		{"credit code with Chinese", false, func(u *Unit) { u.CreditCode = "911201一MA05X7Y8K12" }, map[string]string{"credit_code": "统一社会信用代码含有非法字符（应为数字或大写字母，不含I、O、S、V、Z）"}},
		{"credit code check", false, func(u *Unit) { u.CreditCode = "91350100M000100Y44" }, map[string]string{"credit_code": "统一社会信用代码校验位错误"}},
		{"no type", false, func(u *Unit) { u.Type = "" }, map[string]string{"type": "请选择单位类型"}},
		{"bad type", false, func(u *Unit) { u.Type = "company" }, map[string]string{"type": "单位类型无效"}},
		{"no kind", false, func(u *Unit) { u.Kind = "" }, map[string]string{"kind": "请选择单位类别"}},
		{"bad kind", false, func(u *Unit) { u.Kind = "school" }, map[string]string{"kind": "单位类别无效"}},
		{"no phone", false, func(u *Unit) { u.Phone = "" }, map[string]string{"phone": "请填写联系电话"}},
		{"bad phone", false, func(u *Unit) { u.Phone = "12345" }, map[string]string{"phone": "*"}},
		{"bad email", false, func(u *Unit) { u.Email = "hr@localhost" }, map[string]string{"email": "电子邮箱格式不正确"}},
		{"email without at", false, func(u *Unit) { u.Email = "hr.example.com" }, map[string]string{"email": "电子邮箱格式不正确"}},
		{"bad postal code", false, func(u *Unit) { u.PostalCode = "30045" }, map[string]string{"postal_code": "邮政编码应为6位数字"}},
		{"letters in postal code", false, func(u *Unit) { u.PostalCode = "30045A" }, map[string]string{"postal_code": "邮政编码应为6位数字"}},
		{"no contact", false, func(u *Unit) { u.Contact = "" }, map[string]string{"contact": "请填写联系人"}},
		{"economics missing all four", true, func(u *Unit) {}, map[string]string{
			"economic_type": economicsRequired, "industry": economicsRequired, "staff_count": economicsRequired, "revenue": economicsRequired}},
		{"economics missing type", true, func(u *Unit) { withEconomics(u); u.EconomicType = "" }, map[string]string{"economic_type": economicsRequired}},
		{"economics missing industry", true, func(u *Unit) { withEconomics(u); u.Industry = " " }, map[string]string{"industry": economicsRequired}},
		{"economics zero staff", true, func(u *Unit) { withEconomics(u); u.StaffCount = 0 }, map[string]string{"staff_count": economicsRequired}},
		{"economics negative staff", true, func(u *Unit) { withEconomics(u); u.StaffCount = -1 }, map[string]string{"staff_count": "从业人员数应为正整数"}},
		{"economics missing revenue", true, func(u *Unit) { withEconomics(u); u.Revenue = "" }, map[string]string{"revenue": economicsRequired}},
		{"negative revenue", true, func(u *Unit) { withEconomics(u); u.Revenue = "-5" }, map[string]string{"revenue": "营业收入不能为负数"}},
		{"revenue not a number", true, func(u *Unit) { withEconomics(u); u.Revenue = "一千万" }, map[string]string{"revenue": "营业收入应为数字（单位：万元）"}},
		{"revenue exponent", true, func(u *Unit) { withEconomics(u); u.Revenue = "1e5" }, map[string]string{"revenue": "营业收入应为数字（单位：万元）"}},
		{"revenue checked even if optional", false, func(u *Unit) { u.Revenue = "abc" }, map[string]string{"revenue": "营业收入应为数字（单位：万元）"}},
		{"economics optional", false, func(u *Unit) { u.EconomicType = "" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := validUnit()
			tt.edit(&u)
			code := ""
			if tt.fields != nil {
				code = CodeUnitForm
			}
			checkFormError(t, u.Validate(tt.economics), code, tt.fields)
		})
	}
	if len(EconomicUnitFields) != 4 {
		t.Fatalf("EconomicUnitFields = %v", EconomicUnitFields)
	}
}

func validExpert() Expert {
	return Expert{
		Name:      "李华",
		IDNumber:  MakeIDNumber("12", "1968-03-12", 31, true),
		Gender:    GenderMale,
		Phone:     "13920001234",
		Title:     "正高级工程师",
		Level:     LevelSenior,
		Series:    "engineering",
		Specialty: "土木工程",
		WorkUnit:  "天津大学",
		Email:     "lihua@tju.edu.cn",
	}
}

func TestExpertValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(e *Expert)
		fields map[string]string
	}{
		{"valid", func(e *Expert) {}, nil},
		{"no gender, no email", func(e *Expert) { e.Gender, e.Email = "", "" }, nil},
		{"lowercase x", func(e *Expert) { e.IDNumber, e.Gender = "11010519491231002x", GenderFemale }, nil},
		{"no name", func(e *Expert) { e.Name = "" }, map[string]string{"name": "请填写姓名"}},
		{"no id", func(e *Expert) { e.IDNumber = " " }, map[string]string{"id_number": "请填写身份证号码"}},
		{"short id", func(e *Expert) { e.IDNumber = "1201011968" }, map[string]string{"id_number": "身份证号码长度应为18位"}},
		{"id check digit", func(e *Expert) { e.IDNumber = "110105194912310021" }, map[string]string{"id_number": "身份证号码校验位错误"}},
		{"id region", func(e *Expert) { e.IDNumber = MakeIDNumber("99", "1968-03-12", 31, true) }, map[string]string{"id_number": "身份证号码地区代码无效"}},
		{"gender mismatch", func(e *Expert) { e.Gender = GenderFemale }, map[string]string{"gender": "性别与身份证号码不符"}},
		{"no phone", func(e *Expert) { e.Phone = "" }, map[string]string{"phone": "请填写手机号码"}},
		{"landline not accepted", func(e *Expert) { e.Phone = "022-27401234" }, map[string]string{"phone": "*"}},
		{"no title", func(e *Expert) { e.Title = "" }, map[string]string{"title": "请填写职称"}},
		{"no series", func(e *Expert) { e.Series = "" }, map[string]string{"series": "请选择职称系列"}},
		{"bad series", func(e *Expert) { e.Series = "cooking" }, map[string]string{"series": "职称系列无效"}},
		{"no level", func(e *Expert) { e.Level = "" }, map[string]string{"level": "请选择职称级别"}},
		{"bad level", func(e *Expert) { e.Level = "master" }, map[string]string{"level": "职称级别无效"}},
		{"no specialty", func(e *Expert) { e.Specialty = "" }, map[string]string{"specialty": "请填写专业"}},
		{"no work unit", func(e *Expert) { e.WorkUnit = "" }, map[string]string{"work_unit": "请填写工作单位"}},
		{"bad email", func(e *Expert) { e.Email = "li@hua" }, map[string]string{"email": "电子邮箱格式不正确"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validExpert()
			tt.edit(&e)
			code := ""
			if tt.fields != nil {
				code = CodeExpertForm
			}
			err := e.Validate()
			checkFormError(t, err, code, tt.fields)
			if err != nil && strings.Contains(err.Error(), NormalizeIDNumber(e.IDNumber)) && len(e.IDNumber) > 8 {
				t.Fatal("error repeats the ID number")
			}
		})
	}
}

func TestValidateMessage(t *testing.T) {
	unit := Recipient{Kind: RecipientUnit, ID: "u1"}
	person := Recipient{Kind: RecipientApplicant, ID: "a1", Name: "张三"}
	tests := []struct {
		name        string
		title, body string
		recipients  []Recipient
		fields      map[string]string
	}{
		{"valid", "关于2025年度职称申报的通知", "请各单位于6月30日前完成审核。", []Recipient{unit, person}, nil},
		{"limits exactly", strings.Repeat("题", 100), strings.Repeat("文", 5000), []Recipient{person}, nil},
		{"no title", " ", "正文", []Recipient{unit}, map[string]string{"title": "请填写标题"}},
		{"long title", strings.Repeat("题", 101), "正文", []Recipient{unit}, map[string]string{"title": "标题不得超过100个字"}},
		{"no body", "标题", "\n", []Recipient{unit}, map[string]string{"body": "请填写内容"}},
		{"long body", "标题", strings.Repeat("文", 5001), []Recipient{unit}, map[string]string{"body": "内容不得超过5000个字"}},
		{"no recipients", "标题", "正文", nil, map[string]string{"recipients": "请选择至少一个接收对象"}},
		{"bad kind", "标题", "正文", []Recipient{unit, {Kind: "everyone", ID: "x"}}, map[string]string{"recipients": "接收对象无效"}},
		{"no id", "标题", "正文", []Recipient{{Kind: RecipientUnit}}, map[string]string{"recipients": "接收对象无效"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := ""
			if tt.fields != nil {
				code = CodeMessageForm
			}
			checkFormError(t, ValidateMessage(tt.title, tt.body, tt.recipients), code, tt.fields)
		})
	}
}

func TestValidateOpinion(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		required bool
		code     string
		fields   map[string]string
	}{
		{"optional blank", "", false, "", nil},
		{"optional text", "同意", false, "", nil},
		{"required text", "材料不全，请补充学历证明", true, "", nil},
		{"limit exactly", strings.Repeat("意", 2000), true, "", nil},
		{"required blank", "", true, CodeOpinionRequired, map[string]string{"opinion": "不通过时请勾选发现的问题或填写不通过原因"}},
		{"required spaces", " \t\n　", true, CodeOpinionRequired, map[string]string{"opinion": "不通过时请勾选发现的问题或填写不通过原因"}},
		{"too long", strings.Repeat("意", 2001), false, CodeValidation, map[string]string{"opinion": "审核意见不得超过2000个字"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateOpinion(tt.in, tt.required)
			checkFormError(t, err, tt.code, tt.fields)
			if tt.code == CodeOpinionRequired {
				if e := AsError(err); e.Title != "请填写审核意见" || e.Detail != "不通过时请勾选发现的问题或填写不通过原因" {
					t.Fatalf("got %+v", e)
				}
			}
		})
	}
}
