package sync

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"

	"github.com/go-resty/resty/v2"

	"titledesk/api"
	"titledesk/model"
)

// call is one JSON request.
type call struct {
	op        string
	method    string
	path      string // below api.Base, with the query
	in        any    // nil: no body
	out       any    // nil: the body is drained and dropped
	anonymous bool   // login: no token, and 401 is a wrong password, not an expiry
	// ifNoneMatch, when set, is sent as If-None-Match; a 304 answer then
	// sets *notModified and leaves out untouched.
	ifNoneMatch string
	notModified *bool
	etag        *string // receives the answer's ETag, when not nil
	// idempotent marks a POST the server answers the same when it arrives
	// twice (a push: exactly once by account, device and seq). It is sent
	// as an Idempotency-Key header, which is what lets net/http replay the
	// request on a fresh connection when a kept-alive one was closed under
	// it; without it such a push fails as unreachable until the next try.
	idempotent bool
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// doJSON runs c and decodes a 2xx answer into c.out.
func (cl *Client) doJSON(ctx context.Context, c call) error {
	req, err := cl.newRequest(ctx, cl.http, c.op, c.anonymous)
	if err != nil {
		return err
	}
	if c.in != nil {
		body, err := json.Marshal(c.in)
		if err != nil {
			return fmt.Errorf("%s: encode: %w", c.op, err)
		}
		req.SetHeader("Content-Type", "application/json").SetBody(body)
	}
	if c.ifNoneMatch != "" {
		req.SetHeader("If-None-Match", c.ifNoneMatch)
	}
	if c.idempotent {
		req.SetHeader("Idempotency-Key", rand.Text())
	}
	resp, err := cl.send(req, c.method, c.path, c.op)
	if err != nil {
		return err
	}
	defer closeBody(resp)
	if c.etag != nil {
		*c.etag = resp.Header().Get("ETag")
	}
	if resp.StatusCode() == http.StatusNotModified && c.notModified != nil {
		*c.notModified = true
		return nil
	}
	if err := cl.checkStatus(resp, c.op, c.anonymous); err != nil {
		return err
	}
	if c.out == nil {
		_, err := readLimited(resp.RawBody(), cl.opts.MaxJSON, c.op)
		return err
	}
	if !isJSON(resp.Header().Get("Content-Type")) {
		return badResponse(c.op, "content type %.40q", resp.Header().Get("Content-Type"))
	}
	return decodeBody(resp.RawBody(), cl.opts.MaxJSON, c.op, c.out)
}

// decodeBody decodes exactly one JSON value from r as it arrives (one pass
// over a page of thousands of changes, not a read and two scans). A
// connection cut mid-body is ErrOffline; a body over limit, garbled, cut
// short or followed by more data is ErrBadResponse.
func decodeBody(r io.Reader, limit int64, op string, out any) error {
	lr := &limitReader{r: r, left: limit}
	dec := json.NewDecoder(lr)
	err := dec.Decode(out)
	if err == nil {
		if _, tail := dec.Token(); tail != io.EOF {
			err = fmt.Errorf("data after the JSON value")
		}
	}
	switch {
	case err == nil:
		return nil
	case lr.over:
		return badResponse(op, "body over %d bytes", limit)
	case lr.err != nil:
		return offline(op, fmt.Errorf("read body: %w", lr.err))
	}
	return badResponse(op, "decode: %v", err)
}

// limitReader reads at most left bytes and remembers why reading stopped.
type limitReader struct {
	r    io.Reader
	left int64
	over bool
	err  error // a read error other than io.EOF
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		l.over = true
		return 0, errors.New("over limit")
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if err != nil && err != io.EOF {
		l.err = err
	}
	return n, err
}

// newRequest builds a request on hc (JSON or file client) with the token.
func (cl *Client) newRequest(ctx context.Context, hc *resty.Client, op string, anonymous bool) (*resty.Request, error) {
	base, token := cl.session()
	if base == "" {
		return nil, fmt.Errorf("%s: %w", op, ErrNotLoggedIn)
	}
	if !anonymous && token == "" {
		return nil, fmt.Errorf("%s: %w", op, ErrSessionExpired)
	}
	req := hc.R().SetContext(ctx)
	if !anonymous {
		req.SetAuthToken(token)
	}
	req.URL = base + api.Base
	return req, nil
}

// send executes req. A failure to get an answer is ErrOffline unless the
// caller itself gave up.
func (cl *Client) send(req *resty.Request, method, path, op string) (*resty.Response, error) {
	resp, err := req.Execute(method, req.URL+path)
	if err != nil {
		if resp != nil && resp.RawBody() != nil {
			resp.RawBody().Close()
		}
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s: %w", op, ctxErr)
		}
		return nil, offline(op, err)
	}
	return resp, nil
}

func closeBody(resp *resty.Response) {
	if b := resp.RawBody(); b != nil {
		io.Copy(io.Discard, io.LimitReader(b, 64<<10)) // let the connection be reused
		b.Close()
	}
}

// checkStatus turns a non-2xx answer into our errors: problems become
// *model.Error, 401 an expired session, 5xx and anything unrecognised a
// retryable bad response.
func (cl *Client) checkStatus(resp *resty.Response, op string, anonymous bool) error {
	status := resp.StatusCode()
	if status >= 200 && status < 300 {
		return nil
	}
	prob := readProblem(resp)
	switch {
	case status == http.StatusTooManyRequests && prob != nil && prob.Code == model.CodeRateLimited:
		// Login attempts too fast: the person waits and tries again (the
		// detail says how long); retrying on our own would only extend it.
		return fmt.Errorf("%s: %w", op, prob.Error())
	case status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout:
		if prob != nil {
			return fmt.Errorf("%s: %w: %w", op, ErrBadResponse, prob.Error())
		}
		return badResponse(op, "HTTP %d", status)
	case prob == nil:
		return badResponse(op, "HTTP %d without a problem body", status)
	case status == http.StatusUnauthorized && !anonymous:
		cl.SetToken("")
		return fmt.Errorf("%s: %w: %w", op, ErrSessionExpired, prob.Error())
	}
	return fmt.Errorf("%s: %w", op, prob.Error())
}

// readProblem decodes an RFC 9457 body, or returns nil when the body is not one.
func readProblem(resp *resty.Response) *api.Problem {
	if !isProblem(resp.Header().Get("Content-Type")) {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(resp.RawBody(), 64<<10))
	if err != nil {
		return nil
	}
	var p api.Problem
	if json.Unmarshal(data, &p) != nil || p.Code == "" {
		return nil
	}
	if p.Status == 0 {
		p.Status = resp.StatusCode()
	}
	return &p
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	return mt
}

func isJSON(ct string) bool    { return mediaType(ct) == "application/json" }
func isProblem(ct string) bool { return mediaType(ct) == api.ProblemContentType }

// readLimited reads a whole body, refusing one over limit and reporting a
// connection cut mid-body as retryable.
func readLimited(r io.Reader, limit int64, op string) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, offline(op, fmt.Errorf("read body: %w", err))
	}
	if int64(len(data)) > limit {
		return nil, badResponse(op, "body over %d bytes", limit)
	}
	return data, nil
}

// UploadFile PUTs one attachment. The server checks the hash and the type
// by content; uploading a file it already has is harmless.
func (cl *Client) UploadFile(ctx context.Context, sha string, body io.Reader, size int64, contentType string) error {
	const op = "upload"
	if !model.ValidSHA256(sha) {
		return fmt.Errorf("%s: invalid sha256 %.70q", op, sha)
	}
	if size <= 0 || size > cl.opts.MaxFile {
		return fmt.Errorf("%s: size %d out of range", op, size)
	}
	// Read the file whole so the request carries a Content-Length (the
	// server refuses oversize uploads before reading them) and a cut
	// connection can be retried from the same bytes.
	data := make([]byte, size)
	if _, err := io.ReadFull(body, data); err != nil {
		return fmt.Errorf("%s: read local file: %w", op, err)
	}
	req, err := cl.newRequest(ctx, cl.files, op, false)
	if err != nil {
		return err
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	req.SetHeader("Content-Type", contentType).SetBody(data)
	resp, err := cl.send(req, http.MethodPut, "/attachments/"+sha, op)
	if err != nil {
		return err
	}
	defer closeBody(resp)
	return cl.checkStatus(resp, op, false)
}

// DownloadFile streams one attachment into w and checks its hash. On an
// error w may hold part of the file: write to a temporary file and rename
// it only on success.
func (cl *Client) DownloadFile(ctx context.Context, sha string, w io.Writer) (int64, error) {
	const op = "download"
	if !model.ValidSHA256(sha) {
		return 0, fmt.Errorf("%s: invalid sha256 %.70q", op, sha)
	}
	req, err := cl.newRequest(ctx, cl.files, op, false)
	if err != nil {
		return 0, err
	}
	resp, err := cl.send(req, http.MethodGet, "/attachments/"+sha, op)
	if err != nil {
		return 0, err
	}
	defer closeBody(resp)
	if err := cl.checkStatus(resp, op, false); err != nil {
		return 0, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(resp.RawBody(), cl.opts.MaxFile+1))
	switch {
	case err != nil:
		return n, offline(op, fmt.Errorf("read body: %w", err))
	case n > cl.opts.MaxFile:
		return n, badResponse(op, "file over %d bytes", cl.opts.MaxFile)
	case hex.EncodeToString(h.Sum(nil)) != sha:
		return n, badResponse(op, "content does not match its sha256")
	}
	return n, nil
}
