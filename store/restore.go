package store

import (
	"context"
	"database/sql"
	"fmt"

	"titledesk/api"
)

// Restored backups and copied caches. A cache restored from a backup, or
// copied to a second computer, hands out command seqs its device id has
// used already for other commands; the server answers those seq_reused.
// A server restored from its backup has a new database generation, and the
// cache's feed position means nothing there (cursor_reset).

// RenewDevice gives this cache a new device id and renumbers its unsent
// commands from 1 in their order, in one transaction: the server has never
// seen the new id, so no seq can collide with what the old one sent. It
// returns the new id and how many commands were renumbered. Commands keep
// their command ids, so one the server already ran comes back duplicate.
func (s *Store) RenewDevice(ctx context.Context) (deviceID string, renumbered int, err error) {
	deviceID = api.NewUUID()
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := setMeta(ctx, tx, metaDeviceID, deviceID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT seq FROM outbox ORDER BY seq`)
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		var seqs []int64
		for rows.Next() {
			var seq int64
			if err := rows.Scan(&seq); err != nil {
				rows.Close()
				return err
			}
			seqs = append(seqs, seq)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Ascending: the i-th smallest seq is at least i, so no new seq
		// ever lands on a row not renumbered yet.
		for i, seq := range seqs {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET seq = ? WHERE seq = ?`, i+1, seq); err != nil {
				return fmt.Errorf("renumber outbox: %w", err)
			}
		}
		renumbered = len(seqs)
		return setMeta(ctx, tx, metaSeq, fmt.Sprint(len(seqs)))
	})
	if err != nil {
		return "", 0, fmt.Errorf("renew device: %w", err)
	}
	return deviceID, renumbered, nil
}

// serverTables hold what the server's feed brought: every record table and
// the tables derived from them (local-only tables — outbox, conflicts,
// drafts, held files, meta — are not among them).
func serverTables() []string {
	out := []string{"unit_tree", "applications", "reviewed_by"}
	for _, r := range sealedRecords {
		out = append(out, r.table)
	}
	return out
}

// ResetForRepull empties everything the feed brought and the feed position,
// keeping the unsent commands, conflicts, drafts and held files (marked
// for upload again), so the
// next pull fetches the server's whole state from the empty cursor and the
// engine re-applies the unsent commands on it page by page. Every shadow
// forgets its server copy (an entity not pulled yet does not exist on the
// server as far as the cache knows). For a server restored from a backup:
// whatever the cache held may no longer be true there.
func (s *Store) ResetForRepull(ctx context.Context) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, t := range serverTables() {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return fmt.Errorf("clear %s: %w", t, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shadows SET data = NULL`); err != nil {
			return fmt.Errorf("clear server copies: %w", err)
		}
		// The restored server may lack files uploaded after its backup:
		// uploading again is idempotent.
		if _, err := tx.ExecContext(ctx, `UPDATE files SET uploaded = 0`); err != nil {
			return fmt.Errorf("mark files for upload: %w", err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key IN (?, ?)`, metaCursor, metaLastSync)
		return err
	})
	if err != nil {
		return fmt.Errorf("reset for a new pull: %w", err)
	}
	return s.loadCalendar(ctx)
}
