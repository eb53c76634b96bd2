package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	gosync "sync"

	"titledesk/model"
	"titledesk/store"
	tdsync "titledesk/sync"
)

// Status is what the status bar shows (DC-1).
type Status = tdsync.Status

// Me is who is logged in, for the header and the services.
type Me struct {
	Username   string
	PersonName string
	UnitID     string
	UnitName   string
	Role       model.Role
	Offline    bool // opened with the offline verifier, not a server session
}

// Session owns the open cache and its sync engine: one server and one user
// at a time (ACC-2).
type Session struct {
	cfg Config

	mu      gosync.Mutex
	st      *store.Store
	eng     *tdsync.Engine
	me      *Me
	offline bool
	stopRun context.CancelFunc
	runDone chan struct{}
	pinned  map[string]string // server URL → cache path (demo mode)
	opened  *openFiles        // plaintext copies handed to viewers, removed at logout and exit
}

func newSession(cfg Config) *Session {
	return &Session{cfg: cfg, pinned: map[string]string{}, opened: newOpenFiles(openFilesRoot(cfg.CacheDir))}
}

// pinCache makes logins to serverURL use the cache at path.
func (s *Session) pinCache(serverURL, path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pinned[serverURL] = path
}

func (s *Session) cachePath(c Credentials) (string, error) {
	s.mu.Lock()
	p, ok := s.pinned[c.ServerURL]
	s.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := store.DefaultPath(c.ServerURL, c.Username)
	if err != nil {
		return "", err
	}
	if s.cfg.CacheDir != "" {
		return filepath.Join(s.cfg.CacheDir, filepath.Base(p)), nil
	}
	// An earlier version kept the cache in the roaming profile.
	if err := store.MoveLegacy(p); err != nil {
		s.cfg.Logger.Warn("move cache to the local application data folder", "err", err)
	}
	return p, nil
}

// Login signs in online, syncs once so the dashboard is current, and starts
// the background sync. Failures are *LoginError with a Chinese message; an
// unreachable server sets OfflinePossible when this user has a cache here.
func (s *Session) Login(ctx context.Context, c Credentials) error {
	if err := checkServerURL(c); err != nil {
		return err
	}
	path, err := s.cachePath(c)
	if err != nil {
		return s.internal("login", err)
	}
	fresh := !fileExists(path)
	eng, st, err := s.open(ctx, path)
	if err != nil {
		return s.internal("login", err)
	}
	err = eng.Login(ctx, c.ServerURL, c.Username, c.Password)
	if errors.Is(err, store.ErrKeyLost) {
		eng, err = s.replaceLostCache(ctx, path, st, c)
	}
	if err != nil {
		le := s.loginError(ctx, st, err)
		s.closeStore(fresh) // a mistyped address must not leave an empty cache behind
		return le
	}
	// The first sync fills an empty cache; later ones are quick. If the
	// server goes away right now, the cached data is still usable.
	if err := eng.SyncNow(ctx); err != nil && !tdsync.IsRetryable(err) {
		s.cfg.Logger.Warn("first sync after login", "err", err)
	}
	s.started(eng, false)
	return nil
}

// replaceLostCache starts a new cache for a login whose password and server
// key both fail to open the old one (the password was changed on the
// server and the server no longer has the key it gave). The old cache
// cannot be read by anyone any more; it is removed, the person logs in
// into a new one and is told what was lost.
func (s *Session) replaceLostCache(ctx context.Context, path string, old *store.Store, c Credentials) (*tdsync.Engine, error) {
	lost, _ := old.PendingCount(ctx)
	if err := s.closeStore(true); err != nil {
		return nil, err
	}
	eng, _, err := s.open(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := eng.Login(ctx, c.ServerURL, c.Username, c.Password); err != nil {
		return nil, err
	}
	msg := "本机缓存是用旧密码加密的，无法再打开（密码已在服务器上更改），已重新下载本单位数据"
	if lost > 0 {
		msg += fmt.Sprintf("；原缓存中 %d 条未同步的操作无法恢复，请核对后重新办理", lost)
	}
	eng.Notify(msg)
	return eng, nil
}

// Unlock opens this user's cache without the server (ACC-2): the password
// unwraps the cache's key saved at the last online login.
func (s *Session) Unlock(ctx context.Context, c Credentials) error {
	path, err := s.cachePath(c)
	if err != nil {
		return s.internal("unlock", err)
	}
	if !fileExists(path) {
		return &LoginError{Message: "本机没有该账户的离线数据，首次登录需要连接服务器"}
	}
	eng, _, err := s.open(ctx, path)
	if err != nil {
		return s.internal("unlock", err)
	}
	if err := eng.Unlock(ctx, c.Username, c.Password); err != nil {
		s.closeStore(false)
		return &LoginError{Message: Explain(err), Err: err}
	}
	s.started(eng, true)
	return nil
}

// Logout ends the session. The cache and its unsynced actions stay for
// the next login.
func (s *Session) Logout(ctx context.Context) error {
	s.mu.Lock()
	eng := s.eng
	s.mu.Unlock()
	var err error
	if eng != nil {
		err = eng.Logout(ctx)
	}
	return errors.Join(err, s.close())
}

// Me is who is logged in; false before a login or unlock.
func (s *Session) Me() (Me, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.me == nil {
		return Me{}, false
	}
	return *s.me, true
}

// Status is the sync status now (zero before login).
func (s *Session) Status() Status {
	if eng, _, err := s.current(); err == nil {
		return eng.Status()
	}
	return Status{}
}

// OnStatus calls f now and on every status change until stop is called.
// f runs on the engine's goroutine: the UI must hand it to fyne.Do.
func (s *Session) OnStatus(f func(Status)) (stop func()) {
	eng, _, err := s.current()
	if err != nil {
		f(Status{})
		return func() {}
	}
	return eng.Subscribe(f)
}

// SyncNow runs one sync cycle (【立即同步】).
func (s *Session) SyncNow(ctx context.Context) error {
	eng, _, err := s.current()
	if err != nil {
		return err
	}
	return eng.SyncNow(ctx)
}

// current returns the engine and store of the logged-in user.
func (s *Session) current() (*tdsync.Engine, *store.Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.eng == nil || s.me == nil {
		return nil, nil, ErrNotLoggedIn
	}
	return s.eng, s.st, nil
}

// open opens the cache at path (reusing it when it is already open) with
// a new engine over it.
func (s *Session) open(ctx context.Context, path string) (*tdsync.Engine, *store.Store, error) {
	s.mu.Lock()
	if s.st != nil && s.st.Path() == path {
		eng, st := s.eng, s.st
		s.mu.Unlock()
		return eng, st, nil
	}
	s.mu.Unlock()
	if err := s.close(); err != nil {
		s.cfg.Logger.Warn("close previous cache", "err", err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	eng := tdsync.New(st, tdsync.NewClient(tdsync.ClientOptions{}), tdsync.Options{Logger: s.cfg.Logger})
	s.mu.Lock()
	s.st, s.eng = st, eng
	s.mu.Unlock()
	return eng, st, nil
}

// started records the identity and starts the background loop.
func (s *Session) started(eng *tdsync.Engine, offline bool) {
	id, _ := eng.Identity()
	me := &Me{Username: id.Username, PersonName: id.Account.Name, UnitID: id.Account.UnitID,
		Role: id.Account.Role, Offline: offline}
	if id.Unit != nil {
		me.UnitName = id.Unit.Name
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.me = me
	if s.cfg.Background && s.stopRun == nil {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		s.stopRun, s.runDone = cancel, done
		go func() {
			defer close(done)
			eng.Run(ctx)
		}()
	}
}

// close stops the loop and closes the cache.
func (s *Session) close() error { return s.closeStore(false) }

// closeStore closes the cache and removes the plaintext copies handed to
// viewers; remove deletes the cache too (only ever a cache created by a
// login that failed, or one nobody can open any more).
func (s *Session) closeStore(remove bool) error {
	s.mu.Lock()
	stop, done, st := s.stopRun, s.runDone, s.st
	s.stopRun, s.runDone, s.st, s.eng, s.me = nil, nil, nil, nil, nil
	s.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
	if st == nil {
		return nil
	}
	err := errors.Join(st.Close(), s.opened.clear())
	if remove {
		err = errors.Join(err, store.Remove(st.Path()))
	}
	return err
}

// loginError words a failed online login for the login screen.
func (s *Session) loginError(ctx context.Context, st *store.Store, err error) error {
	var me *model.Error
	switch {
	case tdsync.IsRetryable(err):
		if st.CanUnlockOffline(ctx) {
			return &LoginError{Err: err, OfflinePossible: true,
				Message: "无法连接服务器。可以点击【离线登录】使用本机缓存继续工作，恢复连接后自动同步"}
		}
		return &LoginError{Err: err, Message: "无法连接服务器，请检查服务器地址和网络连接（首次登录需要联网）"}
	case errors.As(err, &me) && me.Code == model.CodeBadCredentials:
		return &LoginError{Err: err, Message: "用户名或密码错误，请重新输入"}
	case errors.As(err, &me) && me.Code == model.CodeAccountLocked:
		return &LoginError{Err: err, Message: Explain(err)}
	case errors.As(err, &me) && me.Kind != model.KindInternal:
		return &LoginError{Err: err, Message: Explain(err)}
	}
	return s.internal("login", err)
}

func (s *Session) internal(op string, err error) error {
	s.cfg.Logger.Error(op, "err", err)
	return &LoginError{Err: err, Message: "登录未能完成：本机缓存无法打开或服务器返回异常，请稍后重试"}
}

// checkServerURL catches an address that cannot be a server, or that would
// send passwords and personal data unencrypted across a network without
// the person's confirmation, before any I/O.
func checkServerURL(c Credentials) error {
	u, err := url.Parse(c.ServerURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &LoginError{Message: "服务器地址格式不正确，应以 http:// 或 https:// 开头，例如 https://zc.rsj.tj.gov.cn"}
	}
	if host := PlainHTTPHost(c.ServerURL); host != "" && !c.PlainHTTPConfirmed {
		return errPlainHTTP(host)
	}
	return nil
}
