package sync

import (
	"context"
	"net/http"
	"slices"
	"strings"
	gosync "sync"
	"testing"

	"titledesk/model"
)

// feedRecorder wraps the client's real transport (gzip handled by it) and
// notes each feed answer: its status and whether it came gzipped.
type feedRecorder struct {
	base http.RoundTripper
	mu   gosync.Mutex
	got  []feedAnswer
}

type feedAnswer struct {
	status  int
	gzipped bool
}

func (r *feedRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err == nil && strings.HasSuffix(req.URL.Path, "/sync/changes") {
		r.mu.Lock()
		r.got = append(r.got, feedAnswer{resp.StatusCode, resp.Uncompressed})
		r.mu.Unlock()
	}
	return resp, err
}

// take returns the answers since the last call.
func (r *feedRecorder) take() []feedAnswer {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.got
	r.got = nil
	return out
}

// TestPollNotModified: the initial sync's large pages come gzipped; once
// caught up (the first empty page carries the ETag), a poll is answered
// 304 without a body until something changes, and then the change arrives
// and is applied.
func TestPollNotModified(t *testing.T) {
	srv := newTestServer(t, 0.1)
	rec := &feedRecorder{base: defaultTransport(nil)}
	d := openDeviceWith(t, newDevicePath(t), ClientOptions{Transport: rec}, Options{PageSize: 50})
	d.login(srv.URL())
	gzipped := 0
	for _, a := range rec.take() {
		if a.gzipped {
			gzipped++
		}
	}
	if gzipped == 0 {
		t.Error("no page of the initial sync came gzipped")
	}
	ctx := context.Background()
	sync := func(want ...int) {
		t.Helper()
		if err := d.engine.SyncNow(ctx); err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, a := range rec.take() {
			got = append(got, a.status)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("feed answers %v, want %v", got, want)
		}
	}
	sync(http.StatusOK) // the first empty page at the end carries the ETag
	sync(http.StatusNotModified)
	sync(http.StatusNotModified)
	cursor, _ := d.store.Cursor(ctx)

	other := newDevice(t, ClientOptions{})
	other.login(srv.URL())
	app := other.inQueue(model.StageSubordinate)[0]
	if err := other.engine.PassBatch(ctx, []AppRef{{app.ID, app.Version}}, PassInput{Opinion: "同意上报"}); err != nil {
		t.Fatal(err)
	}
	if err := other.engine.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	sync(http.StatusOK)
	if got := d.cacheApps()[app.ID]; got.Version != app.Version+1 || got.Stage == model.StageSubordinate {
		t.Fatalf("the change did not arrive: %+v", got)
	}
	if now, _ := d.store.Cursor(ctx); now == cursor {
		t.Fatal("cursor did not move")
	}
	sync(http.StatusOK)
	sync(http.StatusNotModified)
}

func newDevicePath(t *testing.T) string { return t.TempDir() + "/cache.db" }
