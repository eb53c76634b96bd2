// Package api holds the wire types shared by the server and the desktop
// client: sessions, the change feed, command envelopes and their arguments,
// and RFC 9457 problems. openapi.yaml beside this file describes them.
package api

import (
	"encoding/json"
	"time"

	"titledesk/model"
)

// Base is the path prefix of every endpoint.
const Base = "/api/v1"

// Limits a peer can rely on.
const (
	MaxCommandsPerPush = 500
	MaxChangesPerPage  = 5000
	DefaultPageSize    = 1000
	MaxJSONBody        = 4 << 20 // bytes of one JSON request body
)

// LoginRequest is POST /api/v1/sessions.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	DeviceID string `json:"device_id"`
}

// LoginResponse answers a successful login.
type LoginResponse struct {
	Token     string        `json:"token"`
	ExpiresAt time.Time     `json:"expires_at"`
	User      model.Account `json:"user"`
	Unit      *model.Unit   `json:"unit,omitempty"`
	// CacheKey is the account's random 32-byte cache key (base64 in
	// JSON): the desktop wraps its cache's data key with it besides the
	// password, so a password changed on the server does not lock the
	// person out of their own unsynced work (SEC-4). Only a password
	// login returns it.
	CacheKey []byte `json:"cache_key,omitempty"`
}

// Change kinds in the pull feed.
const (
	KindUnit         = "unit"
	KindRegistration = "registration"
	KindApplicant    = "applicant"
	KindApplication  = "application"
	KindMessage      = "message"
	KindExpert       = "expert"
	KindCommittee    = "committee"
	KindStockComment = "stock_comment"
	KindAttachment   = "attachment"
	KindCalendar     = "calendar"
	KindDuplicate    = "duplicate"     // BEY-5: model.DuplicateFlag, id = the flagged application
	KindDeadline     = "deadline"      // BEY-6: model.Deadlines, id = the year
	KindRuleSet      = "rule_set"      // BEY-4: model.RuleSet, id = series/level
	KindReturnReason = "return_reason" // BEY-3: model.ReturnReason of the viewer's department
)

// AllKinds lists every change kind.
var AllKinds = []string{KindUnit, KindRegistration, KindApplicant, KindApplication, KindMessage,
	KindExpert, KindCommittee, KindStockComment, KindAttachment, KindCalendar, KindDuplicate,
	KindDeadline, KindRuleSet, KindReturnReason}

// Change ops.
const (
	OpUpsert = "upsert" // the entity as it is now
	OpDelete = "delete" // the entity is gone
	OpRemove = "remove" // the entity left the caller's scope
)

// Change is one record of GET /api/v1/sync/changes. Data is the entity's JSON
// (a model type named by Kind) for upserts and empty otherwise.
type Change struct {
	Kind    string          `json:"kind"`
	ID      string          `json:"id"`
	Op      string          `json:"op"`
	Version int64           `json:"version"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// ChangesResponse is one page of the feed. Cursor is opaque: pass it back as
// is; an empty cursor means from the beginning.
type ChangesResponse struct {
	Changes []Change `json:"changes"`
	Cursor  string   `json:"cursor"`
	HasMore bool     `json:"has_more"`
	// Total is how many changes the caller's feed holds after the cursor at
	// the time of the request; the client shows initial-sync progress with it.
	Total int64 `json:"total"`
}

// AttachmentData is the data of an "attachment" change: the file's own
// metadata. Its name and kind belong to each application that names it
// (model.Attachment there), not to the file.
type AttachmentData struct {
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
}

// CalendarData is the data of the single "calendar" change.
type CalendarData struct {
	Entries []model.CalendarEntry `json:"entries"`
}

// Command types (DESIGN §4).
const (
	CmdApplicationCreate       = "application.create"
	CmdApplicationSubmit       = "application.submit"
	CmdApplicationPass         = "application.pass"
	CmdApplicationReject       = "application.reject"
	CmdApplicationWithdraw     = "application.withdraw"
	CmdApplicationCertify      = "application.certify"
	CmdUnitRegister            = "unit.register"
	CmdUnitApproveRegistration = "unit.approve_registration"
	CmdUnitRejectRegistration  = "unit.reject_registration"
	CmdUnitCreate              = "unit.create"
	CmdUnitUpdate              = "unit.update"
	CmdExpertCreate            = "expert.create"
	CmdExpertRecommend         = "expert.recommend"
	CmdMessageSend             = "message.send"
	CmdMessageRead             = "message.read"
	CmdStockCommentSave        = "stock_comment.save"
	CmdStockCommentDelete      = "stock_comment.delete"
	// CmdExportFullIDs records for the audit log that the person exported
	// a list with whole ID numbers (导出完整身份证号, STAT-2).
	CmdExportFullIDs = "export.full_id_numbers"
	// The department's 一次性告知 checklist (BEY-3).
	CmdReturnReasonSave   = "return_reason.save"
	CmdReturnReasonDelete = "return_reason.delete"
	// CmdReturnReasonAdopt makes a department that has saved no checklist
	// of its own adopt a whole list at once: the default list with the
	// clerk's first change, one command for one action.
	CmdReturnReasonAdopt = "return_reason.adopt"
)

// AllCommands lists every command type.
var AllCommands = []string{CmdApplicationCreate, CmdApplicationSubmit, CmdApplicationPass,
	CmdApplicationReject, CmdApplicationWithdraw, CmdApplicationCertify, CmdUnitRegister,
	CmdUnitApproveRegistration, CmdUnitRejectRegistration, CmdUnitCreate, CmdUnitUpdate,
	CmdExpertCreate, CmdExpertRecommend, CmdMessageSend, CmdMessageRead,
	CmdStockCommentSave, CmdStockCommentDelete, CmdExportFullIDs, CmdReturnReasonSave, CmdReturnReasonDelete, CmdReturnReasonAdopt}

// PushRequest is POST /api/v1/sync/commands.
type PushRequest struct {
	DeviceID string `json:"device_id"`
	// Cursor is the feed cursor the client's cache is at ("" before the
	// initial sync). A cursor the feed cannot continue from (the server was
	// restored from a backup) refuses the whole push with cursor_reset:
	// the client pulls everything again first, then pushes, so its unsent
	// commands are rebased on what the restored server holds.
	Cursor   string    `json:"cursor,omitempty"`
	Commands []Command `json:"commands"`
}

// Command is one queued user action. Seq increases per device; ID is a UUID.
// BaseVersion is the version of the target entity the user decided on (0:
// none, e.g. a create).
type Command struct {
	Seq         int64           `json:"seq"`
	ID          string          `json:"id"`
	Type        string          `json:"type"`
	BaseVersion int64           `json:"base_version"`
	Args        json.RawMessage `json:"args"`
}

// Command result statuses.
const (
	StatusApplied   = "applied"
	StatusDuplicate = "duplicate"
	StatusRejected  = "rejected"
	StatusConflict  = "conflict"
	// StatusSeqReused: this device already used the command's seq for
	// another command id — the cache was restored from a backup or copied
	// to a second computer. Nothing was run or stored; the client takes a
	// new device id, renumbers its unsent commands and pushes them again.
	StatusSeqReused = "seq_reused"
)

// Problem codes of the sync protocol itself (besides the model's codes).
const (
	// CodeSeqReused is the problem of a StatusSeqReused result.
	CodeSeqReused = "seq_reused"
	// CodeCursorReset (HTTP 410): the feed cursor belongs to another
	// generation of the server's database (it was restored from a backup)
	// or lies ahead of its head. The client pulls again from the empty
	// cursor, keeping its unsent commands.
	CodeCursorReset = "cursor_reset"
)

// PushResponse holds one result per command, in order.
type PushResponse struct {
	Results []CommandResult `json:"results"`
}

// CommandResult says what became of one command. For duplicate, Status is
// "duplicate" and Original the status stored from the first delivery.
type CommandResult struct {
	Seq      int64    `json:"seq"`
	ID       string   `json:"id"`
	Status   string   `json:"status"`
	Original string   `json:"original,omitempty"`
	EntityID string   `json:"entity_id,omitempty"`
	Version  int64    `json:"version,omitempty"`
	Problem  *Problem `json:"problem,omitempty"`
}

// Problem is an RFC 9457 problem detail with our stable code.
type Problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail,omitempty"`
	Code   string            `json:"code"`
	Fields map[string]string `json:"fields,omitempty"`
}

// ProblemContentType is the media type of a Problem body.
const ProblemContentType = "application/problem+json"

// Error turns a problem back into the domain error the client handles.
func (p *Problem) Error() *model.Error {
	return &model.Error{Kind: KindOfStatus(p.Status), Code: p.Code, Title: p.Title, Detail: p.Detail, Fields: p.Fields}
}

// ProblemOf builds the problem for a domain error.
func ProblemOf(err error) *Problem {
	e := model.AsError(err)
	return &Problem{Type: "urn:titledesk:problem:" + e.Code, Title: e.Title, Status: StatusOfKind(e.Kind),
		Detail: e.Detail, Code: e.Code, Fields: e.Fields}
}

// StatusOfKind maps an error kind to its HTTP status.
func StatusOfKind(k model.Kind) int {
	switch k {
	case model.KindInvalid:
		return 422
	case model.KindForbidden:
		return 403
	case model.KindNotFound:
		return 404
	case model.KindConflict:
		return 409
	case model.KindAuth:
		return 401
	case model.KindTooLarge:
		return 413
	case model.KindTooMany:
		return 429
	case model.KindGone:
		return 410
	}
	return 500
}

// KindOfStatus maps an HTTP status back to an error kind.
func KindOfStatus(status int) model.Kind {
	switch status {
	case 400, 422:
		return model.KindInvalid
	case 403:
		return model.KindForbidden
	case 404:
		return model.KindNotFound
	case 409:
		return model.KindConflict
	case 401, 423:
		return model.KindAuth
	case 413:
		return model.KindTooLarge
	case 429:
		return model.KindTooMany
	case 410:
		return model.KindGone
	}
	return model.KindInternal
}
