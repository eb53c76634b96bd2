package app

import (
	"context"

	"titledesk/store"
)

// putOptimistic shows the effect of a queued command in the cache right
// away. The engine's Enqueue does this itself for application transitions
// and stock comments; message.read and unit.update only change after the
// next pull there, which would leave a read message bold and a saved unit
// form unchanged while offline. The command is queued first (with the
// engine's counts and nudge), so a failure here only delays the display.
func putOptimistic(ctx context.Context, st *store.Store, kind, id string, version int64, v any) error {
	return st.Do(ctx, func(tx *store.Tx) error { return tx.Put(kind, id, version, v) })
}
