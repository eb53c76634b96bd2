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

// loadCalendar reads the stored calendar into memory. On first start it
// stores the built-in default; later, a built-in calendar that has years the
// stored one lacks (a newer binary) adds them, and the feed carries the
// result to every client (BEY-1). Commands read the in-memory copy: the
// calendar changes only through ImportWorld, SetCalendar and ImportCalendar.
func (s *Server) loadCalendar(ctx context.Context) error {
	var data api.CalendarData
	ok, err := loadJSON(ctx, s.reader, &data, `SELECT data FROM calendar WHERE id = ?`, calendarID)
	if err != nil {
		return fmt.Errorf("load calendar: %w", err)
	}
	merged, added := withBuiltinYears(data.Entries)
	if !ok || len(added) > 0 {
		if err := s.write(ctx, func(t *txn) error { return t.putCalendar(ctx, merged) }); err != nil {
			return fmt.Errorf("store calendar: %w", err)
		}
		if ok {
			s.log.InfoContext(ctx, "calendar: built-in years added", "years", added)
		}
	}
	s.setCalendar(merged)
	return nil
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

func (s *Server) setCalendar(entries []model.CalendarEntry) {
	cal := model.NewCalendar(entries)
	s.calMu.Lock()
	s.calendar = cal
	s.calMu.Unlock()
}

func (s *Server) currentCalendar() *model.Calendar {
	s.calMu.RLock()
	defer s.calMu.RUnlock()
	return s.calendar
}

// Calendar is the holiday calendar the server judges publicity periods by.
func (s *Server) Calendar() *model.Calendar { return s.currentCalendar() }

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
	s.setCalendar(clean)
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
	var merged []model.CalendarEntry
	err := s.write(ctx, func(t *txn) error {
		merged = mergeYears(s.currentCalendar().Entries(), entries, years)
		if err := t.putCalendar(ctx, merged); err != nil {
			return err
		}
		return t.auditAdmin(ctx, s.cfg.Operator, "calendar-import", calendarID,
			fmt.Sprintf("%d entries, years %s", len(entries), joinInts(years)))
	})
	if err != nil {
		return nil, fmt.Errorf("import calendar: %w", err)
	}
	s.setCalendar(merged)
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
