package server

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"titledesk/api"
	"titledesk/model"
)

const calendarID = "calendar"

// loadCalendar stores the built-in calendar on first start; later, a
// built-in calendar that has years the stored one lacks (a newer binary)
// adds them, and the feed carries the result to every client (BEY-1). It
// reads and writes under the write lock, so servers starting together on
// one database add the years once. Commands read the stored calendar
// (calendarAt).
func (s *Server) loadCalendar(ctx context.Context) error {
	return s.write(ctx, func(t *txn) error {
		stored, ok, err := t.storedCalendar(ctx)
		if err != nil {
			return err
		}
		merged, added := withBuiltinYears(stored)
		if ok && len(added) == 0 {
			return nil
		}
		if err := t.putCalendar(ctx, merged); err != nil {
			return fmt.Errorf("store calendar: %w", err)
		}
		if ok {
			s.log.InfoContext(ctx, "calendar: built-in years added", "years", added)
		}
		return nil
	})
}

// storedCalendar reads the calendar's entries in the transaction.
func (t *txn) storedCalendar(ctx context.Context) ([]model.CalendarEntry, bool, error) {
	var data api.CalendarData
	ok, err := loadJSON(ctx, t.tx, &data, `SELECT data FROM calendar WHERE id = ?`, calendarID)
	if err != nil {
		return nil, false, fmt.Errorf("load calendar: %w", err)
	}
	return data.Entries, ok, nil
}

// withBuiltinYears adds to stored the built-in years (model.DefaultCalendar)
// it has not imported, and names them.
func withBuiltinYears(stored []model.CalendarEntry) ([]model.CalendarEntry, []int) {
	have := model.NewCalendar(stored)
	builtin := model.DefaultCalendar()
	var added []int
	for _, y := range builtin.ImportedYears() {
		if !have.Imported(y) {
			added = append(added, y)
		}
	}
	if len(added) == 0 {
		return stored, nil
	}
	return mergeYears(stored, builtin.Entries(), added), added
}

// mergeYears replaces in base the arrangement of years (every entry dated in
// them) with add's entries, and adds add's other entries date by date.
func mergeYears(base, add []model.CalendarEntry, years []int) []model.CalendarEntry {
	replaced := map[int]bool{}
	for _, y := range years {
		replaced[y] = true
	}
	out := make([]model.CalendarEntry, 0, len(base)+len(add))
	for _, e := range base {
		if !replaced[e.Date.Year()] {
			out = append(out, e)
		}
	}
	out = append(out, add...)
	return model.NewCalendar(out).Entries()
}

// calendarCache is the parsed calendar of one stored version.
type calendarCache struct {
	version int64
	cal     *model.Calendar
}

// calendarAt returns the calendar as q sees it. The parsed copy is reused
// while the stored version stays the same; the version is read every time,
// so a calendar another server process or the admin tool stored counts
// from its commit on, never an older one kept here.
func (s *Server) calendarAt(ctx context.Context, q queryer) (*model.Calendar, error) {
	var version int64
	err := q.QueryRowContext(ctx, `SELECT version FROM calendar WHERE id = ?`, calendarID).Scan(&version)
	if isNoRows(err) {
		return model.DefaultCalendar(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("calendar version: %w", err)
	}
	s.calMu.RLock()
	c := s.calendar
	s.calMu.RUnlock()
	if c.cal != nil && c.version == version {
		return c.cal, nil
	}
	var data api.CalendarData
	ok, err := loadJSON(ctx, q, &data, `SELECT data FROM calendar WHERE id = ? AND version = ?`, calendarID, version)
	if err != nil || !ok {
		return nil, fmt.Errorf("load calendar version %d: %v", version, err)
	}
	c = calendarCache{version: version, cal: model.NewCalendar(data.Entries)}
	s.calMu.Lock()
	s.calendar = c
	s.calMu.Unlock()
	return c.cal, nil
}

// Calendar is the holiday calendar the server judges publicity periods by,
// as stored now (the built-in one if it cannot be read).
func (s *Server) Calendar() *model.Calendar {
	cal, err := s.calendarAt(context.Background(), s.reader)
	if err != nil {
		s.log.Error("read calendar", "err", err)
		return model.DefaultCalendar()
	}
	return cal
}

// putCalendar replaces the calendar document and announces it to everyone.
func (t *txn) putCalendar(ctx context.Context, entries []model.CalendarEntry) error {
	if entries == nil {
		entries = []model.CalendarEntry{}
	}
	var version int64
	if err := t.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM calendar WHERE id = ?`,
		calendarID).Scan(&version); err != nil {
		return fmt.Errorf("calendar version: %w", err)
	}
	t.cal = nil // commands after this in the transaction read the new one
	err := t.exec(ctx, `INSERT INTO calendar(id, version, data) VALUES (?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET version = excluded.version, data = excluded.data`,
		calendarID, version, mustJSON(api.CalendarData{Entries: entries}))
	if err != nil {
		return fmt.Errorf("save calendar: %w", err)
	}
	return t.emit(ctx, api.KindCalendar, calendarID, api.OpUpsert, version, []string{viewerAll})
}

// SetCalendar replaces the holiday calendar the publicity-period rule counts
// working days with (city office tool). Entries are normalised through
// model.NewCalendar, so invalid dates and unknown kinds are dropped.
func (s *Server) SetCalendar(ctx context.Context, entries []model.CalendarEntry) error {
	clean := model.NewCalendar(entries).Entries()
	if err := s.write(ctx, func(t *txn) error { return t.putCalendar(ctx, clean) }); err != nil {
		return fmt.Errorf("set calendar: %w", err)
	}
	return nil
}

// ImportCalendar adds a yearly arrangement the city office imports (admin
// calendar import, BEY-1), as parsed by model.ParseCalendarFile: the years it
// imports (those whose 春节 it holds) replace what was stored for them;
// its other entries (a correction, a cross-year 元旦) are merged date by date.
// The result reaches every client through the feed; the import is audited.
// It returns the years imported.
func (s *Server) ImportCalendar(ctx context.Context, entries []model.CalendarEntry) ([]int, error) {
	years := model.NewCalendar(entries).ImportedYears()
	err := s.write(ctx, func(t *txn) error {
		stored, ok, err := t.storedCalendar(ctx)
		if err != nil {
			return err
		}
		if !ok {
			stored = model.DefaultCalendar().Entries()
		}
		merged := mergeYears(model.NewCalendar(stored).Entries(), entries, years)
		if err := t.putCalendar(ctx, merged); err != nil {
			return err
		}
		return t.auditAdmin(ctx, s.cfg.Operator, "calendar-import", calendarID,
			fmt.Sprintf("%d entries, years %s", len(entries), joinInts(years)))
	})
	if err != nil {
		return nil, fmt.Errorf("import calendar: %w", err)
	}
	return years, nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}
