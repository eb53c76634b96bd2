package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
)

// TestFreeTextSealed (SEC-4): text a person typed or a server answered —
// a message's title, a 常用意见, a refused command's problem (which may
// quote a file name such as "<ID number>.jpg") — can hold an ID number or a
// phone number, so none of it is kept readable: not in the message list's
// columns, nor in a conflict's title, detail or entity name. Read back
// through the store, every conflict shows its text as the server sent it.
func TestFreeTextSealed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	s, w := seededAt(t, path)
	p := w.Applicants[5]
	secret := "电话" + p.Phone + "，身份证" + p.IDNumber
	inbound := model.Message{ID: api.NewUUID(), Inbound: true, SenderName: "市职称办", Title: "请核对 " + secret,
		Body: "正文", SentAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), Version: 1}
	comment := model.StockComment{ID: api.NewUUID(), Text: "同意，" + secret, Position: 1, Version: 1}
	if err := s.ApplyChanges(ctx, []api.Change{change(t, api.KindMessage, inbound.ID, 1, inbound),
		change(t, api.KindStockComment, comment.ID, 1, comment)}, "free-text"); err != nil {
		t.Fatal(err)
	}
	outbound := api.MessageSendArgs{MessageID: api.NewUUID(), Title: "回复 " + secret, Body: "正文",
		Recipients: []model.Recipient{{Kind: model.RecipientUnit, ID: w.Units[0].ID}}}
	problem := &api.Problem{Code: model.CodeAttachmentMissing, Title: "附件尚未上传",
		Detail: "附件“" + p.IDNumber + ".jpg”尚未上传到服务器，请稍后重试（" + p.Phone + "）"}
	cases := []struct {
		typ  string
		args any
	}{
		{api.CmdMessageRead, api.MessageReadArgs{MessageID: inbound.ID}},
		{api.CmdStockCommentDelete, api.StockCommentDeleteArgs{CommentID: comment.ID}},
		{api.CmdMessageSend, outbound},
	}
	for _, c := range cases {
		if err := s.Do(ctx, func(tx *Tx) error {
			if c.typ == api.CmdMessageSend {
				m := model.Message{ID: outbound.MessageID, Title: outbound.Title, Body: outbound.Body, SentAt: tx.Now(), Version: 1}
				if err := tx.Put(api.KindMessage, m.ID, 1, m); err != nil {
					return err
				}
			}
			_, err := tx.Enqueue(c.typ, 1, c.args)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	scanAtRest(t, path, []string{p.IDNumber, p.Phone}) // the outbound message is queued, its row optimistic
	pending, err := s.PendingCommands(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range pending {
		if err := s.MarkResult(ctx, cmd.Seq, api.CommandResult{Seq: cmd.Seq, ID: cmd.ID, Status: api.StatusRejected, Problem: problem}); err != nil {
			t.Fatal(err)
		}
	}
	conflicts, err := s.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(conflicts) != len(cases) {
		t.Fatalf("%d conflicts, want %d", len(conflicts), len(cases))
	}
	names := map[string]string{}
	for _, c := range conflicts {
		if c.Title != problem.Title || c.Detail != problem.Detail {
			t.Errorf("%s: problem read back as %q / %q", c.Command.Type, c.Title, c.Detail)
		}
		names[c.Command.Type] = c.EntityName
	}
	if !strings.Contains(names[api.CmdMessageRead], secret) || !strings.Contains(names[api.CmdStockCommentDelete], secret) {
		t.Errorf("entity names read back as %q", names)
	}
	scanAtRest(t, path, []string{p.IDNumber, p.Phone})

	// A cache of the previous version kept conflicts' text and message
	// titles readable: the migration clears the titles, the next unlock
	// seals the conflicts, and they read back the same.
	if _, err := s.writer.ExecContext(ctx, `UPDATE conflicts SET title = ?, detail = ?, entity_name = ?`,
		problem.Title, problem.Detail, secret); err != nil {
		t.Fatal(err)
	}
	if _, err := s.writer.ExecContext(ctx, `UPDATE messages SET title = ?`, secret); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`ALTER TABLE applications DROP COLUMN snapshot`, `PRAGMA user_version = 7`} {
		if _, err := s.writer.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s = openUnlocked(t, path)
	conflicts, err = s.Conflicts(ctx)
	if err != nil || len(conflicts) != len(cases) {
		t.Fatalf("after the upgrade: %d conflicts, %v", len(conflicts), err)
	}
	for _, c := range conflicts {
		if c.Title != problem.Title || c.Detail != problem.Detail || c.EntityName != secret {
			t.Errorf("after the upgrade %s reads %q / %q / %q", c.Command.Type, c.Title, c.Detail, c.EntityName)
		}
	}
	s.Close()
	scanAtRest(t, path, []string{p.IDNumber, p.Phone})
}
