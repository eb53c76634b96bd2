// Package applog is where TitleDesk's logs are written: a rotating file
// per program, and one rule that keeps personal data and secrets out of
// every line, whatever a caller hands it (an error quoting a field, a
// stray attribute). The desktop app and the server both log through it.
package applog

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// Redacted replaces a value that must never reach a log.
const Redacted = "[redacted]"

// secretKeys are attribute keys whose value is dropped whole (compared in
// lower case, with "-" and "_" removed).
var secretKeys = map[string]bool{
	"password": true, "passwd": true, "newpassword": true, "oldpassword": true,
	"token": true, "authorization": true, "cookie": true, "secret": true, "key": true,
	"idnumber": true, "phone": true, "mobile": true,
}

func secretKey(k string) bool {
	k = strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(k))
	return secretKeys[k]
}

// Redact wraps h so that every record it passes on has its message and
// attribute values scrubbed (see Scrub) and secret-named attributes dropped.
func Redact(h slog.Handler) slog.Handler { return redactor{h} }

type redactor struct{ next slog.Handler }

func (r redactor) Enabled(ctx context.Context, l slog.Level) bool { return r.next.Enabled(ctx, l) }

func (r redactor) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, Scrub(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(scrubAttr(a))
		return true
	})
	return r.next.Handle(ctx, out)
}

func (r redactor) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = scrubAttr(a)
	}
	return redactor{r.next.WithAttrs(clean)}
}

func (r redactor) WithGroup(name string) slog.Handler { return redactor{r.next.WithGroup(name)} }

func scrubAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	if secretKey(a.Key) {
		return slog.String(a.Key, Redacted)
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Scrub(v.String()))
	case slog.KindInt64, slog.KindUint64:
		// a phone number fits in an int64
		if s := v.String(); Scrub(s) != s {
			return slog.String(a.Key, Redacted)
		}
		return slog.Attr{Key: a.Key, Value: v}
	case slog.KindGroup:
		g := v.Group()
		clean := make([]any, len(g))
		for i, c := range g {
			clean[i] = scrubAttr(c)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, Scrub(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, Scrub(x.String()))
		default:
			return slog.String(a.Key, Scrub(fmt.Sprint(x)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// Scrub replaces, in s, every number shaped like a resident ID number
// (GB 11643: 18 characters, the last a digit or X, or the old 15 digits)
// with "[id-number]", every Chinese mobile (11 digits from 13… to 19…,
// with or without +86/0086) or landline with area code (0 + 9–11 digits)
// with "[phone]", and the credential after "Bearer", a URL's password or a
// 43-character session token with "[redacted]". Digits may be full-width and grouped by
// single spaces or hyphens, as people type them.
func Scrub(s string) string {
	s = scrubURLPassword(scrubBearer(s))
	var b strings.Builder
	rs := []rune(s)
	last := 0
	for i := 0; i < len(rs); {
		if !isDigit(rs[i]) || (i > 0 && (isDigit(rs[i-1]) || isTokenRune(rs[i-1]))) {
			i++
			continue
		}
		groups := scanGroups(rs, i)
		end := groups[len(groups)-1].end
		glued := end < len(rs) && isTokenRune(rs[end])
		// from each group, the longest run of groups that is an ID number or
		// a phone: "ID phone" with a space between are two, "139 1234 5678" one
		for g := 0; g < len(groups); {
			digits, best, label := "", -1, ""
			for h := g; h < len(groups); h++ {
				digits += groups[h].digits
				if l := classify(digits, glued && h == len(groups)-1); l != "" {
					best, label = h, l
				}
			}
			if best < 0 {
				g++
				continue
			}
			b.WriteString(string(rs[last:groups[g].start]))
			b.WriteString(label)
			last = groups[best].end
			g = best + 1
		}
		i = end
	}
	if last == 0 {
		return scrubTokens(s)
	}
	b.WriteString(string(rs[last:]))
	return scrubTokens(b.String())
}

// group is a run of digits (a final X allowed) of a number a person may
// have typed in groups: "120101 19900101 123X".
type group struct {
	start, end int
	digits     string
}

// scanGroups reads the digit groups from rs[i] joined by single spaces or
// hyphens.
func scanGroups(rs []rune, i int) []group {
	var out []group
	for {
		g := group{start: i}
		var d strings.Builder
		for i < len(rs) && isDigit(rs[i]) {
			d.WriteRune(digitOf(rs[i]))
			i++
		}
		if i < len(rs) && strings.ContainsRune("XxＸｘ", rs[i]) {
			d.WriteRune('X')
			i++
		}
		g.end, g.digits = i, d.String()
		out = append(out, g)
		if i+1 < len(rs) && (rs[i] == ' ' || rs[i] == '-') && isDigit(rs[i+1]) && !strings.HasSuffix(g.digits, "X") {
			i++
			continue
		}
		return out
	}
}

// classify names what a run of digits is; glued says a letter follows it
// directly (a hash or an identifier, not a number a person typed).
func classify(d string, glued bool) string {
	if glued {
		return ""
	}
	n := len(d)
	x := strings.IndexByte(d, 'X')
	switch {
	case x >= 0 && (x != 17 || n != 18):
		return "" // X only as an 18-character ID number's check character
	case n == 18 || n == 15:
		return "[id-number]"
	case n == 11 && d[0] == '1' && d[1] >= '3':
		return "[phone]"
	case n == 13 && strings.HasPrefix(d, "861") && d[3] >= '3':
		return "[phone]"
	case n >= 10 && n <= 12 && d[0] == '0' && d[1] != '0':
		return "[phone]"
	}
	return ""
}

func isDigit(r rune) bool { return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') }

func digitOf(r rune) rune {
	if r >= '０' && r <= '９' {
		return '0' + (r - '０')
	}
	return r
}

func isTokenRune(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_'
}

// scrubURLPassword drops the password of "scheme://user:password@host"
// (a database URL in an error).
func scrubURLPassword(s string) string {
	for from := 0; ; {
		i := strings.Index(s[from:], "://")
		if i < 0 {
			return s
		}
		start := from + i + 3
		end := start
		for end < len(s) && !strings.ContainsRune("/?# \t\n\"'", rune(s[end])) && s[end] != '@' {
			end++
		}
		if end < len(s) && s[end] == '@' {
			if c := strings.IndexByte(s[start:end], ':'); c >= 0 {
				s = s[:start+c+1] + Redacted + s[end:]
				end = start + c + 1 + len(Redacted)
			}
		}
		from = end
	}
}

// scrubBearer drops the credential of an Authorization header value.
func scrubBearer(s string) string {
	lower := strings.ToLower(s)
	i := strings.Index(lower, "bearer ")
	for i >= 0 {
		j := i + len("bearer ")
		k := j
		for k < len(s) && s[k] != ' ' && s[k] != '"' && s[k] != ',' {
			k++
		}
		s = s[:j] + Redacted + s[k:]
		lower = strings.ToLower(s)
		next := strings.Index(lower[j+len(Redacted):], "bearer ")
		if next < 0 {
			break
		}
		i = j + len(Redacted) + next
	}
	return s
}

// scrubTokens replaces runs of exactly 43 base64url characters: the shape
// of the server's session tokens (32 random bytes).
func scrubTokens(s string) string {
	if len(s) < 43 {
		return s
	}
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 && end-start == 43 && strings.ContainsAny(s[start:end], "0123456789") {
			b.WriteString(Redacted)
		} else if start >= 0 {
			b.WriteString(s[start:end])
		}
		start = -1
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		b.WriteByte(c)
	}
	flush(len(s))
	return b.String()
}
