package server

import (
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// return_reason.adopt (BEY-3): a department with no saved 一次性告知
// checklist adopts a whole list in one command; every way the command can
// be wrong — sent by a unit that is not a department, an empty or
// oversized list, repeated or malformed ids, an invalid item, a department
// whose checklist someone already changed — is refused and writes nothing
// but its result.
func TestReturnReasonAdopt(t *testing.T) {
	ts := newTestServer(t)
	item := func(text string, pos int) model.ReturnReason {
		return model.ReturnReason{ID: api.NewUUID(), Material: model.MaterialEducation, Text: text, Position: pos}
	}
	list := []model.ReturnReason{item("学历证书不清晰", 0), item("学位证书缺失", 1), item("毕业证书与学历不符", 2)}
	dup := item("重复", 0)
	long := make([]model.ReturnReason, api.MaxReturnReasons+1)
	for i := range long {
		long[i] = item("问题", i)
	}
	bad := func(r model.ReturnReason) []model.ReturnReason { return []model.ReturnReason{r} }
	refused := []struct {
		name, user, status, code string
		reasons                  []model.ReturnReason
	}{
		{"not a department", userEmp1, api.StatusRejected, model.CodeForbidden, list},
		{"empty", userDept1, api.StatusRejected, model.CodeValidation, nil},
		{"too many", userDept1, api.StatusRejected, model.CodeValidation, long},
		{"repeated id", userDept1, api.StatusRejected, model.CodeValidation, []model.ReturnReason{dup, dup}},
		{"malformed id", userDept1, api.StatusRejected, model.CodeValidation, bad(model.ReturnReason{ID: "x", Material: model.MaterialEducation, Text: "问题"})},
		{"empty text", userDept1, api.StatusRejected, model.CodeValidation, bad(item("", 0))},
		{"negative position", userDept1, api.StatusRejected, model.CodeValidation, bad(item("问题", -1))},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			before := ts.writes()
			res := ts.login(tc.user).run(api.CmdReturnReasonAdopt, 0, api.ReturnReasonAdoptArgs{Reasons: tc.reasons})
			if res.Problem == nil || res.Problem.Code != tc.code || res.Status != tc.status {
				t.Fatalf("got %s %+v, want %s %s", res.Status, res.Problem, tc.status, tc.code)
			}
			if after := ts.writes(); after[0] != before[0] || after[1] != before[1]+1 {
				t.Fatalf("writes %v → %v: only the result row may be written", before, after)
			}
		})
	}

	dept := ts.login(userDept1)
	dept.mustApply(api.CmdReturnReasonAdopt, 0, api.ReturnReasonAdoptArgs{Reasons: list})
	if n := ts.count(`SELECT COUNT(*) FROM return_reasons`); n != int64(len(list)) {
		t.Fatalf("%d items saved, want %d", n, len(list))
	}
	// Another clerk of the department, offline meanwhile, adopts too: the
	// checklist is no longer the default one, so it is a conflict.
	before := ts.writes()
	res := ts.login(userDept1).run(api.CmdReturnReasonAdopt, 0, api.ReturnReasonAdoptArgs{Reasons: []model.ReturnReason{item("另一份", 0)}})
	expectRejected(t, res, api.StatusConflict, model.CodeVersionConflict)
	if after := ts.writes(); after[0] != before[0] || ts.count(`SELECT COUNT(*) FROM return_reasons`) != int64(len(list)) {
		t.Fatal("a conflicted adopt changed the checklist")
	}
}
