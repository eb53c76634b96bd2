// Package server is TitleDesk's central server: sessions, the change feed,
// command execution through the model's state machine, attachment storage
// and the city office's admin tools, over SQLite. Every read and every
// command is authorized against the caller's unit subtree (SRV-2).
package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"path/filepath"
	"runtime/debug"
	gosync "sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"

	"titledesk/api"
)

// Config configures a Server. Zero values take the defaults below.
type Config struct {
	// DataDir holds the SQLite store: titledesk.db and attachments/.
	DataDir string
	// Database, when set, is a postgres:// URL: the server keeps
	// everything, attachments included, in that PostgreSQL database, which
	// several server processes may share, and DataDir is not used.
	Database string

	IdleTimeout     time.Duration // a session unused this long expires (default 30m)
	AbsoluteTimeout time.Duration // a session expires this long after login (default 12h)
	MaxAttachment   int64         // bytes per uploaded file (default 20 MiB)
	// PasswordCost is the bcrypt cost of every password the server stores
	// and of the comparison made when no account matches (default
	// PasswordCost; tests use bcrypt.MinCost).
	PasswordCost int
	// LoginLimitPerUsername and LoginLimitPerAddress rate-limit logins
	// (defaults DefaultLoginLimitPerUsername / …PerAddress; Burst < 0: off).
	LoginLimitPerUsername RateLimit
	LoginLimitPerAddress  RateLimit
	// PushSlice bounds how long one push holds the write lock while another
	// writer waits: past it, a push commits after the current command and
	// takes the lock again for the rest, so others wait at most about this
	// long plus one command. With nobody waiting a push stays one
	// transaction (default DefaultPushSlice; < 0: always one transaction).
	PushSlice time.Duration
	// Operator names who runs the admin tools, for the audit log (the CLI
	// sets the operating-system user; default "admin").
	Operator string
	Now      func() time.Time
	Logger   *slog.Logger
}

// GoMemoryLimit is the server's soft limit on the Go runtime's memory
// (internal/memlimit), which serve sets: 20 devices pulling 2,000-change
// pages and pushing held 105–125 MB; many devices catching up at once with
// 5,000-change pages make megabytes of short-lived page buffers each, and
// the limit has the collector reclaim them before the heap doubles.
const GoMemoryLimit = 256 << 20

// Defaults of Config.
const (
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultAbsoluteTimeout = 12 * time.Hour
	DefaultMaxAttachment   = 20 << 20
	DefaultPushSlice       = 20 * time.Millisecond
)

// Server is the central server. It is safe for concurrent use.
type Server struct {
	cfg     Config
	log     *slog.Logger
	writer  *sql.DB
	reader  *sql.DB
	dialect dialect
	files   attachmentFiles

	calMu    gosync.RWMutex
	calendar calendarCache // see calendarAt

	// waiting counts writers of this process waiting for the write
	// connection or lock; a long push commits early when it is not zero
	// (Config.PushSlice, yieldWrite).
	waiting   atomic.Int64
	limiter   *loginLimiter
	pages     pageSlots
	dummyOnce gosync.Once
	dummy     []byte // see dummyHash
}

// Open opens (creating if needed) the data directory and its database,
// applies pending migrations and seeds the default holiday calendar.
func Open(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.DataDir == "" && cfg.Database == "" {
		return nil, errors.New("server: Config.DataDir or Config.Database is required")
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.AbsoluteTimeout <= 0 {
		cfg.AbsoluteTimeout = DefaultAbsoluteTimeout
	}
	if cfg.MaxAttachment <= 0 {
		cfg.MaxAttachment = DefaultMaxAttachment
	}
	if cfg.PasswordCost == 0 {
		cfg.PasswordCost = PasswordCost
	}
	if cfg.PasswordCost < bcrypt.MinCost || cfg.PasswordCost > bcrypt.MaxCost {
		return nil, fmt.Errorf("server: Config.PasswordCost %d outside bcrypt's %d..%d", cfg.PasswordCost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	if cfg.LoginLimitPerUsername == (RateLimit{}) {
		cfg.LoginLimitPerUsername = DefaultLoginLimitPerUsername
	}
	if cfg.LoginLimitPerAddress == (RateLimit{}) {
		cfg.LoginLimitPerAddress = DefaultLoginLimitPerAddress
	}
	if cfg.PushSlice == 0 {
		cfg.PushSlice = DefaultPushSlice
	}
	if cfg.Operator == "" {
		cfg.Operator = "admin"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Database == "" {
		if err := prepareDataDir(cfg.DataDir); err != nil {
			return nil, fmt.Errorf("server: data directory: %w", err)
		}
	}
	writer, reader, d, err := openStore(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, writer: writer, reader: reader, dialect: d,
		limiter: newLoginLimiter(cfg.LoginLimitPerUsername, cfg.LoginLimitPerAddress, cfg.Now), pages: newPageSlots()}
	s.files = dirFiles{root: filepath.Join(cfg.DataDir, attachmentDir)}
	if d.name() == StorePostgres {
		s.files = dbFiles{db: writer}
	}
	if err := migrate(ctx, writer, d, s.now()); err != nil {
		s.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	if err := s.loadCalendar(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	if err := s.loadRuleSets(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	if err := s.ensureGeneration(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	return s, nil
}

// Close closes the database.
func (s *Server) Close() error {
	return errors.Join(s.reader.Close(), s.writer.Close())
}

// now is the server's clock in UTC at millisecond precision, the precision
// the database keeps, so a value read back equals the value written.
func (s *Server) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

// Handler returns the HTTP API. Every route answers failures as RFC 9457
// problems, including unknown paths and methods.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	route := func(method, path string, h http.HandlerFunc) {
		mux.HandleFunc(method+" "+path, h)
		mux.HandleFunc(path, methodNotAllowed(method))
	}
	route("GET", api.Base+"/health", s.handleHealth)
	route("POST", api.Base+"/sessions", s.handleLogin)
	route("DELETE", api.Base+"/sessions/current", s.authed(s.handleLogout))
	route("GET", api.Base+"/sync/changes", s.authed(s.handleChanges))
	route("POST", api.Base+"/sync/commands", s.authed(s.handlePush))
	mux.HandleFunc("PUT "+api.Base+"/attachments/{sha256}", s.authed(s.handleUpload))
	mux.HandleFunc("GET "+api.Base+"/attachments/{sha256}", s.authed(s.handleDownload))
	mux.HandleFunc(api.Base+"/attachments/{sha256}", methodNotAllowed("GET, HEAD, PUT"))
	mux.HandleFunc("/", notFoundHandler)
	return s.logRequests(s.recoverer(canonicalPaths(mux)))
}

// canonicalPaths answers a path with "..", ".", "//" or a trailing slash
// as the unknown path it is (404 problem), where the mux would answer
// Go's HTML redirect to its cleaned form.
func canonicalPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; p != "/" && (p == "" || path.Clean(p) != p) {
			notFoundHandler(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// logRequests writes one line per request: the route pattern rather than
// the URL, so neither query strings nor IDs beyond a file hash are logged.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		s.log.InfoContext(r.Context(), "request", "method", r.Method, "route", r.Pattern,
			"status", sw.status, "ms", time.Since(start).Milliseconds())
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if err := s.reader.PingContext(r.Context()); err != nil {
		s.writeProblem(w, r, fmt.Errorf("health: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// recoverer turns a panic in a handler into a logged 500 problem instead
// of a dropped connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic in handler", "method", r.Method, "route", r.Pattern,
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				writeProblemValue(w, api.ProblemOf(errors.New("panic")))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
