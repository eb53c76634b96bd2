package sync

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	gosync "sync"
	"syscall"

	"titledesk/api"
)

// faultKind is one way the network or a middlebox can fail a request.
type faultKind int

const (
	faultNone         faultKind = iota
	faultRefuse                 // connection refused: the server never sees the request
	faultCutRequest             // the connection dies while the request body is sent
	faultLoseResponse           // the server handled it, the answer never arrives
	faultCutResponse            // the connection dies in the middle of the answer
	faultTruncate               // the answer ends early with a clean EOF
	faultCorrupt                // bytes of the answer are garbled
	fault503                    // a proxy answers 503 with HTML after the server handled it
	faultProxy503               // a proxy answers 503 without forwarding the request
	faultKinds
)

func (k faultKind) String() string {
	return [...]string{"none", "refuse", "cut-request", "lose-response", "cut-response", "truncate", "corrupt", "503", "proxy-503"}[k]
}

// faultRule injects kind into the requests matching method and path
// (a substring of the URL path), after skip matching requests passed.
type faultRule struct {
	method, path string
	skip, times  int
	kind         faultKind
}

// faultTransport wraps the real transport and injects faults by rule. It
// also records the statuses of every push answer that reached the client.
type faultTransport struct {
	base http.RoundTripper

	mu         gosync.Mutex
	rules      []*faultRule
	injected   []string
	pushStatus []string // status or "duplicate:<original>" per command result
	onRequest  func(*http.Request)
	onResponse func(*http.Request)
}

func newFaultTransport() *faultTransport {
	return &faultTransport{base: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
}

func (f *faultTransport) add(r faultRule) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.times == 0 {
		r.times = 1
	}
	f.rules = append(f.rules, &r)
}

func (f *faultTransport) clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = nil
}

func (f *faultTransport) statuses() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.pushStatus...)
}

// pick returns the fault for req and uses up one injection.
func (f *faultTransport) pick(req *http.Request) faultKind {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.rules {
		if r.times == 0 || r.method != req.Method || !strings.Contains(req.URL.Path, r.path) {
			continue
		}
		if r.skip > 0 {
			r.skip--
			continue
		}
		r.times--
		f.injected = append(f.injected, r.kind.String()+" "+req.Method+" "+req.URL.Path)
		return r.kind
	}
	return faultNone
}

func (f *faultTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if f.onRequest != nil {
		f.onRequest(req)
	}
	kind := f.pick(req)
	switch kind {
	case faultRefuse:
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	case faultProxy503:
		return mangle(&http.Response{Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Request: req}, nil, fault503)
	case faultCutRequest:
		if req.Body != nil && req.ContentLength > 1 {
			req = req.Clone(req.Context())
			req.GetBody = nil
			req.Body = io.NopCloser(&cutReader{r: req.Body, left: req.ContentLength / 2})
		}
	}
	resp, err := f.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if f.onResponse != nil {
		f.onResponse(req)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if kind == faultNone {
		f.record(req, resp.StatusCode, body)
	}
	return mangle(resp, body, kind)
}

// mangle turns a complete answer into the faulty one.
func mangle(resp *http.Response, body []byte, kind faultKind) (*http.Response, error) {
	half := body[:len(body)/2]
	switch kind {
	case faultLoseResponse:
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	case faultCutResponse:
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(half), errReader{io.ErrUnexpectedEOF}))
		return resp, nil
	case faultTruncate:
		body = half
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
	case faultCorrupt:
		body = bytes.Clone(body)
		for i := len(body) / 3; i < len(body)/3+8 && i < len(body); i++ {
			body[i] = 0 // a NUL is never valid JSON, in or out of a string
		}
	case fault503:
		resp.StatusCode, resp.Status = 503, "503 Service Unavailable"
		resp.Header = http.Header{"Content-Type": {"text/html"}}
		body = []byte("<html>upstream unavailable</html>")
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// record keeps the statuses of a push answer.
func (f *faultTransport) record(req *http.Request, status int, body []byte) {
	if status != 200 || !strings.HasSuffix(req.URL.Path, "/sync/commands") {
		return
	}
	var pr api.PushResponse
	if json.Unmarshal(body, &pr) != nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range pr.Results {
		s := r.Status
		if s == api.StatusDuplicate {
			s += ":" + r.Original
		}
		f.pushStatus = append(f.pushStatus, s)
	}
}

// cutReader yields left bytes, then fails like a reset connection.
type cutReader struct {
	r    io.Reader
	left int64
}

func (c *cutReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, &net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
