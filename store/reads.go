package store

import (
	"context"
	"fmt"

	"titledesk/api"
	"titledesk/model"
)

// Inbox lists inbound messages, unread first, then newest (HOME-3).
// limit 0: all.
func (s *Store) Inbox(ctx context.Context, limit int) ([]model.Message, error) {
	return s.messages(ctx, 1, `ORDER BY unread DESC, sent_at DESC, id`, limit)
}

// Sent lists the messages this unit sent, newest first (MSG-2 history).
func (s *Store) Sent(ctx context.Context, limit int) ([]model.Message, error) {
	return s.messages(ctx, 0, `ORDER BY sent_at DESC, id`, limit)
}

func (s *Store) messages(ctx context.Context, inbound int, order string, limit int) ([]model.Message, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	return queryRecords[model.Message](ctx, s, api.KindMessage, `SELECT id, data FROM messages WHERE inbound = ? `+order+` LIMIT ?`, inbound, limit)
}

// UnreadCount is the number of unread inbound messages.
func (s *Store) UnreadCount(ctx context.Context) (int, error) {
	var n int
	err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE inbound = 1 AND unread = 1`).Scan(&n)
	return n, err
}

// Message reads one message.
func (s *Store) Message(ctx context.Context, id string) (m model.Message, ok bool, err error) {
	ok, err = s.record(ctx, s.reader, api.KindMessage, id, &m)
	return m, ok, err
}

// ExpertRow is one line of the recommended-experts list: the expert and, per
// committee recommended to, its name and status (EXP-2).
type ExpertRow struct {
	Expert     model.Expert
	Committees []ExpertCommittee
}

// ExpertCommittee is one recommendation of an expert.
type ExpertCommittee struct {
	CommitteeID string
	Name        string // "" when the committee is not cached
	Status      model.ExpertStatus
}

// Experts lists the experts unitID recommended, newest first.
func (s *Store) Experts(ctx context.Context, unitID string) ([]ExpertRow, error) {
	experts, err := queryRecords[model.Expert](ctx, s, api.KindExpert, `SELECT id, data FROM experts WHERE unit_id = ? ORDER BY updated_at DESC, id`, unitID)
	if err != nil {
		return nil, err
	}
	committees, err := s.Committees(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(committees))
	for _, c := range committees {
		names[c.ID] = c.Name
	}
	out := make([]ExpertRow, 0, len(experts))
	for _, e := range experts {
		r := ExpertRow{Expert: e}
		for _, rec := range e.Recommendations {
			r.Committees = append(r.Committees, ExpertCommittee{CommitteeID: rec.CommitteeID, Name: names[rec.CommitteeID], Status: rec.Status})
		}
		out = append(out, r)
	}
	return out, nil
}

// Committees lists the 评审委员会 by series, then name.
func (s *Store) Committees(ctx context.Context) ([]model.Committee, error) {
	return queryRecords[model.Committee](ctx, s, api.KindCommittee, `SELECT id, data FROM committees ORDER BY series, name, id`)
}

// StockComments lists the user's 常用意见 in their order (REV-3).
func (s *Store) StockComments(ctx context.Context) ([]model.StockComment, error) {
	return queryRecords[model.StockComment](ctx, s, api.KindStockComment, `SELECT id, data FROM stock_comments ORDER BY position, id`)
}

// Calendar is the working-day calendar for the publicity rule: the cached
// calendar change, or model.DefaultCalendar() before one was pulled. It is
// held in memory (reloaded when a pull changes it), so it costs no I/O.
func (s *Store) Calendar() *model.Calendar {
	if c := s.calendar.Load(); c != nil {
		return c
	}
	return model.DefaultCalendar()
}

// loadCalendar reads the cached calendar into memory (at unlock and after
// a pull changed it).
func (s *Store) loadCalendar(ctx context.Context) error {
	cals, err := queryRecords[api.CalendarData](ctx, s, api.KindCalendar, `SELECT id, data FROM calendar ORDER BY id LIMIT 1`)
	if err != nil {
		return fmt.Errorf("read calendar: %w", err)
	}
	if len(cals) == 0 {
		s.calendar.Store(model.DefaultCalendar()) // none pulled yet
		return nil
	}
	s.calendar.Store(model.NewCalendar(cals[0].Entries))
	return nil
}
