package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"titledesk/app"
	"titledesk/app/apptest"
	"titledesk/model"
	"titledesk/server/demo"
)

// pdfBytes is a file the store and the server accept as a PDF.
var pdfBytes = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// goodRecommendation is a complete form: Mon 2 to Fri 6 March 2026 is five
// working days.
func goodRecommendation() model.Recommendation {
	return model.Recommendation{PublicityStart: "2026-03-02", PublicityEnd: "2026-03-06", PublicityMethod: "单位内网公示",
		PublicityPlace: "办公楼一楼公示栏", PublicityResult: "公示期间无异议", GroupOpinion: "同意推荐", GroupSize: 7,
		VotesFor: 6, VotesAbstain: 1}
}

func list(t *testing.T, a *app.App, stage model.Stage) []app.QueueRow {
	t.Helper()
	page, err := a.Reviews.List(context.Background(), app.QueueQuery{Stage: stage, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return page.Rows
}

func TestBatchPassQueuesOneCommandEach(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	rows := list(t, a, model.StageOwnUnit)
	if len(rows) < 3 {
		t.Fatalf("本单位人员审核 has %d rows, want ≥ 3", len(rows))
	}
	items := []app.Item{app.ItemOf(rows[0]), app.ItemOf(rows[1]), app.ItemOf(rows[2])}
	rec := goodRecommendation()

	// The department is a 全面实行岗位管理的事业单位: without the 岗位情况表 the
	// one form is refused for all, with a field message, and nothing is queued.
	publicity, err := a.Reviews.AddAttachment(ctx, "公示材料.pdf", model.AttachPublicity, pdfBytes)
	if err != nil {
		t.Fatal(err)
	}
	rec.Attachments = []model.Attachment{publicity}
	_, err = a.Reviews.PassBatch(ctx, items, app.PassInput{Opinion: "同意", Recommendation: &rec})
	if msg := app.FieldErrors(err)["attachments"]; !strings.Contains(msg, "岗位情况表") {
		t.Fatalf("err %v, fields %v", err, app.FieldErrors(err))
	}
	if st := a.Session.Status(); st.Pending != 0 {
		t.Fatalf("a refused batch queued %d commands", st.Pending)
	}

	post, err := a.Reviews.AddAttachment(ctx, "岗位情况表.pdf", model.AttachPostStatusForm, append([]byte(nil), append(pdfBytes, '1')...))
	if err != nil {
		t.Fatal(err)
	}
	rec.Attachments = append(rec.Attachments, post)
	results, err := a.Reviews.PassBatch(ctx, items, app.PassInput{Opinion: "同意", Recommendation: &rec})
	if err != nil || len(results) != 3 {
		t.Fatalf("batch: %v %v", results, err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Item.Name, r.Err)
		}
	}
	if st := a.Session.Status(); st.Pending != 3 {
		t.Fatalf("待同步 %d, want 3", st.Pending)
	}
	if err := a.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if st := a.Session.Status(); st.Pending != 0 || st.Conflicts != 0 {
		t.Fatalf("after sync: %+v", st)
	}
	for _, it := range items {
		d, err := a.Reviews.Detail(ctx, it.ID)
		if err != nil || d.Application.Stage == model.StageOwnUnit || d.Application.Recommendation == nil {
			t.Fatalf("%s after sync: stage %s, %v", it.Name, d.Application.Stage, err)
		}
	}
}

func TestRejectNeedsReason(t *testing.T) {
	a, _ := loggedIn(t)
	rows := list(t, a, model.StageSubordinate)
	_, err := a.Reviews.RejectBatch(context.Background(), []app.Item{app.ItemOf(rows[0])}, "  ")
	if msg := app.FieldErrors(err)["opinion"]; msg != "不通过时请勾选发现的问题或填写不通过原因" {
		t.Fatalf("err %v", err)
	}
}

func TestWithdrawAfterNextLevelActedComesBackAsConflict(t *testing.T) {
	a, f := loggedIn(t)
	ctx := context.Background()
	row := list(t, a, model.StageForward)[0]
	if err := a.Reviews.Pass(ctx, app.ItemOf(row), app.PassInput{Opinion: "同意呈报"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	reviewed := findRow(t, list(t, a, app.ReviewedList), row.ID)
	if !reviewed.CanWithdraw {
		t.Fatal("撤回 not possible right after the pass")
	}

	// The next level (the review committee side, held by the city office) acts.
	city := apptest.Open(t)
	if err := city.Session.Login(ctx, app.Credentials{ServerURL: f.URL, Username: "city", Password: demo.Password}); err != nil {
		t.Fatal(err)
	}
	committee := findRow(t, list(t, city, model.StageCommittee), row.ID)
	if err := city.Reviews.Pass(ctx, app.ItemOf(committee), app.PassInput{Opinion: "评审通过"}); err != nil {
		t.Fatal(err)
	}
	if err := city.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}

	// The department has not synced: its cache still allows 撤回. The server refuses.
	if err := a.Reviews.Withdraw(ctx, app.ItemOf(reviewed)); err != nil {
		t.Fatal(err)
	}
	if err := a.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	conflicts, err := a.Conflicts.ByApplication(ctx)
	c, ok := conflicts[row.ID]
	if err != nil || !ok || c.Action != "撤回" || !strings.Contains(c.Reason, "无法撤回") {
		t.Fatalf("conflict %+v ok %v err %v", c, ok, err)
	}
	// Resubmitting cannot help now: the model says why and the conflict stays.
	if err := a.Conflicts.Resubmit(ctx, c.ID); !strings.Contains(app.Explain(err), "无法撤回") {
		t.Fatalf("resubmit: %v", err)
	}
	if err := a.Conflicts.Discard(ctx, c); err != nil {
		t.Fatal(err)
	}
	if st := a.Session.Status(); st.Conflicts != 0 {
		t.Fatalf("conflicts after discard: %d", st.Conflicts)
	}
}

func findRow(t *testing.T, rows []app.QueueRow, id string) app.QueueRow {
	t.Helper()
	for _, r := range rows {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("application %s not in the list", id)
	return app.QueueRow{}
}

func TestStockCommentsCRUDAndReorder(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	before, _ := a.Reviews.StockComments(ctx)
	if err := a.Reviews.SaveStockComment(ctx, model.StockComment{Text: "材料齐全，同意推荐。"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Reviews.SaveStockComment(ctx, model.StockComment{Text: " "}); app.FieldErrors(err)["text"] == "" {
		t.Fatalf("blank comment: %v", err)
	}
	all, _ := a.Reviews.StockComments(ctx)
	last := all[len(all)-1]
	if len(all) != len(before)+1 || last.Text != "材料齐全，同意推荐。" {
		t.Fatalf("after add: %+v", all)
	}
	if err := a.Reviews.MoveStockComment(ctx, last.ID, -1); err != nil {
		t.Fatal(err)
	}
	all, _ = a.Reviews.StockComments(ctx)
	if all[len(all)-2].ID != last.ID {
		t.Fatalf("not moved up: %+v", all)
	}
	last = all[len(all)-2]
	last.Text = "材料齐全，同意推荐上报。"
	if err := a.Reviews.SaveStockComment(ctx, last); err != nil {
		t.Fatal(err)
	}
	if err := a.Session.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	all, _ = a.Reviews.StockComments(ctx)
	if st := a.Session.Status(); st.Pending != 0 || st.Conflicts != 0 || all[len(all)-2].Text != last.Text {
		t.Fatalf("after sync: %+v %+v", st, all)
	}
	if err := a.Reviews.DeleteStockComment(ctx, all[len(all)-2]); err != nil {
		t.Fatal(err)
	}
	if all, _ = a.Reviews.StockComments(ctx); len(all) != len(before) {
		t.Fatalf("after delete: %d, want %d", len(all), len(before))
	}
}

type openedFiles struct{ paths []string }

func (o *openedFiles) Open(path string) error {
	o.paths = append(o.paths, path)
	return nil
}

func TestPrintSheetsAndList(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	viewer := &openedFiles{}
	a.Viewer, a.Reviews.PrintDir = viewer, t.TempDir()
	rows := list(t, a, model.StageSubordinate)
	var done []int
	printed, err := a.Reviews.PrintSheets(ctx, []string{rows[0].ID, rows[1].ID}, func(n, _ int) { done = append(done, n) })
	path := printed.Path
	if err != nil || len(done) != 2 || len(printed.Missing) != 0 {
		t.Fatalf("print: %v, progress %v, missing %q", err, done, printed.Missing)
	}
	if err := a.Reviews.OpenFile(path); err != nil || len(viewer.paths) != 1 {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(data), "%PDF-") {
		t.Fatal("not a PDF")
	}
	// 【另存为…】 writes the same bytes where the person chose.
	saved := filepath.Join(t.TempDir(), "我的审核表.pdf")
	out, err := os.Create(saved)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Reviews.SaveCopy(out, path); err != nil {
		t.Fatal(err)
	}
	if copied, _ := os.ReadFile(saved); string(copied) != string(data) {
		t.Fatal("the saved copy differs from the printed PDF")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := a.Reviews.PrintSheets(cancelled, []string{rows[0].ID}, nil); err == nil {
		t.Fatal("a cancelled print succeeded")
	}
	path, err = a.Reviews.PrintList(ctx, app.QueueQuery{Stage: model.StageSubordinate, Level: model.LevelIntermediate}, []string{"中级"})
	if err != nil {
		t.Fatal(err)
	}
	if data, _ = os.ReadFile(path); !strings.HasPrefix(string(data), "%PDF-") {
		t.Fatal("list is not a PDF")
	}
}

func TestDraftKeepsTypedForm(t *testing.T) {
	a, _ := loggedIn(t)
	ctx := context.Background()
	id := list(t, a, model.StageOwnUnit)[0].ID
	d := app.Draft{Opinion: "材料齐全", Fields: map[string]string{"group_size": "七", "publicity_start": "2026-03-02"}}
	if err := a.Reviews.SaveDraft(ctx, id, d); err != nil {
		t.Fatal(err)
	}
	got, ok, err := a.Reviews.LoadDraft(ctx, id)
	if err != nil || !ok || got.Opinion != d.Opinion || got.Fields["group_size"] != "七" {
		t.Fatalf("draft %+v ok %v err %v", got, ok, err)
	}
	_, bad := app.ParseRecommendation(got.Fields, nil)
	if bad["group_size"] == "" {
		t.Fatal("a non-number group size was not reported")
	}
	if err := a.Reviews.SaveDraft(ctx, id, app.Draft{}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.Reviews.LoadDraft(ctx, id); ok {
		t.Fatal("an empty draft was kept")
	}
}
