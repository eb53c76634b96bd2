package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"titledesk/api"
	"titledesk/model"
)

// Conflict is a command the server refused (同步冲突). The command keeps the
// user's args — opinion text, recommendation and appointment forms — so they
// can be re-applied or discarded, never silently lost (DC-1).
type Conflict struct {
	ID      int64
	Command api.Command
	Status  string // api.StatusRejected or api.StatusConflict
	// The server's problem: a stable code and Chinese text to show as is.
	Code, Title, Detail string
	EntityKind          string // api.Kind* of what the command changed
	EntityID            string
	EntityName          string // e.g. "张三 高级工程师" for an application
	ServerVersion       int64  // the entity's version on the server when refused
	CreatedAt           time.Time
}

func (t *Tx) moveToConflicts(row outboxRow, status string, p *api.Problem) error {
	if p == nil {
		p = &api.Problem{Code: model.CodeInternal, Title: "服务器拒绝了该操作"}
	}
	// Undo the optimistic change first, so the name and version recorded
	// are the server's.
	if err := t.restore(row.kind, row.entityID); err != nil {
		return err
	}
	name, version, err := t.entityLabel(row.kind, row.entityID)
	if err != nil {
		return err
	}
	_, err = t.tx.ExecContext(t.ctx, `INSERT INTO conflicts(command_id, seq, type, base_version, args, status, code, title,
			detail, entity_kind, entity_id, entity_name, server_version, created_at)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		row.cmd.ID, row.cmd.Seq, row.cmd.Type, row.cmd.BaseVersion, t.keys.seal(nil, purposeCommand, row.cmd.ID, row.cmd.Args),
		status, p.Code, t.keys.sealString(purposeConflictTitle, row.cmd.ID, p.Title),
		t.keys.sealString(purposeConflictDetail, row.cmd.ID, p.Detail), row.kind, row.entityID,
		t.keys.sealString(purposeConflictEntity, row.cmd.ID, name), version, millis(t.now))
	if err != nil {
		return fmt.Errorf("record conflict: %w", err)
	}
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM outbox WHERE seq = ?`, row.cmd.Seq); err != nil {
		return fmt.Errorf("settle command: %w", err)
	}
	return t.dropShadowIfSettled(row.kind, row.entityID)
}

// entityLabel is what a conflict list shows for an entity, and its version.
func (t *Tx) entityLabel(kind, id string) (string, int64, error) {
	var query string
	switch kind {
	case api.KindApplication:
		query = `SELECT applicant_name || ' ' || title_name, version FROM applications WHERE id = ?`
	case api.KindMessage:
		var m model.Message
		ok, err := t.record(kind, id, &m)
		if err != nil || !ok {
			return "", 0, err
		}
		return m.Title, m.Version, nil
	case api.KindStockComment:
		var c model.StockComment
		ok, err := t.record(kind, id, &c)
		if err != nil || !ok {
			return "", 0, err
		}
		return c.Text, c.Version, nil
	case api.KindUnit, api.KindRegistration, api.KindExpert:
		table, _ := tableOf(kind)
		query = `SELECT name, version FROM ` + table + ` WHERE id = ?`
	default:
		return "", 0, nil
	}
	var (
		name    sql.NullString
		version int64
	)
	err := t.tx.QueryRowContext(t.ctx, query, id).Scan(&name, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", kind, err)
	}
	return name.String, version, nil
}

const conflictColumns = `id, command_id, seq, type, base_version, args, status, code, title, detail,
	entity_kind, entity_id, entity_name, server_version, created_at`

func scanConflict(k *keyring, sc interface{ Scan(...any) error }) (Conflict, error) {
	var (
		c                     Conflict
		args                  []byte
		title, detail, entity []byte
		at                    int64
	)
	err := sc.Scan(&c.ID, &c.Command.ID, &c.Command.Seq, &c.Command.Type, &c.Command.BaseVersion, &args, &c.Status,
		&c.Code, &title, &detail, &c.EntityKind, &c.EntityID, &entity, &c.ServerVersion, &at)
	if err != nil {
		return c, err
	}
	c.CreatedAt = time.UnixMilli(at)
	for _, f := range []struct {
		purpose string
		sealed  []byte
		dst     *string
	}{{purposeConflictTitle, title, &c.Title}, {purposeConflictDetail, detail, &c.Detail}, {purposeConflictEntity, entity, &c.EntityName}} {
		if *f.dst, err = k.openString(f.purpose, c.Command.ID, f.sealed); err != nil {
			return c, fmt.Errorf("read conflict %d: %w", c.ID, err)
		}
	}
	c.Command.Args, err = openArgs(k, c.Command.ID, args)
	return c, err
}

// sealLegacyConflicts seals what sealConflictText finds, in a write
// transaction only when there is any (one look at a small table per unlock).
func (s *Store) sealLegacyConflicts(ctx context.Context, k *keyring) error {
	var owed bool
	if err := s.reader.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM conflicts
		WHERE typeof(title) = 'text' OR typeof(detail) = 'text' OR typeof(entity_name) = 'text')`).Scan(&owed); err != nil || !owed {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error { return sealConflictText(ctx, tx, k) })
}

// sealConflictText seals the title, detail and entity name of conflicts
// recorded readable by an earlier version (they quote server text and
// names that may hold an ID or phone number; see migration 0008).
func sealConflictText(ctx context.Context, tx *sql.Tx, k *keyring) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, command_id, title, detail, entity_name FROM conflicts
		WHERE typeof(title) = 'text' OR typeof(detail) = 'text' OR typeof(entity_name) = 'text'`)
	if err != nil {
		return fmt.Errorf("read conflicts: %w", err)
	}
	type row struct {
		id                         int64
		cmd, title, detail, entity string
	}
	var plain []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.cmd, &r.title, &r.detail, &r.entity); err != nil {
			rows.Close()
			return err
		}
		plain = append(plain, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range plain {
		if _, err := tx.ExecContext(ctx, `UPDATE conflicts SET title = ?, detail = ?, entity_name = ? WHERE id = ?`,
			k.sealString(purposeConflictTitle, r.cmd, r.title), k.sealString(purposeConflictDetail, r.cmd, r.detail),
			k.sealString(purposeConflictEntity, r.cmd, r.entity), r.id); err != nil {
			return fmt.Errorf("seal conflict %d: %w", r.id, err)
		}
	}
	return nil
}

// Conflicts lists the refused commands, newest first.
func (s *Store) Conflicts(ctx context.Context) ([]Conflict, error) {
	k, err := s.keyring()
	if err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT `+conflictColumns+` FROM conflicts ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("read conflicts: %w", err)
	}
	defer rows.Close()
	var out []Conflict
	for rows.Next() {
		c, err := scanConflict(k, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ConflictCount is the number shown in the status bar.
func (s *Store) ConflictCount(ctx context.Context) (int, error) {
	var n int
	err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM conflicts`).Scan(&n)
	return n, err
}

// Conflict reads one conflict inside the transaction (to re-run its args
// through model.Apply before ResolveConflict).
func (t *Tx) Conflict(id int64) (Conflict, error) {
	c, err := scanConflict(t.keys, t.tx.QueryRowContext(t.ctx, `SELECT `+conflictColumns+` FROM conflicts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("该同步冲突")
	}
	return c, err
}

// ResolveConflict removes conflict id. With reapply it first queues the same
// command type and args again, decided on the entity's current version; the
// new command is returned. The caller that wants the optimistic change shown
// again uses Tx.ResolveConflict inside Do, after its own model.Apply.
func (s *Store) ResolveConflict(ctx context.Context, id int64, reapply bool) (api.Command, error) {
	var cmd api.Command
	err := s.Do(ctx, func(tx *Tx) error {
		var err error
		cmd, err = tx.ResolveConflict(id, reapply)
		return err
	})
	return cmd, err
}

// ResolveConflict is ResolveConflict inside the transaction.
func (t *Tx) ResolveConflict(id int64, reapply bool) (api.Command, error) {
	c, err := t.Conflict(id)
	if err != nil {
		return api.Command{}, err
	}
	var cmd api.Command
	if reapply {
		_, version, err := t.entityLabel(c.EntityKind, c.EntityID)
		if err != nil {
			return api.Command{}, err
		}
		if cmd, err = t.Enqueue(c.Command.Type, version, c.Command.Args); err != nil {
			return api.Command{}, err
		}
	}
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM conflicts WHERE id = ?`, id); err != nil {
		return api.Command{}, fmt.Errorf("resolve conflict: %w", err)
	}
	return cmd, nil
}
