package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"titledesk/api"
	"titledesk/model"
)

// Tx is one write transaction of the cache. A local action reads what it
// needs, runs model.Apply, writes the optimistic result and queues its
// command through the same Tx, so both commit together or not at all.
// A Tx is only valid inside the function given to Do.
type Tx struct {
	s     *Store
	keys  *keyring
	ctx   context.Context
	tx    *sql.Tx
	now   time.Time
	ap    *applier
	units map[string]model.Unit
	err   error // a failure inside Unit, which cannot return one
}

// Do runs fn in one write transaction and commits when fn returns nil; any
// error (or panic) rolls everything back. Writers queue: Do calls never fail
// with "database is locked" against each other.
//
// Every Do reads or writes sealed data: it fails with ErrLocked before the
// cache is unlocked.
func (s *Store) Do(ctx context.Context, fn func(tx *Tx) error) (err error) {
	keys, err := s.keyring()
	if err != nil {
		return err
	}
	sqlTx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &Tx{s: s, keys: keys, ctx: ctx, tx: sqlTx, now: s.Now(), units: map[string]model.Unit{}}
	defer func() {
		if t.ap != nil {
			t.ap.close()
		}
		if err != nil {
			sqlTx.Rollback()
		}
	}()
	if err = fn(t); err != nil {
		return err
	}
	if t.err != nil {
		return t.err
	}
	if t.ap != nil {
		if err = t.ap.finish(); err != nil {
			return err
		}
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if t.ap != nil && t.ap.calDirty {
		return s.loadCalendar(ctx)
	}
	return nil
}

// Now is the transaction's clock reading (Store.Now at its start).
func (t *Tx) Now() time.Time { return t.now }

// Context is the context the transaction runs under.
func (t *Tx) Context() context.Context { return t.ctx }

func (t *Tx) applier() (*applier, error) {
	if t.ap == nil {
		a, err := newApplier(t.ctx, t.tx, t.keys)
		if err != nil {
			return nil, err
		}
		t.ap = a
	}
	return t.ap, nil
}

// Application reads one application as the screens show it (the optimistic
// view). A missing one is a KindNotFound *model.Error.
func (t *Tx) Application(id string) (model.Application, error) {
	var app model.Application
	ok, err := t.record(api.KindApplication, id, &app)
	if err != nil {
		return app, fmt.Errorf("read application: %w", err)
	}
	if !ok {
		return app, notFound("该申报")
	}
	return app, nil
}

// Unit implements model.Units over the cache, so model.Apply can walk the
// hierarchy offline. A database error is kept and fails the transaction.
func (t *Tx) Unit(id string) (model.Unit, bool) {
	if u, ok := t.units[id]; ok {
		return u, true
	}
	var u model.Unit
	ok, err := t.record(api.KindUnit, id, &u)
	if err != nil {
		t.err = errors.Join(t.err, fmt.Errorf("read unit: %w", err))
		return u, false
	}
	if ok {
		t.units[id] = u
	}
	return u, ok
}

// Env is the world model.Apply decides in: this transaction's clock, the
// cached hierarchy and the cached calendar.
func (t *Tx) Env() model.Env {
	return model.Env{Now: t.now, Units: t, Calendar: t.s.Calendar()}
}

// PutApplication writes app (typically model.Apply's result) as the
// optimistic view, keeping the server's copy in shadows first.
func (t *Tx) PutApplication(app model.Application) error {
	return t.Put(api.KindApplication, app.ID, app.Version, app)
}

// Put writes any entity of a change kind optimistically (e.g. a message
// marked read, a stock comment saved), through the same code a pull uses, so
// derived columns stay right. The server's copy is kept in shadows the
// first time an entity is touched after a pull.
func (t *Tx) Put(kind, id string, version int64, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", kind, err)
	}
	return t.local(api.Change{Kind: kind, ID: id, Op: api.OpUpsert, Version: version, Data: data})
}

// Delete removes an entity optimistically (e.g. stock_comment.delete).
func (t *Tx) Delete(kind, id string) error {
	return t.local(api.Change{Kind: kind, ID: id, Op: api.OpDelete})
}

func (t *Tx) local(c api.Change) error {
	if _, ok := kindHandlers[c.Kind]; !ok {
		return fmt.Errorf("unknown kind %q", c.Kind)
	}
	a, err := t.applier()
	if err != nil {
		return err
	}
	if err := t.shadow(c.Kind, c.ID); err != nil {
		return err
	}
	a.hasShadows = true
	delete(t.units, c.ID)
	return a.apply(c)
}

// shadow keeps the current (server) copy of an entity unless one is kept
// already: the first optimistic write after a pull is the one to undo.
func (t *Tx) shadow(kind, id string) error {
	table, key := tableOf(kind)
	_, err := t.tx.ExecContext(t.ctx, `INSERT OR IGNORE INTO shadows(kind, id, data)
		VALUES(?1, ?2, (SELECT data FROM `+table+` WHERE `+key+` = ?2))`, kind, id)
	if err != nil {
		return fmt.Errorf("keep server copy: %w", err)
	}
	return nil
}

// restore puts the server's copy of an entity back into its table.
func (t *Tx) restore(kind, id string) error {
	var data []byte // nil: the entity did not exist on the server
	err := t.tx.QueryRowContext(t.ctx, `SELECT data FROM shadows WHERE kind = ? AND id = ?`, kind, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read server copy: %w", err)
	}
	a, err := t.applier()
	if err != nil {
		return err
	}
	delete(t.units, id)
	c := api.Change{Kind: kind, ID: id, Op: api.OpDelete}
	if data != nil {
		plain, err := t.keys.open(nil, kind, id, data)
		if err != nil {
			return fmt.Errorf("read server copy of %s %s: %w", kind, id, err)
		}
		c = api.Change{Kind: kind, ID: id, Op: api.OpUpsert, Data: plain}
		c.Version = versionOf(c.Data)
	}
	return a.apply(c)
}

func versionOf(data []byte) int64 {
	var v struct {
		Version int64 `json:"version"`
	}
	json.Unmarshal(data, &v) // a missing version reads as 0
	return v.Version
}

func tableOf(kind string) (table, key string) {
	if t, ok := docTables[kind]; ok {
		return t, "id"
	}
	switch kind {
	case api.KindUnit:
		return "units", "id"
	case api.KindRegistration:
		return "registrations", "id"
	case api.KindApplicant:
		return "applicants", "id"
	case api.KindApplication:
		return "application_data", "id" // the record; applications holds its columns
	case api.KindMessage:
		return "messages", "id"
	case api.KindExpert:
		return "experts", "id"
	case api.KindCommittee:
		return "committees", "id"
	case api.KindStockComment:
		return "stock_comments", "id"
	case api.KindAttachment:
		return "attachments", "sha256"
	}
	return "calendar", "id"
}

// record reads the sealed record of kind id in the transaction into v.
func (t *Tx) record(kind, id string, v any) (bool, error) {
	table, key := tableOf(kind)
	return loadRecord(t.ctx, t.keys, t.tx, kind, id, v, `SELECT data FROM `+table+` WHERE `+key+` = ?`, id)
}
