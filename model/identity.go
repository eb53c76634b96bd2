package model

import "strings"

// The identity snapshot (SEC-1): at every submit model.Apply copies the
// applicant's record into the application (Application.Applicant), and the
// review view, the PDF sheet and the feed show that copy — the personal
// data the application was decided on. While any of a person's applications
// is past draft/returned, the fields below cannot change on their live
// record except by the city office (an audited correction that leaves every
// snapshot, and so every decided step, as it was).

// FrozenField is one piece of personal data frozen at submission.
type FrozenField struct {
	Key   string // the applicant form's key (JSON name)
	Label string // 中文 label, for messages
	value func(Applicant) string
	set   func(*Applicant, string) // nil: derived from another field (the ID number)
}

// Set writes v into a's field, reporting false for a field derived from
// the ID number (gender, birth date), which is corrected through it.
func (f FrozenField) Set(a *Applicant, v string) bool {
	if f.set == nil {
		return false
	}
	f.set(a, v)
	return true
}

// FrozenFieldByKey finds a field of FrozenApplicantFields.
func FrozenFieldByKey(key string) (FrozenField, bool) {
	for _, f := range FrozenApplicantFields {
		if f.Key == key {
			return f, true
		}
	}
	return FrozenField{}, false
}

// FrozenApplicantFields is the one list of what freezes: who the person is
// (姓名, 身份证号 and what it encodes) and the qualifications the title is
// judged on (学历, 学位, 毕业院校, 所学专业, 毕业时间, 现任职称 and its date).
// Contact details and the current post stay editable.
var FrozenApplicantFields = []FrozenField{
	{"name", "姓名", func(a Applicant) string { return a.Name }, func(a *Applicant, v string) { a.Name = v }},
	{"id_number", "身份证号", func(a Applicant) string { return a.IDNumber }, func(a *Applicant, v string) { a.IDNumber = v }},
	{"gender", "性别", func(a Applicant) string { return string(a.Gender) }, nil},
	{"birth_date", "出生日期", func(a Applicant) string { return string(a.BirthDate) }, nil},
	{"education", "学历", func(a Applicant) string { return a.Education }, func(a *Applicant, v string) { a.Education = v }},
	{"degree", "学位", func(a Applicant) string { return a.Degree }, func(a *Applicant, v string) { a.Degree = v }},
	{"school", "毕业院校", func(a Applicant) string { return a.School }, func(a *Applicant, v string) { a.School = v }},
	{"major", "所学专业", func(a Applicant) string { return a.Major }, func(a *Applicant, v string) { a.Major = v }},
	{"graduation_date", "毕业时间", func(a Applicant) string { return string(a.GraduationDate) },
		func(a *Applicant, v string) { a.GraduationDate = Date(v) }},
	{"current_title", "现任职称", func(a Applicant) string { return a.CurrentTitle },
		func(a *Applicant, v string) { a.CurrentTitle = v }},
	{"current_title_date", "现任职称取得时间", func(a Applicant) string { return string(a.CurrentTitleDate) },
		func(a *Applicant, v string) { a.CurrentTitleDate = Date(v) }},
}

// FreezesIdentity reports whether an application in stage s holds its
// applicant's frozen fields: everything past draft and returned.
func (s Stage) FreezesIdentity() bool { return s != StageDraft && s != StageReturned }

// FrozenChanges lists the frozen fields whose value differs between cur
// and next once both are in normal form (CleanInput): a record stored
// before the input rules, in another spelling of the same value (a dot
// variant in a name, full-width digits or a lower-case x in an ID number),
// is not a change.
func FrozenChanges(cur, next Applicant) []FrozenField {
	CleanInput(&cur) // copies; a refused character stays and compares as it is
	CleanInput(&next)
	var out []FrozenField
	for _, f := range FrozenApplicantFields {
		if f.value(cur) != f.value(next) {
			out = append(out, f)
		}
	}
	return out
}

// ErrIdentityFrozen refuses a change of frozen fields while an application
// is under review or decided, naming each field.
func ErrIdentityFrozen(changed []FrozenField) error {
	fields := make(map[string]string, len(changed))
	labels := make([]string, len(changed))
	for i, f := range changed {
		fields[f.Key] = "已提交申报，不能修改"
		labels[i] = f.Label
	}
	return &Error{Kind: KindForbidden, Code: CodeIdentityFrozen, Title: "个人信息已随申报冻结",
		Detail: "申报已提交审核，" + strings.Join(labels, "、") + "不能再修改；如需更正，请联系市职称办", Fields: fields}
}

// snapshot is the copy of the applicant an application keeps.
func snapshot(a *Applicant) *Applicant {
	if a == nil {
		return nil
	}
	c := *a
	return &c
}
