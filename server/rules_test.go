package server

import (
	"context"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

// TestBuiltinRuleSetsFollowTheBinary (BEY-4): at start a server stores the
// built-in rule sets it lacks, brings up to date one an older version
// stored, withdraws one this version no longer ships, and leaves every set
// the city office imported as it is — also one of a series and level with
// no built-in set, and across a restart. Clients see each change in the feed.
func TestBuiltinRuleSetsFollowTheBinary(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	builtin := model.DefaultRuleSets()
	if got := ts.count(`SELECT COUNT(*) FROM rule_sets`); got != int64(len(builtin)) {
		t.Fatalf("%d rule sets stored, %d built in", got, len(builtin))
	}

	// An older version's copies: a changed built-in set and one no longer shipped.
	const changed, retired = "engineering/associate_senior", "engineering/senior"
	old := `{"series":"engineering","level":"senior","title":"正高级工程师","source":"旧版内置","paths":[{"min_education":"bachelor","previous_titles":["高级工程师"],"years_since_title":5,"clause":"旧"}]}`
	for _, q := range []string{
		`UPDATE rule_sets SET data = '{"series":"engineering","level":"associate_senior","title":"高级工程师","source":"旧版内置","paths":[]}' WHERE id = '` + changed + `'`,
		`INSERT INTO rule_sets(id, version, data) VALUES ('` + retired + `', 3, '` + old + `')`,
	} {
		if _, err := ts.srv.writer.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	// The city office's own sets: one replacing a built-in, one of its own.
	imported := []model.RuleSet{
		{Series: "accounting", Level: model.LevelIntermediate, Title: "会计师", Source: "天津市测试文件",
			Paths: []model.RulePath{{MinEducation: model.EduBachelor, Clause: "测试条款"}}},
		{Series: "health", Level: model.LevelAssociateSenior, Title: "副主任医师", Source: "天津市测试文件",
			Paths: []model.RulePath{{MinEducation: model.EduBachelor, Clause: "测试条款"}}},
	}
	if err := ts.srv.ImportRuleSets(ctx, imported); err != nil {
		t.Fatal(err)
	}
	client := ts.login(userDept1)
	_, cursor := client.pullAll("", feedState{})

	ts.restart()
	sets, err := ts.srv.RuleSets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]model.RuleSet{}
	for _, r := range sets {
		byID[model.RuleSetID(r.Series, r.Level)] = r
	}
	if r := byID[changed]; r.Source == "旧版内置" || len(r.Paths) == 0 {
		t.Errorf("an outdated built-in set was kept: %+v", r)
	}
	if _, ok := byID[retired]; ok {
		t.Error("a built-in set this version no longer ships was kept")
	}
	for _, r := range imported {
		if got := byID[model.RuleSetID(r.Series, r.Level)]; got.Source != "天津市测试文件" {
			t.Errorf("an imported set was replaced: %+v", got)
		}
	}
	if len(sets) != len(builtin)+1 {
		t.Errorf("%d rule sets, want the %d built in and the imported health one", len(sets), len(builtin))
	}

	client = ts.login(userDept1)
	st, _ := client.pullAll(cursor, feedState{})
	if ch, ok := st[key(api.KindRuleSet, retired)]; !ok || ch.Op != api.OpDelete {
		t.Errorf("the withdrawn set reached the client as %+v", ch)
	}
	var got model.RuleSet
	st.decode(t, api.KindRuleSet, changed, &got)
	if got.Article == "" || got.Source == "旧版内置" {
		t.Errorf("the updated set reached the client as %+v", got)
	}
	if len(st) != 2 {
		t.Errorf("the restart announced %d rule changes, want 2: %v", len(st), st)
	}

	// A second restart changes nothing.
	before := ts.count(`SELECT value FROM counters WHERE name = 'feed_seq'`)
	ts.restart()
	if after := ts.count(`SELECT value FROM counters WHERE name = 'feed_seq'`); after != before {
		t.Errorf("a restart with nothing to update wrote the feed (%d -> %d)", before, after)
	}
}
