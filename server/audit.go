package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"titledesk/model"
)

// The audit log (SEC-3): one append-only table written in the same
// transaction as what it records, each row hashing the one before. Every
// writer goes through (*txn).audit; nothing else inserts into audit_log.

// Audit events.
const (
	AuditLogin         = "login"          // a session was opened
	AuditLoginFailed   = "login_failed"   // a login was refused (code says why)
	AuditLockout       = "lockout"        // the fifth wrong password locked a username
	AuditLogout        = "logout"         // a session was closed
	AuditCommand       = "command"        // a pushed command and what became of it
	AuditAdmin         = "admin"          // a city office tool (titledesk-server admin …)
	AuditIdentityFixed = "identity_fixed" // the city office corrected frozen personal data
	AuditDeviceChanged = "device_changed" // a session moved to a new device id (a restored or copied cache)
)

// genesisHash is the previous hash of the first entry.
var genesisHash = strings.Repeat("0", 64)

// AuditEntry is one row of the audit log. Free text (Detail, Username) is
// cut to a few hundred characters, and any ID number or mobile number in it
// is masked on the way in; it must never hold a password or a token, and
// callers pass field names, not values.
type AuditEntry struct {
	Seq         int64     `json:"seq"`
	At          time.Time `json:"at"`
	Event       string    `json:"event"`
	AccountID   string    `json:"account_id,omitempty"`
	Username    string    `json:"username,omitempty"` // the username tried, for failed logins
	Address     string    `json:"address,omitempty"`  // the client's IP address
	DeviceID    string    `json:"device_id,omitempty"`
	CommandType string    `json:"command_type,omitempty"`
	EntityID    string    `json:"entity_id,omitempty"`
	Result      string    `json:"result,omitempty"` // applied, rejected, conflict, duplicate, ok, refused
	Code        string    `json:"code,omitempty"`   // problem code of a refusal
	Detail      string    `json:"detail,omitempty"`
	PrevHash    string    `json:"prev_hash"`
	Hash        string    `json:"hash"`
}

// fields is the entry's content in hashing order.
func (e AuditEntry) fields() []any {
	return []any{e.Seq, e.At.UnixMilli(), e.Event, e.AccountID, e.Username, e.Address, e.DeviceID,
		e.CommandType, e.EntityID, e.Result, e.Code, e.Detail}
}

// chainHash is SHA-256 over the previous hash and the entry's fields as a
// JSON array (unambiguous: every field is quoted or a number).
func (e AuditEntry) chainHash(prev string) string {
	b, err := json.Marshal(e.fields())
	if err != nil {
		panic(fmt.Sprintf("audit: encode entry: %v", err)) // strings and numbers always encode
	}
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// auditHead is the chain's end as this transaction sees it.
type auditHead struct {
	loaded bool
	dirty  bool // an entry was written: the counter is stored at commit
	seq    int64
	hash   string
}

// audit appends e to the log inside t. Seq, At, PrevHash and Hash are set
// here. The free text (Username, Detail) has every ID number and mobile
// number in it masked (model.MaskPersonalNumbers) — someone typed theirs
// into the username box, or a reason quotes one — before it is hashed, so
// the chain covers what is stored.
func (t *txn) audit(ctx context.Context, e AuditEntry) error {
	if err := t.loadAuditHead(ctx); err != nil {
		return err
	}
	e.Seq, e.At, e.PrevHash = t.head.seq+1, t.now, t.head.hash
	for _, f := range []*string{&e.Event, &e.AccountID, &e.Username, &e.Address, &e.DeviceID, &e.CommandType,
		&e.EntityID, &e.Result, &e.Code, &e.Detail} {
		*f = storableText(*f)
	}
	// Masked before clipping: a cut must not leave half a number unmasked.
	e.Username = clip(model.MaskPersonalNumbers(e.Username), 64)
	e.Detail = clip(model.MaskPersonalNumbers(e.Detail), 500)
	e.Hash = e.chainHash(e.PrevHash)
	err := t.exec(ctx, `INSERT INTO audit_log(seq, at, event, account_id, username, address, device_id, command_type,
		entity_id, result, code, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, millis(e.At), e.Event, e.AccountID, e.Username, e.Address, e.DeviceID, e.CommandType,
		e.EntityID, e.Result, e.Code, e.Detail, e.PrevHash, e.Hash)
	if err != nil {
		t.head.loaded = false
		return fmt.Errorf("audit: %w", err)
	}
	t.head.seq, t.head.hash, t.head.dirty = e.Seq, e.Hash, true
	return nil
}

// storeAuditCounter records the newest entry's number at commit (once per
// transaction, not per entry), so deleting the last entries shows.
func (t *txn) storeAuditCounter(ctx context.Context) error {
	if !t.head.dirty {
		return nil
	}
	if err := t.exec(ctx, `UPDATE counters SET value = (SELECT COALESCE(MAX(seq), 0) FROM audit_log) WHERE name = 'audit_seq'`); err != nil {
		return fmt.Errorf("audit: store counter: %w", err)
	}
	return nil
}

func (t *txn) loadAuditHead(ctx context.Context) error {
	if t.head.loaded {
		return nil
	}
	var (
		seq  int64
		hash string
	)
	err := t.tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	switch {
	case isNoRows(err):
		seq, hash = 0, genesisHash
	case err != nil:
		return fmt.Errorf("audit: load head: %w", err)
	}
	t.head = auditHead{loaded: true, dirty: t.head.dirty, seq: seq, hash: hash}
	return nil
}

// storableText makes text a peer sent storable in every store: PostgreSQL
// holds neither U+0000 nor broken UTF-8 in a text column, so both become
// U+FFFD, on SQLite too, and the stores keep the same record.
func storableText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// clip cuts s to n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
