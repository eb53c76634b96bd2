package app

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"titledesk/api"
	"titledesk/model"
	"titledesk/store"
)

// Draft is what a reviewer typed for one application and has not submitted:
// the opinion, the 不通过 reason, the pass form as typed and the files
// attached to it. It survives closing the view and restarting the app; a
// pass or reject deletes it with the command that used it.
type Draft struct {
	Opinion     string             `json:"-"`
	Reason      string             `json:"reason,omitempty"`
	Fields      map[string]string  `json:"fields,omitempty"`
	Attachments []model.Attachment `json:"attachments,omitempty"`
	UpdatedAt   time.Time          `json:"-"`
}

// Empty reports a draft with nothing typed in it.
func (d Draft) Empty() bool {
	if strings.TrimSpace(d.Opinion) != "" || strings.TrimSpace(d.Reason) != "" || len(d.Attachments) > 0 {
		return false
	}
	for _, v := range d.Fields {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// DraftOf decodes the draft the detail read, if any.
func DraftOf(d ReviewDetail) (Draft, bool) {
	if d.Draft == nil {
		return Draft{}, false
	}
	return decodeDraft(*d.Draft), true
}

func decodeDraft(sd store.Draft) Draft {
	var d Draft
	if len(sd.Form) > 0 {
		json.Unmarshal(sd.Form, &d) // a draft from an older build may not decode: keep the opinion
	}
	d.Opinion, d.UpdatedAt = sd.Opinion, sd.UpdatedAt
	return d
}

// SaveDraft keeps what was typed for application id; an empty draft is deleted.
func (r *Reviews) SaveDraft(ctx context.Context, id string, d Draft) error {
	_, st, err := r.s.current()
	if err != nil {
		return err
	}
	if d.Empty() {
		return st.DeleteDraft(ctx, id)
	}
	form, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return st.SaveDraft(ctx, store.Draft{ApplicationID: id, Opinion: d.Opinion, Form: form})
}

// LoadDraft reads the draft of application id.
func (r *Reviews) LoadDraft(ctx context.Context, id string) (Draft, bool, error) {
	_, st, err := r.s.current()
	if err != nil {
		return Draft{}, false, err
	}
	sd, ok, err := st.Draft(ctx, id)
	if err != nil || !ok {
		return Draft{}, ok, err
	}
	return decodeDraft(sd), true, nil
}

// maxStockCommentRunes is the server's limit on one 常用意见.
const maxStockCommentRunes = 500

// StockComments lists the user's 常用意见 in their order (REV-3).
func (r *Reviews) StockComments(ctx context.Context) ([]model.StockComment, error) {
	_, st, err := r.s.current()
	if err != nil {
		return nil, err
	}
	return st.StockComments(ctx)
}

// SaveStockComment adds (empty ID: at the end) or edits one 常用意见.
func (r *Reviews) SaveStockComment(ctx context.Context, c model.StockComment) error {
	c.Text = strings.TrimSpace(c.Text)
	if n := utf8.RuneCountInString(c.Text); n == 0 || n > maxStockCommentRunes {
		return FormError(map[string]string{"text": "常用意见应为1至500个字"})
	}
	eng, _, err := r.s.current()
	if err != nil {
		return err
	}
	if c.ID == "" {
		all, err := r.StockComments(ctx)
		if err != nil {
			return err
		}
		c.ID, c.Version, c.Position = api.NewUUID(), 0, 0
		for _, o := range all {
			c.Position = max(c.Position, o.Position+1)
		}
	}
	return eng.Enqueue(ctx, api.CmdStockCommentSave, c.Version, api.StockCommentArgs{Comment: c})
}

// DeleteStockComment deletes one 常用意见.
func (r *Reviews) DeleteStockComment(ctx context.Context, c model.StockComment) error {
	eng, _, err := r.s.current()
	if err != nil {
		return err
	}
	return eng.Enqueue(ctx, api.CmdStockCommentDelete, c.Version, api.StockCommentDeleteArgs{CommentID: c.ID})
}

// MoveStockComment moves comment id by delta places (−1 up, +1 down) and
// saves the new positions of the comments whose position changed.
func (r *Reviews) MoveStockComment(ctx context.Context, id string, delta int) error {
	all, err := r.StockComments(ctx)
	if err != nil {
		return err
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Position < all[j].Position })
	from := -1
	for i, c := range all {
		if c.ID == id {
			from = i
		}
	}
	to := from + delta
	if from < 0 || to < 0 || to >= len(all) {
		return nil
	}
	all[from], all[to] = all[to], all[from]
	eng, _, err := r.s.current()
	if err != nil {
		return err
	}
	for i, c := range all {
		if c.Position == i {
			continue
		}
		c.Position = i
		if err := eng.Enqueue(ctx, api.CmdStockCommentSave, c.Version, api.StockCommentArgs{Comment: c}); err != nil {
			return err
		}
	}
	return nil
}
