package sync

import (
	gosync "sync"
	"time"
)

// Status is what the status bar shows (DC-1): 在线/离线, 待同步 N 条, 上次同步,
// conflicts, initial-sync progress, and whether the password is needed.
type Status struct {
	Online       bool
	Syncing      bool
	Pending      int // outbox rows not yet answered by the server
	LastSync     time.Time
	Conflicts    int
	InitialSync  bool  // the first pull into an empty cache is running
	Done, Total  int64 // changes applied / expected during the pull
	NeedPassword bool  // the session is gone: ask for the password, the outbox is kept
	LastError    string
	// Notice is something that happened to the person's data which they
	// must be told once, in Chinese (a restored backup, a new cache);
	// NoticeSeq increases with every new notice, so the UI shows each once.
	Notice    string
	NoticeSeq int
}

// statusHub holds the current status and calls subscribers on each change.
// Callbacks run on the engine's goroutine: they must not block (the UI
// wraps them in fyne.Do).
type statusHub struct {
	deliver gosync.Mutex // keeps deliveries in update order
	mu      gosync.Mutex
	cur     Status
	subs    map[int]func(Status)
	next    int
}

// update applies fn to the status and publishes the result.
func (h *statusHub) update(fn func(*Status)) {
	h.deliver.Lock()
	defer h.deliver.Unlock()
	h.mu.Lock()
	fn(&h.cur)
	s := h.cur
	subs := make([]func(Status), 0, len(h.subs))
	for _, f := range h.subs {
		subs = append(subs, f)
	}
	h.mu.Unlock()
	for _, f := range subs {
		f(s)
	}
}

func (h *statusHub) get() Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cur
}

func (h *statusHub) subscribe(f func(Status)) (cancel func()) {
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[int]func(Status){}
	}
	id := h.next
	h.next++
	h.subs[id] = f
	cur := h.cur
	h.mu.Unlock()
	f(cur)
	return func() {
		h.mu.Lock()
		delete(h.subs, id)
		h.mu.Unlock()
	}
}
