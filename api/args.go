package api

import "titledesk/model"

// The Args of each command type. Unknown fields are refused by the server.

// ApplicationCreateArgs creates an applicant's draft (applicant role, or a
// unit entering it for its staff). IDs are client-generated UUIDs.
type ApplicationCreateArgs struct {
	Applicant   model.Applicant   `json:"applicant"`
	Application model.Application `json:"application"`
}

// ApplicationRefArgs names one application (withdraw).
type ApplicationRefArgs struct {
	ApplicationID string `json:"application_id"`
}

// SubmitArgs is application.submit. Fixed, on a resubmission after a
// return, are the indexes of the return's listed problems the applicant
// marked as fixed (一次性告知, BEY-3).
type SubmitArgs struct {
	ApplicationID string `json:"application_id"`
	Fixed         []int  `json:"fixed,omitempty"`
}

// PassArgs is application.pass.
type PassArgs struct {
	ApplicationID  string                `json:"application_id"`
	Opinion        string                `json:"opinion"`
	Recommendation *model.Recommendation `json:"recommendation,omitempty"`
	Appointment    *model.Appointment    `json:"appointment,omitempty"`
	Attachments    []model.Attachment    `json:"attachments,omitempty"`
}

// RejectArgs is application.reject: the opinion and the 一次性告知 list
// (BEY-3); the opinion may be empty when problems are listed.
type RejectArgs struct {
	ApplicationID string                `json:"application_id"`
	Opinion       string                `json:"opinion"`
	Problems      []model.ReturnProblem `json:"problems,omitempty"`
}

// CertifyArgs is application.certify.
type CertifyArgs struct {
	ApplicationID string `json:"application_id"`
	CertificateNo string `json:"certificate_no"`
}

// UnitRegisterArgs is unit.register: a new unit names its superior in Unit.ParentID.
type UnitRegisterArgs struct {
	RegistrationID string     `json:"registration_id"`
	Unit           model.Unit `json:"unit"`
}

// RegistrationDecisionArgs is unit.approve_registration / unit.reject_registration.
type RegistrationDecisionArgs struct {
	RegistrationID string `json:"registration_id"`
	Reason         string `json:"reason,omitempty"`
}

// UnitArgs is unit.create (Unit.ParentID is the chosen node) and unit.update.
type UnitArgs struct {
	Unit model.Unit `json:"unit"`
}

// ExpertCreateArgs is expert.create.
type ExpertCreateArgs struct {
	Expert model.Expert `json:"expert"`
}

// ExpertRecommendArgs is expert.recommend.
type ExpertRecommendArgs struct {
	ExpertID     string   `json:"expert_id"`
	CommitteeIDs []string `json:"committee_ids"`
}

// MessageSendArgs is message.send.
type MessageSendArgs struct {
	MessageID  string            `json:"message_id"`
	Title      string            `json:"title"`
	Body       string            `json:"body"`
	Recipients []model.Recipient `json:"recipients"`
}

// ExportArgs is export.full_id_numbers: an export that held whole ID
// numbers, described without any of them (what list or roster, the file
// format, how many rows). ExportID is a client-generated UUID naming the
// export in the audit log.
type ExportArgs struct {
	ExportID string `json:"export_id"`
	What     string `json:"what"`
	Format   string `json:"format"` // "xlsx" or "pdf"
	Rows     int    `json:"rows"`
}

// Export formats of ExportArgs.
const (
	ExportFormatXLSX = "xlsx"
	ExportFormatPDF  = "pdf"
)

// MaxExportRows bounds ExportArgs.Rows.
const MaxExportRows = 10_000_000

// MessageReadArgs is message.read.
type MessageReadArgs struct {
	MessageID string `json:"message_id"`
}

// StockCommentArgs is stock_comment.save (create or update by ID).
type StockCommentArgs struct {
	Comment model.StockComment `json:"comment"`
}

// StockCommentDeleteArgs is stock_comment.delete.
type StockCommentDeleteArgs struct {
	CommentID string `json:"comment_id"`
}

// ReturnReasonArgs is return_reason.save: one item of the caller's
// department's 一次性告知 checklist, created or updated by ID.
type ReturnReasonArgs struct {
	Reason model.ReturnReason `json:"reason"`
}

// ReturnReasonAdoptArgs is return_reason.adopt: the whole checklist a
// department with no saved checklist adopts (1 to MaxReturnReasons items,
// distinct ids).
type ReturnReasonAdoptArgs struct {
	Reasons []model.ReturnReason `json:"reasons"`
}

// MaxReturnReasons bounds a return_reason.adopt list.
const MaxReturnReasons = 200

// ReturnReasonDeleteArgs is return_reason.delete.
type ReturnReasonDeleteArgs struct {
	ReasonID string `json:"reason_id"`
}
