package main

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"strings"
	"testing"

	"titledesk/internal/testcert"
)

// TestServeTLS is issue 8 hole 10 on the server side: `serve --tls-cert
// --tls-key` answers HTTPS with TLS 1.2 and later, refuses TLS 1.1 and a
// plain-HTTP request, and refuses half a flag pair.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	cert, err := testcert.Write(dir, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	base := startServe(t, "--data", t.TempDir(), "--tls-cert", cert.CertFile, "--tls-key", cert.KeyFile)
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("serve with a certificate listens at %s", base)
	}
	client := func(min, max uint16) *http.Client {
		return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: cert.Pool,
			MinVersion: min, MaxVersion: max}}}
	}
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		resp, err := client(v, v).Get(base + "/api/v1/health")
		if err != nil {
			t.Fatalf("%s: %v", tls.VersionName(v), err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.TLS == nil || resp.TLS.Version != v {
			t.Fatalf("%s: %d %+v", tls.VersionName(v), resp.StatusCode, resp.TLS)
		}
	}
	if _, err := client(tls.VersionTLS10, tls.VersionTLS11).Get(base + "/api/v1/health"); err == nil {
		t.Fatal("TLS 1.1 was accepted")
	}
	resp, err := http.Get("http://" + strings.TrimPrefix(base, "https://") + "/api/v1/health")
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Fatal("plain HTTP answered on the TLS port")
		}
	}
	for _, args := range [][]string{{"--tls-cert", cert.CertFile}, {"--tls-key", cert.KeyFile}} {
		err := run(context.Background(), append([]string{"serve", "--data", t.TempDir()}, args...), nil, nil, nil)
		if !errors.Is(err, errUsage) {
			t.Errorf("serve %v: %v, want a usage error", args, err)
		}
	}
}
