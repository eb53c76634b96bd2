package server

import (
	"fmt"
	"testing"
	"time"

	"titledesk/api"
	"titledesk/model"
)

// BenchmarkPushPass pushes batches of 500 application.pass commands — the
// command a department sends most — against applications waiting in D1's
// 下级单位人员审核; each moves to 待呈报人员审核 with its feed fan-out.
func BenchmarkPushPass(b *testing.B) {
	const perPush = api.MaxCommandsPerPush
	w := fixtureWorld()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	n := perPush * (b.N + 1)
	ids := make([]string, 0, n)
	for i := 0; i < n; i++ {
		pid, aid := uid(100000+i), uid(200000+i)
		w.Applicants = append(w.Applicants, model.Applicant{ID: pid, UnitID: fx.E2, Name: fmt.Sprintf("申报人%d", i),
			IDNumber: model.MakeIDNumber("12", "1990-01-15", i%1000, i%2 == 0), Version: 1, UpdatedAt: now})
		w.Applications = append(w.Applications, model.Application{ID: aid, ApplicantID: pid, UnitID: fx.E2, Year: 2026,
			Series: "engineering", Level: model.LevelIntermediate, Method: model.MethodPanelReview,
			Stage: model.StageSubordinate, HolderUnitID: fx.D1, Version: 3, UpdatedAt: now})
		ids = append(ids, aid)
	}
	ts := newTestServerWorld(b, w)
	c := ts.login(userDept1)
	b.ResetTimer()
	start, done := time.Now(), 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cmds := make([]api.Command, perPush)
		for j := range cmds {
			cmds[j] = c.command(api.CmdApplicationPass, 3, api.PassArgs{ApplicationID: ids[done+j], Opinion: "同意"})
		}
		b.StartTimer()
		for j, r := range c.push(cmds...) {
			if r.Status != api.StatusApplied {
				b.Fatalf("command %d: %s %+v", j, r.Status, r.Problem)
			}
		}
		done += perPush
	}
	b.ReportMetric(float64(done)/time.Since(start).Seconds(), "commands/s")
}
