package app_test

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/app"
	"titledesk/model"
	"titledesk/server/demo"
	tdsync "titledesk/sync"
)

// applicantClient is an applicant's own connection to the server (the
// applicant side of the protocol, as the applicants' system would use it).
type applicantClient struct {
	t      *testing.T
	c      *tdsync.Client
	device string
	seq    int64
}

func loginApplicant(t *testing.T, url, username string) *applicantClient {
	t.Helper()
	ac := &applicantClient{t: t, c: tdsync.NewClient(tdsync.ClientOptions{}), device: api.NewUUID()}
	if _, err := ac.c.Login(context.Background(), url, username, demo.DemoPassword, ac.device); err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return ac
}

func (ac *applicantClient) application(id string) model.Application {
	ac.t.Helper()
	var app model.Application
	cursor := ""
	for {
		page, err := ac.c.PullPage(context.Background(), cursor, 1000)
		if err != nil {
			ac.t.Fatal(err)
		}
		for _, ch := range page.Changes {
			if ch.Kind == api.KindApplication && ch.ID == id && ch.Op == api.OpUpsert {
				json.Unmarshal(ch.Data, &app)
			}
		}
		if !page.HasMore {
			return app
		}
		cursor = page.Cursor
	}
}

func (ac *applicantClient) run(typ string, args any) api.CommandResult {
	ac.t.Helper()
	raw, _ := json.Marshal(args)
	ac.seq++
	resp, err := ac.c.Push(context.Background(), ac.device, []api.Command{{Seq: ac.seq, ID: api.NewUUID(), Type: typ, Args: raw}})
	if err != nil || len(resp.Results) != 1 {
		ac.t.Fatalf("push %s: %v", typ, err)
	}
	return resp.Results[0]
}

// TestOneTimeNoticeBatchReturn (BEY-3 acceptance): a 批量不通过 with three
// ticked problems reaches the applicant as one list in one step, is on the
// printed 审核表 (pdftotext), and after the applicant resubmits marking two
// of them fixed, the department sees which.
func TestOneTimeNoticeBatchReturn(t *testing.T) {
	a, f := loggedIn(t)
	ctx := context.Background()
	accounts := map[string]string{} // applicant id → username
	for _, acc := range f.World.Accounts {
		if acc.Account.Role == model.RoleApplicant {
			accounts[acc.Account.ApplicantID] = acc.Account.Username
		}
	}
	var target app.QueueRow
	var others []app.QueueRow
	for _, stage := range model.DepartmentQueues {
		for _, r := range list(t, a, stage) {
			full, err := a.Reviews.Detail(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if target.ID == "" && accounts[full.Application.ApplicantID] != "" {
				target = r
			} else if len(others) < 2 && stage == r.Stage {
				others = append(others, r)
			}
		}
		if target.ID != "" && len(others) >= 1 {
			break
		}
	}
	if target.ID == "" {
		t.Fatal("no application of an applicant with an account in the demo department's queues")
	}
	problems := []model.ReturnProblem{{Material: model.MaterialEducation, Text: "学历证书不清晰"},
		{Material: model.MaterialPublicity, Text: "公示材料缺少单位盖章"},
		{Material: model.MaterialAchievements, Text: "业绩材料与申报专业不符"}}
	items := []app.Item{app.ItemOf(target)}
	for _, o := range others {
		if o.Stage == target.Stage && o.ID != target.ID {
			items = append(items, app.ItemOf(o))
		}
	}
	results, err := a.Reviews.ReturnBatch(ctx, items, app.ReturnInput{Opinion: "请按清单一次性修改", Problems: problems})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Item.Name, r.Err)
		}
	}
	if err := a.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}

	detail, _ := a.Reviews.Detail(ctx, target.ID)
	ac := loginApplicant(t, f.URL, accounts[detail.Application.ApplicantID])
	got := ac.application(target.ID)
	last, ok := got.LastReturn()
	if !ok || got.Stage != model.StageReturned || len(last.Problems) != 3 || last.Opinion != "请按清单一次性修改" {
		t.Fatalf("the applicant sees %s, last return %+v", got.Stage, last)
	}
	notice := model.ReturnNotice(last.Problems, last.Opinion)
	if !strings.HasPrefix(notice, "请一次性补正以下3个问题") {
		t.Fatalf("notice %q", notice)
	}

	a.Reviews.PrintDir = t.TempDir()
	path, err := a.Reviews.PrintSheets(ctx, []string{target.ID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path.Path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, want := range []string{"请一次性补正以下3个问题", "学历证书不清晰", "公示材料缺少单位盖章", "业绩材料与申报专业不符"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the sheet lacks %q:\n%s", want, out)
		}
	}

	if res := ac.run(api.CmdApplicationSubmit, api.SubmitArgs{ApplicationID: target.ID, Fixed: []int{0, 2}}); res.Status != api.StatusApplied {
		t.Fatalf("resubmit: %s %+v", res.Status, res.Problem)
	}
	if err := a.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	detail, _ = a.Reviews.Detail(ctx, target.ID)
	checks, err := a.Reviews.Checks(ctx, detail)
	if err != nil {
		t.Fatal(err)
	}
	m := checks.Marks
	if len(m) != 3 || !m[0].Fixed || m[1].Fixed || !m[2].Fixed || m[1].Problem.Text != "公示材料缺少单位盖章" {
		t.Fatalf("marks %+v", m)
	}
}

// TestDeadlinesOnDashboard (BEY-6): deadlines the city office sets reach the
// client; the dashboard shows the days left and counts the work at risk;
// the 临近截止 filter keeps exactly those applications.
func TestDeadlinesOnDashboard(t *testing.T) {
	a, f := loggedIn(t)
	ctx := context.Background()
	if st, ok, err := a.Dashboard.Deadlines(ctx); err != nil || !ok || !st.HasNext {
		t.Fatalf("the demo world's deadlines: %+v %v %v", st, ok, err)
	}
	today := model.ChinaDate(time.Now())
	year := f.World.Applications[0].Year
	for _, x := range f.World.Applications {
		year = max(year, x.Year)
	}
	d := model.Deadlines{Year: year, ApplyBy: today.AddDays(-3), UnitReviewBy: today.AddDays(10), SubmitBy: today.AddDays(30)}
	if err := f.Server.SetDeadlines(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := a.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	st, ok, err := a.Dashboard.Deadlines(ctx)
	if err != nil || !ok || !st.HasNext || st.Next.Name != "单位审核截止" || st.DaysLeft != 10 {
		t.Fatalf("deadlines %+v %v %v", st, ok, err)
	}
	counts := map[model.Stage]int{}
	for _, q := range st.AtRisk {
		counts[q.Stage] = q.Count
	}
	for _, stage := range []model.Stage{model.StageOwnUnit, model.StageSubordinate} {
		page, err := a.Reviews.List(ctx, app.QueueQuery{Stage: stage, Year: year})
		if err != nil {
			t.Fatal(err)
		}
		if counts[stage] != page.Total {
			t.Fatalf("%s: %d at risk, the list holds %d of %d", stage, counts[stage], page.Total, year)
		}
		due, err := a.Reviews.List(ctx, app.QueueQuery{Stage: stage, AtRisk: true})
		if err != nil || due.Total != page.Total {
			t.Fatalf("%s 临近截止: %d rows, want %d (%v)", stage, due.Total, page.Total, err)
		}
	}
	// 呈报截止 is 30 days away: nothing of 待呈报 is at risk yet.
	if due, _ := a.Reviews.List(ctx, app.QueueQuery{Stage: model.StageForward, AtRisk: true}); due.Total != 0 {
		t.Fatalf("待呈报 临近截止: %d rows", due.Total)
	}
}
