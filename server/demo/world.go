// Package demo generates a Tianjin-like world for the demo and benchmarks:
// the city office, departments, subordinate units several levels deep,
// applicants with valid ID numbers, applications in every queue and state
// (walked through the real model state machine), committees, experts,
// messages, pending registrations and stock comments. It only builds values;
// the server imports them.
package demo

import "titledesk/model"

// World is everything a seed writes. Slices are in dependency order: a
// unit's parent comes before it.
type World struct {
	Units         []model.Unit
	Accounts      []AccountSeed
	Applicants    []model.Applicant
	Applications  []model.Application
	Registrations []model.Registration
	Committees    []model.Committee
	Experts       []model.Expert
	Messages      []MessageSeed
	StockComments []StockCommentSeed
	Calendar      []model.CalendarEntry
	Deadlines     []model.Deadlines // the year's dates set by the city office (BEY-6)
	Files         []FileSeed        // attachment bytes the applications reference
}

// FileSeed is one attachment file; Attachment.SHA256 is the hash of Data.
type FileSeed struct {
	Attachment model.Attachment
	Data       []byte
}

// AccountSeed is a login with its clear-text password (hashed on import).
type AccountSeed struct {
	Account  model.Account
	Password string
}

// MessageSeed is a message with its recipients and who has read it.
type MessageSeed struct {
	Message    model.Message // Inbound/ReadAt unused: per recipient below
	Recipients []model.Recipient
	ReadBy     map[string]bool // recipient ID → read
}

// StockCommentSeed belongs to one account.
type StockCommentSeed struct {
	AccountID string
	Comment   model.StockComment
}

// Demo login of the department the README names.
const (
	DemoUsername = "demo"
	DemoPassword = "TitleDesk@2026"
)
