package model

import (
	"errors"
	"fmt"
)

// Kind groups error codes the way transports need them: the server maps a
// Kind to an HTTP status, the sync engine maps it to rejected or conflict.
type Kind int

const (
	KindInvalid   Kind = iota + 1 // the input is wrong; fixing it may help
	KindForbidden                 // the caller may not do this at all
	KindNotFound                  // unknown, or outside the caller's subtree
	KindConflict                  // the application moved on (stale version, other queue)
	KindAuth                      // not logged in, wrong password, locked, expired
	KindTooLarge                  // body or file over a limit
	KindInternal                  // our fault; details are logged, never shown
	KindTooMany                   // too many attempts; wait and retry (login rate limit)
	KindGone                      // gone for good: start over (a feed position of a restored database)
)

// Error is the one error type that crosses every boundary: a stable Code for
// programs, a Chinese Title and Detail a person can read as they are, and
// optional field-level messages for forms.
type Error struct {
	Kind   Kind
	Code   string
	Title  string
	Detail string
	Fields map[string]string // form field key → Chinese message
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return e.Code + ": " + e.Detail
	}
	return e.Code + ": " + e.Title
}

// Errorf builds an Error whose detail is formatted.
func Errorf(kind Kind, code, title, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Title: title, Detail: fmt.Sprintf(format, args...)}
}

// FieldErrors collects per-field messages of one form and turns them into a
// single KindInvalid error, so a form is refused whole with every problem named.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns nil when no field failed.
func (f FieldErrors) Err(code, title string) error {
	if len(f) == 0 {
		return nil
	}
	detail := ""
	for _, k := range sortedKeys(f) {
		if detail != "" {
			detail += "；"
		}
		detail += f[k]
	}
	return &Error{Kind: KindInvalid, Code: code, Title: title, Detail: detail, Fields: map[string]string(f)}
}

// AsError extracts our Error from err, or wraps an unknown error as internal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Code: CodeInternal, Title: "服务器内部错误", Detail: "操作未能完成，请稍后重试"}
}

// Stable error codes. They appear in RFC 9457 problems and in the client's
// conflicts table; never rename one.
const (
	CodeInternal            = "internal"
	CodeBadRequest          = "bad_request"
	CodeValidation          = "validation"
	CodeNotFound            = "not_found"
	CodeForbidden           = "forbidden"
	CodeUnauthorized        = "unauthorized"
	CodeBadCredentials      = "bad_credentials"
	CodeAccountLocked       = "account_locked"
	CodeSessionExpired      = "session_expired"
	CodeTooLarge            = "too_large"
	CodeVersionConflict     = "version_conflict"
	CodeInvalidTransition   = "invalid_transition"
	CodeNotHolder           = "not_holder"
	CodeOpinionRequired     = "opinion_required"
	CodeRecommendation      = "recommendation_invalid"
	CodePostStatusForm      = "post_status_form_required"
	CodePublicityTooShort   = "publicity_too_short"
	CodeAppointment         = "appointment_invalid"
	CodeWithdrawTooLate     = "withdraw_too_late"
	CodeCertificateRequired = "certificate_required"
	CodeAttachmentMissing   = "attachment_missing"
	CodeAttachmentHash      = "attachment_hash_mismatch"
	CodeAttachmentType      = "attachment_type"
	CodeIDNumber            = "id_number_invalid"
	CodeUnitForm            = "unit_form_invalid"
	CodeExpertForm          = "expert_form_invalid"
	CodeMessageForm         = "message_invalid"
	CodeLockedField         = "locked_field"
	CodeDuplicate           = "duplicate"
	CodeDeviceInUse         = "device_in_use"       // the device id is bound to another account
	CodeRateLimited         = "rate_limited"        // too many login attempts from one username or address
	CodeInvalidCharacters   = "invalid_characters"  // control or bidirectional characters in a text (TextProblem)
	CodeNothingToWithdraw   = "nothing_to_withdraw" // 撤回 of an application this unit already took back
	CodePublicityNotOver    = "publicity_not_over"  // 推荐 before the 公示期 has ended (BEY-2)
	CodeIdentityFrozen      = "identity_frozen"     // frozen personal data changed while an application is in review (SEC-1)
)
