package store

import (
	"context"
	"strings"
	"testing"

	"titledesk/model"
)

// TestIDNumberSearch: 已审核列表, the queues and the recipient search find a
// person by the whole ID number (however it is typed), by the four
// characters a masked column shows at either end, and by the masked form
// itself — through the blind index; other text finds no one by number.
// Expected rows come from the world's plaintext, for several people.
func TestIDNumberSearch(t *testing.T) {
	ctx := context.Background()
	s, w := seeded(t)
	people := map[string]model.Applicant{}
	for _, p := range w.Applicants {
		people[p.ID] = p
	}
	reviewed := func(keep func(id string) bool) map[string]bool {
		out := map[string]bool{}
		for _, a := range w.Applications {
			if containsStr(reviewersOf(a), deptID) && keep(people[a.ApplicantID].IDNumber) {
				out[a.ID] = true
			}
		}
		return out
	}
	var sample []model.Applicant // people in 已审核列表, one with an X check character if any
	for _, a := range w.Applications {
		if containsStr(reviewersOf(a), deptID) && len(sample) < 4 {
			p := people[a.ApplicantID]
			if len(sample) < 3 || strings.HasSuffix(p.IDNumber, "X") {
				sample = append(sample, p)
			}
		}
	}
	if len(sample) < 3 {
		t.Fatal("the world has too few reviewed applications")
	}
	type tcase struct {
		name string
		text string
		keep func(id string) bool
	}
	var tests []tcase
	for _, p := range sample {
		n := p.IDNumber
		tests = append(tests,
			tcase{"whole " + n[14:], n, func(id string) bool { return id == n }},
			tcase{"whole, lower-case x and spaces " + n[14:], "  " + strings.ToLower(n) + " ", func(id string) bool { return id == n }},
			tcase{"masked " + n[14:], model.MaskIDNumber(n), func(id string) bool { return id[:4] == n[:4] && id[14:] == n[14:] }},
			tcase{"last four " + n[14:], n[14:], func(id string) bool { return id[14:] == n[14:] || id[:4] == n[14:] }},
			tcase{"first four " + n[:4], n[:4], func(id string) bool { return id[:4] == n[:4] || id[14:] == n[:4] }},
		)
	}
	tests = append(tests,
		tcase{"a whole number nobody has", "110101199003070011", func(string) bool { return false }},
		tcase{"three digits are no number", sample[0].IDNumber[15:], func(id string) bool { return false }},
		tcase{"the middle digits are not shown, so not searched", sample[0].IDNumber[6:10], func(string) bool { return false }},
	)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := reviewed(tt.keep)
			page, err := s.ReviewQueue(ctx, deptID, QueueQuery{Stage: ReviewedList, Text: tt.text, Limit: 5000})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, r := range page.Rows {
				if _, byNumber := want[r.ID]; !byNumber && !strings.Contains(r.ApplicantName+r.UnitName+r.Specialty, strings.TrimSpace(tt.text)) {
					t.Errorf("%s (%s) found by %q", r.ApplicantName, r.MaskedIDNumber, tt.text)
				}
				got[r.ID] = true
			}
			for id := range want {
				if !got[id] {
					t.Errorf("application %s not found by %q", id[:8], model.MaskIDNumber(tt.text))
				}
			}
			if page.Total != len(page.Rows) {
				t.Errorf("total %d, rows %d", page.Total, len(page.Rows))
			}
		})
	}
}

func reviewersOf(a model.Application) []string {
	var out []string
	for _, st := range a.Flow {
		if (st.Action == model.ActionPass || st.Action == model.ActionReject) && st.UnitID != "" {
			out = append(out, st.UnitID)
		}
	}
	return out
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
