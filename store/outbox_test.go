package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

var reviewer = model.Actor{Role: model.RoleDepartment, UnitID: deptID, Person: "测试经办人"}

// review is what a service does for 【通过】/【不通过】: read, model.Apply,
// write the optimistic result, queue the command — in one Do.
func review(ctx context.Context, s *Store, appID string, action model.Action, opinion string) (api.Command, error) {
	var cmd api.Command
	err := s.Do(ctx, func(tx *Tx) error {
		app, err := tx.Application(appID)
		if err != nil {
			return err
		}
		next, err := model.Apply(app, reviewer, model.Transition{Action: action, Opinion: opinion}, tx.Env())
		if err != nil {
			return err
		}
		if err := tx.PutApplication(next); err != nil {
			return err
		}
		typ, args := api.CmdApplicationPass, any(api.PassArgs{ApplicationID: appID, Opinion: opinion})
		if action == model.ActionReject {
			typ, args = api.CmdApplicationReject, api.RejectArgs{ApplicationID: appID, Opinion: opinion}
		}
		cmd, err = tx.Enqueue(typ, app.Version, args)
		if err != nil {
			return err
		}
		return tx.DeleteDraft(appID)
	})
	return cmd, err
}

// reapply is the rebase function the sync engine would pass to ReapplyPending.
func reapply(tx *Tx, cmd api.Command) error {
	var args api.PassArgs
	if err := json.Unmarshal(cmd.Args, &args); err != nil {
		return err
	}
	app, err := tx.Application(args.ApplicationID)
	if err != nil {
		return err
	}
	next, err := model.Apply(app, reviewer, model.Transition{Action: model.ActionPass, Opinion: args.Opinion}, tx.Env())
	if err != nil {
		return nil // no longer applies here: the push will report the conflict
	}
	return tx.PutApplication(next)
}

func subordinateApp(t *testing.T, s *Store) QueueRow {
	t.Helper()
	page, err := s.ReviewQueue(context.Background(), deptID, QueueQuery{Stage: model.StageSubordinate, Limit: 1})
	if err != nil || len(page.Rows) == 0 {
		t.Fatalf("no application in 下级单位人员审核: %v", err)
	}
	return page.Rows[0]
}

func stageOf(t *testing.T, s *Store, id string) (model.Stage, int64) {
	t.Helper()
	var (
		st model.Stage
		v  int64
	)
	if err := s.reader.QueryRow(`SELECT stage, version FROM applications WHERE id = ?`, id).Scan(&st, &v); err != nil {
		t.Fatal(err)
	}
	return st, v
}

func TestOptimisticWriteAndOutboxCommitTogether(t *testing.T) {
	ctx := context.Background()
	s, _ := seeded(t)
	row := subordinateApp(t, s)

	// A failure after both writes leaves neither.
	boom := errors.New("crash")
	err := s.Do(ctx, func(tx *Tx) error {
		app, _ := tx.Application(row.ID)
		next, err := model.Apply(app, reviewer, model.Transition{Action: model.ActionPass}, tx.Env())
		if err != nil {
			return err
		}
		if err := tx.PutApplication(next); err != nil {
			return err
		}
		if _, err := tx.Enqueue(api.CmdApplicationPass, app.Version, api.PassArgs{ApplicationID: row.ID}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Do = %v", err)
	}
	if st, _ := stageOf(t, s, row.ID); st != model.StageSubordinate {
		t.Errorf("stage %s after a failed action, want unchanged", st)
	}
	if n, _ := s.PendingCount(ctx); n != 0 {
		t.Errorf("%d commands queued by a failed action", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM shadows`); n != 0 {
		t.Errorf("%d shadows left by a failed action", n)
	}

	// The real action moves it and queues exactly one command.
	cmd, err := review(ctx, s, row.ID, model.ActionPass, "同意上报。")
	if err != nil {
		t.Fatal(err)
	}
	if cmd.Seq != 1 || !api.ValidUUID(cmd.ID) || cmd.BaseVersion != row.Version {
		t.Errorf("command %+v", cmd)
	}
	if st, _ := stageOf(t, s, row.ID); !st.IsSecondReview() {
		t.Errorf("stage %s after pass, want a second-review queue", st)
	}
	page, _ := s.ReviewQueue(ctx, deptID, QueueQuery{Stage: ReviewedList, Limit: 1000})
	found := false
	for _, r := range page.Rows {
		if r.ID == row.ID {
			found = r.Pending && r.CanWithdraw
		}
	}
	if !found {
		t.Error("passed application not on 已审核列表 as pending and withdrawable")
	}
	cmds, _ := s.PendingCommands(ctx, 10)
	if len(cmds) != 1 || cmds[0].ID != cmd.ID {
		t.Errorf("pending = %+v", cmds)
	}
}

func TestMarkResult(t *testing.T) {
	tests := []struct {
		name         string
		res          api.CommandResult
		wantConflict bool
	}{
		{"applied", api.CommandResult{Status: api.StatusApplied, Version: 99}, false},
		{"duplicate of applied", api.CommandResult{Status: api.StatusDuplicate, Original: api.StatusApplied}, false},
		{"rejected", api.CommandResult{Status: api.StatusRejected, Problem: &api.Problem{Code: model.CodeForbidden, Title: "无权执行此操作", Detail: "x"}}, true},
		{"conflict", api.CommandResult{Status: api.StatusConflict, Problem: &api.Problem{Code: model.CodeVersionConflict, Title: "申报信息已被他人更新"}}, true},
		{"duplicate of conflict", api.CommandResult{Status: api.StatusDuplicate, Original: api.StatusConflict, Problem: &api.Problem{Code: model.CodeNotHolder}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := seeded(t)
			row := subordinateApp(t, s)
			cmd, err := review(ctx, s, row.ID, model.ActionReject, "材料不全，请补充业绩证明。")
			if err != nil {
				t.Fatal(err)
			}
			tt.res.Seq, tt.res.ID = cmd.Seq, cmd.ID
			if err := s.MarkResult(ctx, cmd.Seq, tt.res); err != nil {
				t.Fatal(err)
			}
			if n, _ := s.PendingCount(ctx); n != 0 {
				t.Errorf("pending = %d after the result", n)
			}
			if n := count(t, s, `SELECT COUNT(*) FROM shadows`); n != 0 {
				t.Errorf("%d shadows left", n)
			}
			conflicts, _ := s.Conflicts(ctx)
			if n, _ := s.ConflictCount(ctx); n != len(conflicts) || (n == 1) != tt.wantConflict {
				t.Fatalf("conflicts = %d, want conflict %v", n, tt.wantConflict)
			}
			st, v := stageOf(t, s, row.ID)
			if !tt.wantConflict {
				if st != model.StageReturned {
					t.Errorf("applied command's optimistic state lost: %s", st)
				}
				return
			}
			c := conflicts[0]
			var args api.RejectArgs
			json.Unmarshal(c.Command.Args, &args)
			if args.Opinion != "材料不全，请补充业绩证明。" || c.Code != tt.res.Problem.Code || c.EntityID != row.ID || c.EntityName == "" {
				t.Errorf("conflict lost the user's text or the problem: %+v", c)
			}
			if st != model.StageSubordinate || v != row.Version || c.ServerVersion != row.Version {
				t.Errorf("after refusal the application is %s v%d, want the server's %s v%d", st, v, model.StageSubordinate, row.Version)
			}
		})
	}
}

func TestMarkResultUnknownSeqIsIgnored(t *testing.T) {
	s := openTest(t)
	if err := s.MarkResult(context.Background(), 42, api.CommandResult{Status: api.StatusApplied}); err != nil {
		t.Fatal(err)
	}
}

func TestSeqIsNeverReused(t *testing.T) {
	ctx := context.Background()
	s, _ := seeded(t)
	row := subordinateApp(t, s)
	cmd, _ := review(ctx, s, row.ID, model.ActionPass, "")
	s.MarkResult(ctx, cmd.Seq, api.CommandResult{Status: api.StatusApplied})
	row2 := subordinateApp(t, s)
	cmd2, err := review(ctx, s, row2.ID, model.ActionPass, "")
	if err != nil {
		t.Fatal(err)
	}
	if cmd2.Seq != cmd.Seq+1 {
		t.Errorf("second seq = %d after %d was settled, want %d", cmd2.Seq, cmd.Seq, cmd.Seq+1)
	}
}

func TestReapplyPendingRebasesOnPulledState(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	row := subordinateApp(t, s)
	if _, err := review(ctx, s, row.ID, model.ActionPass, "同意。"); err != nil {
		t.Fatal(err)
	}
	// The server changed the application meanwhile (e.g. corrected
	// specialty) — still in 下级单位人员审核, one version newer.
	var server model.Application
	for _, a := range w.Applications {
		if a.ID == row.ID {
			server = a
		}
	}
	server.Specialty, server.Version = "新专业", server.Version+1
	err := s.Do(ctx, func(tx *Tx) error {
		if err := tx.ApplyChanges([]api.Change{change(t, api.KindApplication, server.ID, server.Version, server)}, "c9"); err != nil {
			return err
		}
		return tx.ReapplyPending(reapply)
	})
	if err != nil {
		t.Fatal(err)
	}
	st, v := stageOf(t, s, row.ID)
	if !st.IsSecondReview() || v != server.Version+1 {
		t.Errorf("after rebase: %s v%d, want the pass re-applied on v%d", st, v, server.Version)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM applications WHERE id = ? AND specialty = '新专业'`, row.ID); n != 1 {
		t.Error("the server's change was lost by the rebase")
	}
	// The command is refused: the server's copy (with its change) comes back.
	cmds, _ := s.PendingCommands(ctx, 10)
	if err := s.MarkResult(ctx, cmds[0].Seq, api.CommandResult{Status: api.StatusConflict, Problem: &api.Problem{Code: model.CodeVersionConflict}}); err != nil {
		t.Fatal(err)
	}
	if st, v := stageOf(t, s, row.ID); st != model.StageSubordinate || v != server.Version {
		t.Errorf("after conflict: %s v%d, want the server's copy v%d", st, v, server.Version)
	}
}

func TestResolveConflict(t *testing.T) {
	for _, reapplyIt := range []bool{true, false} {
		t.Run(map[bool]string{true: "re-apply", false: "discard"}[reapplyIt], func(t *testing.T) {
			ctx := context.Background()
			s, _ := seeded(t)
			row := subordinateApp(t, s)
			cmd, _ := review(ctx, s, row.ID, model.ActionReject, "请补充材料。")
			s.MarkResult(ctx, cmd.Seq, api.CommandResult{Status: api.StatusConflict, Problem: &api.Problem{Code: model.CodeVersionConflict}})
			conflicts, _ := s.Conflicts(ctx)
			again, err := s.ResolveConflict(ctx, conflicts[0].ID, reapplyIt)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := s.ConflictCount(ctx); n != 0 {
				t.Errorf("conflict still listed")
			}
			pending, _ := s.PendingFor(ctx, row.ID)
			if !reapplyIt {
				if len(pending) != 0 {
					t.Errorf("discarded conflict queued %d commands", len(pending))
				}
				return
			}
			if len(pending) != 1 || again.Seq != cmd.Seq+1 || string(again.Args) != string(cmd.Args) || again.BaseVersion != row.Version {
				t.Errorf("re-applied command %+v (original %+v)", again, cmd)
			}
		})
	}
}

// TestEveryCommandNamesItsEntity: the outbox can queue every command type
// the API has (an unknown one failed 问题清单设置 with "操作未能完成"): each
// resolves to a kind and the id its args carry, under every way its args
// can name that id.
func TestEveryCommandNamesItsEntity(t *testing.T) {
	for _, cmd := range api.AllCommands {
		t.Run(cmd, func(t *testing.T) {
			var found bool
			for _, key := range []string{"application_id", "registration_id", "expert_id", "message_id", "comment_id",
				"export_id", "reason_id", "application", "unit", "expert", "comment", "reason"} {
				var v any = "e1"
				if !strings.HasSuffix(key, "_id") {
					v = map[string]string{"id": "e1"}
				}
				m := map[string]any{key: v}
				if key != "reason" && !strings.HasPrefix(cmd, "return_reason") {
					m["reason"] = "不通过原因" // the registration commands' reason is text
				}
				args, _ := json.Marshal(m)
				kind, id, err := entityOf(cmd, args)
				if err != nil && !strings.Contains(err.Error(), "args name no") {
					t.Fatal(err)
				}
				if err == nil {
					found = true
					if kind == "" || id != "e1" {
						t.Errorf("%s with %s: kind %q id %q", cmd, key, kind, id)
					}
				}
			}
			if !found {
				t.Errorf("no args name %s's entity", cmd)
			}
		})
	}
}
