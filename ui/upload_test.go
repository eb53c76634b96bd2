package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"titledesk/model"
)

// TestUploadAcceptsWhatPDFReadersAccept (item 9): a PDF with bytes before
// its %PDF- header (a scanner's UTF-8 BOM, a mail gateway's blank line) is
// attached in the 单位推荐和公示 form, the pass goes through, and the server
// takes the file at the sync; a file that is not a PDF, JPG or PNG is
// refused with the Chinese message and not attached.
func TestUploadAcceptsWhatPDFReadersAccept(t *testing.T) {
	d, f := loggedInDesk(t)
	l := openList(t, d, navOwnUnit)
	v := review(t, l, 0)
	id := v.item.ID
	test.Tap(v.buttons["pass"])
	pf := v.form
	fillRecommendation(pf, "2026-03-06")
	bom := append([]byte("\xef\xbb\xbf"), pdf...)
	pf.files.add("扫描件.pdf", model.AttachPublicity, bom)
	pf.files.add("说明.txt", model.AttachOther, []byte("not a PDF at all"))
	if len(pf.files.files) != 1 || !strings.Contains(pf.files.err.Text, "不是 PDF、JPG 或 PNG") {
		t.Fatalf("attached %d, message %q", len(pf.files.files), pf.files.err.Text)
	}
	pf.files.add("岗位情况表.pdf", model.AttachPostStatusForm, append([]byte("\r\n"), pdf...))
	test.Tap(pf.submit)
	if pf.fields.message.Visible() || v.item.ID == id {
		t.Fatalf("the pass with a BOM-led PDF was refused: %q %q", pf.fields.message.Text, pf.files.err.Text)
	}
	test.Tap(d.main.status.syncNow)
	if d.main.status.pending.Text != "待同步 0 条" || d.main.status.conflicts.Text != "同步冲突 0" {
		t.Fatalf("after sync: %q %q", d.main.status.pending.Text, d.main.status.conflicts.Text)
	}
	if a := serverCopy(t, f, id); a.Recommendation == nil || len(a.Recommendation.Attachments) != 2 {
		t.Fatalf("server: %+v", a.Recommendation)
	}
}
