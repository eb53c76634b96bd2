package store

import (
	"context"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// TestNameSearchDotVariants: a name stored as 买买提·艾力 is found in the
// review lists and among 消息推送's recipients whatever separator dot, or
// none, or spacing the search uses (issue 10 item 8, model.NameSearchKey).
func TestNameSearchDotVariants(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	app := pickApp(t, w, w.Applications, func(a model.Application) bool {
		return a.HolderUnitID == deptID && a.Stage == model.StageSubordinate
	})
	var person model.Applicant
	for _, p := range w.Applicants {
		if p.ID == app.ApplicantID {
			person = p
		}
	}
	person.Name, person.Version = "买买提·艾力", person.Version+1
	app.Version++
	if app.Applicant != nil { // the lists show the record it was submitted with (SEC-1)
		snap := *app.Applicant
		snap.Name = person.Name
		app.Applicant = &snap
	}
	applyPaged(t, s, []api.Change{change(t, api.KindApplicant, person.ID, person.Version, person),
		change(t, api.KindApplication, app.ID, app.Version, app)})

	for _, q := range []string{"买买提·艾力", "买买提•艾力", "买买提・艾力", "买买提．艾力", "买买提.艾力", "买买提 · 艾力",
		"买买提艾力", "买买提", "提·艾", "艾力", " 买买提‧艾力 "} {
		t.Run(q, func(t *testing.T) {
			page, err := s.ReviewQueue(ctx, deptID, QueueQuery{Stage: model.StageSubordinate, Text: q})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, r := range page.Rows {
				found = found || r.ID == app.ID
			}
			if !found {
				t.Fatalf("review list: %q did not find 买买提·艾力 (%d rows)", q, page.Total)
			}
			rs, err := s.Recipients(ctx, deptID, q, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !hasRecipient(rs, person.ID) {
				t.Fatalf("消息推送: %q did not find 买买提·艾力", q)
			}
		})
	}
	if page, err := s.ReviewQueue(ctx, deptID, QueueQuery{Stage: model.StageSubordinate, Text: "买买提·艾尔"}); err != nil || page.Total != 0 {
		t.Fatalf("a different name matched: %d, %v", page.Total, err)
	}
}
