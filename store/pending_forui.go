package store

import (
	"context"
	"fmt"
)

// PendingByEntity maps every entity of one change kind that has queued
// commands to their types in seq order, in one query over the outbox, so a
// list or tree can mark its 待同步 rows without a lookup per row.
func (s *Store) PendingByEntity(ctx context.Context, kind string) (map[string][]string, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT entity_id, type FROM outbox WHERE entity_kind = ? ORDER BY seq`, kind)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var id, typ string
		if err := rows.Scan(&id, &typ); err != nil {
			return nil, err
		}
		out[id] = append(out[id], typ)
	}
	return out, rows.Err()
}
