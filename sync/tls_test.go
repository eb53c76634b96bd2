package sync

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"titledesk/internal/testcert"
	"titledesk/server"
	"titledesk/server/demo"
)

// TestSyncOverHTTPS is issue 8 hole 10's client half: the server serves
// HTTPS (TLS 1.2+) with a generated certificate, and the sync engine logs in
// and pulls the demo department's whole feed over it, trusting that
// certificate through ClientOptions.RootCAs — and refuses the same server
// without it.
func TestSyncOverHTTPS(t *testing.T) {
	cert, err := testcert.Write(t.TempDir(), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.LoadX509KeyPair(cert.CertFile, cert.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "server")
	copyDir(t, templateDir(t, 0.1), dir)
	srv, err := server.Open(context.Background(), serverConfig(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewUnstartedServer(srv.Handler())
	hs.TLS = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{pair}}
	hs.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below is expected
	hs.StartTLS()
	defer hs.Close()

	untrusting := newDevice(t, ClientOptions{})
	if err := untrusting.engine.Login(context.Background(), hs.URL, demo.DemoUsername, demo.DemoPassword); err == nil {
		t.Fatal("logged in over a certificate nobody vouches for")
	}
	d := newDevice(t, ClientOptions{RootCAs: cert.Pool})
	d.login(hs.URL) // logs in and pulls everything
	if len(d.apps()) == 0 {
		t.Fatal("nothing was pulled over HTTPS")
	}
	if st := d.engine.Status(); !st.Online || st.LastError != "" {
		t.Fatalf("status after the sync: %+v", st)
	}
}
