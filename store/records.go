package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Reading sealed records. Every `data` column is sealed under the change
// kind and the row's key (seal.go); these helpers open and decode them so
// the queries elsewhere stay plain SQL.

// loadRecord reads the sealed record of kind id, which query (selecting
// the data column of one row) returns, into v. It reports false when there
// is no such row.
func loadRecord(ctx context.Context, k *keyring, q queryer, kind, id string, v any, query string, args ...any) (bool, error) {
	var sealed []byte
	err := q.QueryRowContext(ctx, query, args...).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, decodeRecord(k, kind, id, sealed, v)
}

// decodeRecord opens a sealed record and decodes its JSON into v.
func decodeRecord(k *keyring, kind, id string, sealed []byte, v any) error {
	plain, err := k.open(nil, kind, id, sealed)
	if err != nil {
		return fmt.Errorf("read %s %s: %w", kind, id, err)
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("decode cached %s: %w", kind, err)
	}
	return nil
}

// record reads one cached record by its key through the store's readers.
func (s *Store) record(ctx context.Context, q queryer, kind, id string, v any) (bool, error) {
	k, err := s.keyring()
	if err != nil {
		return false, err
	}
	table, key := tableOf(kind)
	return loadRecord(ctx, k, q, kind, id, v, `SELECT data FROM `+table+` WHERE `+key+` = ?`, id)
}

// scanRecords decodes rows of (key, sealed data) of one kind.
func scanRecords[T any](k *keyring, kind string, rows *sql.Rows) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var (
			id     string
			sealed []byte
			v      T
		)
		if err := rows.Scan(&id, &sealed); err != nil {
			return nil, err
		}
		if err := decodeRecord(k, kind, id, sealed, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// queryRecords runs query (selecting key and data of kind) and decodes
// every row.
func queryRecords[T any](ctx context.Context, s *Store, kind, query string, args ...any) ([]T, error) {
	k, err := s.keyring()
	if err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", kind, err)
	}
	return scanRecords[T](k, kind, rows)
}
