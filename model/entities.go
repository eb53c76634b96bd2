package model

import "time"

// UnitType is 单位类型 (a locked field, ACC-1).
type UnitType string

const (
	UnitTypeAgency      UnitType = "agency"      // 机关
	UnitTypeInstitution UnitType = "institution" // 事业单位
	UnitTypeEnterprise  UnitType = "enterprise"  // 企业
	UnitTypeSocialOrg   UnitType = "social_org"  // 社会组织
	UnitTypeOther       UnitType = "other"       // 其他
)

var unitTypeLabels = map[UnitType]string{
	UnitTypeAgency:      "机关",
	UnitTypeInstitution: "事业单位",
	UnitTypeEnterprise:  "企业",
	UnitTypeSocialOrg:   "社会组织",
	UnitTypeOther:       "其他",
}

// AllUnitTypes in form order.
var AllUnitTypes = []UnitType{UnitTypeAgency, UnitTypeInstitution, UnitTypeEnterprise, UnitTypeSocialOrg, UnitTypeOther}

func (t UnitType) Valid() bool { _, ok := unitTypeLabels[t]; return ok }
func (t UnitType) Label() string {
	if l, ok := unitTypeLabels[t]; ok {
		return l
	}
	return string(t)
}

// Unit is a node of the hierarchy: the city office at the root, departments,
// employer units. Name, CreditCode, ParentID and Type are locked (ACC-1): the
// unit cannot change them itself, its superiors can (UNIT-4).
type Unit struct {
	ID          string   `json:"id"`
	ParentID    string   `json:"parent_id,omitempty"`
	Kind        UnitKind `json:"kind"`
	Name        string   `json:"name"`                            // 单位名称 (locked)
	CreditCode  string   `json:"credit_code" input:"credit_code"` // 统一社会信用代码 (locked)
	Type        UnitType `json:"type"`                            // 单位类型 (locked)
	PostManaged bool     `json:"post_managed"`                    // 全面实行岗位管理的事业单位
	Address     string   `json:"address"`                         // 单位地址
	PostalCode  string   `json:"postal_code" input:"code"`        // 邮政编码
	Contact     string   `json:"contact" input:"name"`            // 联系人
	Phone       string   `json:"phone" input:"phone"`             // 联系电话
	Email       string   `json:"email" input:"code"`              // 电子邮箱
	// The last four fields of the form, mandatory when the unit has 经济系列
	// applicants (HOME-2). Our choice, documented in docs/decisions.md.
	EconomicType string `json:"economic_type"`        // 经济类型
	Industry     string `json:"industry"`             // 所属行业
	StaffCount   int    `json:"staff_count"`          // 从业人员数
	Revenue      string `json:"revenue" input:"code"` // 上年度营业收入(万元)

	HasEconomicsApplicants bool      `json:"has_economics_applicants,omitempty"` // derived by the server
	Version                int64     `json:"version"`
	UpdatedAt              time.Time `json:"updated_at"`
}

// LockedUnitFields are the form keys a unit cannot change about itself.
var LockedUnitFields = []string{"name", "credit_code", "parent_id", "type"}

// RegistrationStatus is the state of a self-registration (UNIT-1).
type RegistrationStatus string

const (
	RegistrationPending  RegistrationStatus = "pending"  // 待审核
	RegistrationApproved RegistrationStatus = "approved" // 已通过
	RegistrationRejected RegistrationStatus = "rejected" // 已退回
)

func (s RegistrationStatus) Label() string {
	switch s {
	case RegistrationPending:
		return "待审核"
	case RegistrationApproved:
		return "已通过"
	case RegistrationRejected:
		return "已退回"
	}
	return string(s)
}

// Registration is a unit that registered itself and named a superior (下级单位注册审核).
type Registration struct {
	ID          string             `json:"id"`
	Unit        Unit               `json:"unit"` // the proposed unit; Unit.ParentID is the chosen superior
	Status      RegistrationStatus `json:"status"`
	Reason      string             `json:"reason,omitempty"` // why it was returned
	SubmittedAt time.Time          `json:"submitted_at"`
	DecidedAt   *time.Time         `json:"decided_at,omitempty"`
	Version     int64              `json:"version"`
}

// Applicant is a person who applies (申报人).
type Applicant struct {
	ID               string    `json:"id"`
	UnitID           string    `json:"unit_id"`
	Name             string    `json:"name" input:"name"`
	IDNumber         string    `json:"id_number" input:"id_number"` // 身份证号; never logged, masked in lists
	Gender           Gender    `json:"gender"`
	BirthDate        Date      `json:"birth_date"`
	Phone            string    `json:"phone" input:"phone"`
	Education        string    `json:"education"`       // 学历
	Degree           string    `json:"degree"`          // 学位
	School           string    `json:"school"`          // 毕业院校
	Major            string    `json:"major"`           // 所学专业
	GraduationDate   Date      `json:"graduation_date"` // 毕业时间
	WorkStartDate    Date      `json:"work_start_date"` // 参加工作时间
	CurrentTitle     string    `json:"current_title"`   // 现任职称
	CurrentTitleDate Date      `json:"current_title_date"`
	Position         string    `json:"position"` // 现任职务/岗位
	Version          int64     `json:"version"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// Application is one 职称申报 moving through the workflow.
type Application struct {
	ID             string           `json:"id"`
	ApplicantID    string           `json:"applicant_id"`
	UnitID         string           `json:"unit_id"` // the applicant's unit at submission
	Year           int              `json:"year"`
	Series         Series           `json:"series"`
	Specialty      string           `json:"specialty"` // 专业
	Level          Level            `json:"level"`
	TitleName      string           `json:"title_name"` // 申报职称名称, e.g. 高级工程师
	Method         EvaluationMethod `json:"method"`
	Achievements   string           `json:"achievements"` // 主要业绩
	Stage          Stage            `json:"stage"`
	HolderUnitID   string           `json:"holder_unit_id,omitempty"` // who must act next; empty while with the applicant
	Flow           []FlowStep       `json:"flow"`
	Recommendation *Recommendation  `json:"recommendation,omitempty"`
	Appointment    *Appointment     `json:"appointment,omitempty"`
	Attachments    []Attachment     `json:"attachments,omitempty"`
	// Applicant is the applicant's record as it was at the last submit
	// (SEC-1): what the review view, the sheet and the feed show. Nil for
	// a draft never submitted.
	Applicant     *Applicant `json:"applicant,omitempty"`
	CertificateNo string     `json:"certificate_no,omitempty"`
	SubmittedAt   *time.Time `json:"submitted_at,omitempty"` // last submit or resubmit
	ReturnedAt    *time.Time `json:"returned_at,omitempty"`  // last 退回; cleared on resubmit
	Version       int64      `json:"version"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// FlowStep is one line of 经办流程. From/To record the move so 撤回 can undo it.
type FlowStep struct {
	Seq        int       `json:"seq"`
	UnitID     string    `json:"unit_id,omitempty"`
	UnitName   string    `json:"unit_name"`
	Person     string    `json:"person"`
	Action     Action    `json:"action"`
	Opinion    string    `json:"opinion,omitempty"`
	At         time.Time `json:"at"`
	FromStage  Stage     `json:"from_stage"`
	FromHolder string    `json:"from_holder,omitempty"`
	ToStage    Stage     `json:"to_stage"`
	ToHolder   string    `json:"to_holder,omitempty"`
	// Problems are the listed problems of a 不通过 (一次性告知, BEY-3).
	Problems []ReturnProblem `json:"problems,omitempty"`
	// Fixed, on a resubmission, are the indexes of the last return's
	// Problems that the applicant marked as fixed.
	Fixed []int `json:"fixed,omitempty"`
}

// Recommendation is 单位推荐和公示情况 (REV-5).
type Recommendation struct {
	PublicityStart  Date         `json:"publicity_start"`  // 公示开始日期
	PublicityEnd    Date         `json:"publicity_end"`    // 公示结束日期
	PublicityMethod string       `json:"publicity_method"` // 公示方式
	PublicityPlace  string       `json:"publicity_place"`  // 公示地点
	PublicityResult string       `json:"publicity_result"` // 公示结果
	GroupOpinion    string       `json:"group_opinion"`    // 推荐小组意见
	GroupSize       int          `json:"group_size"`       // 推荐小组人数
	VotesFor        int          `json:"votes_for"`        // 赞成票
	VotesAgainst    int          `json:"votes_against"`    // 反对票
	VotesAbstain    int          `json:"votes_abstain"`    // 弃权票
	Attachments     []Attachment `json:"attachments,omitempty"`
}

// Appointment is 聘任信息 (REV-11).
type Appointment struct {
	AppointDate Date   `json:"appoint_date"` // 聘任时间
	Post        string `json:"post"`         // 聘任岗位
	PostLevel   string `json:"post_level"`   // 岗位等级
	TermYears   int    `json:"term_years"`   // 聘期(年)
	DocumentNo  string `json:"document_no"`  // 聘任文号
}

// Attachment is a content-addressed file (metadata only; bytes travel separately).
type Attachment struct {
	SHA256      string         `json:"sha256"`
	Name        string         `json:"name"`
	Kind        AttachmentKind `json:"kind"`
	Size        int64          `json:"size"`
	ContentType string         `json:"content_type"`
}

// Committee is a 评审委员会.
type Committee struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Series  Series `json:"series"`
	Level   Level  `json:"level"` // the highest level it reviews
	Version int64  `json:"version"`
}

// ExpertStatus is the state of one recommendation to one committee.
type ExpertStatus string

const (
	ExpertRecommended ExpertStatus = "recommended" // 已推荐
	ExpertAccepted    ExpertStatus = "accepted"    // 已入库
	ExpertDeclined    ExpertStatus = "declined"    // 未入选
)

func (s ExpertStatus) Label() string {
	switch s {
	case ExpertRecommended:
		return "已推荐"
	case ExpertAccepted:
		return "已入库"
	case ExpertDeclined:
		return "未入选"
	}
	return string(s)
}

// ExpertRecommendation records an expert recommended to one committee (EXP-2).
type ExpertRecommendation struct {
	CommitteeID string       `json:"committee_id"`
	Status      ExpertStatus `json:"status"`
	At          time.Time    `json:"at"`
}

// Expert is recommended by a department to review committees (EXP-1).
type Expert struct {
	ID              string                 `json:"id"`
	UnitID          string                 `json:"unit_id"` // the recommending department
	Name            string                 `json:"name" input:"name"`
	IDNumber        string                 `json:"id_number" input:"id_number"`
	Gender          Gender                 `json:"gender"`
	Phone           string                 `json:"phone" input:"phone"`
	Title           string                 `json:"title"` // 职称
	Level           Level                  `json:"level"`
	Series          Series                 `json:"series"`
	Specialty       string                 `json:"specialty"`
	WorkUnit        string                 `json:"work_unit"` // 工作单位
	Position        string                 `json:"position"`  // 职务
	Email           string                 `json:"email" input:"code"`
	Recommendations []ExpertRecommendation `json:"recommendations,omitempty"`
	Version         int64                  `json:"version"`
	UpdatedAt       time.Time              `json:"updated_at"`
}

// RecipientKind is who a message goes to (MSG-1).
type RecipientKind string

const (
	RecipientUnit      RecipientKind = "unit"
	RecipientApplicant RecipientKind = "applicant"
)

// Recipient is one addressee of a message.
type Recipient struct {
	Kind RecipientKind `json:"kind"`
	ID   string        `json:"id"`
	Name string        `json:"name,omitempty"`
}

// Message is 消息推送. The feed shows a department its inbox (Inbound, with
// its own ReadAt) and what it sent (with the recipients).
type Message struct {
	ID           string      `json:"id"`
	Inbound      bool        `json:"inbound"`
	SenderUnitID string      `json:"sender_unit_id"`
	SenderName   string      `json:"sender_name"`
	Title        string      `json:"title"`
	Body         string      `json:"body"`
	SentAt       time.Time   `json:"sent_at"`
	ReadAt       *time.Time  `json:"read_at,omitempty"`
	Recipients   []Recipient `json:"recipients,omitempty"`
	Version      int64       `json:"version"`
}

// StockComment is one of a user's 常用意见 (REV-3).
type StockComment struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Position int    `json:"position"`
	Version  int64  `json:"version"`
}

// Account is a login. Only the server knows the password hash.
type Account struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	Name        string `json:"name"` // the person's name, used in flow steps
	Role        Role   `json:"role"`
	UnitID      string `json:"unit_id,omitempty"`
	ApplicantID string `json:"applicant_id,omitempty"`
}
