package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"titledesk/api"
)

// rawGet sends a GET with headers, without the transport's own gzip
// handling, and returns the answer with its body read whole.
func (ts *testServer) rawGet(path, token string, headers map[string]string) (*http.Response, []byte) {
	ts.t.Helper()
	req, err := http.NewRequest("GET", ts.http.URL+path, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	return resp, body
}

// TestFeedCaughtUpETag: a caught-up page carries an ETag; a poll naming it
// gets a bodiless 304 while nothing changed and the changes once something
// did; a page with changes has no ETag, and a tag never stands in for
// another caller's changes.
func TestFeedCaughtUpETag(t *testing.T) {
	w, ids := passWorld(1)
	ts := newTestServerWorld(t, w)
	d1, d2 := ts.login(userDept1), ts.login(userDept2)
	_, head := d1.pullAll("", nil)
	page := api.Base + "/sync/changes?cursor=" + head

	contract := readFeedContract(t)
	for _, h := range []string{"If-None-Match", "Accept-Encoding"} {
		if !contract.requestHeaders[h] {
			t.Errorf("openapi.yaml: pullChanges does not list the %s header it reads", h)
		}
	}
	resp, body := ts.rawGet(page, d1.token, nil)
	contract.check(t, resp)
	tag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || tag == "" || !strings.HasPrefix(tag, `"`) {
		t.Fatalf("caught-up page: status %d, ETag %q", resp.StatusCode, tag)
	}
	var empty api.ChangesResponse
	if err := json.Unmarshal(body, &empty); err != nil || len(empty.Changes) != 0 || empty.HasMore || empty.Cursor != head {
		t.Fatalf("caught-up page %s (%v)", body, err)
	}
	for _, c := range []struct {
		name, ifNoneMatch string
		want              int
	}{
		{"same tag", tag, http.StatusNotModified},
		{"weak form", "W/" + tag, http.StatusNotModified},
		{"in a list", `"other", ` + tag, http.StatusNotModified},
		{"any", "*", http.StatusNotModified},
		{"another tag", `"other"`, http.StatusOK},
		{"unquoted", strings.Trim(tag, `"`), http.StatusOK},
	} {
		resp, body := ts.rawGet(page, d1.token, map[string]string{"If-None-Match": c.ifNoneMatch})
		contract.check(t, resp)
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.want)
		}
		if c.want == http.StatusNotModified && (len(body) != 0 || resp.Header.Get("ETag") != tag) {
			t.Errorf("%s: 304 with %d body bytes and ETag %q", c.name, len(body), resp.Header.Get("ETag"))
		}
	}
	// Without a session the tag opens nothing.
	if resp, _ := ts.rawGet(page, "", map[string]string{"If-None-Match": tag}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no session: status %d", resp.StatusCode)
	}
	// D2 sent D1's tag at D1's cursor, behind which D2 has changes: it
	// gets them. (D2's feed shares the cursor space.)
	if resp, body := ts.rawGet(api.Base+"/sync/changes?cursor=0", d2.token, map[string]string{"If-None-Match": tag}); resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") != "" || len(body) < 100 {
		t.Errorf("another caller's page under a foreign tag: status %d, ETag %q, %d bytes", resp.StatusCode, resp.Header.Get("ETag"), len(body))
	}
	// Something changes for D1: the old tag no longer answers 304.
	d1.mustApply(api.CmdApplicationPass, 3, api.PassArgs{ApplicationID: ids[0], Opinion: "同意"})
	resp, body = ts.rawGet(page, d1.token, map[string]string{"If-None-Match": tag})
	var next api.ChangesResponse
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &next) != nil || len(next.Changes) == 0 || resp.Header.Get("ETag") != "" {
		t.Fatalf("after a change: status %d, ETag %q, body %.200s", resp.StatusCode, resp.Header.Get("ETag"), body)
	}
}

// TestFeedGzip: a large page is gzipped exactly when the client accepts
// gzip, and unzips to the very page sent plain; small pages and clients
// that refuse gzip get it plain. Every page says it varies by encoding.
func TestFeedGzip(t *testing.T) {
	w, _ := passWorld(200)
	ts := newTestServerWorld(t, w)
	d1 := ts.login(userDept1)
	contract := readFeedContract(t)
	page := api.Base + "/sync/changes?limit=5000"
	_, plain := ts.rawGet(page, d1.token, map[string]string{"Accept-Encoding": "identity"})
	if len(plain) < gzipMinBytes {
		t.Fatalf("the test page is only %d bytes", len(plain))
	}
	for _, c := range []struct {
		acceptEncoding string
		gzipped        bool
	}{
		{"gzip", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, GZIP;q=0.5", true},
		{"*", true},
		{"x-gzip", true},
		{"", false},
		{"identity", false},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"*;q=0", false},
		{"*, gzip;q=0", false},
		{"deflate", false},
	} {
		resp, body := ts.rawGet(page, d1.token, map[string]string{"Accept-Encoding": c.acceptEncoding})
		contract.check(t, resp)
		if resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%q: Vary %q", c.acceptEncoding, resp.Header.Get("Vary"))
		}
		if got := resp.Header.Get("Content-Encoding") == "gzip"; got != c.gzipped {
			t.Errorf("%q: Content-Encoding %q", c.acceptEncoding, resp.Header.Get("Content-Encoding"))
			continue
		}
		if c.gzipped {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(body, plain) {
			t.Errorf("%q: the page differs from the plain one (%d vs %d bytes)", c.acceptEncoding, len(body), len(plain))
		}
	}
	resp, body := ts.rawGet(api.Base+"/sync/changes?limit=1", d1.token, map[string]string{"Accept-Encoding": "gzip"})
	if resp.Header.Get("Content-Encoding") != "" || len(body) >= gzipMinBytes {
		t.Errorf("small page: Content-Encoding %q, %d bytes", resp.Header.Get("Content-Encoding"), len(body))
	}
}

// feedContract is what api/openapi.yaml says of GET /sync/changes: the
// statuses it answers, the headers of each, and the request headers it
// reads. It is read as text, in the layout the file uses.
type feedContract struct {
	headers        map[string]map[string]bool // status → response header names
	requestHeaders map[string]bool
}

func readFeedContract(t *testing.T) feedContract {
	t.Helper()
	data, err := os.ReadFile("../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	start := slices.Index(lines, "      operationId: pullChanges")
	if start < 0 {
		t.Fatal("openapi.yaml: no pullChanges operation")
	}
	c := feedContract{headers: map[string]map[string]bool{}, requestHeaders: map[string]bool{}}
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }
	var status, section string
	for i := start + 1; i < len(lines) && (strings.TrimSpace(lines[i]) == "" || indent(lines[i]) > 4); i++ {
		l, text := lines[i], strings.TrimSpace(lines[i])
		switch {
		case indent(l) == 6:
			section = strings.TrimSuffix(text, ":")
		case section == "parameters" && strings.HasPrefix(text, "- name: "):
			if i+1 < len(lines) && strings.TrimSpace(lines[i+1]) == "in: header" {
				c.requestHeaders[strings.TrimPrefix(text, "- name: ")] = true
			}
		case section == "responses" && indent(l) == 8:
			status = strings.Trim(strings.TrimSuffix(text, ":"), "'")
			c.headers[status] = map[string]bool{}
		case section == "responses" && indent(l) == 12 && strings.HasSuffix(text, ":") && c.headers[status] != nil &&
			strings.TrimSpace(lines[i-1]) != "" && (strings.TrimSpace(lines[i-1]) == "headers:" || indent(lines[i-1]) > 12):
			c.headers[status][strings.TrimSuffix(text, ":")] = true
		}
	}
	return c
}

// check fails when the answer's status, or one of the feed's own headers
// in it, is not in the document.
func (c feedContract) check(t *testing.T, resp *http.Response) {
	t.Helper()
	documented, ok := c.headers[strconv.Itoa(resp.StatusCode)]
	if !ok {
		t.Errorf("openapi.yaml: pullChanges does not list status %d", resp.StatusCode)
		return
	}
	for _, h := range []string{"ETag", "Content-Encoding", "Vary"} {
		if resp.Header.Get(h) != "" && !documented[h] {
			t.Errorf("openapi.yaml: pullChanges %d does not list header %s", resp.StatusCode, h)
		}
	}
}
