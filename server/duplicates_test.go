package server

import (
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// TestDuplicateApplicationsFlagged (BEY-5): two applications with one ID
// number, under two departments, both under review: each department sees
// the flag on its own application and nothing of the other — not its
// application, applicant, unit or name — in the feed, which also passes the
// authorization matrix's scope check. A return to the applicant withdraws
// the other's flag; a resubmission brings it back.
func TestDuplicateApplicationsFlagged(t *testing.T) {
	ts := newTestServer(t)
	appl1, appl3 := ts.login(userAppl1), ts.login(userAppl3)
	var p1, p3 model.Applicant
	ts.srv.reader.QueryRow(`SELECT data FROM applicants WHERE id = ?`, fx.P1).Scan(jsonScanner{&p1})
	ts.srv.reader.QueryRow(`SELECT data FROM applicants WHERE id = ?`, fx.P3).Scan(jsonScanner{&p3})
	// The same person registered under D2's unit too, typed with spaces.
	p3.IDNumber = p1.IDNumber[:6] + " " + p1.IDNumber[6:14] + " " + p1.IDNumber[14:]
	p3.Gender = p1.Gender
	form := model.Application{ID: fx.A3, Year: 2026, Series: "engineering", Specialty: "土木工程",
		Level: model.LevelAssociateSenior, TitleName: "高级工程师", Method: model.MethodExamInLieu}
	appl3.mustApply(api.CmdApplicationCreate, 1, api.ApplicationCreateArgs{Applicant: p3, Application: form})

	appl1.mustApply(api.CmdApplicationSubmit, 0, api.ApplicationRefArgs{ApplicationID: fx.A1})
	d1 := ts.login(userDept1)
	if st, _ := d1.pullAll("", nil); st.has(api.KindDuplicate, fx.A1) {
		t.Fatal("flagged with only one application under review")
	}
	appl3.mustApply(api.CmdApplicationSubmit, 0, api.ApplicationRefArgs{ApplicationID: fx.A3})

	d2 := ts.login(userDept2)
	for _, c := range []struct {
		who        *testClient
		root       string
		own, other string
		otherName  string
	}{{d1, fx.D1, fx.A1, fx.A3, "用人单位三"}, {d2, fx.D2, fx.A3, fx.A1, "用人单位一"}} {
		st, _ := c.who.pullAll("", nil)
		var flag model.DuplicateFlag
		if !st.has(api.KindDuplicate, c.own) {
			t.Fatalf("%s: no flag on its own application", c.root)
		}
		st.decode(t, api.KindDuplicate, c.own, &flag)
		if flag.SameUnit || flag.Year != 2026 || flag.Notice() != "该申报人本年度另有一份申报在审（其他单位）" {
			t.Fatalf("%s: flag %+v %q", c.root, flag, flag.Notice())
		}
		if st.has(api.KindDuplicate, c.other) || st.has(api.KindApplication, c.other) {
			t.Fatalf("%s sees the other department's application", c.root)
		}
		for k, ch := range st {
			if strings.Contains(string(ch.Data), c.otherName) || strings.Contains(string(ch.Data), c.other) {
				t.Errorf("%s: %s reveals the other application (%s)", c.root, k, c.otherName)
			}
		}
		assertFeedScope(t, c.who, c.root, fx.City)
	}
	if n := ts.count(`SELECT COUNT(*) FROM duplicate_keys WHERE id_key LIKE ?`, "%"+p1.IDNumber+"%"); n != 0 {
		t.Fatal("duplicate_keys holds the ID number")
	}

	// emp3 returns A3: D1's flag is withdrawn by a delete in its feed.
	emp3 := ts.login(userEmp3)
	emp3.mustApply(api.CmdApplicationReject, 0, api.RejectArgs{ApplicationID: fx.A3, Opinion: "请补充材料"})
	st, _ := d1.pullAll("", nil)
	if ch := st[key(api.KindDuplicate, fx.A1)]; ch.Op != api.OpDelete {
		t.Fatalf("after the return D1's flag is %q", ch.Op)
	}
	appl3.mustApply(api.CmdApplicationSubmit, 0, api.ApplicationRefArgs{ApplicationID: fx.A3})
	st, _ = d1.pullAll("", nil)
	if ch := st[key(api.KindDuplicate, fx.A1)]; ch.Op != api.OpUpsert {
		t.Fatalf("after the resubmission D1's flag is %q", ch.Op)
	}
}
