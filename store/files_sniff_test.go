package store

import (
	"bytes"
	"context"
	"testing"

	"titledesk/model"
)

// TestPutFileSniffsLikeTheServer: the client keeps what the server accepts —
// a PDF whose %PDF- header follows a UTF-8 BOM or other bytes within the
// first 1,024 — and refuses the rest before anything is queued.
func TestPutFileSniffsLikeTheServer(t *testing.T) {
	s := openTest(t)
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"plain PDF", pdf, true},
		{"UTF-8 BOM then PDF", append([]byte("\xEF\xBB\xBF"), pdf...), true},
		{"header at offset 1023", append(bytes.Repeat([]byte{'\n'}, 1023), pdf...), true},
		{"header at offset 1024", append(bytes.Repeat([]byte{'\n'}, 1024), pdf...), false},
		{"HTML", []byte("<html><body>%PDF</body></html>"), false},
	}
	for _, tt := range tests {
		a, err := s.PutFile(context.Background(), "材料.pdf", model.AttachApplicant, tt.data)
		if (err == nil) != tt.ok {
			t.Errorf("%s: PutFile err = %v, want ok %v", tt.name, err, tt.ok)
		}
		if tt.ok && a.ContentType != model.ContentTypePDF {
			t.Errorf("%s: content type %q", tt.name, a.ContentType)
		}
	}
}
