package store

import "fmt"

// Get reads the cached (optimistic) value of any change kind into v; false
// when it is not cached. The sync engine uses it to give commands other
// than application transitions their optimistic effect (message.read,
// unit.update) inside the transaction that queues them, so a rebase after a
// pull replays them too.
func (t *Tx) Get(kind, id string, v any) (bool, error) {
	if _, ok := kindHandlers[kind]; !ok {
		return false, fmt.Errorf("unknown kind %q", kind)
	}
	ok, err := t.record(kind, id, v)
	if err != nil {
		return false, fmt.Errorf("read %s: %w", kind, err)
	}
	return ok, nil
}
