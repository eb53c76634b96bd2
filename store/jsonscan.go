package store

import (
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonScanner is a minimal validating JSON reader for the few fields the
// cache derives its columns from. It checks the whole document against the
// JSON grammar (RFC 8259, as json.Valid; bytes that are not UTF-8 pass, as
// in SQLite) but materialises only the strings asked for, so a 2.4 KB
// application record costs ~6 µs instead of ~40 µs for a full encoding/json
// decode (BenchmarkDecodeApplications).
type jsonScanner struct {
	b []byte
	i int
}

// maxJSONDepth bounds nesting, as encoding/json does (it allows 10,000).
const maxJSONDepth = 1000

var errJSONSyntax = errors.New("invalid JSON")

func (s *jsonScanner) fail(what string) error {
	return fmt.Errorf("%w: %s at offset %d", errJSONSyntax, what, s.i)
}

func (s *jsonScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek is the next non-space byte (0 at the end).
func (s *jsonScanner) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *jsonScanner) expect(c byte) error {
	if s.peek() != c {
		return s.fail(fmt.Sprintf("want %q", c))
	}
	s.i++
	return nil
}

// end checks that nothing but space follows the document.
func (s *jsonScanner) end() error {
	if s.ws(); s.i != len(s.b) {
		return s.fail("data after the top-level value")
	}
	return nil
}

// rawString reads a string token and returns it with its quotes; plain is
// true when it has no escapes, so its inside is the value as it stands.
// Bytes that are not UTF-8 are kept as they are, as SQLite keeps them.
func (s *jsonScanner) rawString() (raw []byte, plain bool, err error) {
	if s.peek() != '"' {
		return nil, false, s.fail("want a string")
	}
	start := s.i
	s.i++
	plain = true
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			return s.b[start:s.i], plain, nil
		case c == '\\':
			plain = false
			if err := s.escape(); err != nil {
				return nil, false, err
			}
		case c < 0x20:
			return nil, false, s.fail("control character in string")
		default:
			s.i++
		}
	}
	return nil, false, s.fail("unterminated string")
}

// escape steps over one backslash escape.
func (s *jsonScanner) escape() error {
	s.i++ // the backslash
	if s.i >= len(s.b) {
		return s.fail("unterminated escape")
	}
	switch s.b[s.i] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.i++
		return nil
	case 'u':
		if s.i+5 > len(s.b) {
			return s.fail("short \\u escape")
		}
		for _, h := range s.b[s.i+1 : s.i+5] {
			if !isHex(h) {
				return s.fail("bad \\u escape")
			}
		}
		s.i += 5
		return nil
	}
	return s.fail("bad escape")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// str reads a string value.
func (s *jsonScanner) str() (string, error) {
	raw, plain, err := s.rawString()
	if err != nil {
		return "", err
	}
	return unquote(raw, plain)
}

// unquote decodes a string token rawString checked. A \u escape of a lone
// surrogate becomes U+FFFD, as in encoding/json.
func unquote(raw []byte, plain bool) (string, error) {
	in := raw[1 : len(raw)-1]
	if plain {
		return string(in), nil
	}
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		switch in[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(in[i+1:])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+6 < len(in) && in[i+1] == '\\' && in[i+2] == 'u' {
					r2 = hex4(in[i+3:])
				}
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					r = d
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default: // '"', '\\', '/'
			out = append(out, in[i])
		}
	}
	return string(out), nil
}

// hex4 is the value of four hex digits rawString checked.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c <= '9':
			c -= '0'
		case c <= 'F':
			c -= 'A' - 10
		default:
			c -= 'a' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// key reads an object key and its colon. Only an escaped key pays for
// decoding; callers compare with switch string(key), which does not allocate.
func (s *jsonScanner) key() ([]byte, error) {
	raw, plain, err := s.rawString()
	if err != nil {
		return nil, err
	}
	if plain {
		return raw[1 : len(raw)-1], s.expect(':')
	}
	v, err := unquote(raw, false)
	if err != nil {
		return nil, err
	}
	return []byte(v), s.expect(':')
}

// null consumes a null literal if one is next.
func (s *jsonScanner) null() bool {
	if s.peek() == 'n' && s.literal("null") == nil {
		return true
	}
	return false
}

func (s *jsonScanner) literal(word string) error {
	if len(s.b)-s.i < len(word) || string(s.b[s.i:s.i+len(word)]) != word {
		return s.fail("bad literal")
	}
	s.i += len(word)
	return nil
}

// number reads a number token (JSON grammar) and returns its text.
func (s *jsonScanner) number() ([]byte, error) {
	s.ws()
	start := s.i
	if s.i < len(s.b) && s.b[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i < len(s.b) && s.b[s.i] == '0':
		s.i++
	case s.i < len(s.b) && '1' <= s.b[s.i] && s.b[s.i] <= '9':
		s.digits()
	default:
		return nil, s.fail("bad number")
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if s.digits() == 0 {
			return nil, s.fail("bad fraction")
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if s.digits() == 0 {
			return nil, s.fail("bad exponent")
		}
	}
	return s.b[start:s.i], nil
}

func (s *jsonScanner) digits() int {
	n := 0
	for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
		s.i++
		n++
	}
	return n
}

// skip steps over any value, checking its syntax.
func (s *jsonScanner) skip(depth int) error {
	if depth > maxJSONDepth {
		return s.fail("nested too deep")
	}
	switch c := s.peek(); c {
	case '"':
		_, _, err := s.rawString()
		return err
	case '{':
		s.i++
		if s.peek() == '}' {
			s.i++
			return nil
		}
		for {
			if _, err := s.key(); err != nil {
				return err
			}
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			if done, err := s.next('}'); done || err != nil {
				return err
			}
		}
	case '[':
		s.i++
		if s.peek() == ']' {
			s.i++
			return nil
		}
		for {
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			if done, err := s.next(']'); done || err != nil {
				return err
			}
		}
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	default:
		_, err := s.number()
		return err
	}
}

// next consumes the ',' between members or the closing byte after the last
// one; done is true at the closing byte.
func (s *jsonScanner) next(closing byte) (done bool, err error) {
	switch s.peek() {
	case ',':
		s.i++
		return false, nil
	case closing:
		s.i++
		return true, nil
	}
	return false, s.fail(fmt.Sprintf("want ',' or %q", closing))
}

// object reads an object, calling member for each key with the scanner at
// its value; member must consume the value.
func (s *jsonScanner) object(depth int, member func(key []byte) error) error {
	if depth > maxJSONDepth {
		return s.fail("nested too deep")
	}
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		k, err := s.key()
		if err != nil {
			return err
		}
		if err := member(k); err != nil {
			return err
		}
		if done, err := s.next('}'); done || err != nil {
			return err
		}
	}
}

// array reads an array, calling elem with the scanner at each element.
func (s *jsonScanner) array(depth int, elem func() error) error {
	if depth > maxJSONDepth {
		return s.fail("nested too deep")
	}
	if err := s.expect('['); err != nil {
		return err
	}
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		if done, err := s.next(']'); done || err != nil {
			return err
		}
	}
}
