package server

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"titledesk/api"
	"titledesk/model"
)

func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	after, err := parseCursor(q.Get("cursor"))
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	limit, err := parseLimit(q.Get("limit"))
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	body, encoding, etag, err := s.buildPage(r, c, after, limit)
	if r.Context().Err() != nil {
		return // the client went away while the page waited its turn
	}
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding")
	if etag != "" {
		h.Set("ETag", etag)
	}
	if body == nil {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	defer putBuffer(body)
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	if encoding != "" {
		h.Set("Content-Encoding", encoding)
	}
	h.Set("Content-Length", strconv.Itoa(body.Len()))
	w.Write(body.Bytes())
}

// buildPage reads and encodes one page in a page slot (pageSlots),
// gzipped when it is large and the client accepts gzip. A caught-up page
// (no changes, nothing more) gets an ETag; when the request's If-None-Match
// already names it, body is nil: the answer is 304 Not Modified.
func (s *Server) buildPage(r *http.Request, c *caller, after feedCursor, limit int) (body *bytes.Buffer, encoding, etag string, err error) {
	if err := s.pages.acquire(r.Context()); err != nil {
		return nil, "", "", err
	}
	defer s.pages.release()
	resp, err := s.changes(r.Context(), c, after, limit)
	if err != nil {
		return nil, "", "", err
	}
	if len(resp.Changes) == 0 && !resp.HasMore {
		etag = caughtUpETag(resp.Cursor)
		if etagMatches(r, etag) {
			return nil, "", etag, nil
		}
	}
	size := 128
	for _, ch := range resp.Changes {
		size += len(ch.Data) + len(ch.ID) + 64
	}
	body = getBuffer()
	body.Grow(size)
	body.Write(appendChanges(body.AvailableBuffer(), resp))
	if body.Len() < gzipMinBytes || !acceptsGzip(r) {
		return body, "", etag, nil
	}
	zipped := getBuffer()
	gzipInto(zipped, body.Bytes())
	putBuffer(body)
	return zipped, "gzip", etag, nil
}

// appendChanges encodes a page by hand. encoding/json would re-validate and
// compact every json.RawMessage, which for a 1,000-change page costs more
// than reading it from the database; the data is JSON this server wrote.
func appendChanges(b []byte, resp *api.ChangesResponse) []byte {
	b = append(b, `{"changes":[`...)
	for i, ch := range resp.Changes {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"kind":`...)
		b = appendString(b, ch.Kind)
		b = append(b, `,"id":`...)
		b = appendString(b, ch.ID)
		b = append(b, `,"op":`...)
		b = appendString(b, ch.Op)
		b = append(b, `,"version":`...)
		b = strconv.AppendInt(b, ch.Version, 10)
		if len(ch.Data) > 0 {
			b = append(b, `,"data":`...)
			b = append(b, ch.Data...)
		}
		b = append(b, '}')
	}
	b = append(b, `],"cursor":`...)
	b = appendString(b, resp.Cursor)
	b = append(b, `,"has_more":`...)
	b = strconv.AppendBool(b, resp.HasMore)
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, resp.Total, 10)
	return append(b, "}\n"...)
}

// appendString appends s as a JSON string, escaped exactly as encoding/json does.
func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}

func parseLimit(s string) (int, error) {
	if s == "" {
		return api.DefaultPageSize, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, errBadRequest("limit 必须为正整数")
	}
	return min(n, api.MaxChangesPerPage), nil
}

// feedRow is one feed entry before its data is joined in.
type feedRow struct {
	viewer string
	seq    int64
	change api.Change
}

// changes reads one page of the caller's feed in one snapshot. Each viewer
// key is read separately along the (viewer, seq) index with its own limit
// and the pages are merged: one ordered range scan per key instead of a sort
// over everything the caller can see. A cursor of another generation of
// the database, or ahead of its head, is cursor_reset (generation.go).
func (s *Server) changes(ctx context.Context, c *caller, cur feedCursor, limit int) (*api.ChangesResponse, error) {
	after := cur.seq
	resp := &api.ChangesResponse{Changes: []api.Change{}}
	err := s.read(ctx, func(tx *sql.Tx) error {
		gen, err := checkCursor(ctx, tx, cur)
		if err != nil {
			return err
		}
		resp.Cursor = cur.String(gen)
		var rows []feedRow
		for _, v := range c.viewers() {
			page, err := readFeed(ctx, tx, v, after, limit+1)
			if err != nil {
				return err
			}
			rows = append(rows, page...)
		}
		slices.SortFunc(rows, func(a, b feedRow) int { return cmpInt64(a.seq, b.seq) })
		if len(rows) > limit {
			rows, resp.HasMore = rows[:limit], true
		}
		if err := joinData(ctx, tx, s.dialect, rows); err != nil {
			return err
		}
		for _, r := range rows {
			resp.Changes = append(resp.Changes, r.change)
		}
		if n := len(rows); n > 0 {
			resp.Cursor = feedCursor{seq: rows[n-1].seq}.String(gen)
		}
		return countFeed(ctx, tx, c.viewers(), after, &resp.Total)
	})
	var me *model.Error
	if errors.As(err, &me) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	return resp, nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func readFeed(ctx context.Context, tx *sql.Tx, viewer string, after int64, limit int) ([]feedRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, kind, entity_id, op, version FROM feed
		WHERE viewer = ? AND seq > ? ORDER BY seq LIMIT ?`, viewer, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read feed: %w", err)
	}
	defer rows.Close()
	var out []feedRow
	for rows.Next() {
		r := feedRow{viewer: viewer}
		if err := rows.Scan(&r.seq, &r.change.Kind, &r.change.ID, &r.change.Op, &r.change.Version); err != nil {
			return nil, fmt.Errorf("read feed: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func countFeed(ctx context.Context, tx *sql.Tx, viewers []string, after int64, total *int64) error {
	args := make([]any, 0, len(viewers)+1)
	for _, v := range viewers {
		args = append(args, v)
	}
	args = append(args, after)
	q := `SELECT COUNT(*) FROM feed WHERE viewer IN (?` + strings.Repeat(", ?", len(viewers)-1) + `) AND seq > ?`
	if err := tx.QueryRowContext(ctx, q, args...).Scan(total); err != nil {
		return fmt.Errorf("count feed: %w", err)
	}
	return nil
}

// dataTables hold the served JSON of each kind in id/data columns.
var dataTables = map[string]string{
	api.KindUnit:         "units",
	api.KindRegistration: "registrations",
	api.KindApplicant:    "applicants",
	api.KindApplication:  "applications",
	api.KindExpert:       "experts",
	api.KindCommittee:    "committees",
	api.KindStockComment: "stock_comments",
	api.KindCalendar:     "calendar",
	api.KindDuplicate:    "duplicate_flags",
	api.KindDeadline:     "deadlines",
	api.KindRuleSet:      "rule_sets",
	api.KindReturnReason: "return_reasons",
}

// joinData fills Data of the upserts from the entity tables with one query
// per kind (the IDs travel as one JSON array parameter). Messages are per
// viewer: the sender's copy lists recipients, an inbox copy has its own
// read time and names no other recipient.
func joinData(ctx context.Context, tx *sql.Tx, d dialect, rows []feedRow) error {
	type group struct{ kind, viewer string }
	ids := map[group][]string{}
	for _, r := range rows {
		if r.change.Op != api.OpUpsert {
			continue
		}
		g := group{kind: r.change.Kind}
		if g.kind == api.KindMessage {
			g.viewer = r.viewer
		}
		ids[g] = append(ids[g], r.change.ID)
	}
	data := map[group]map[string]json.RawMessage{}
	for g, list := range ids {
		m, err := loadData(ctx, tx, d, g.kind, g.viewer, list)
		if err != nil {
			return fmt.Errorf("data of %s: %w", g.kind, err)
		}
		data[g] = m
	}
	for i := range rows {
		ch := &rows[i].change
		if ch.Op != api.OpUpsert {
			continue
		}
		g := group{kind: ch.Kind}
		if g.kind == api.KindMessage {
			g.viewer = rows[i].viewer
		}
		d, ok := data[g][ch.ID]
		if !ok {
			return fmt.Errorf("feed names %s %s, which has no data", ch.Kind, ch.ID)
		}
		ch.Data = d
	}
	return nil
}

// loadData reads the served JSON of ids of one kind.
func loadData(ctx context.Context, tx *sql.Tx, d dialect, kind, viewer string, ids []string) (map[string]json.RawMessage, error) {
	in, list := d.idsIn("id", ids)
	var (
		rows *sql.Rows
		err  error
	)
	switch kind {
	case api.KindMessage:
		in, list = d.idsIn("message_id", ids)
		rows, err = tx.QueryContext(ctx, `SELECT message_id, data FROM message_views WHERE viewer = ? AND `+in, viewer, list)
	case api.KindAttachment:
		return loadAttachmentData(ctx, tx, d, ids)
	default:
		table, ok := dataTables[kind]
		if !ok {
			return nil, fmt.Errorf("unknown kind %q", kind)
		}
		rows, err = tx.QueryContext(ctx, `SELECT id, data FROM `+table+` WHERE `+in, list)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]json.RawMessage, len(ids))
	for rows.Next() {
		var (
			id   string
			data []byte
		)
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		out[id] = data
	}
	return out, rows.Err()
}

// loadAttachmentData serves attachment metadata; the name and kind of a
// file belong to the application that references it, not to the file.
func loadAttachmentData(ctx context.Context, tx *sql.Tx, d dialect, ids []string) (map[string]json.RawMessage, error) {
	in, list := d.idsIn("sha256", ids)
	rows, err := tx.QueryContext(ctx, `SELECT sha256, size, content_type FROM attachments WHERE `+in, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]json.RawMessage, len(ids))
	for rows.Next() {
		var a api.AttachmentData
		if err := rows.Scan(&a.SHA256, &a.Size, &a.ContentType); err != nil {
			return nil, err
		}
		out[a.SHA256] = json.RawMessage(mustJSON(a))
	}
	return out, rows.Err()
}
