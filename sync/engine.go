package sync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	gosync "sync"
	"time"

	"titledesk/api"
	"titledesk/model"
	"titledesk/store"
)

// Options tune an Engine. Zero values take the defaults below.
type Options struct {
	PageSize   int           // changes per pull request
	PushBatch  int           // commands per push request (≤ api.MaxCommandsPerPush)
	Interval   time.Duration // between syncs while online
	Debounce   time.Duration // after a local action, before pushing it
	MinBackoff time.Duration // first retry delay while offline
	MaxBackoff time.Duration // cap of the retry delay
	Clock      Clock
	Rand       func() float64 // in [0,1), for backoff jitter
	Logger     *slog.Logger   // failures only; never tokens, passwords or personal data
}

// Option defaults.
const (
	DefaultPageSize   = 2000
	DefaultInterval   = time.Minute
	DefaultDebounce   = 2 * time.Second
	DefaultMinBackoff = 2 * time.Second
	DefaultMaxBackoff = time.Minute
)

func (o *Options) defaults() {
	if o.PageSize <= 0 || o.PageSize > api.MaxChangesPerPage {
		o.PageSize = DefaultPageSize
	}
	if o.PushBatch <= 0 || o.PushBatch > api.MaxCommandsPerPush {
		o.PushBatch = api.MaxCommandsPerPush
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Debounce <= 0 {
		o.Debounce = DefaultDebounce
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = DefaultMinBackoff
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(DefaultMaxBackoff, o.MinBackoff)
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Engine keeps one cache in step with the server: local actions go into the
// outbox with their optimistic effect, SyncNow pushes them and pulls the
// feed, Run does that in the background. Safe for concurrent use.
type Engine struct {
	store  *store.Store
	client *Client
	opts   Options
	hub    statusHub
	nudge  chan struct{}
	cycle  gosync.Mutex // one sync cycle at a time

	mu       gosync.Mutex
	identity *store.Identity
	// password is held in memory only between an offline Unlock and the
	// first successful online login, so coming back online needs no prompt.
	password string
}

// New builds an engine over an open store. It restores the last sync time
// and counts for the status bar; nobody is logged in until Login or Unlock.
func New(st *store.Store, client *Client, opts Options) *Engine {
	opts.defaults()
	e := &Engine{store: st, client: client, opts: opts, nudge: make(chan struct{}, 1)}
	e.refreshCounts(context.Background())
	return e
}

// Notify publishes a notice the person must see once (Status.Notice).
func (e *Engine) Notify(msg string) {
	e.hub.update(func(s *Status) { s.Notice, s.NoticeSeq = msg, s.NoticeSeq+1 })
}

// Status is the current status.
func (e *Engine) Status() Status { return e.hub.get() }

// Subscribe calls f now and after every status change until cancel is
// called. f runs on the engine's goroutine and must not block or call back
// into the engine (the UI hands it to fyne.Do).
func (e *Engine) Subscribe(f func(Status)) (cancel func()) { return e.hub.subscribe(f) }

// Identity is who is logged in, or false before Login/Unlock.
func (e *Engine) Identity() (store.Identity, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.identity == nil {
		return store.Identity{}, false
	}
	return *e.identity, true
}

func (e *Engine) actor() (model.Actor, error) {
	id, ok := e.Identity()
	if !ok {
		return model.Actor{}, ErrNotLoggedIn
	}
	a := id.Account
	return model.Actor{Role: a.Role, UnitID: a.UnitID, ApplicantID: a.ApplicantID, Person: a.Name}, nil
}

// errOtherAccount refuses to mix two accounts' outboxes in one cache.
func errOtherAccount() error {
	return &model.Error{Kind: model.KindAuth, Code: model.CodeForbidden, Title: "本地数据属于其他账户",
		Detail: "本机缓存属于另一个账户，请使用该账户登录，或清除本地缓存后重新登录"}
}

func errOfflineCredentials() error {
	return &model.Error{Kind: model.KindAuth, Code: model.CodeBadCredentials, Title: "用户名或密码错误",
		Detail: "离线登录失败：用户名或密码错误（离线时使用最近一次联网登录的密码）"}
}

func errNeverOnline() error {
	return &model.Error{Kind: model.KindAuth, Code: model.CodeUnauthorized, Title: "需要联网登录",
		Detail: "本机尚未联网登录过该账户，首次登录需要连接服务器"}
}

// Login signs in online (ACC-2): opens a session (the token stays in
// memory), saves the identity and an offline verifier of the password, and
// triggers a sync. A server that cannot be reached comes back as ErrOffline:
// the caller may then try Unlock.
func (e *Engine) Login(ctx context.Context, serverURL, username, password string) error {
	deviceID, err := e.store.DeviceID(ctx)
	if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	resp, err := e.client.Login(ctx, serverURL, strings.TrimSpace(username), password, deviceID)
	if err != nil {
		e.hub.update(func(s *Status) { s.Online = !errors.Is(err, ErrOffline) })
		// This cache's device id is bound to the account whose cache it is:
		// another account is logging in on it (the owner's login would
		// not be refused for the device).
		if owner, _ := e.store.AccountID(ctx); owner != "" && model.AsError(err).Code == model.CodeDeviceInUse {
			return errOtherAccount()
		}
		return err
	}
	if err := e.adopt(ctx, serverURL, username, password, resp); err != nil {
		return err
	}
	e.hub.update(func(s *Status) { s.Online, s.NeedPassword, s.LastError = true, false, "" })
	e.Nudge()
	return nil
}

// adopt records a successful login in the cache and in memory: the cache
// is unlocked with the password and the server's cache key (its data key
// re-wrapped if the password changed on the server), then the identity is
// saved. Another account's login is refused before anything is unlocked.
func (e *Engine) adopt(ctx context.Context, serverURL, username, password string, resp api.LoginResponse) error {
	owner, err := e.store.AccountID(ctx)
	if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	if owner != "" && owner != resp.User.ID {
		e.client.Logout(ctx)
		return errOtherAccount()
	}
	if err := e.store.UnlockOnline(ctx, password, resp.CacheKey); err != nil {
		e.client.Logout(ctx)
		return fmt.Errorf("login: %w", err)
	}
	id := store.Identity{ServerURL: serverURL, Username: strings.TrimSpace(username), Account: resp.User, Unit: resp.Unit}
	if err := e.store.SetIdentity(ctx, id); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	e.mu.Lock()
	e.identity, e.password = &id, ""
	e.mu.Unlock()
	return nil
}

// Unlock opens the cache offline with the password of the last online login
// (it unwraps the cache's key, ACC-2, SEC-4). The next sync logs in with
// it once the server is reachable.
func (e *Engine) Unlock(ctx context.Context, username, password string) error {
	switch err := e.store.Unlock(ctx, password); {
	case errors.Is(err, store.ErrNoKey):
		return errNeverOnline()
	case errors.Is(err, store.ErrWrongPassword):
		return errOfflineCredentials()
	case err != nil:
		return fmt.Errorf("unlock: %w", err)
	}
	id, ok, err := e.store.Identity(ctx)
	if err != nil {
		e.store.Lock()
		return fmt.Errorf("unlock: %w", err)
	}
	if !ok {
		e.store.Lock()
		return errNeverOnline()
	}
	if !strings.EqualFold(id.Username, strings.TrimSpace(username)) {
		e.store.Lock()
		return errOfflineCredentials()
	}
	e.client.SetServer(id.ServerURL)
	e.mu.Lock()
	e.identity, e.password = &id, password
	e.mu.Unlock()
	e.Nudge()
	return nil
}

// Logout ends the session on the server (best effort), forgets who is
// logged in and locks the cache (its key leaves memory). The cache and its
// outbox stay, readable again after the next login or unlock.
func (e *Engine) Logout(ctx context.Context) error {
	err := e.client.Logout(ctx)
	e.mu.Lock()
	e.identity, e.password = nil, ""
	e.mu.Unlock()
	e.cycle.Lock() // a running sync finishes before the key goes
	e.store.Lock()
	e.cycle.Unlock()
	if IsRetryable(err) {
		return nil // the token is forgotten locally; the server expires it
	}
	return err
}

// ensureSession makes sure a token is held, logging in with the password
// kept since an offline Unlock if there is one.
func (e *Engine) ensureSession(ctx context.Context) error {
	if e.client.HasSession() {
		return nil
	}
	e.mu.Lock()
	id, password := e.identity, e.password
	e.mu.Unlock()
	if id == nil {
		return ErrNotLoggedIn
	}
	if password == "" {
		return ErrSessionExpired
	}
	deviceID, err := e.store.DeviceID(ctx)
	if err != nil {
		return err
	}
	resp, err := e.client.Login(ctx, id.ServerURL, id.Username, password, deviceID)
	var me *model.Error
	if errors.As(err, &me) && me.Kind == model.KindAuth {
		// The password changed on the server since: ask for the new one.
		e.mu.Lock()
		e.password = ""
		e.mu.Unlock()
		return fmt.Errorf("%w: %w", ErrSessionExpired, err)
	}
	if err != nil {
		return err
	}
	return e.adopt(ctx, id.ServerURL, id.Username, password, resp)
}
