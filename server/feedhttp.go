package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	gosync "sync"

	"github.com/klauspost/compress/gzip"
)

// How feed pages travel (SRV-1): at most one page is built per CPU at a
// time, a caught-up page carries an ETag that a poll sends back to get a
// bodiless 304, and a large page is gzipped for a client that accepts it.

// pageSlots admits page builds. Building a page (read, join, encode,
// compress) is pure CPU; twenty of them at once would only share the CPUs
// twenty ways, and starve the short pushes queued behind them. With one
// build per CPU a page waits its turn, then runs at full speed, and a push
// always finds a CPU to run on. Writing the page to the network happens
// after the slot is released, so a slow client holds nothing.
type pageSlots chan struct{}

func newPageSlots() pageSlots { return make(pageSlots, max(1, runtime.GOMAXPROCS(0))) }

// acquire waits for a slot; it fails only when ctx ends (the client left).
func (p pageSlots) acquire(ctx context.Context) error {
	select {
	case p <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p pageSlots) release() { <-p }

// gzipMinBytes: smaller pages go out as they are (the header and the
// deflate state would cost more than they save).
const gzipMinBytes = 16 << 10

// gzipLevel: measured on 2,000-change pages of the scale-10 world, level 2
// compresses 6.2 MB to 12 % at 170 MB/s of one core; level 1 gives 15 % at
// about the same speed, the default level 9 % at less than half of it
// (docs/benchmarks.md). Compression was ~70 % of a page's build, so it is
// klauspost/compress's deflate (the standard library's format, same
// gzip.Writer API): on a 6.2 MB page of applications, level 2 takes 18 ms
// of CPU for 13.2 % against the standard library's 32 ms for 12.4 %.
const gzipLevel = 2

var gzipWriters = gosync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzipLevel) // a valid level never fails
	return w
}}

// bodyBuffers recycles page bodies and their compressed copies: a page is
// megabytes, and allocating each anew keeps the collector busy.
var bodyBuffers = gosync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer: larger buffers (a rare 5,000-change page) are dropped
// rather than kept for ever.
const maxPooledBuffer = 32 << 20

func getBuffer() *bytes.Buffer { return bodyBuffers.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		b.Reset()
		bodyBuffers.Put(b)
	}
}

// gzipInto compresses body into out.
func gzipInto(out *bytes.Buffer, body []byte) {
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(out)
	zw.Write(body) // writes to a bytes.Buffer do not fail
	zw.Close()
	gzipWriters.Put(zw)
}

// acceptsGzip reports whether the request's Accept-Encoding (RFC 9110
// §12.5.3) allows gzip: listed, or covered by "*", with a non-zero q.
func acceptsGzip(r *http.Request) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, h := range r.Header.Values("Accept-Encoding") {
		for _, item := range strings.Split(h, ",") {
			coding, params, _ := strings.Cut(item, ";")
			q := 1.0
			if v, ok := strings.CutPrefix(strings.ReplaceAll(strings.TrimSpace(params), " ", ""), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip", "x-gzip":
				gzipQ = q
			case "*":
				starQ = q
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// caughtUpETag is the entity tag of the empty page at cursor, a strong
// validator: such a page says nothing but its cursor. (Pages with changes
// carry none; a client never asks for one of those twice.)
func caughtUpETag(cursor string) string {
	sum := sha256.Sum256([]byte("titledesk feed caught up\x00" + cursor))
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}

// etagMatches is If-None-Match's weak comparison (RFC 9110 §13.1.2): any
// listed tag, W/ or not, equal to tag; "*" matches too.
func etagMatches(r *http.Request, tag string) bool {
	for _, h := range r.Header.Values("If-None-Match") {
		for _, t := range strings.Split(h, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == tag {
				return true
			}
		}
	}
	return false
}
