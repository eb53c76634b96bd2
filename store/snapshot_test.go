package store

import (
	"context"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// TestListsShowTheSnapshot (SEC-1): an application submitted with its
// applicant's record keeps that record; the review lists, their search by
// name and by ID number and the full-ID export show the name, ID number
// and gender it was submitted and decided with — whether the live record
// is corrected after the application was cached, before it was (a first
// sync after the correction), or in the same page. A draft (no snapshot)
// follows the live record.
func TestListsShowTheSnapshot(t *testing.T) {
	ctx := context.Background()
	type order int
	const (
		correctedAfter order = iota
		correctedBefore
		samePage
	)
	tests := []struct {
		name     string
		order    order
		snapshot bool
	}{
		{"corrected after the application was cached", correctedAfter, true},
		{"corrected before the first sync", correctedBefore, true},
		{"application and correction in one page", samePage, true},
		{"a draft follows the live record", correctedAfter, false},
		{"a draft cached after the change", correctedBefore, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, w := seeded(t)
			app := pickApp(t, w, w.Applications, func(a model.Application) bool {
				return a.HolderUnitID == deptID && a.Stage == model.StageSubordinate && a.Applicant != nil
			})
			submitted := *app.Applicant
			if !tt.snapshot {
				app.Applicant = nil
			}
			app.Version++
			corrected := submitted
			corrected.Name, corrected.IDNumber, corrected.Gender = "更正后", model.MakeIDNumber("12", "1979-01-01", 9, false), model.GenderFemale
			if corrected.Gender == submitted.Gender {
				corrected.Gender = model.GenderMale
			}
			corrected.Version++
			appChange := change(t, api.KindApplication, app.ID, app.Version, app)
			personChange := change(t, api.KindApplicant, corrected.ID, corrected.Version, corrected)
			switch tt.order {
			case correctedAfter:
				applyPaged(t, s, []api.Change{appChange})
				applyPaged(t, s, []api.Change{personChange})
			case correctedBefore:
				applyPaged(t, s, []api.Change{personChange})
				applyPaged(t, s, []api.Change{appChange})
			case samePage:
				applyPaged(t, s, []api.Change{personChange, appChange})
			}
			want, other := submitted, corrected
			if !tt.snapshot {
				want, other = corrected, submitted
			}
			find := func(text string) (QueueRow, bool) {
				t.Helper()
				var row QueueRow
				found := false
				err := s.EachQueueRow(ctx, deptID, QueueQuery{Stage: model.StageSubordinate, Text: text}, true,
					func(r QueueRow, _ int) error {
						if r.ID == app.ID {
							row, found = r, true
						}
						return nil
					})
				if err != nil {
					t.Fatal(err)
				}
				return row, found
			}
			row, ok := find(want.IDNumber)
			if !ok {
				t.Fatalf("not found by the ID number %s", model.MaskIDNumber(want.IDNumber))
			}
			if row.ApplicantName != want.Name || row.IDNumber != want.IDNumber || row.Gender != want.Gender ||
				row.MaskedIDNumber != model.MaskIDNumber(want.IDNumber) {
				t.Errorf("row shows %s %s %s, want %s %s %s", row.ApplicantName, model.MaskIDNumber(row.IDNumber), row.Gender,
					want.Name, model.MaskIDNumber(want.IDNumber), want.Gender)
			}
			if _, ok := find(want.Name); !ok {
				t.Errorf("not found by the name %s", want.Name)
			}
			if _, ok := find(want.IDNumber[len(want.IDNumber)-4:]); !ok {
				t.Errorf("not found by the last four")
			}
			if _, ok := find(other.IDNumber); ok {
				t.Errorf("found by the ID number it does not show")
			}
		})
	}
}
