package server

import (
	"testing"
	"time"

	"titledesk/api"
)

// BenchmarkPushPass pushes batches of 500 application.pass commands — the
// command a department sends most — against applications waiting in D1's
// 下级单位人员审核; each moves to 待呈报人员审核 with its feed fan-out.
func BenchmarkPushPass(b *testing.B) {
	const perPush = api.MaxCommandsPerPush
	w, ids := passWorld(perPush * (b.N + 1))
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
