package server

import (
	"context"
	"fmt"

	"titledesk/api"
	"titledesk/model"
)

const calendarID = "calendar"

// loadCalendar reads the stored calendar into memory, storing the built-in
// default on first start. Commands read the in-memory copy: the calendar
// changes only through ImportWorld and SetCalendar.
func (s *Server) loadCalendar(ctx context.Context) error {
	var data api.CalendarData
	ok, err := loadJSON(ctx, s.reader, &data, `SELECT data FROM calendar WHERE id = ?`, calendarID)
	if err != nil {
		return fmt.Errorf("load calendar: %w", err)
	}
	if !ok {
		data.Entries = model.DefaultCalendar().Entries()
		if err := s.write(ctx, func(t *txn) error { return t.putCalendar(ctx, data.Entries) }); err != nil {
			return fmt.Errorf("store default calendar: %w", err)
		}
	}
	s.setCalendar(data.Entries)
	return nil
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
