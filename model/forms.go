package model

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	recommendationTitle = "推荐和公示信息不完整"
	economicsRequired   = "本单位有经济系列申报人，此项必填"
	maxOpinionRunes     = 2000
)

// EconomicUnitFields are the last four unit form fields, mandatory when the
// unit has 经济系列 applicants (HOME-2).
var EconomicUnitFields = []string{"economic_type", "industry", "staff_count", "revenue"}

// Validate checks the 单位推荐和公示情况 form (REV-5) against cal; a nil cal
// means DefaultCalendar. A publicity period that is too short makes the whole
// error CodePublicityTooShort, so callers can tell that rule apart; its Fields
// still name every other problem of the form.
func (r Recommendation) Validate(cal *Calendar) error {
	if cal == nil {
		cal = DefaultCalendar()
	}
	fe := FieldErrors{}
	var tooShort *Error
	if err := cal.ValidatePublicity(r.PublicityStart, r.PublicityEnd); err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return err
		}
		if e.Code == CodePublicityTooShort {
			tooShort = e
		}
		for k, v := range e.Fields {
			fe.Add(k, v)
		}
	}
	required(fe, "publicity_method", r.PublicityMethod, "请填写公示方式")
	required(fe, "publicity_place", r.PublicityPlace, "请填写公示地点")
	required(fe, "publicity_result", r.PublicityResult, "请填写公示结果")
	required(fe, "group_opinion", r.GroupOpinion, "请填写推荐小组意见")
	if r.GroupSize < 3 {
		fe.Add("group_size", "推荐小组人数不得少于3人")
	}
	votes := []struct {
		key string
		n   int
	}{{"votes_for", r.VotesFor}, {"votes_against", r.VotesAgainst}, {"votes_abstain", r.VotesAbstain}}
	negative := false
	for _, v := range votes {
		if v.n < 0 {
			fe.Add(v.key, "票数不能为负数")
			negative = true
		}
	}
	if !negative && r.GroupSize >= 3 {
		if r.VotesFor+r.VotesAgainst+r.VotesAbstain > r.GroupSize {
			fe.Add("votes_for", "赞成、反对、弃权票数之和不得超过推荐小组人数")
		} else if r.VotesFor*2 <= r.GroupSize {
			fe.Add("votes_for", "赞成票未超过推荐小组人数的半数")
		}
	}
	if tooShort != nil {
		if len(fe) == 1 {
			return tooShort
		}
		e := fe.Err(CodeRecommendation, recommendationTitle).(*Error)
		e.Code = CodePublicityTooShort
		return e
	}
	return fe.Err(CodeRecommendation, recommendationTitle)
}

// CheckPublicityOver refuses a recommendation before its 公示期 has ended
// (BEY-2): a 公示结果 such as "公示期内无异议" can only be known once the last
// day of the period is over, so the earliest day to submit is the day after
// PublicityEnd. today is the date in China (ChinaDate). A malformed end date
// is Validate's to report; here it passes.
func (r Recommendation) CheckPublicityOver(today Date) error {
	if !r.PublicityEnd.Valid() || today > r.PublicityEnd {
		return nil
	}
	from := r.PublicityEnd.AddDays(1)
	msg := fmt.Sprintf("公示期至%s结束，公示结束后方可推荐，请于%s起提交", r.PublicityEnd, from)
	return &Error{Kind: KindInvalid, Code: CodePublicityNotOver, Title: "公示期尚未结束", Detail: msg,
		Fields: map[string]string{"publicity_end": msg}}
}

// Validate checks the 聘任信息 form (REV-11).
func (a Appointment) Validate() error {
	fe := FieldErrors{}
	validDate(fe, "appoint_date", a.AppointDate, "请填写聘任时间", "聘任时间无效")
	required(fe, "post", a.Post, "请填写聘任岗位")
	required(fe, "post_level", a.PostLevel, "请填写岗位等级")
	if a.TermYears < 1 || a.TermYears > 10 {
		fe.Add("term_years", "聘期应为1至10年")
	}
	required(fe, "document_no", a.DocumentNo, "请填写聘任文号")
	return fe.Err(CodeAppointment, "聘任信息不完整")
}

var (
	postalCodeRE = regexp.MustCompile(`^[0-9]{6}$`)
	amountRE     = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
)

// Validate checks the unit form (HOME-1, UNIT-3, UNIT-4). requireEconomics is
// true when the unit has 经济系列 applicants (HOME-2): then the
// EconomicUnitFields are mandatory. When present they are checked anyway.
func (u Unit) Validate(requireEconomics bool) error {
	fe := FieldErrors{}
	switch n := utf8.RuneCountInString(strings.TrimSpace(u.Name)); {
	case n == 0:
		fe.Add("name", "请填写单位名称")
	case n < 2 || n > 100:
		fe.Add("name", "单位名称应为2至100个字")
	}
	if u.CreditCode == "" {
		fe.Add("credit_code", "请填写统一社会信用代码")
	} else if msg := creditCodeProblem(u.CreditCode); msg != "" {
		fe.Add("credit_code", msg)
	}
	switch {
	case u.Type == "":
		fe.Add("type", "请选择单位类型")
	case !u.Type.Valid():
		fe.Add("type", "单位类型无效")
	}
	switch {
	case u.Kind == "":
		fe.Add("kind", "请选择单位类别")
	case !u.Kind.Valid():
		fe.Add("kind", "单位类别无效")
	}
	switch {
	case strings.TrimSpace(u.Phone) == "":
		fe.Add("phone", "请填写联系电话")
	case !ValidPhone(strings.TrimSpace(u.Phone)):
		fe.Add("phone", "联系电话格式不正确，如022-23456789或13812345678")
	}
	optionalEmail(fe, "email", u.Email)
	if pc := strings.TrimSpace(u.PostalCode); pc != "" && !postalCodeRE.MatchString(pc) {
		fe.Add("postal_code", "邮政编码应为6位数字")
	}
	required(fe, "contact", u.Contact, "请填写联系人")

	if requireEconomics {
		required(fe, "economic_type", u.EconomicType, economicsRequired)
		required(fe, "industry", u.Industry, economicsRequired)
		if u.StaffCount == 0 {
			fe.Add("staff_count", economicsRequired)
		}
		required(fe, "revenue", u.Revenue, economicsRequired)
	}
	if u.StaffCount < 0 {
		fe.Add("staff_count", "从业人员数应为正整数")
	}
	if rev := strings.TrimSpace(u.Revenue); rev != "" {
		switch {
		case strings.HasPrefix(rev, "-") && amountRE.MatchString(rev[1:]):
			fe.Add("revenue", "营业收入不能为负数")
		case !amountRE.MatchString(rev):
			fe.Add("revenue", "营业收入应为数字（单位：万元）")
		}
	}
	return fe.Err(CodeUnitForm, "单位信息有误")
}

// 统一社会信用代码 (GB 32100-2015): 17 characters from creditCharset and a
// check character, weighted MOD 31.
const creditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditCheckChar returns the check character of 17 valid characters.
func creditCheckChar(prefix string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(creditCharset, prefix[i]) * creditWeights[i]
	}
	return creditCharset[(31-sum%31)%31]
}

// creditCodeProblem explains what is wrong with a credit code, or returns "".
func creditCodeProblem(s string) string {
	const badChars = "统一社会信用代码含有非法字符（应为数字或大写字母，不含I、O、S、V、Z）"
	if utf8.RuneCountInString(s) != 18 {
		return "统一社会信用代码应为18位"
	}
	if len(s) != 18 {
		return badChars
	}
	for i := 0; i < 18; i++ {
		if strings.IndexByte(creditCharset, s[i]) < 0 {
			return badChars
		}
	}
	if creditCheckChar(s[:17]) != s[17] {
		return "统一社会信用代码校验位错误"
	}
	return ""
}

// ValidCreditCode reports whether s is a 统一社会信用代码 with a correct check
// character (GB 32100-2015).
func ValidCreditCode(s string) bool { return s != "" && creditCodeProblem(s) == "" }

// MakeCreditCode appends the GB 32100-2015 check character to a 17-character
// prefix, for seeds and tests. A prefix of the wrong length or with characters
// outside the code's alphabet is returned unchanged (and so stays invalid).
func MakeCreditCode(prefix17 string) string {
	if len(prefix17) != 17 {
		return prefix17
	}
	for i := 0; i < 17; i++ {
		if strings.IndexByte(creditCharset, prefix17[i]) < 0 {
			return prefix17
		}
	}
	return prefix17 + string(creditCheckChar(prefix17))
}

// Validate checks the 新增专家 form (EXP-1) as of today.
func (e Expert) Validate() error { return e.ValidateOn(DateOf(time.Now())) }

// ValidateOn checks the 新增专家 form (EXP-1) with today's date given: the ID
// number's format (ParseIDNumber), then its birth date's plausibility for an
// expert (CheckPersonAge), as two different messages.
func (e Expert) ValidateOn(today Date) error {
	fe := FieldErrors{}
	required(fe, "name", e.Name, "请填写姓名")
	if strings.TrimSpace(e.IDNumber) == "" {
		fe.Add("id_number", "请填写身份证号码")
	} else if info, err := ParseIDNumber(e.IDNumber); err != nil {
		fe.Add("id_number", "身份证号码"+AsError(err).Detail)
	} else if msg := CheckPersonAge("专家", info.BirthDate, today); msg != "" {
		fe.Add("id_number", msg)
	} else if e.Gender != "" && e.Gender != info.Gender {
		fe.Add("gender", "性别与身份证号码不符")
	}
	switch {
	case strings.TrimSpace(e.Phone) == "":
		fe.Add("phone", "请填写手机号码")
	case !ValidMobile(strings.TrimSpace(e.Phone)):
		fe.Add("phone", "手机号码应为11位数字，如13812345678")
	}
	required(fe, "title", e.Title, "请填写职称")
	switch {
	case e.Series == "":
		fe.Add("series", "请选择职称系列")
	case !e.Series.Valid():
		fe.Add("series", "职称系列无效")
	}
	switch {
	case e.Level == "":
		fe.Add("level", "请选择职称级别")
	case !e.Level.Valid():
		fe.Add("level", "职称级别无效")
	}
	required(fe, "specialty", e.Specialty, "请填写专业")
	required(fe, "work_unit", e.WorkUnit, "请填写工作单位")
	optionalEmail(fe, "email", e.Email)
	return fe.Err(CodeExpertForm, "专家信息有误")
}

// ValidateMessage checks a 消息推送 before it is sent (MSG-2).
func ValidateMessage(title, body string, recipients []Recipient) error {
	fe := FieldErrors{}
	switch n := utf8.RuneCountInString(strings.TrimSpace(title)); {
	case n == 0:
		fe.Add("title", "请填写标题")
	case n > 100:
		fe.Add("title", "标题不得超过100个字")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(body)); {
	case n == 0:
		fe.Add("body", "请填写内容")
	case n > 5000:
		fe.Add("body", "内容不得超过5000个字")
	}
	if len(recipients) == 0 {
		fe.Add("recipients", "请选择至少一个接收对象")
	}
	for _, r := range recipients {
		if (r.Kind != RecipientUnit && r.Kind != RecipientApplicant) || r.ID == "" {
			fe.Add("recipients", "接收对象无效")
		}
	}
	return fe.Err(CodeMessageForm, "消息内容有误")
}

// ValidateOpinion checks a review opinion: at most 2000 characters, and not
// blank when required (不通过 with no problem ticked, REV-7, BEY-3).
func ValidateOpinion(s string, required bool) error {
	if utf8.RuneCountInString(s) > maxOpinionRunes {
		msg := "审核意见不得超过2000个字"
		return &Error{Kind: KindInvalid, Code: CodeValidation, Title: "审核意见过长", Detail: msg,
			Fields: map[string]string{"opinion": msg}}
	}
	if required && strings.TrimSpace(s) == "" {
		msg := "不通过时请勾选发现的问题或填写不通过原因"
		return &Error{Kind: KindInvalid, Code: CodeOpinionRequired, Title: "请填写审核意见", Detail: msg,
			Fields: map[string]string{"opinion": msg}}
	}
	return nil
}

func required(fe FieldErrors, key, value, msg string) {
	if strings.TrimSpace(value) == "" {
		fe.Add(key, msg)
	}
}

func validDate(fe FieldErrors, key string, d Date, missing, invalid string) {
	switch {
	case d == "":
		fe.Add(key, missing)
	case !d.Valid():
		fe.Add(key, invalid)
	}
}

// emailRE is deliberately simple: what a person types into a form, not RFC 5322.
var emailRE = regexp.MustCompile(`^[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$`)

// ValidEmail reports whether s looks like an ordinary e-mail address.
func ValidEmail(s string) bool { return len(s) <= 254 && emailRE.MatchString(s) }

func optionalEmail(fe FieldErrors, key, value string) {
	if v := strings.TrimSpace(value); v != "" && !ValidEmail(v) {
		fe.Add(key, "电子邮箱格式不正确")
	}
}

// Validate checks the applicant part of an application form (application.create)
// as of today and derives gender and birth date from the ID number, so they
// can never disagree with it. The ID number's format (GB 11643) and its
// plausibility as an applicant's age are separate messages: a well-formed
// number of someone born before 1900 is a valid ID number, refused here only
// as an applicant's age. Text fields are expected normalized (CleanInput).
func (a *Applicant) Validate(today Date) error {
	fe := FieldErrors{}
	if a.Name == "" || utf8.RuneCountInString(a.Name) > 50 {
		fe.Add("name", "请填写姓名（不超过50字）")
	}
	if info, err := ParseIDNumber(a.IDNumber); err != nil {
		fe.Add("id_number", "身份证号码"+AsError(err).Detail)
	} else if msg := CheckPersonAge("申报人", info.BirthDate, today); msg != "" {
		fe.Add("id_number", msg)
	} else {
		a.Gender, a.BirthDate = info.Gender, info.BirthDate
	}
	if a.Phone != "" && !ValidPhone(a.Phone) {
		fe.Add("phone", "联系电话格式不正确，如13812345678或022-23456789")
	}
	for field, d := range map[string]Date{"graduation_date": a.GraduationDate, "work_start_date": a.WorkStartDate,
		"current_title_date": a.CurrentTitleDate} {
		if d != "" && !d.Valid() {
			fe.Add(field, "日期格式应为YYYY-MM-DD")
		}
	}
	return fe.Err(CodeValidation, "申报人信息有误")
}

// EconomicTypes are the 经济类型 the unit form offers (HOME-2), after the
// National Bureau of Statistics' economic-type categories; the demo data
// uses them too.
var EconomicTypes = []string{"国有经济", "集体经济", "私营经济", "个体经济", "联营经济", "股份制经济", "外商投资经济", "港澳台投资经济", "其他经济"}
