package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"titledesk/model"
	"titledesk/server/demo"
)

// expectQueue counts, straight from the world, what a query should return.
func expectQueue(w *demo.World, stage model.Stage, keep func(model.Application) bool) int {
	n := 0
	for _, a := range w.Applications {
		in := a.HolderUnitID == deptID && a.Stage == stage
		if stage == ReviewedList {
			in = a.ReviewedBy(deptID)
		}
		if in && (keep == nil || keep(a)) {
			n++
		}
	}
	return n
}

func TestReviewQueue(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	apps := map[string]model.Application{}
	for _, a := range w.Applications {
		apps[a.ID] = a
	}
	people := map[string]model.Applicant{}
	for _, p := range w.Applicants {
		people[p.ID] = p
	}
	sample := pickApp(t, w, w.Applications, func(a model.Application) bool {
		return a.HolderUnitID == deptID && a.Stage == model.StageSubordinate
	})
	samplePerson := people[sample.ApplicantID]
	cutoff := testNow.Add(-30 * 24 * time.Hour)

	tests := []struct {
		name string
		q    QueueQuery
		keep func(model.Application) bool
	}{
		{"本单位人员审核", QueueQuery{Stage: model.StageOwnUnit}, nil},
		{"下级单位人员审核", QueueQuery{Stage: model.StageSubordinate}, nil},
		{"待呈报人员审核", QueueQuery{Stage: model.StageForward}, nil},
		{"自主聘任审核", QueueQuery{Stage: model.StageSelfAppoint}, nil},
		{"以考代评审核", QueueQuery{Stage: model.StageExam}, nil},
		{"已审核列表", QueueQuery{Stage: ReviewedList}, nil},
		{"by series", QueueQuery{Stage: model.StageSubordinate, Series: sample.Series},
			func(a model.Application) bool { return a.Series == sample.Series }},
		{"by level and year", QueueQuery{Stage: model.StageSubordinate, Level: sample.Level, Year: sample.Year},
			func(a model.Application) bool { return a.Level == sample.Level && a.Year == sample.Year }},
		{"by method", QueueQuery{Stage: ReviewedList, Method: model.MethodExamInLieu},
			func(a model.Application) bool { return a.Method == model.MethodExamInLieu }},
		{"by applicant name", QueueQuery{Stage: model.StageSubordinate, Text: samplePerson.Name},
			func(a model.Application) bool {
				return strings.Contains(people[a.ApplicantID].Name, samplePerson.Name) ||
					strings.Contains(unitOf(w.Units, a.UnitID).Name, samplePerson.Name) || strings.Contains(a.Specialty, samplePerson.Name)
			}},
		{"by whole ID number", QueueQuery{Stage: model.StageSubordinate, Text: strings.ToLower(samplePerson.IDNumber)},
			func(a model.Application) bool { return people[a.ApplicantID].IDNumber == samplePerson.IDNumber }},
		{"submitted window", QueueQuery{Stage: model.StageSubordinate, SubmittedFrom: cutoff},
			func(a model.Application) bool { return a.SubmittedAt != nil && !a.SubmittedAt.Before(cutoff) }},
		{"returned more than 30 days ago", QueueQuery{Stage: ReviewedList, ReturnedMoreThanDays: 30},
			func(a model.Application) bool {
				return a.Stage == model.StageReturned && a.ReturnedAt != nil && a.ReturnedAt.Before(cutoff)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := expectQueue(w, tt.q.Stage, tt.keep)
			t.Logf("expect %d rows", want)
			q := tt.q
			q.Limit = 1000
			page, err := s.ReviewQueue(ctx, deptID, q)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != want || len(page.Rows) != want {
				t.Fatalf("total %d, rows %d; want %d", page.Total, len(page.Rows), want)
			}
			for i, r := range page.Rows {
				a := apps[r.ID]
				if i > 0 && q.Stage != ReviewedList && r.SubmittedAt.Before(page.Rows[i-1].SubmittedAt) {
					t.Fatal("rows not sorted by submission time")
				}
				if r.CanWithdraw != a.CanWithdraw(deptID) {
					t.Errorf("%s: can withdraw %v, model says %v", r.ID, r.CanWithdraw, a.CanWithdraw(deptID))
				}
				if r.MaskedIDNumber != model.MaskIDNumber(people[a.ApplicantID].IDNumber) || r.Version != a.Version {
					t.Errorf("%s: row %+v does not match the application", r.ID, r)
				}
			}
		})
	}
	if want := expectQueue(w, ReviewedList, nil); want < 20 {
		t.Fatalf("fixture 已审核列表 too small: %d", want)
	}
}

func TestReviewQueuePagingAndSort(t *testing.T) {
	ctx := context.Background()
	s, _ := seeded(t)
	q := QueueQuery{Stage: ReviewedList, Sort: Sort{Column: SortName, Desc: true}, Limit: 7}
	var names []string
	total := -1
	for q.Offset = 0; ; q.Offset += q.Limit {
		page, err := s.ReviewQueue(ctx, deptID, q)
		if err != nil {
			t.Fatal(err)
		}
		total = page.Total
		for _, r := range page.Rows {
			names = append(names, r.ApplicantName)
		}
		if len(page.Rows) < q.Limit {
			break
		}
	}
	if len(names) != total {
		t.Fatalf("paged through %d rows, total says %d", len(names), total)
	}
	for i := 1; i < len(names); i++ {
		if names[i] > names[i-1] {
			t.Fatalf("not sorted by name descending at %d: %q > %q", i, names[i], names[i-1])
		}
	}
	if _, err := s.ReviewQueue(ctx, deptID, QueueQuery{Stage: "nonsense"}); err == nil {
		t.Error("an unknown list was accepted")
	}
	if page, err := s.ReviewQueue(ctx, deptID, QueueQuery{Stage: model.StageOwnUnit, Text: `%_\`}); err != nil || page.Total != 0 {
		t.Errorf("LIKE wildcards in search text are not literal: %d rows, %v", page.Total, err)
	}
}

// TestReviewedListTotalPastTheEnd: a filtered 已审核列表 takes its total
// from the page's rows; a page past the end still has the right total.
func TestReviewedListTotalPastTheEnd(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	q := QueueQuery{Stage: ReviewedList, ReturnedMoreThanDays: 30, Limit: 5}
	want := expectQueue(w, ReviewedList, func(a model.Application) bool {
		return a.Stage == model.StageReturned && a.ReturnedAt != nil && a.ReturnedAt.Before(testNow.Add(-30*24*time.Hour))
	})
	if want < 2 {
		t.Fatalf("fixture has %d rows returned long ago", want)
	}
	for _, offset := range []int{0, want - 1, want, want + 10} {
		q.Offset = offset
		page, err := s.ReviewQueue(ctx, deptID, q)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != want || len(page.Rows) != min(q.Limit, max(want-offset, 0)) {
			t.Errorf("offset %d: total %d, %d rows; want %d in all", offset, page.Total, len(page.Rows), want)
		}
	}
}

func TestDashboard(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	d, err := s.Dashboard(ctx, deptID)
	if err != nil {
		t.Fatal(err)
	}
	first, second := 0, 0
	for _, q := range model.DepartmentQueues {
		want := expectQueue(w, q, nil)
		if d.Counts[q] != want {
			t.Errorf("%s count = %d, want %d", q.Label(), d.Counts[q], want)
		}
		if q.IsFirstReview() {
			first += want
		} else {
			second += want
		}
	}
	if d.FirstReview != first || d.SecondReview != second {
		t.Errorf("待初审 %d 待复审 %d, want %d %d", d.FirstReview, d.SecondReview, first, second)
	}
	for name, top := range map[string][]QueueRow{"待初审": d.FirstReviewTop, "待复审": d.SecondReviewTop} {
		if len(top) != DashboardTop {
			t.Errorf("%s shows %d entries, want %d", name, len(top), DashboardTop)
		}
		for i := 1; i < len(top); i++ {
			if top[i].SubmittedAt.Before(top[i-1].SubmittedAt) {
				t.Errorf("%s entries not oldest first", name)
			}
		}
	}
	unread := 0
	for _, m := range deptMessages(w) {
		if m.Inbound && m.ReadAt == nil {
			unread++
		}
	}
	if d.Unread != unread || unread == 0 {
		t.Errorf("unread = %d, want %d (> 0)", d.Unread, unread)
	}
	if d.Unit.ID != deptID || !d.EconomicsWarning || len(d.MissingFields) != 4 {
		t.Errorf("unit card %q, HOME-2 warning %v %v; the demo department lacks all four fields", d.Unit.Name, d.EconomicsWarning, d.MissingFields)
	}
}
