package sync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// fakeServer answers every request with h and counts them.
func fakeServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func loggedInClient(t *testing.T, url string, opts ClientOptions) *Client {
	t.Helper()
	c := NewClient(opts)
	c.SetServer(url)
	c.SetToken("secret-token")
	return c
}

func writeProblem(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", api.ProblemContentType)
	w.WriteHeader(status)
	io.WriteString(w, `{"type":"urn:x","title":"标题","status":`+strconv.Itoa(status)+`,"code":"`+code+`","detail":"说明"}`)
}

func TestClientErrors(t *testing.T) {
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		retryable bool
		expired   bool
		code      string // a *model.Error with this code
	}{
		{"problem 409", func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 409, model.CodeVersionConflict) }, false, false, model.CodeVersionConflict},
		{"problem 422", func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 422, model.CodeValidation) }, false, false, model.CodeValidation},
		{"session expired", func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 401, model.CodeSessionExpired) }, false, true, model.CodeSessionExpired},
		{"unauthorized", func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 401, model.CodeUnauthorized) }, false, true, model.CodeUnauthorized},
		{"problem 500", func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 500, model.CodeInternal) }, true, false, model.CodeInternal},
		{"html 502", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "<html>bad gateway</html>", 502) }, true, false, ""},
		{"html 404", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "not here", 404) }, true, false, ""},
		{"corrupt json", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"changes":[{"kind":"unit",`)
		}, true, false, ""},
		{"wrong content type", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html></html>") }, true, false, ""},
		{"cut mid-body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "1000")
			io.WriteString(w, `{"changes":[`)
		}, true, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeServer(t, tc.handler)
			c := loggedInClient(t, srv.URL, ClientOptions{})
			_, err := c.PullPage(context.Background(), "", 10)
			if err == nil {
				t.Fatal("no error")
			}
			if IsRetryable(err) != tc.retryable {
				t.Errorf("IsRetryable = %v, want %v (%v)", !tc.retryable, tc.retryable, err)
			}
			if errors.Is(err, ErrSessionExpired) != tc.expired {
				t.Errorf("ErrSessionExpired = %v, want %v (%v)", !tc.expired, tc.expired, err)
			}
			var me *model.Error
			if tc.code != "" && (!errors.As(err, &me) || me.Code != tc.code) {
				t.Errorf("err = %v, want a *model.Error %s", err, tc.code)
			}
			if strings.Contains(err.Error(), "secret-token") {
				t.Errorf("error quotes the token: %v", err)
			}
			if Message(err) == "" {
				t.Error("no Chinese message")
			}
		})
	}
}

func TestClientOfflineAndLimits(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	c := loggedInClient(t, dead, ClientOptions{})
	if _, err := c.PullPage(context.Background(), "", 10); !errors.Is(err, ErrOffline) {
		t.Fatalf("dead port: %v, want ErrOffline", err)
	}

	big := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"changes":[],"cursor":"`+strings.Repeat("9", 4096)+`"}`)
	})
	c = loggedInClient(t, big.URL, ClientOptions{MaxJSON: 1024})
	if _, err := c.PullPage(context.Background(), "", 10); !errors.Is(err, ErrBadResponse) {
		t.Fatalf("oversize body: %v, want ErrBadResponse", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.PullPage(ctx, "", 10); !errors.Is(err, context.Canceled) || IsRetryable(err) {
		t.Fatalf("cancelled: %v, want context.Canceled, not retryable", err)
	}
}

func TestClientPushChecksResults(t *testing.T) {
	srv := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Bearer secret-token" {
			t.Errorf("Authorization = %q", got)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"results":[{"seq":1,"id":"x","status":"applied"}]}`)
	})
	c := loggedInClient(t, srv.URL, ClientOptions{})
	cmds := []api.Command{{Seq: 1, ID: api.NewUUID(), Type: api.CmdMessageRead}, {Seq: 2, ID: api.NewUUID()}}
	if _, err := c.Push(context.Background(), api.NewUUID(), cmds); !errors.Is(err, ErrBadResponse) {
		t.Fatalf("short answer: %v, want ErrBadResponse", err)
	}
}

func TestClientDownloadChecksHash(t *testing.T) {
	content := []byte("%PDF-1.4 test")
	sum := sha256.Sum256(content)
	sha := hex.EncodeToString(sum[:])
	srv := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, sha) {
			w.Write(content)
			return
		}
		w.Write([]byte("tampered"))
	})
	c := loggedInClient(t, srv.URL, ClientOptions{})
	var buf bytes.Buffer
	if _, err := c.DownloadFile(context.Background(), sha, &buf); err != nil || !bytes.Equal(buf.Bytes(), content) {
		t.Fatalf("download: %v %q", err, buf.Bytes())
	}
	other := strings.Repeat("a", 64)
	if _, err := c.DownloadFile(context.Background(), other, io.Discard); !errors.Is(err, ErrBadResponse) {
		t.Fatalf("tampered download: %v, want ErrBadResponse", err)
	}
}

func TestClientWithoutSession(t *testing.T) {
	c := NewClient(ClientOptions{})
	if _, err := c.PullPage(context.Background(), "", 1); !errors.Is(err, ErrNotLoggedIn) {
		t.Fatalf("no server: %v", err)
	}
	c.SetServer("http://127.0.0.1:1")
	if _, err := c.PullPage(context.Background(), "", 1); !errors.Is(err, ErrSessionExpired) {
		t.Fatalf("no token: %v", err)
	}
}
