package app

import (
	"context"
	"fmt"

	"titledesk/api"
	"titledesk/model"
)

// Messages is 消息通知 on the dashboard (HOME-3): the inbox of messages
// superior units sent to this unit.
type Messages struct{ s *Session }

// Inbox lists inbound messages, unread first, then newest; limit 0: all.
func (m Messages) Inbox(ctx context.Context, limit int) ([]model.Message, error) {
	_, st, err := m.s.current()
	if err != nil {
		return nil, err
	}
	msgs, err := st.Inbox(ctx, limit)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	return msgs, nil
}

// Open returns a message and marks it read: at once in the cache, on the
// server with the next sync (message.read through the outbox, so it works
// offline too).
func (m Messages) Open(ctx context.Context, id string) (model.Message, error) {
	eng, st, err := m.s.current()
	if err != nil {
		return model.Message{}, err
	}
	msg, ok, err := st.Message(ctx, id)
	if err != nil {
		return model.Message{}, fmt.Errorf("open message: %w", err)
	}
	if !ok {
		return model.Message{}, &model.Error{Kind: model.KindNotFound, Code: model.CodeNotFound,
			Title: "消息不存在", Detail: "该消息已不存在，请同步后再试"}
	}
	if msg.ReadAt != nil || !msg.Inbound {
		return msg, nil
	}
	if err := eng.Enqueue(ctx, api.CmdMessageRead, msg.Version, api.MessageReadArgs{MessageID: id}); err != nil {
		return msg, fmt.Errorf("mark message read: %w", err)
	}
	if read, ok, err := st.Message(ctx, id); err == nil && ok {
		return read, nil
	}
	now := st.Now()
	msg.ReadAt = &now
	return msg, nil
}
