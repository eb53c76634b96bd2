package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"titledesk/api"
	"titledesk/model"
)

// device is one desktop as the server sees it: its own device id, session,
// loopback source address and connection.
type device struct {
	base     string
	account  string
	id       string
	token    string
	unitID   string
	http     *http.Client
	cursor   string
	etag     string // of the last caught-up page, for If-None-Match
	seq      int64
	queue    map[string]*queued // its 下级单位人员审核, by application id
	want     int                // records of queue to collect before pages are only read through
	changes  int
	notModif int
}

// queued is what a device knows of one application it may decide on.
type queued struct {
	id      string
	version int64
	passed  bool
}

// newDevice makes device n, which connects from 127.0.0.(10+n) so the
// server's per-address limits see separate machines (all of 127/8 is
// loopback on Linux).
func newDevice(base, account string, n int) *device {
	local := &net.TCPAddr{IP: net.IPv4(127, 0, byte(1+(10+n)/250), byte(1+(10+n)%250))}
	tr := &http.Transport{
		DialContext:         (&net.Dialer{LocalAddr: local, Timeout: 10 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 1,
		IdleConnTimeout:     2 * time.Minute,
	}
	return &device{base: base, account: account, id: api.NewUUID(), http: &http.Client{Transport: tr, Timeout: 2 * time.Minute},
		queue: map[string]*queued{}}
}

func (d *device) login(ctx context.Context) error {
	body, _ := json.Marshal(api.LoginRequest{Username: d.account, Password: "TitleDesk@2026", DeviceID: d.id})
	var resp api.LoginResponse
	if _, _, err := d.do(ctx, http.MethodPost, "/sessions", body, nil, &resp); err != nil {
		return fmt.Errorf("login %s: %w", d.account, err)
	}
	d.token = resp.Token
	if resp.Unit != nil {
		d.unitID = resp.Unit.ID
	}
	return nil
}

// pullPage reads the next page and reports how long the request took to
// its last byte (decoding it is not timed). notModified: the server
// answered 304 to the ETag of a caught-up cursor.
func (d *device) pullPage(ctx context.Context, size int) (took time.Duration, more, notModified bool, err error) {
	q := url.Values{"cursor": {d.cursor}, "limit": {strconv.Itoa(size)}}
	hdr := http.Header{}
	if d.etag != "" {
		hdr.Set("If-None-Match", d.etag)
	}
	start := time.Now()
	raw, resp, err := d.do(ctx, http.MethodGet, "/sync/changes?"+q.Encode(), nil, hdr, nil)
	took = time.Since(start)
	if err != nil {
		return took, false, false, err
	}
	if resp.StatusCode == http.StatusNotModified {
		d.notModif++
		return took, false, true, nil
	}
	if d.want > 0 && len(d.queue) >= d.want {
		// Enough to decide on: read the cursor from the page's end, as a
		// desktop elsewhere would decode the rest on its own CPU.
		cursor, more, n, err := pageTail(raw)
		if err != nil {
			return took, false, false, err
		}
		d.cursor, d.changes, d.etag = cursor, d.changes+n, ""
		return took, more, false, nil
	}
	var page struct {
		Changes []struct {
			Kind    string          `json:"kind"`
			ID      string          `json:"id"`
			Op      string          `json:"op"`
			Version int64           `json:"version"`
			Data    json.RawMessage `json:"data"`
		} `json:"changes"`
		Cursor  string `json:"cursor"`
		HasMore bool   `json:"has_more"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		return took, false, false, fmt.Errorf("decode page: %w", err)
	}
	for _, c := range page.Changes {
		if c.Kind == api.KindApplication {
			d.track(c.ID, c.Op, c.Version, c.Data)
		}
	}
	d.changes += len(page.Changes)
	d.cursor = page.Cursor
	d.etag = ""
	if !page.HasMore && len(page.Changes) == 0 {
		d.etag = resp.Header.Get("ETag")
	}
	return took, page.HasMore, false, nil
}

// pageTail reads cursor and has_more from the end of a page, which the
// server writes last, and estimates the changes in it by their "kind"s.
func pageTail(raw []byte) (cursor string, more bool, n int, err error) {
	i := bytes.LastIndex(raw, []byte(`],"cursor":`))
	if i < 0 {
		return "", false, 0, fmt.Errorf("page without a cursor at its end: %.100q", raw[max(0, len(raw)-100):])
	}
	var tail struct {
		Cursor  string `json:"cursor"`
		HasMore bool   `json:"has_more"`
	}
	if err := json.Unmarshal(append([]byte{'{'}, raw[i+2:]...), &tail); err != nil {
		return "", false, 0, fmt.Errorf("page end: %w", err)
	}
	return tail.Cursor, tail.HasMore, bytes.Count(raw[:i], []byte(`{"kind":`)), nil
}

// track keeps the applications waiting in the device's 下级单位人员审核
// (and those it passed, which it will withdraw).
func (d *device) track(id, op string, version int64, data json.RawMessage) {
	var a struct {
		Stage  model.Stage `json:"stage"`
		Holder string      `json:"holder_unit_id"`
	}
	// Most records are elsewhere: the substring test spares decoding them.
	waiting := op == api.OpUpsert && bytes.Contains(data, []byte(`"stage":"`+model.StageSubordinate+`"`)) &&
		json.Unmarshal(data, &a) == nil && a.Stage == model.StageSubordinate && a.Holder == d.unitID
	switch {
	case waiting:
		d.queue[id] = &queued{id: id, version: version}
	case d.queue[id] == nil || !d.queue[id].passed:
		delete(d.queue, id)
	}
}

// push sends one command and checks it was applied.
func (d *device) push(ctx context.Context, typ string, base int64, args any) (api.CommandResult, time.Duration, error) {
	a, _ := json.Marshal(args)
	d.seq++
	body, _ := json.Marshal(api.PushRequest{DeviceID: d.id, Commands: []api.Command{
		{Seq: d.seq, ID: api.NewUUID(), Type: typ, BaseVersion: base, Args: a}}})
	var resp api.PushResponse
	start := time.Now()
	_, _, err := d.do(ctx, http.MethodPost, "/sync/commands", body, nil, &resp)
	took := time.Since(start)
	if err != nil {
		return api.CommandResult{}, took, err
	}
	if len(resp.Results) != 1 {
		return api.CommandResult{}, took, fmt.Errorf("push: %d results for one command", len(resp.Results))
	}
	r := resp.Results[0]
	if r.Status != api.StatusApplied {
		code := ""
		if r.Problem != nil {
			code = r.Problem.Code + " " + r.Problem.Detail
		}
		return r, took, fmt.Errorf("push %s: %s %s", typ, r.Status, code)
	}
	return r, took, nil
}

// do runs one request. Every status but 2xx and 304 is an error; the body
// is read whole (the transport gunzips it when the server compressed it).
func (d *device) do(ctx context.Context, method, path string, body []byte, hdr http.Header, out any) ([]byte, *http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, d.base+api.Base+path, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if d.token != "" {
		req.Header.Set("Authorization", "Bearer "+d.token)
	}
	resp, err := d.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, resp, err
	}
	if resp.StatusCode == http.StatusNotModified {
		return nil, resp, nil
	}
	if resp.StatusCode/100 != 2 {
		return nil, resp, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return nil, resp, fmt.Errorf("decode: %w", err)
		}
	}
	return raw, resp, nil
}
