package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"titledesk/api"
)

// A first sync fills empty applicants and applications tables with tens
// of thousands of rows. Kept up row by row, every secondary index takes a
// random insert per row and every page's commit rewrites the index pages
// it scattered them over; built once from the finished table, an index is
// one sort (measured: about a third of the scale-10 apply's CPU,
// docs/benchmarks.md). So the first page of a first sync (no cursor yet,
// both tables empty) drops their secondary indexes and the trigger that
// fills reviewed_by, and records their definitions in meta, in that page's
// transaction. CaughtUp, which the sync engine calls when a pull ends (at
// the feed's head or early), builds them again, fills reviewed_by and
// forgets the record, in one transaction. (Deciding per page and per table
// would not do: a real feed's page where applications begin holds a few of
// them beside the last applicants.)
//
// Nothing else changes: every page still commits with its cursor, unique
// keys (the ids) stay enforced throughout, and queries meanwhile read the
// same rows, only slower (已审核列表 misses what reviewed_by does not hold
// yet). A cache left in between by a crash or a kill is rebuilt when it is
// next opened (Open → finishInterrupted), before anything reads it. The
// recorded statements are the cache's own schema; whoever can write them
// into the file can as well write its schema.

// metaBulkPrefix + table is the meta key holding, as a JSON list, the
// CREATE statements of what a first sync dropped from that table.
const metaBulkPrefix = "bulk_deferred:"

// bulkTables are the tables whose indexes a first sync defers, with the
// triggers deferred with them.
var bulkTables = []struct {
	table    string
	triggers []string
}{
	{"applicants", nil},
	{"applications", []string{"applications_reviewers_insert"}},
}

// maybeDeferIndexes is called with each page; it acts on the first page
// of a first sync that brings applicants or applications.
func (a *applier) maybeDeferIndexes(changes []api.Change) error {
	if a.bulkChecked {
		return nil
	}
	a.bulkChecked = true
	if !slices.ContainsFunc(changes, func(c api.Change) bool {
		return c.Op == api.OpUpsert && (c.Kind == api.KindApplicant || c.Kind == api.KindApplication)
	}) {
		return nil
	}
	var first bool
	err := a.tx.QueryRowContext(a.ctx, `SELECT coalesce((SELECT value FROM meta WHERE key = ?), '') = ''
		AND NOT EXISTS(SELECT 1 FROM applicants) AND NOT EXISTS(SELECT 1 FROM applications)
		AND NOT EXISTS(SELECT 1 FROM meta WHERE key >= ? AND key < ?)`,
		metaCursor, metaBulkPrefix, metaBulkPrefix+"\xff").Scan(&first)
	if err != nil || !first {
		return err
	}
	for _, bt := range bulkTables {
		if err := deferIndexes(a.ctx, a.tx, bt.table, bt.triggers); err != nil {
			return fmt.Errorf("defer indexes of %s: %w", bt.table, err)
		}
	}
	return nil
}

// deferIndexes drops table's secondary indexes (autoindexes of its keys
// have no sql and stay) and the named triggers, and records them in meta.
func deferIndexes(ctx context.Context, tx *sql.Tx, table string, triggers []string) error {
	names, _ := json.Marshal(triggers)
	rows, err := tx.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_master
		WHERE tbl_name = ? AND sql IS NOT NULL
			AND (type = 'index' OR (type = 'trigger' AND name IN (SELECT value FROM json_each(?))))
		ORDER BY type, name`, table, string(names))
	if err != nil {
		return err
	}
	var drops, creates []string
	for rows.Next() {
		var typ, name, create string
		if err := rows.Scan(&typ, &name, &create); err != nil {
			rows.Close()
			return err
		}
		drops = append(drops, `DROP `+typ+` "`+name+`"`)
		creates = append(creates, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, q := range drops {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	v, _ := json.Marshal(creates)
	return setMeta(ctx, tx, metaBulkPrefix+table, string(v))
}

// CaughtUp tells the store that a pull ended (at the feed's head, or
// early): what a first sync deferred is built now, in one transaction. It
// costs one meta read when nothing was deferred.
func (s *Store) CaughtUp(ctx context.Context) error {
	pending, err := s.bulkPending(ctx, s.reader) // not the writer: most syncs have nothing to build
	if err != nil || !pending {
		return err
	}
	return s.finishPending(ctx)
}

// finishPending builds what is deferred, if anything (finishBulk re-reads
// it in the transaction).
func (s *Store) finishPending(ctx context.Context) error {
	return s.write(ctx, func(tx *sql.Tx) error { return finishBulk(ctx, tx) })
}

func (s *Store) bulkPending(ctx context.Context, q queryer) (bool, error) {
	var pending bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM meta WHERE key >= ? AND key < ?)`,
		metaBulkPrefix, metaBulkPrefix+"\xff").Scan(&pending)
	return pending, err
}

// finishBulk builds every deferred index and trigger and forgets them.
func finishBulk(ctx context.Context, tx *sql.Tx) error {
	for _, bt := range bulkTables {
		v, ok, err := getMeta(ctx, tx, metaBulkPrefix+bt.table)
		if err != nil || !ok {
			if err != nil {
				return err
			}
			continue
		}
		var creates []string
		if err := json.Unmarshal([]byte(v), &creates); err != nil {
			return fmt.Errorf("deferred indexes of %s: %w", bt.table, err)
		}
		if bt.table == "applications" {
			// What the deferred insert trigger would have written, in key
			// order (so its rows append), before the trigger is back.
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO reviewed_by(unit_id, application_id)
				SELECT r.value, a.id FROM applications a, json_each(a.reviewers) r
				WHERE a.reviewers <> '[]' ORDER BY 1, 2`); err != nil {
				return fmt.Errorf("fill reviewed_by: %w", err)
			}
		}
		for _, create := range creates {
			if !strings.HasPrefix(create, "CREATE ") {
				return fmt.Errorf("deferred indexes of %s: not a CREATE statement", bt.table)
			}
			if _, err := tx.ExecContext(ctx, create); err != nil {
				return fmt.Errorf("rebuild deferred index: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaBulkPrefix+bt.table); err != nil {
			return err
		}
	}
	return nil
}

// finishInterrupted builds what a first sync left deferred when it was
// killed, at Open and before migrations (which may expect the indexes).
func (s *Store) finishInterrupted(ctx context.Context) error {
	var hasMeta bool
	err := s.writer.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')`).Scan(&hasMeta)
	if err != nil || !hasMeta { // a new cache: nothing can be pending
		return err
	}
	pending, err := s.bulkPending(ctx, s.writer)
	if err != nil || !pending {
		return err
	}
	return s.finishPending(ctx)
}
