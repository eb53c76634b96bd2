package sync

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// bodyTransport answers every request with one fixed response.
type bodyTransport struct {
	status int
	ctype  string
	body   []byte
}

func (b bodyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: b.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Request: req,
		Header: http.Header{"Content-Type": {b.ctype}}, Body: io.NopCloser(bytes.NewReader(b.body))}, nil
}

// FuzzClientAnswers feeds arbitrary answers to the client's decoders: they
// must never panic, and every failure must be one the engine knows how to
// handle (retryable, session expired, or a *model.Error).
func FuzzClientAnswers(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"changes":[],"cursor":"1","has_more":false,"total":0}`))
	f.Add(200, "application/json", []byte(`{"results":[{"seq":1,"id":"x","status":"applied"}]}`))
	f.Add(409, api.ProblemContentType, []byte(`{"type":"t","title":"冲突","status":409,"code":"version_conflict"}`))
	f.Add(401, api.ProblemContentType, []byte(`{"code":"session_expired","status":401}`))
	f.Add(500, "text/html", []byte(`<html>`))
	f.Add(200, "application/json", []byte(`{"changes":[{"kind":"application","id":"a","op":"upsert","data":{`))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		c := NewClient(ClientOptions{Transport: bodyTransport{status, ctype, body}, MaxJSON: 1 << 16})
		c.SetServer("http://fuzz.invalid")
		c.SetToken("t")
		_, err := c.PullPage(context.Background(), "", 10)
		checkHandled(t, err)
		c.SetToken("t")
		_, err = c.Push(context.Background(), api.NewUUID(), []api.Command{{Seq: 1, ID: "x", Type: api.CmdMessageRead}})
		checkHandled(t, err)
	})
}

func checkHandled(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var me *model.Error
	if !IsRetryable(err) && !errorsAs(err, &me) && !strings.Contains(err.Error(), ErrSessionExpired.Error()) {
		t.Fatalf("unhandled error kind: %v", err)
	}
	if Message(err) == "" {
		t.Fatalf("no message for %v", err)
	}
}

func TestFitBody(t *testing.T) {
	long := make([]byte, 400<<10)
	var cmds []api.Command
	for i := range 12 {
		cmds = append(cmds, api.Command{Seq: int64(i + 1), Args: long})
	}
	got := fitBody(cmds)
	if len(got) == 0 || len(got) == len(cmds) || len(got)*len(long) > maxPushBytes {
		t.Fatalf("fitBody kept %d of %d commands of %d bytes", len(got), len(cmds), len(long))
	}
	huge := []api.Command{{Args: make([]byte, maxPushBytes*2)}}
	if len(fitBody(huge)) != 1 {
		t.Fatal("a single command must always go out")
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
