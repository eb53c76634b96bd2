package store

import (
	"context"
	"errors"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// panelApp is an application in 下级单位人员审核 whose 评价方式 is 社会化评审:
// after one pass it waits in 待呈报人员审核 of the same department, where a
// second pass can be queued on top of the first.
func panelApp(t *testing.T, s *Store) QueueRow {
	t.Helper()
	page, err := s.ReviewQueue(context.Background(), deptID, QueueQuery{Stage: model.StageSubordinate,
		Method: model.MethodPanelReview, Limit: 1})
	if err != nil || len(page.Rows) == 0 {
		t.Fatalf("no 社会化评审 application in 下级单位人员审核: %v", err)
	}
	return page.Rows[0]
}

func outboxState(t *testing.T, s *Store, seq int64) string {
	t.Helper()
	var state string
	if err := s.reader.QueryRow(`SELECT state FROM outbox WHERE seq = ?`, seq).Scan(&state); err != nil {
		return "gone"
	}
	return state
}

func undo(ctx context.Context, s *Store, id string) (api.Command, error) {
	var cmd api.Command
	err := s.Do(ctx, func(tx *Tx) error {
		var err error
		cmd, err = tx.UndoLast(api.KindApplication, id, reapply)
		return err
	})
	return cmd, err
}

// TestUndoLast: 【撤销】 takes the newest never-sent command of an
// application out of the outbox and shows the application as before it;
// a sent command or none is refused and nothing changes (BEY-7).
func TestUndoLast(t *testing.T) {
	tests := []struct {
		name     string
		actions  []model.Action
		sent     bool // the newest command was pushed (its answer not in)
		wantErr  string
		wantLeft int
	}{
		{name: "one pass", actions: []model.Action{model.ActionPass}},
		{name: "one reject", actions: []model.Action{model.ActionReject}},
		{name: "second of two passes", actions: []model.Action{model.ActionPass, model.ActionPass}, wantLeft: 1},
		{name: "sent", actions: []model.Action{model.ActionPass}, sent: true, wantErr: CodeAlreadySent, wantLeft: 1},
		{name: "nothing queued", wantErr: model.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := seeded(t)
			row := panelApp(t, s)
			var (
				cmds       []api.Command
				afterFirst model.Stage
			)
			for i, a := range tt.actions {
				cmd, err := review(ctx, s, row.ID, a, "意见"+string(a))
				if err != nil {
					t.Fatal(err)
				}
				cmds = append(cmds, cmd)
				if i == 0 {
					afterFirst, _ = stageOf(t, s, row.ID)
				}
			}
			if tt.sent {
				if _, _, err := s.MarkSent(ctx, cmds[len(cmds)-1].Seq); err != nil {
					t.Fatal(err)
				}
			}
			beforeStage, beforeVersion := stageOf(t, s, row.ID)

			got, err := undo(ctx, s, row.ID)
			if tt.wantErr != "" {
				var me *model.Error
				if !errors.As(err, &me) || me.Code != tt.wantErr || me.Detail == "" {
					t.Fatalf("UndoLast = %v, want a %s error with a Chinese detail", err, tt.wantErr)
				}
				if st, v := stageOf(t, s, row.ID); st != beforeStage || v != beforeVersion {
					t.Errorf("a refused undo changed the application: %s v%d", st, v)
				}
				if n, _ := s.PendingCount(ctx); n != tt.wantLeft {
					t.Errorf("%d commands queued after a refused undo, want %d", n, tt.wantLeft)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != cmds[len(cmds)-1].ID {
				t.Errorf("undid %s, want the newest command %s", got.ID, cmds[len(cmds)-1].ID)
			}
			left, _ := s.PendingFor(ctx, row.ID)
			if len(left) != tt.wantLeft {
				t.Fatalf("%d commands left, want %d", len(left), tt.wantLeft)
			}
			st, v := stageOf(t, s, row.ID)
			if tt.wantLeft == 0 {
				if st != model.StageSubordinate || v != row.Version {
					t.Errorf("after undo: %s v%d, want the server's %s v%d", st, v, model.StageSubordinate, row.Version)
				}
				if n := count(t, s, `SELECT COUNT(*) FROM shadows`); n != 0 {
					t.Errorf("%d shadows left with nothing queued", n)
				}
			} else if st != afterFirst || v != row.Version+1 {
				t.Errorf("after undoing the second pass: %s v%d, want %s v%d (the first pass kept)", st, v, afterFirst, row.Version+1)
			}
			// The seq of an undone command is never handed out again.
			next, err := review(ctx, s, subordinateApp(t, s).ID, model.ActionPass, "")
			if err != nil {
				t.Fatal(err)
			}
			if next.Seq != cmds[len(cmds)-1].Seq+1 {
				t.Errorf("next seq %d after undoing %d", next.Seq, cmds[len(cmds)-1].Seq)
			}
		})
	}
}

// TestUndoAndPushNeverBothWin: the push reads commands, then marks them
// sent in its own transaction; a command undone in between is not among
// those MarkSent returns, so it is never sent. One undone after MarkSent is
// refused.
func TestUndoAndPushNeverBothWin(t *testing.T) {
	ctx := context.Background()
	s, _ := seeded(t)
	a, b := subordinateApp(t, s), panelApp(t, s)
	if a.ID == b.ID {
		b = subordinateAppOtherThan(t, s, a.ID)
	}
	ca, _ := review(ctx, s, a.ID, model.ActionPass, "")
	cb, _ := review(ctx, s, b.ID, model.ActionReject, "材料不全")
	read, _ := s.PendingCommands(ctx, 10) // what the push read
	if _, err := undo(ctx, s, a.ID); err != nil {
		t.Fatal(err)
	}
	queued, firstTry, err := s.MarkSent(ctx, seqs(read)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(queued) != 1 || queued[0] != cb.Seq || len(firstTry) != 1 || firstTry[0] != cb.Seq {
		t.Fatalf("MarkSent = %v first try %v, want only #%d (#%d was undone)", queued, firstTry, cb.Seq, ca.Seq)
	}
	if _, err := undo(ctx, s, b.ID); err == nil {
		t.Fatal("undid a command marked sent")
	}
	// The request never left: back to never sent, and 撤销 works again.
	if err := s.MarkUnsent(ctx, firstTry...); err != nil {
		t.Fatal(err)
	}
	if got := outboxState(t, s, cb.Seq); got != StatePending {
		t.Fatalf("state %s after MarkUnsent", got)
	}
	// A command sent before stays sent: only first tries go back.
	s.MarkSent(ctx, cb.Seq)
	if _, firstTry, _ := s.MarkSent(ctx, cb.Seq); len(firstTry) != 0 {
		t.Errorf("a resend counts as a first try: %v", firstTry)
	}
	if _, err := undo(ctx, s, b.ID); err == nil {
		t.Fatal("undid a command sent before")
	}
}

func subordinateAppOtherThan(t *testing.T, s *Store, id string) QueueRow {
	t.Helper()
	page, _ := s.ReviewQueue(context.Background(), deptID, QueueQuery{Stage: model.StageSubordinate, Limit: 2})
	for _, r := range page.Rows {
		if r.ID != id {
			return r
		}
	}
	t.Fatal("only one application in 下级单位人员审核")
	return QueueRow{}
}

func seqs(cmds []api.Command) []int64 {
	out := make([]int64, len(cmds))
	for i, c := range cmds {
		out[i] = c.Seq
	}
	return out
}

func TestLastQueued(t *testing.T) {
	ctx := context.Background()
	s, _ := seeded(t)
	a := panelApp(t, s)
	b := subordinateAppOtherThan(t, s, a.ID)
	review(ctx, s, a.ID, model.ActionPass, "")
	second, _ := review(ctx, s, a.ID, model.ActionPass, "")
	rb, _ := review(ctx, s, b.ID, model.ActionReject, "材料不全")
	s.MarkSent(ctx, rb.Seq)
	got, err := s.LastQueued(ctx, []string{a.ID, b.ID, "no-such-id"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[a.ID].Command.ID != second.ID || !got[a.ID].Undoable ||
		got[b.ID].Command.Type != api.CmdApplicationReject || got[b.ID].Undoable {
		t.Fatalf("LastQueued = %+v", got)
	}
}
