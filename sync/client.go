// Package sync is the desktop client's sync engine (DESIGN §4): a REST
// client for the central server, and an engine that pushes the outbox,
// pulls the change feed into the store and keeps the optimistic view on top.
// It never imports Fyne: status goes out through a plain callback.
package sync

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"titledesk/api"
)

// ClientOptions configure a Client. Zero values take the defaults.
type ClientOptions struct {
	// Transport carries the requests (tests inject faults here). Nil: a
	// tuned http.Transport.
	Transport http.RoundTripper
	// Timeout bounds one JSON request from dial to the last body byte.
	Timeout time.Duration
	// FileTimeout bounds one attachment upload or download.
	FileTimeout time.Duration
	// MaxJSON and MaxFile bound response bodies, so a broken or hostile
	// server cannot make the client allocate without limit.
	MaxJSON int64
	MaxFile int64
	// RootCAs, when set, are the certificate authorities an https:// server
	// is checked against instead of the system's (a city office's own CA).
	RootCAs *x509.CertPool
}

// Client defaults.
const (
	DefaultTimeout     = 60 * time.Second
	DefaultFileTimeout = 5 * time.Minute
	// A changes page holds at most api.MaxChangesPerPage records of a few KB.
	DefaultMaxJSON = 256 << 20
	DefaultMaxFile = 64 << 20
)

// Client talks to the central server's REST API. The bearer token lives in
// memory only. It is safe for concurrent use.
type Client struct {
	opts  ClientOptions
	http  *resty.Client // JSON calls, bounded by Timeout
	files *resty.Client // attachments, bounded by FileTimeout

	mu    gosync.Mutex
	base  string
	token string
	// caughtUp is the last empty page's cursor and ETag: the next poll
	// at that cursor asks If-None-Match and gets a bodiless 304.
	caughtUp struct{ cursor, etag string }
}

// NewClient builds a client; Login names the server.
func NewClient(opts ClientOptions) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.FileTimeout <= 0 {
		opts.FileTimeout = DefaultFileTimeout
	}
	if opts.MaxJSON <= 0 {
		opts.MaxJSON = DefaultMaxJSON
	}
	if opts.MaxFile <= 0 {
		opts.MaxFile = DefaultMaxFile
	}
	if opts.Transport == nil {
		opts.Transport = defaultTransport(opts.RootCAs)
	}
	return &Client{opts: opts, http: newResty(opts.Transport, opts.Timeout), files: newResty(opts.Transport, opts.FileTimeout)}
}

func newResty(rt http.RoundTripper, timeout time.Duration) *resty.Client {
	return resty.New().
		SetTransport(rt).
		SetTimeout(timeout).
		SetRetryCount(0). // the engine retries with backoff; resty must not replay pushes on its own
		SetDoNotParseResponse(true).
		SetLogger(quietLogger{}).
		SetDisableWarn(true).
		SetHeader("User-Agent", "TitleDesk")
}

// defaultTransport speaks TLS 1.2 or later to an https:// server (SEC-5),
// checking its certificate against roots (nil: the system's).
func defaultTransport(roots *x509.CertPool) *http.Transport {
	return &http.Transport{
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots},
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second, // a push of 500 commands takes a while to apply
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
		ForceAttemptHTTP2:     true,
	}
}

// quietLogger drops resty's own log lines: they could quote requests.
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

var _ resty.Logger = quietLogger{}

// SetServer names the server without logging in (the engine restores it
// from the cache after an offline unlock).
func (c *Client) SetServer(serverURL string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base = strings.TrimRight(strings.TrimSpace(serverURL), "/")
}

// SetToken replaces the session token (empty: logged out).
func (c *Client) SetToken(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.token = token
}

// HasSession reports whether a token is held.
func (c *Client) HasSession() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token != ""
}

func (c *Client) session() (base, token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base, c.token
}

// Login opens a session on serverURL. A wrong password comes back as the
// server's *model.Error (bad_credentials, account_locked), not as
// ErrSessionExpired.
func (c *Client) Login(ctx context.Context, serverURL, username, password, deviceID string) (api.LoginResponse, error) {
	oldBase, _ := c.session()
	c.SetServer(serverURL)
	var out api.LoginResponse
	body := api.LoginRequest{Username: username, Password: password, DeviceID: deviceID}
	err := c.doJSON(ctx, call{op: "login", method: http.MethodPost, path: "/sessions", in: body, out: &out, anonymous: true})
	if err != nil {
		c.SetServer(oldBase) // a mistyped address must not strand a working session
		return out, err
	}
	if out.Token == "" {
		return out, badResponse("login", "no token in the answer")
	}
	c.SetToken(out.Token)
	return out, nil
}

// Logout revokes the session on the server and forgets the token, whatever
// the server said: a logout must always work locally.
func (c *Client) Logout(ctx context.Context) error {
	defer c.SetToken("")
	if !c.HasSession() {
		return nil
	}
	err := c.doJSON(ctx, call{op: "logout", method: http.MethodDelete, path: "/sessions/current"})
	if errors.Is(err, ErrSessionExpired) {
		return nil
	}
	return err
}

// PullPage reads one page of the change feed after cursor ("" = from the
// start). Polling at a cursor that was caught up is conditional: when
// nothing changed the server answers 304 and the page is empty at cursor.
func (c *Client) PullPage(ctx context.Context, cursor string, limit int) (api.ChangesResponse, error) {
	var out api.ChangesResponse
	q := "?limit=" + strconv.Itoa(limit)
	if cursor != "" {
		q += "&cursor=" + urlQueryEscape(cursor)
	}
	var (
		notModified bool
		etag        string
	)
	cl := call{op: "pull", method: http.MethodGet, path: "/sync/changes" + q, out: &out, notModified: &notModified, etag: &etag}
	c.mu.Lock()
	if c.caughtUp.cursor == cursor {
		cl.ifNoneMatch = c.caughtUp.etag
	}
	c.mu.Unlock()
	if err := c.doJSON(ctx, cl); err != nil {
		return out, err
	}
	if notModified {
		if cl.ifNoneMatch == "" {
			return out, badResponse("pull", "304 to an unconditional request")
		}
		return api.ChangesResponse{Changes: []api.Change{}, Cursor: cursor}, nil
	}
	if out.Cursor == "" && len(out.Changes) > 0 {
		return out, badResponse("pull", "page without a cursor")
	}
	c.mu.Lock()
	c.caughtUp.cursor, c.caughtUp.etag = "", ""
	if len(out.Changes) == 0 && !out.HasMore && etag != "" {
		c.caughtUp.cursor, c.caughtUp.etag = out.Cursor, etag
	}
	c.mu.Unlock()
	return out, nil
}

// Push is PushFrom without a cursor (the server then does not check the
// cache's feed position).
func (c *Client) Push(ctx context.Context, deviceID string, cmds []api.Command) (api.PushResponse, error) {
	return c.PushFrom(ctx, deviceID, "", cmds)
}

// PushFrom sends commands in order and returns one result per command. Results
// that do not match the commands one to one are a bad response (retried):
// handling half an answer could drop a command.
//
// A failure before the request was written whole to the network also
// matches ErrNotSent: the server cannot have applied any of cmds. cursor is
// the cache's feed cursor: one of another generation of the server's
// database (it was restored from a backup) refuses the whole push with a
// *model.Error of code api.CodeCursorReset, and nothing runs.
func (c *Client) PushFrom(ctx context.Context, deviceID, cursor string, cmds []api.Command) (api.PushResponse, error) {
	var out api.PushResponse
	in := api.PushRequest{DeviceID: deviceID, Cursor: cursor, Commands: cmds}
	// wrote: some attempt wrote the whole request. The push is marked
	// idempotent, so net/http may replay it on a fresh connection after a
	// kept-alive one was closed under an attempt the server may have run:
	// once any attempt went out whole, the push counts as possibly applied.
	var wrote atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(w httptrace.WroteRequestInfo) {
			if w.Err == nil {
				wrote.Store(true)
			}
		},
	})
	if err := c.doJSON(ctx, call{op: "push", method: http.MethodPost, path: "/sync/commands", in: in, out: &out, idempotent: true}); err != nil {
		if !wrote.Load() {
			err = fmt.Errorf("%w: %w", ErrNotSent, err)
		}
		return out, err
	}
	if len(out.Results) != len(cmds) {
		return out, badResponse("push", "%d results for %d commands", len(out.Results), len(cmds))
	}
	for i, r := range out.Results {
		if r.Seq != cmds[i].Seq || r.ID != cmds[i].ID {
			return out, badResponse("push", "result %d names another command", i)
		}
		switch r.Status {
		case api.StatusApplied, api.StatusDuplicate, api.StatusRejected, api.StatusConflict, api.StatusSeqReused:
		default:
			return out, badResponse("push", "unknown status %.20q", r.Status)
		}
	}
	return out, nil
}
