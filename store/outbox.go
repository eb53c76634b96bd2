package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"titledesk/api"
)

// metaSeq holds the last command seq handed out. A counter rather than
// MAX(seq)+1: the server remembers (device, seq) → result forever, so a seq
// must never be reused after its row is deleted.
const metaSeq = "seq"

// Outbox row states: pending = never sent; sent = sent at least once, result
// unknown (resending is harmless: the server answers duplicate).
const (
	StatePending = "pending"
	StateSent    = "sent"
)

// Enqueue queues a command in this transaction: the next per-device seq, a
// new command UUID, the type, the version the user decided on, and args
// (one of the api.*Args types). Call it in the same Do as the optimistic
// write, so a crash leaves both or neither.
func (t *Tx) Enqueue(cmdType string, baseVersion int64, args any) (api.Command, error) {
	raw, err := json.Marshal(args)
	if err != nil {
		return api.Command{}, fmt.Errorf("encode %s args: %w", cmdType, err)
	}
	kind, id, err := entityOf(cmdType, raw)
	if err != nil {
		return api.Command{}, err
	}
	seq, err := t.nextSeq()
	if err != nil {
		return api.Command{}, err
	}
	cmd := api.Command{Seq: seq, ID: api.NewUUID(), Type: cmdType, BaseVersion: baseVersion, Args: raw}
	_, err = t.tx.ExecContext(t.ctx, `INSERT INTO outbox(seq, id, type, entity_kind, entity_id, base_version, args, state, created_at)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)`, cmd.Seq, cmd.ID, cmd.Type, kind, id, baseVersion,
		t.keys.seal(nil, purposeCommand, cmd.ID, raw), StatePending, millis(t.now))
	if err != nil {
		return api.Command{}, fmt.Errorf("queue command: %w", err)
	}
	return cmd, nil
}

func (t *Tx) nextSeq() (int64, error) {
	v, _, err := getMeta(t.ctx, t.tx, metaSeq)
	if err != nil {
		return 0, err
	}
	last, _ := strconv.ParseInt(v, 10, 64) // "" reads as 0: the first command gets 1
	if err := setMeta(t.ctx, t.tx, metaSeq, strconv.FormatInt(last+1, 10)); err != nil {
		return 0, err
	}
	return last + 1, nil
}

// KindExport is the entity kind of an export record (export.full_id_numbers):
// not a feed kind, nothing of it is cached; its id is the export's.
const KindExport = "export"

// entityRef picks the target id out of any command's args.
type entityRef struct {
	ApplicationID  string `json:"application_id"`
	RegistrationID string `json:"registration_id"`
	ExpertID       string `json:"expert_id"`
	MessageID      string `json:"message_id"`
	CommentID      string `json:"comment_id"`
	ExportID       string `json:"export_id"`
	ReasonID       string `json:"reason_id"`
	Application    idOnly `json:"application"`
	Unit           idOnly `json:"unit"`
	Expert         idOnly `json:"expert"`
	Comment        idOnly `json:"comment"`
	// Reason is a return_reason.save's item, but a plain string (the
	// reason given) in the registration commands: decoded per command.
	Reason json.RawMessage `json:"reason"`
	// Reasons is a return_reason.adopt's list; its first item names it.
	Reasons []idOnly `json:"reasons"`
}

type idOnly struct {
	ID string `json:"id"`
}

// entityOf names the entity a command changes, so its pending mark, shadow
// and conflicts can be found by entity.
func entityOf(cmdType string, args []byte) (kind, id string, err error) {
	var r entityRef
	if err := json.Unmarshal(args, &r); err != nil {
		return "", "", fmt.Errorf("%s args: %w", cmdType, err)
	}
	prefix, _, _ := strings.Cut(cmdType, ".")
	switch {
	case prefix == "application":
		kind, id = api.KindApplication, first(r.ApplicationID, r.Application.ID)
	case cmdType == api.CmdUnitRegister || strings.HasSuffix(cmdType, "_registration"):
		kind, id = api.KindRegistration, r.RegistrationID
	case prefix == "unit":
		kind, id = api.KindUnit, r.Unit.ID
	case prefix == "expert":
		kind, id = api.KindExpert, first(r.ExpertID, r.Expert.ID)
	case prefix == "message":
		kind, id = api.KindMessage, r.MessageID
	case prefix == "stock_comment":
		kind, id = api.KindStockComment, first(r.CommentID, r.Comment.ID)
	case prefix == "return_reason":
		var item idOnly
		if len(r.Reason) > 0 {
			if err := json.Unmarshal(r.Reason, &item); err != nil {
				return "", "", fmt.Errorf("%s args: %w", cmdType, err)
			}
		}
		if len(r.Reasons) > 0 {
			item = r.Reasons[0]
		}
		kind, id = api.KindReturnReason, first(r.ReasonID, item.ID)
	case cmdType == api.CmdExportFullIDs:
		kind, id = KindExport, r.ExportID
	default:
		return "", "", fmt.Errorf("unknown command type %q", cmdType)
	}
	if id == "" {
		return "", "", fmt.Errorf("%s args name no %s id", cmdType, kind)
	}
	return kind, id, nil
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

const commandColumns = `seq, id, type, base_version, args`

func scanCommands(k *keyring, rows *sql.Rows) ([]api.Command, error) {
	defer rows.Close()
	var out []api.Command
	for rows.Next() {
		var (
			c    api.Command
			args []byte
		)
		if err := rows.Scan(&c.Seq, &c.ID, &c.Type, &c.BaseVersion, &args); err != nil {
			return nil, err
		}
		plain, err := openArgs(k, c.ID, args)
		if err != nil {
			return nil, err
		}
		c.Args = plain
		out = append(out, c)
	}
	return out, rows.Err()
}

// openArgs opens the sealed args of command id (outbox and conflicts).
func openArgs(k *keyring, id string, sealed []byte) (json.RawMessage, error) {
	plain, err := k.open(nil, purposeCommand, id, sealed)
	if err != nil {
		return nil, fmt.Errorf("read command %s: %w", id, err)
	}
	return plain, nil
}

// PendingCommands returns up to limit queued commands (pending or sent), in
// seq order: what the next push sends.
func (s *Store) PendingCommands(ctx context.Context, limit int) ([]api.Command, error) {
	if limit <= 0 {
		limit = api.MaxCommandsPerPush
	}
	k, err := s.keyring()
	if err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT `+commandColumns+` FROM outbox ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return scanCommands(k, rows)
}

// PendingFor returns the queued commands that change one entity (for
// example an application), in seq order.
func (s *Store) PendingFor(ctx context.Context, entityID string) ([]api.Command, error) {
	k, err := s.keyring()
	if err != nil {
		return nil, err
	}
	return pendingFor(ctx, k, s.reader, entityID)
}

// PendingFor is PendingFor inside the transaction.
func (t *Tx) PendingFor(entityID string) ([]api.Command, error) {
	return pendingFor(t.ctx, t.keys, t.tx, entityID)
}

func pendingFor(ctx context.Context, k *keyring, q queryer, entityID string) ([]api.Command, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+commandColumns+` FROM outbox WHERE entity_id = ? ORDER BY seq`, entityID)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return scanCommands(k, rows)
}

// PendingCount is the number of unsynced actions (状态栏 待同步 N 条).
func (s *Store) PendingCount(ctx context.Context) (int, error) {
	var n int
	err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox`).Scan(&n)
	return n, err
}

// MarkSent records that commands are going out now (their result is not
// known yet, and 撤销 is no longer possible). It returns the seqs still
// queued — 撤销 may have taken some out since they were read, and those
// must not be sent — and, of those, the ones never sent before (firstTry),
// which MarkUnsent puts back when the request never left this computer.
func (s *Store) MarkSent(ctx context.Context, seqs ...int64) (queued, firstTry []int64, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		queued, firstTry = queued[:0], firstTry[:0]
		for _, seq := range seqs {
			var state string
			err := tx.QueryRowContext(ctx, `SELECT state FROM outbox WHERE seq = ?`, seq).Scan(&state)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("mark sent: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ? WHERE seq = ?`, StateSent, seq); err != nil {
				return fmt.Errorf("mark sent: %w", err)
			}
			queued = append(queued, seq)
			if state == StatePending {
				firstTry = append(firstTry, seq)
			}
		}
		return nil
	})
	return queued, firstTry, err
}

// MarkUnsent puts commands back to never sent: the request that was to
// carry them was not written to the network, so the server cannot hold
// them and 撤销 is possible again (BEY-7: an action taken offline can be
// undone until it really leaves).
func (s *Store) MarkUnsent(ctx context.Context, seqs ...int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, seq := range seqs {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ? WHERE seq = ?`, StatePending, seq); err != nil {
				return fmt.Errorf("mark unsent: %w", err)
			}
		}
		return nil
	})
}

// MarkResult settles one pushed command by the server's answer:
//   - applied: the row is deleted; when the entity has no other pending
//     command its shadow goes too (the optimistic view stands until the
//     pull brings the server's own copy);
//   - rejected or conflict: the row moves to conflicts with its args (the
//     user's opinion text and forms) and the server's problem, and the
//     entity's server copy is restored, undoing the optimistic change;
//   - duplicate: handled like the original status it carries;
//   - seq_reused: the row stays; the caller renews the device (RenewDevice)
//     and pushes it again.
//
// An unknown seq is ignored: a retried push may answer the same seq twice.
func (s *Store) MarkResult(ctx context.Context, seq int64, res api.CommandResult) error {
	return s.Do(ctx, func(tx *Tx) error { return tx.MarkResult(seq, res) })
}

// MarkResult is MarkResult inside the transaction.
func (t *Tx) MarkResult(seq int64, res api.CommandResult) error {
	row, ok, err := t.outboxRow(seq)
	if err != nil || !ok {
		return err
	}
	status := res.Status
	if status == api.StatusDuplicate {
		status = first(res.Original, api.StatusApplied)
	}
	switch status {
	case api.StatusApplied:
		if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM outbox WHERE seq = ?`, seq); err != nil {
			return fmt.Errorf("settle command: %w", err)
		}
		return t.dropShadowIfSettled(row.kind, row.entityID)
	case api.StatusRejected, api.StatusConflict:
		return t.moveToConflicts(row, status, res.Problem)
	case api.StatusSeqReused:
		return nil
	}
	return fmt.Errorf("unknown command status %q", res.Status)
}

// outboxRow is a queued command with the entity it changes.
type outboxRow struct {
	cmd      api.Command
	kind     string
	entityID string
}

func (t *Tx) outboxRow(seq int64) (outboxRow, bool, error) {
	var (
		r    outboxRow
		args []byte
	)
	err := t.tx.QueryRowContext(t.ctx, `SELECT seq, id, type, base_version, args, entity_kind, entity_id FROM outbox WHERE seq = ?`, seq).
		Scan(&r.cmd.Seq, &r.cmd.ID, &r.cmd.Type, &r.cmd.BaseVersion, &args, &r.kind, &r.entityID)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("read outbox: %w", err)
	}
	r.cmd.Args, err = openArgs(t.keys, r.cmd.ID, args)
	return r, err == nil, err
}

func (t *Tx) hasPending(entityID string) (bool, error) {
	var n bool
	err := t.tx.QueryRowContext(t.ctx, `SELECT EXISTS(SELECT 1 FROM outbox WHERE entity_id = ?)`, entityID).Scan(&n)
	return n, err
}

func (t *Tx) dropShadowIfSettled(kind, id string) error {
	pending, err := t.hasPending(id)
	if err != nil || pending {
		return err
	}
	_, err = t.tx.ExecContext(t.ctx, `DELETE FROM shadows WHERE kind = ? AND id = ?`, kind, id)
	return err
}

// ReapplyPending rebases local work on the server's state: for every entity
// a pending command changed, it restores the server's copy (as updated by
// the pulls since) and calls fn for each of that entity's pending commands
// in seq order; fn re-runs the command optimistically (tx.Application,
// model.Apply, tx.PutApplication). fn returns nil to skip a command that no
// longer applies locally (the push will bring its conflict), an error to
// abort the whole rebase. Entities without pending commands lose their
// shadow: the server's copy is the truth. Call it after a pull that followed
// the push, or use Tx.ReapplyPending right after Tx.ApplyChanges.
func (s *Store) ReapplyPending(ctx context.Context, fn func(tx *Tx, cmd api.Command) error) error {
	return s.Do(ctx, func(tx *Tx) error { return tx.ReapplyPending(fn) })
}

// ReapplyPending is ReapplyPending inside the transaction.
func (t *Tx) ReapplyPending(fn func(tx *Tx, cmd api.Command) error) error {
	shadows, err := t.shadowed()
	if err != nil {
		return err
	}
	for _, sh := range shadows {
		if err := t.rebase(sh.kind, sh.id, fn); err != nil {
			return err
		}
	}
	return nil
}

type entityKey struct{ kind, id string }

func (t *Tx) shadowed() ([]entityKey, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT kind, id FROM shadows ORDER BY kind, id`)
	if err != nil {
		return nil, fmt.Errorf("read shadows: %w", err)
	}
	defer rows.Close()
	var out []entityKey
	for rows.Next() {
		var k entityKey
		if err := rows.Scan(&k.kind, &k.id); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
