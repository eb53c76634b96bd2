package server

import (
	"errors"
	"fmt"
	"math"
	gosync "sync"
	"time"

	"titledesk/model"
)

// Login rate limits (SEC-6): token buckets per username tried and per client
// address, in this process's memory. They bound how fast anyone can guess
// passwords or spend the server's bcrypt time; the lockout after five wrong
// passwords (login_failures) is the durable rule. Several server processes
// on one database each apply the limits on their own.

// RateLimit is a token bucket: Burst attempts at once, refilled by one per
// Every. A zero Burst turns the limit off.
type RateLimit struct {
	Burst int
	Every time.Duration
}

// Default login limits: a person retrying a mistyped password is never
// slowed; a script is held to 6 guesses a minute per username and one a
// second per address (an office behind one NAT address can still log in
// 60 people at nine o'clock).
var (
	DefaultLoginLimitPerUsername = RateLimit{Burst: 10, Every: 10 * time.Second}
	DefaultLoginLimitPerAddress  = RateLimit{Burst: 60, Every: time.Second}
)

// maxBuckets bounds the limiter's memory: past it, full buckets (keys not
// seen for a while) are dropped.
const maxBuckets = 100_000

type bucket struct {
	tokens float64
	at     time.Time
}

// loginLimiter holds the buckets of both limits.
type loginLimiter struct {
	perUser, perAddr RateLimit
	now              func() time.Time

	mu      gosync.Mutex
	buckets map[string]*bucket
}

func newLoginLimiter(perUser, perAddr RateLimit, now func() time.Time) *loginLimiter {
	return &loginLimiter{perUser: perUser, perAddr: perAddr, now: now, buckets: map[string]*bucket{}}
}

// errRateLimited is the 429 answer; Retry-After carries the wait.
type errRateLimited struct {
	err   *model.Error
	after time.Duration
}

func (e *errRateLimited) Error() string { return e.err.Error() }
func (e *errRateLimited) Unwrap() error { return e.err }

// retryAfter is the whole seconds a rate-limited client should wait.
func retryAfter(err error) (int, bool) {
	var rl *errRateLimited
	if !errors.As(err, &rl) {
		return 0, false
	}
	return max(1, int(math.Ceil(rl.after.Seconds()))), true
}

func rateLimited(after time.Duration) error {
	secs := max(1, int(math.Ceil(after.Seconds())))
	return &errRateLimited{after: after, err: &model.Error{Kind: model.KindTooMany, Code: model.CodeRateLimited,
		Title: "登录尝试过于频繁", Detail: fmt.Sprintf("登录尝试过于频繁，请%d秒后再试", secs)}}
}

// allow takes one token from the username's and the address's buckets, or
// takes none and reports how long to wait.
func (l *loginLimiter) allow(username, address string) error {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	keys := []struct {
		key   string
		limit RateLimit
	}{{"u:" + username, l.perUser}, {"a:" + address, l.perAddr}}
	var wait time.Duration
	for _, k := range keys {
		if k.limit.Burst <= 0 {
			continue
		}
		if b := l.refill(k.key, k.limit, now); b.tokens < 1 {
			wait = max(wait, time.Duration((1-b.tokens)*float64(k.limit.Every)))
		}
	}
	if wait > 0 {
		return rateLimited(wait)
	}
	for _, k := range keys {
		if k.limit.Burst > 0 {
			l.buckets[k.key].tokens--
		}
	}
	return nil
}

// refill brings key's bucket up to now.
func (l *loginLimiter) refill(key string, limit RateLimit, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.dropFull(now)
		}
		b = &bucket{tokens: float64(limit.Burst), at: now}
		l.buckets[key] = b
		return b
	}
	if gained := now.Sub(b.at); gained > 0 {
		b.tokens = min(float64(limit.Burst), b.tokens+float64(gained)/float64(limit.Every))
		b.at = now
	}
	return b
}

// dropFull forgets buckets that have refilled completely: they hold no
// state a new bucket would not.
func (l *loginLimiter) dropFull(now time.Time) {
	for key, b := range l.buckets {
		limit := l.perAddr
		if key[0] == 'u' {
			limit = l.perUser
		}
		if float64(now.Sub(b.at))/float64(limit.Every)+b.tokens >= float64(limit.Burst) {
			delete(l.buckets, key)
		}
	}
}
