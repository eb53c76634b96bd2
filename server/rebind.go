package server

import (
	"context"
	"database/sql/driver"
	"strconv"
	"strings"
	gosync "sync"
)

// The query layer writes placeholders SQLite's way, `?` and `?NNN`;
// PostgreSQL numbers them `$n`. rebindConn rewrites every statement on its
// way into the pgx connection, so no query is written twice and no caller
// has to remember to convert one. It also passes booleans as SQLite does.

// rebind turns `?` placeholders into `$n` (SQLite's rule: a bare `?` takes
// one more than the largest number so far; `?NNN` keeps its number).
// Quoted strings, quoted identifiers and comments are left alone.
func rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	highest := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			end := closingQuote(query, i)
			b.WriteString(query[i:end])
			i = end - 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				end = len(query) - i
			}
			b.WriteString(query[i : i+end])
			i += end - 1
		case c == '/' && i+1 < len(query) && query[i+1] == '*':
			end := strings.Index(query[i+2:], "*/")
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+2+end+2])
			i += 2 + end + 1
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			n := highest + 1
			if j > i+1 {
				n, _ = strconv.Atoi(query[i+1 : j])
			}
			highest = max(highest, n)
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// closingQuote returns the index just past the quoted token starting at i
// (a doubled quote character stands for itself).
func closingQuote(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// rebound caches rewritten statements: the server's statements are a few
// hundred fixed texts (and multi-row inserts of a bounded width).
type rebound struct {
	mu gosync.RWMutex
	m  map[string]string
}

const reboundMax = 4096

func (r *rebound) get(query string) string {
	r.mu.RLock()
	out, ok := r.m[query]
	r.mu.RUnlock()
	if ok {
		return out
	}
	out = rebind(query)
	r.mu.Lock()
	if len(r.m) < reboundMax {
		r.m[query] = out
	}
	r.mu.Unlock()
	return out
}

var reboundCache = &rebound{m: map[string]string{}}

// rebindConnector wraps pgx's database/sql connector.
type rebindConnector struct{ inner driver.Connector }

func (c rebindConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &rebindConn{conn: conn}, nil
}

func (c rebindConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgxConn is what pgx's stdlib.Conn offers database/sql.
type pgxConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.NamedValueChecker
}

// rebindConn forwards everything to pgx, rewriting statement texts.
type rebindConn struct{ conn driver.Conn }

func (c *rebindConn) inner() pgxConn { return c.conn.(pgxConn) }

func (c *rebindConn) Prepare(query string) (driver.Stmt, error) {
	return c.inner().Prepare(reboundCache.get(query))
}

func (c *rebindConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner().PrepareContext(ctx, reboundCache.get(query))
}

func (c *rebindConn) Close() error { return c.conn.Close() }

// Begin completes driver.Conn; database/sql calls BeginTx.
func (c *rebindConn) Begin() (driver.Tx, error) { return c.inner().Begin() }

func (c *rebindConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner().BeginTx(ctx, opts)
}

func (c *rebindConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.inner().ExecContext(ctx, reboundCache.get(query), args)
}

func (c *rebindConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.inner().QueryContext(ctx, reboundCache.get(query), args)
}

func (c *rebindConn) Ping(ctx context.Context) error { return c.inner().Ping(ctx) }

func (c *rebindConn) ResetSession(ctx context.Context) error { return c.inner().ResetSession(ctx) }

// CheckNamedValue passes a Go bool as 1 or 0, as go-sqlite3 stores it: the
// schema's flags are integer columns in both stores.
func (c *rebindConn) CheckNamedValue(v *driver.NamedValue) error {
	if b, ok := v.Value.(bool); ok {
		v.Value = int64(0)
		if b {
			v.Value = int64(1)
		}
		return nil
	}
	return c.inner().CheckNamedValue(v)
}
