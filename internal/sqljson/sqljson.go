// Package sqljson reads the JSON `data` column that the server's and the
// client cache's tables both keep beside their indexed columns.
package sqljson

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Queryer is what *sql.DB, *sql.Tx and *sql.Conn offer to readers.
type Queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Load reads the single JSON column of the row query returns into v; it
// reports false when there is no such row.
func Load(ctx context.Context, q Queryer, v any, query string, args ...any) (bool, error) {
	var data []byte
	err := q.QueryRowContext(ctx, query, args...).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("decode stored JSON: %w", err)
	}
	return true, nil
}
