package sync

import (
	"context"
	"testing"

	"titledesk/model"
	"titledesk/store"
)

// TestCorrectionKeepsDecidedRows (SEC-1, over the real server): after the
// city office corrects a person's name and ID number (Server.
// CorrectApplicant), a desktop that syncs still lists that person's
// submitted applications, and finds them by ID number, as they were
// submitted and decided — the application's frozen record — and not by the
// corrected one.
func TestCorrectionKeepsDecidedRows(t *testing.T) {
	ctx := context.Background()
	srv := newTestServer(t, 0.1)
	d := newDevice(t, ClientOptions{})
	d.login(srv.URL())
	queue := d.inQueue(model.StageSubordinate)
	var app model.Application
	for _, a := range queue {
		if a.Applicant != nil {
			app = a
			break
		}
	}
	if app.ID == "" {
		t.Fatal("no submitted application with a frozen applicant record in the queue")
	}
	was := *app.Applicant
	newID := model.MakeIDNumber("12", "1979-01-01", 9, was.Gender == model.GenderMale)
	if _, err := srv.srv.CorrectApplicant(ctx, app.ApplicantID, "户籍证明", map[string]string{
		"name": "更正后姓名", "id_number": newID}); err != nil {
		t.Fatal(err)
	}
	d.sync()
	unit := d.unitID()
	rows := func(text string) []store.QueueRow {
		t.Helper()
		var out []store.QueueRow
		err := d.store.EachQueueRow(ctx, unit, store.QueueQuery{Stage: model.StageSubordinate, Text: text}, true,
			func(r store.QueueRow, _ int) error {
				if r.ID == app.ID {
					out = append(out, r)
				}
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	got := rows(was.IDNumber)
	if len(got) != 1 {
		t.Fatalf("the submitted ID number finds %d rows of the application", len(got))
	}
	if got[0].ApplicantName != was.Name || got[0].IDNumber != was.IDNumber {
		t.Errorf("the list shows %s %s, want the submitted %s %s", got[0].ApplicantName,
			model.MaskIDNumber(got[0].IDNumber), was.Name, model.MaskIDNumber(was.IDNumber))
	}
	if len(rows(newID)) != 0 || len(rows("更正后姓名")) != 0 {
		t.Error("the corrected record finds the application it was not decided with")
	}
	if p, ok, err := d.store.Applicant(ctx, app.ApplicantID); err != nil || !ok || p.Name != "更正后姓名" {
		t.Errorf("the live record did not take the correction: %+v %v %v", p.Name, ok, err)
	}
}
