package sync

import "testing"

func TestInitialSyncSmoke(t *testing.T) {
	srv := newTestServer(t, 0.1)
	d := newDevice(t, ClientOptions{})
	d.login(srv.URL())
	apps := assertConverged(t, d, srv.URL())
	t.Logf("%d applications, status %+v", len(apps), d.engine.Status())
}
