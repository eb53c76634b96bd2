package app

import (
	"context"
	"fmt"
	"strings"

	"titledesk/api"
	"titledesk/model"
)

// RecipientLimit is how many recipients of each kind a search returns.
const RecipientLimit = 200

// RecipientRow is one line of the 消息推送 recipient lists (MSG-1); an
// applicant's ID number is masked (DESIGN §6).
type RecipientRow struct {
	Recipient model.Recipient
	IDNumber  string // masked, applicants only
	UnitName  string // the applicant's unit
}

// Recipients searches units (by name) or applicants (by 姓名 or 身份证号)
// of this unit's subtree. A department can never address anyone outside it.
func (m Messages) Recipients(ctx context.Context, kind model.RecipientKind, search string) ([]RecipientRow, error) {
	_, st, err := m.s.current()
	if err != nil {
		return nil, err
	}
	me, _ := m.s.Me()
	found, err := st.Recipients(ctx, me.UnitID, search, RecipientLimit)
	if err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	var out []RecipientRow
	unitNames := map[string]string{}
	for _, r := range found {
		if r.Kind != kind {
			continue
		}
		row := RecipientRow{Recipient: r}
		if kind == model.RecipientApplicant {
			if p, ok, err := st.Applicant(ctx, r.ID); err == nil && ok {
				row.IDNumber = model.MaskIDNumber(p.IDNumber)
				name, ok := unitNames[p.UnitID]
				if !ok {
					if u, found, err := st.Unit(ctx, p.UnitID); err == nil && found {
						name = u.Name
					}
					unitNames[p.UnitID] = name
				}
				row.UnitName = name
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// Send validates the message (model.ValidateMessage) and queues
// message.send; it shows in the sent history at once, marked 待同步.
func (m Messages) Send(ctx context.Context, title, body string, recipients []model.Recipient) (model.Message, error) {
	eng, st, err := m.s.current()
	if err != nil {
		return model.Message{}, err
	}
	title = strings.TrimSpace(title)
	if err := model.ValidateMessage(title, body, recipients); err != nil {
		return model.Message{}, err
	}
	me, _ := m.s.Me()
	id := api.NewUUID()
	if err := eng.Enqueue(ctx, api.CmdMessageSend, 0, api.MessageSendArgs{MessageID: id, Title: title, Body: body,
		Recipients: recipients}); err != nil {
		return model.Message{}, fmt.Errorf("send message: %w", err)
	}
	if msg, ok, err := st.Message(ctx, id); err == nil && ok {
		return msg, nil
	}
	return model.Message{ID: id, SenderUnitID: me.UnitID, SenderName: me.UnitName, Title: title, Body: body,
		SentAt: st.Now(), Recipients: recipients, Version: 1}, nil
}

// SentItem is one line of the sent history (MSG-2).
type SentItem struct {
	Message model.Message
	Queued  bool // not on the server yet (待同步)
}

// Sent lists the messages this unit sent, newest first; limit 0: all.
func (m Messages) Sent(ctx context.Context, limit int) ([]SentItem, error) {
	_, st, err := m.s.current()
	if err != nil {
		return nil, err
	}
	msgs, err := st.Sent(ctx, limit)
	if err != nil {
		return nil, fmt.Errorf("sent messages: %w", err)
	}
	queued, err := st.PendingByEntity(ctx, api.KindMessage)
	if err != nil {
		return nil, fmt.Errorf("sent messages: %w", err)
	}
	out := make([]SentItem, len(msgs))
	for i, msg := range msgs {
		out[i] = SentItem{Message: msg, Queued: len(queued[msg.ID]) > 0}
	}
	return out, nil
}
