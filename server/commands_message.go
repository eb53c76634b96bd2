package server

import (
	"context"
	"strings"

	"titledesk/api"
	"titledesk/model"
)

// messageSend sends a 消息推送 (MSG-1, MSG-2) to units and applicants of the
// caller's subtree. The sender's copy lists the recipients; each recipient
// gets an inbox copy that names nobody else.
func (x *command) messageSend(ctx context.Context) (outcome, error) {
	if err := x.requireRole(model.RoleDepartment, model.RoleCityOffice); err != nil {
		return outcome{}, err
	}
	a := x.args.(*api.MessageSendArgs)
	if !api.ValidUUID(a.MessageID) {
		return outcome{}, errValidation("message_id", "消息标识无效")
	}
	if err := model.ValidateMessage(a.Title, a.Body, a.Recipients); err != nil {
		return outcome{}, err
	}
	recipients, err := x.resolveRecipients(ctx, a.Recipients)
	if err != nil {
		return outcome{}, err
	}
	var exists, visible int
	if err := x.t.tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM messages WHERE id = ?1),
		(SELECT COUNT(*) FROM message_views WHERE message_id = ?1 AND viewer = ?2)`,
		a.MessageID, x.c.ownViewer()).Scan(&exists, &visible); err != nil {
		return outcome{}, err
	}
	if exists > 0 {
		return outcome{}, takenElsewhere(visible > 0, a.MessageID, "该消息已发送")
	}
	sender, _, err := x.t.unit(ctx, x.c.UnitID)
	if err != nil {
		return outcome{}, err
	}
	if err := x.t.exec(ctx, `INSERT INTO messages(id, sender_unit_id, sent_at) VALUES (?, ?, ?)`,
		a.MessageID, sender.ID, millis(x.t.now)); err != nil {
		return outcome{}, err
	}
	msg := model.Message{ID: a.MessageID, SenderUnitID: sender.ID, SenderName: sender.Name,
		Title: strings.TrimSpace(a.Title), Body: a.Body, SentAt: x.t.now, Recipients: recipients, Version: 1}
	if err := x.t.putMessageView(ctx, unitViewer(sender.ID), msg); err != nil {
		return outcome{}, err
	}
	inbox := msg
	inbox.Inbound, inbox.Recipients = true, nil
	for _, r := range recipients {
		if err := x.t.putMessageView(ctx, recipientViewer(r), inbox); err != nil {
			return outcome{}, err
		}
	}
	return outcome{msg.ID, msg.Version}, nil
}

func recipientViewer(r model.Recipient) string {
	if r.Kind == model.RecipientApplicant {
		return applicantViewer(r.ID)
	}
	return unitViewer(r.ID)
}

// resolveRecipients checks every recipient is in the caller's subtree (and
// not the caller's own unit), drops repeats and fills in names from the
// server's records rather than the client's.
func (x *command) resolveRecipients(ctx context.Context, in []model.Recipient) ([]model.Recipient, error) {
	seen := map[model.Recipient]bool{}
	var out []model.Recipient
	for _, r := range in {
		key := model.Recipient{Kind: r.Kind, ID: r.ID}
		if seen[key] {
			continue
		}
		seen[key] = true
		switch r.Kind {
		case model.RecipientUnit:
			if r.ID == x.c.UnitID {
				return nil, errValidation("recipients", "不能给本单位发送消息")
			}
			u, err := x.scopedUnit(ctx, r.ID, "接收单位")
			if err != nil {
				return nil, err
			}
			key.Name = u.Name
		case model.RecipientApplicant:
			p, ok, err := x.t.applicant(ctx, r.ID)
			if err != nil {
				return nil, err
			}
			if ok {
				ok, err = x.inScope(ctx, p.UnitID)
			}
			if err != nil || !ok {
				return nil, orNotFound(err, "接收人")
			}
			key.Name = p.Name
		}
		out = append(out, key)
	}
	return out, nil
}

// messageRead marks the caller's inbox copy read (HOME-3). Reading twice
// keeps the first read time.
func (x *command) messageRead(ctx context.Context) (outcome, error) {
	a := x.args.(*api.MessageReadArgs)
	viewer := x.c.ownViewer()
	var m model.Message
	ok, err := loadJSON(ctx, x.t.tx, &m, `SELECT data FROM message_views WHERE message_id = ? AND viewer = ? AND inbound = 1`,
		a.MessageID, viewer)
	if err != nil {
		return outcome{}, err
	}
	if !ok {
		return outcome{}, errNotFound("消息")
	}
	if m.ReadAt != nil {
		return outcome{m.ID, m.Version}, nil
	}
	now := x.t.now
	m.ReadAt = &now
	m.Version++
	if err := x.t.putMessageView(ctx, viewer, m); err != nil {
		return outcome{}, err
	}
	return outcome{m.ID, m.Version}, nil
}
