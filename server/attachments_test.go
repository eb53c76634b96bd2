package server

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"titledesk/api"
	"titledesk/model"
)

func TestAttachmentUpload(t *testing.T) {
	const limit = 4 << 10
	ts := newTestServer(t, func(c *Config) { c.MaxAttachment = limit })
	c := ts.login(userEmp1)
	pdf := testPDF(1)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 32)...)
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{1}, 32)...)
	html := []byte("<!DOCTYPE html><html><body>not a pdf</body></html>")
	bomPDF := append([]byte("\xEF\xBB\xBF"), pdf...)
	latePDF := append(bytes.Repeat([]byte{' '}, model.PDFHeaderWindow), pdf...)
	big := append([]byte("%PDF-"), bytes.Repeat([]byte{'x'}, limit)...)
	tests := []struct {
		name   string
		hash   string
		body   []byte
		status int
		code   string
		ctype  string
	}{
		{"pdf", sha(pdf), pdf, 201, "", "application/pdf"},
		{"pdf again is idempotent", sha(pdf), pdf, 200, "", "application/pdf"},
		{"png", sha(png), png, 201, "", "image/png"},
		{"jpeg", sha(jpeg), jpeg, 201, "", "image/jpeg"},
		{"hash mismatch", sha([]byte("other")), pdf, 422, model.CodeAttachmentHash, ""},
		{"html named pdf", sha(html), html, 422, model.CodeAttachmentType, ""},
		{"pdf after a UTF-8 BOM", sha(bomPDF), bomPDF, 201, "", "application/pdf"},
		{"pdf header past the first 1,024 bytes", sha(latePDF), latePDF, 422, model.CodeAttachmentType, ""},
		{"too large", sha(big), big, 413, model.CodeTooLarge, ""},
		{"upper-case hash", strings.ToUpper(sha(pdf)), pdf, 422, model.CodeBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ts.do("PUT", api.Base+"/attachments/"+tt.hash, c.token, bytes.NewReader(tt.body))
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.code != "" {
				if p := problemOf(t, resp); p.Code != tt.code {
					t.Fatalf("code %q, want %q", p.Code, tt.code)
				}
				if f, err := ts.srv.files.open(t.Context(), strings.ToLower(tt.hash)); tt.name != "upper-case hash" && err == nil {
					f.Close()
					t.Fatal("a refused upload left a file")
				}
				return
			}
			resp.Body.Close()
			get := ts.do("GET", api.Base+"/attachments/"+tt.hash, c.token, nil)
			defer get.Body.Close()
			body, _ := io.ReadAll(get.Body)
			if get.StatusCode != 200 || get.Header.Get("Content-Type") != tt.ctype || !bytes.Equal(body, tt.body) {
				t.Fatalf("read back: %d %q %d bytes", get.StatusCode, get.Header.Get("Content-Type"), len(body))
			}
		})
	}
	// No temporary files are left behind.
	files, onDisk := ts.srv.files.(dirFiles)
	if !onDisk {
		return
	}
	entries, _ := os.ReadDir(filepath.Dir(files.path(sha(pdf))))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".upload-") {
			t.Fatalf("temporary file %s left", e.Name())
		}
	}
}

// TestAttachmentAccess: a file is readable by its uploader and by the
// units that can see an application naming it; to everyone else it does
// not exist.
func TestAttachmentAccess(t *testing.T) {
	ts := newTestServer(t)
	v := submitted(t, ts)
	emp := ts.login(userEmp1)
	file := emp.upload(testPDF(9), "公示.pdf", model.AttachPublicity)
	get := func(c *testClient) int {
		resp := ts.do("GET", api.Base+"/attachments/"+file.SHA256, c.token, nil)
		resp.Body.Close()
		return resp.StatusCode
	}
	d1, d2 := ts.login(userDept1), ts.login(userDept2)
	if get(emp) != 200 || get(d1) != 404 {
		t.Fatalf("before use: uploader %d, D1 %d", get(emp), get(d1))
	}
	emp.mustApply(api.CmdApplicationPass, v, api.PassArgs{ApplicationID: fx.A1, Opinion: "同意", Recommendation: validRecommendation(file)})
	if get(d1) != 200 || get(d2) != 404 || get(ts.login(userAppl1)) != 200 || get(ts.login(userAppl3)) != 404 {
		t.Fatal("access after the pass is wrong")
	}
	resp := ts.do("GET", api.Base+"/attachments/not-a-hash", d1.token, nil)
	if p := problemOf(t, resp); p.Status != http.StatusNotFound {
		t.Fatalf("bad hash: %+v", p)
	}
}
