package sync

import (
	"context"
	crand "crypto/rand"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"titledesk/model"
	"titledesk/store"
)

// reviewAction is one thing a department reviewer can do to an application.
type reviewAction struct {
	kind    string // pass, reject, withdraw
	app     model.Application
	in      PassInput
	opinion string
}

func (a reviewAction) String() string {
	return fmt.Sprintf("%s %s@v%d (%s)", a.kind, a.app.ID[:8], a.app.Version, a.app.Stage)
}

// testPDF is a small valid-looking PDF with random content, so its hash is new.
func testPDF(tb testing.TB) []byte {
	tb.Helper()
	b := make([]byte, 64)
	crand.Read(b)
	return append([]byte("%PDF-1.4\n% titledesk test attachment "), []byte(fmt.Sprintf("%x\n%%%%EOF\n", b))...)
}

// recommendation is a complete 推荐和公示 form over a six-working-day period.
func recommendation(files []model.Attachment) *model.Recommendation {
	return &model.Recommendation{PublicityStart: "2025-06-03", PublicityEnd: "2025-06-10",
		PublicityMethod: "单位公告栏公示", PublicityPlace: "办公楼一楼", PublicityResult: "公示期内无异议",
		GroupOpinion: "同意推荐", GroupSize: 5, VotesFor: 5, Attachments: files}
}

func appointment() *model.Appointment {
	return &model.Appointment{AppointDate: "2025-07-01", Post: "专业技术岗位", PostLevel: "七级", TermYears: 3, DocumentNo: "津测聘〔2025〕1号"}
}

// passInput fills what the application's queue needs for 通过.
func passInput(app model.Application, opinion string, files []model.Attachment) PassInput {
	in := PassInput{Opinion: opinion}
	switch app.Stage {
	case model.StageOwnUnit:
		in.Recommendation = recommendation(files)
	case model.StageSelfAppoint:
		in.Appointment = appointment()
	}
	return in
}

// possibleActions are the reviews the unit may do on app right now.
func possibleActions(app model.Application, unitID string, files []model.Attachment, tag string) []reviewAction {
	var out []reviewAction
	if app.HolderUnitID == unitID && app.Stage.IsFirstReview() || app.HolderUnitID == unitID && app.Stage.IsSecondReview() {
		out = append(out,
			reviewAction{kind: "pass", app: app, in: passInput(app, "同意。"+tag, files)},
			reviewAction{kind: "reject", app: app, opinion: "材料不全，请补充。" + tag})
	}
	if app.CanWithdraw(unitID) {
		out = append(out, reviewAction{kind: "withdraw", app: app})
	}
	return out
}

func (d *device) run(ctx context.Context, a reviewAction) error {
	switch a.kind {
	case "pass":
		return d.engine.Pass(ctx, a.app.ID, a.app.Version, a.in)
	case "reject":
		return d.engine.Reject(ctx, a.app.ID, a.app.Version, a.opinion)
	case "withdraw":
		return d.engine.Withdraw(ctx, a.app.ID, a.app.Version)
	}
	return fmt.Errorf("unknown action %q", a.kind)
}

// unitID is the logged-in department.
func (d *device) unitID() string {
	id, ok := d.engine.Identity()
	if !ok {
		d.tb.Fatal("not logged in")
	}
	return id.Account.UnitID
}

// apps reads every cached application (the optimistic view) through the
// store, sorted by ID so seeded choices are reproducible.
func (d *device) apps() []model.Application {
	d.tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+d.path+"?mode=ro&_query_only=true")
	if err != nil {
		d.tb.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT id FROM applications ORDER BY id`)
	if err != nil {
		d.tb.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			d.tb.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := make([]model.Application, 0, len(ids))
	err = d.store.Do(context.Background(), func(tx *store.Tx) error {
		for _, id := range ids {
			a, err := tx.Application(id)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		d.tb.Fatal(err)
	}
	return out
}

func (d *device) app(id string) model.Application {
	d.tb.Helper()
	for _, a := range d.apps() {
		if a.ID == id {
			return a
		}
	}
	d.tb.Fatalf("application %s not cached", id)
	return model.Application{}
}

// inQueue lists the cached applications the unit holds in stage.
func (d *device) inQueue(stage model.Stage) []model.Application {
	var out []model.Application
	unit := d.unitID()
	for _, a := range d.apps() {
		if a.HolderUnitID == unit && a.Stage == stage {
			out = append(out, a)
		}
	}
	return out
}

func shuffled[T any](r *rand.Rand, in []T) []T {
	out := append([]T(nil), in...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
