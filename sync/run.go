package sync

import (
	"context"
	"errors"
	"time"
)

// Run syncs in the background until ctx ends: at start, shortly after each
// Nudge, every Interval while online, and with exponential backoff plus
// jitter while the server cannot be reached. It returns ctx's error.
func (e *Engine) Run(ctx context.Context) error {
	clock := e.opts.Clock
	failures := 0
	delay := time.Duration(0)
	for {
		deadline := clock.Now().Add(delay)
		if err := e.wait(ctx, deadline); err != nil {
			return err
		}
		err := e.SyncNow(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		delay, failures = e.nextDelay(err, failures)
	}
}

// wait blocks until deadline, bringing it forward to now+Debounce when a
// local action nudges, so a burst of actions goes out in one push.
func (e *Engine) wait(ctx context.Context, deadline time.Time) error {
	clock := e.opts.Clock
	for {
		t := clock.NewTimer(max(deadline.Sub(clock.Now()), 0))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C():
			return nil
		case <-e.nudge:
			t.Stop()
			if soon := clock.Now().Add(e.opts.Debounce); soon.Before(deadline) {
				deadline = soon
			}
		}
	}
}

// nextDelay is how long to wait after a cycle that ended with err, given
// the number of failures in a row before it.
func (e *Engine) nextDelay(err error, failures int) (time.Duration, int) {
	switch {
	case err == nil:
		return e.opts.Interval, 0
	case errors.Is(err, ErrSessionExpired), errors.Is(err, ErrNotLoggedIn):
		// Nothing to gain by retrying: Login nudges the loop.
		return e.opts.Interval, 0
	case IsRetryable(err):
		return e.backoff(failures), failures + 1
	}
	// Anything else (a refused pull, a local storage error) is retried
	// slowly so it cannot spin.
	return e.backoff(failures), failures + 1
}

// backoff is "equal jitter": half the exponential step plus a random half,
// capped at MaxBackoff, so many clients coming back at once spread out.
func (e *Engine) backoff(failures int) time.Duration {
	d := e.opts.MinBackoff
	for i := 0; i < failures && d < e.opts.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, e.opts.MaxBackoff)
	return d/2 + time.Duration(e.opts.Rand()*float64(d/2))
}

// Nudge asks the background loop to sync soon (after Debounce). It never
// blocks: a pending nudge already covers this one.
func (e *Engine) Nudge() {
	select {
	case e.nudge <- struct{}{}:
	default:
	}
}
