package model

// Series is a 职称系列 of the national list. The value is a stable code used on
// the wire and in both databases; Label is the Chinese name shown to people.
type Series string

// SeriesInfo names one series.
type SeriesInfo struct {
	Code  Series
	Label string
}

// AllSeries is the national list of 职称系列 (人力资源社会保障部), in its usual order.
// 审计专业人员 is listed separately by the audit office and included because
// Tianjin's system accepts it.
var AllSeries = []SeriesInfo{
	{"higher_education", "高等学校教师"},
	{"social_science", "哲学社会科学研究人员"},
	{"natural_science", "自然科学研究人员"},
	{"health", "卫生技术人员"},
	{"engineering", "工程技术人员"},
	{"agriculture", "农业技术人员"},
	{"journalism", "新闻专业人员"},
	{"publishing", "出版专业人员"},
	{"library", "图书资料专业人员"},
	{"cultural_relics", "文物博物专业人员"},
	{"archives", "档案专业人员"},
	{"arts_crafts", "工艺美术专业人员"},
	{"technical_school", "技工院校教师"},
	{"sports", "体育专业人员"},
	{"translation", "翻译专业人员"},
	{"broadcasting", "播音主持专业人员"},
	{"accounting", "会计人员"},
	{"statistics", "统计专业人员"},
	{"economics", "经济专业人员"},
	{"laboratory", "实验技术人才"},
	{"vocational_school", "中等职业学校教师"},
	{"school_teacher", "中小学教师"},
	{"art", "艺术专业人员"},
	{"notary", "公证员"},
	{"lawyer", "律师"},
	{"ship", "船舶专业技术人员"},
	{"civil_aviation", "民用航空飞行技术人员"},
	{"audit", "审计专业人员"},
}

// SeriesEconomics is 经济系列; HOME-2 hangs extra unit fields on it.
const SeriesEconomics Series = "economics"

var seriesLabels = func() map[Series]string {
	m := make(map[Series]string, len(AllSeries))
	for _, s := range AllSeries {
		m[s.Code] = s.Label
	}
	return m
}()

// Valid reports whether s is on the national list.
func (s Series) Valid() bool { _, ok := seriesLabels[s]; return ok }

// Label is the Chinese name, or the raw code for an unknown series.
func (s Series) Label() string {
	if l, ok := seriesLabels[s]; ok {
		return l
	}
	return string(s)
}

// Level is a 职称级别.
type Level string

const (
	LevelJuniorStaff     Level = "junior_staff"     // 初级(员级)
	LevelJuniorAssistant Level = "junior_assistant" // 初级(助理级)
	LevelIntermediate    Level = "intermediate"     // 中级
	LevelAssociateSenior Level = "associate_senior" // 副高级
	LevelSenior          Level = "senior"           // 正高级
)

// AllLevels in ascending order.
var AllLevels = []Level{LevelJuniorStaff, LevelJuniorAssistant, LevelIntermediate, LevelAssociateSenior, LevelSenior}

var levelLabels = map[Level]string{
	LevelJuniorStaff:     "初级(员级)",
	LevelJuniorAssistant: "初级(助理级)",
	LevelIntermediate:    "中级",
	LevelAssociateSenior: "副高级",
	LevelSenior:          "正高级",
}

func (l Level) Valid() bool { _, ok := levelLabels[l]; return ok }
func (l Level) Label() string {
	if s, ok := levelLabels[l]; ok {
		return s
	}
	return string(l)
}

// EvaluationMethod is a 评价方式; it decides the department's second-review queue.
type EvaluationMethod string

const (
	MethodPanelReview     EvaluationMethod = "panel_review"     // 社会化评审
	MethodSelfAppointment EvaluationMethod = "self_appointment" // 自主聘任
	MethodExamInLieu      EvaluationMethod = "exam_in_lieu"     // 本市以考代评
)

// AllMethods in the manual's order.
var AllMethods = []EvaluationMethod{MethodPanelReview, MethodSelfAppointment, MethodExamInLieu}

var methodLabels = map[EvaluationMethod]string{
	MethodPanelReview:     "社会化评审",
	MethodSelfAppointment: "自主聘任",
	MethodExamInLieu:      "本市以考代评",
}

func (m EvaluationMethod) Valid() bool { _, ok := methodLabels[m]; return ok }
func (m EvaluationMethod) Label() string {
	if s, ok := methodLabels[m]; ok {
		return s
	}
	return string(m)
}

// Queue returns the department's second-review queue for this method.
func (m EvaluationMethod) Queue() Stage {
	switch m {
	case MethodSelfAppointment:
		return StageSelfAppoint
	case MethodExamInLieu:
		return StageExam
	default:
		return StageForward
	}
}

// Stage says where an application is. Together with Application.HolderUnitID
// it is the state of the workflow; the department's five queues are stages.
type Stage string

const (
	StageDraft       Stage = "draft"        // 未提交
	StageUnitReview  Stage = "unit_review"  // 用人单位审核 (employer unit, not a department)
	StageOwnUnit     Stage = "own_unit"     // 本单位人员审核 (OwnUnitQueue)
	StageSubordinate Stage = "subordinate"  // 下级单位人员审核 (SubordinateQueue)
	StageForward     Stage = "forward"      // 待呈报人员审核 (ForwardQueue)
	StageSelfAppoint Stage = "self_appoint" // 自主聘任审核 (SelfAppointQueue)
	StageExam        Stage = "exam"         // 以考代评审核 (ExamQueue)
	StageCommittee   Stage = "committee"    // 评委会评审 (next level)
	StageCityOffice  Stage = "city_office"  // 市职称办审核
	StageCertified   Stage = "certified"    // 已发证
	StageReturned    Stage = "returned"     // 退回修改
)

var stageLabels = map[Stage]string{
	StageDraft:       "未提交",
	StageUnitReview:  "用人单位审核",
	StageOwnUnit:     "本单位人员审核",
	StageSubordinate: "下级单位人员审核",
	StageForward:     "待呈报人员审核",
	StageSelfAppoint: "自主聘任审核",
	StageExam:        "以考代评审核",
	StageCommittee:   "评委会评审",
	StageCityOffice:  "市职称办审核",
	StageCertified:   "已发证",
	StageReturned:    "退回修改",
}

func (s Stage) Valid() bool { _, ok := stageLabels[s]; return ok }
func (s Stage) Label() string {
	if l, ok := stageLabels[s]; ok {
		return l
	}
	return string(s)
}

// DepartmentQueues are the stages a department reviews in, in menu order.
var DepartmentQueues = []Stage{StageOwnUnit, StageSubordinate, StageForward, StageSelfAppoint, StageExam}

// IsFirstReview reports 待初审 queues (REV-1, REV-9).
func (s Stage) IsFirstReview() bool { return s == StageOwnUnit || s == StageSubordinate }

// IsSecondReview reports 待复审 queues (REV-10..12).
func (s Stage) IsSecondReview() bool {
	return s == StageForward || s == StageSelfAppoint || s == StageExam
}

// UnitKind is what a unit is in the hierarchy.
type UnitKind string

const (
	UnitEmployer   UnitKind = "employer"    // 用人单位
	UnitDepartment UnitKind = "department"  // 职称业务主管部门
	UnitCityOffice UnitKind = "city_office" // 市职称办
)

var unitKindLabels = map[UnitKind]string{
	UnitEmployer:   "用人单位",
	UnitDepartment: "职称业务主管部门",
	UnitCityOffice: "市职称办",
}

func (k UnitKind) Valid() bool { _, ok := unitKindLabels[k]; return ok }
func (k UnitKind) Label() string {
	if l, ok := unitKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Role is what an account may do. An account belongs to one unit (or, for an
// applicant, to one applicant record).
type Role string

const (
	RoleApplicant  Role = "applicant"   // 申报人
	RoleEmployer   Role = "employer"    // 用人单位经办人
	RoleDepartment Role = "department"  // 职称业务主管部门经办人
	RoleCityOffice Role = "city_office" // 市职称办 (also acts for the review committees)
)

func (r Role) Valid() bool {
	switch r {
	case RoleApplicant, RoleEmployer, RoleDepartment, RoleCityOffice:
		return true
	}
	return false
}

// Action is a verb in a flow step.
type Action string

const (
	ActionSubmit   Action = "submit"   // 提交申报
	ActionPass     Action = "pass"     // 通过
	ActionReject   Action = "reject"   // 不通过 (退回)
	ActionWithdraw Action = "withdraw" // 撤回
	ActionCertify  Action = "certify"  // 发放证书
)

var actionLabels = map[Action]string{
	ActionSubmit:   "提交申报",
	ActionPass:     "通过",
	ActionReject:   "不通过",
	ActionWithdraw: "撤回",
	ActionCertify:  "发放电子证书",
}

func (a Action) Label() string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return string(a)
}

// Gender as derived from the ID number.
type Gender string

const (
	GenderMale   Gender = "male"
	GenderFemale Gender = "female"
)

func (g Gender) Label() string {
	switch g {
	case GenderMale:
		return "男"
	case GenderFemale:
		return "女"
	}
	return ""
}

// AttachmentKind says what an uploaded file is.
type AttachmentKind string

const (
	AttachPostStatusForm AttachmentKind = "post_status_form" // 事业单位岗位情况表
	AttachPublicity      AttachmentKind = "publicity"        // 公示材料
	AttachRecommendation AttachmentKind = "recommendation"   // 推荐材料
	AttachAppointment    AttachmentKind = "appointment"      // 聘任文件
	AttachApplicant      AttachmentKind = "applicant"        // 申报材料
	AttachOther          AttachmentKind = "other"            // 其他
)

var attachmentKindLabels = map[AttachmentKind]string{
	AttachPostStatusForm: "事业单位岗位情况表",
	AttachPublicity:      "公示材料",
	AttachRecommendation: "推荐材料",
	AttachAppointment:    "聘任文件",
	AttachApplicant:      "申报材料",
	AttachOther:          "其他",
}

// AllAttachmentKinds in form order.
var AllAttachmentKinds = []AttachmentKind{AttachPostStatusForm, AttachPublicity, AttachRecommendation, AttachAppointment, AttachApplicant, AttachOther}

func (k AttachmentKind) Valid() bool { _, ok := attachmentKindLabels[k]; return ok }
func (k AttachmentKind) Label() string {
	if l, ok := attachmentKindLabels[k]; ok {
		return l
	}
	return string(k)
}
