package demo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"titledesk/model"
)

// minimalPDF returns a small valid one-page PDF that shows text (ASCII only:
// the demo files must open in any viewer without embedding a font).
func minimalPDF(lines ...string) []byte {
	var content bytes.Buffer
	content.WriteString("BT /F1 14 Tf 72 760 Td 18 TL\n")
	for _, l := range lines {
		fmt.Fprintf(&content, "(%s) '\n", l)
	}
	content.WriteString("ET\n")
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

func fileSeed(name string, kind model.AttachmentKind, data []byte) FileSeed {
	sum := sha256.Sum256(data)
	return FileSeed{
		Attachment: model.Attachment{SHA256: hex.EncodeToString(sum[:]), Name: name, Kind: kind,
			Size: int64(len(data)), ContentType: "application/pdf"},
		Data: data,
	}
}

// demoFiles are the few attachments every seeded recommendation shares; being
// content-addressed, thousands of applications can name the same bytes.
func demoFiles() (publicity, postStatus, appointment FileSeed) {
	publicity = fileSeed("公示结果.pdf", model.AttachPublicity,
		minimalPDF("TitleDesk demo attachment", "Publicity result (gong shi jie guo)", "No objection during the publicity period."))
	postStatus = fileSeed("事业单位岗位情况表.pdf", model.AttachPostStatusForm,
		minimalPDF("TitleDesk demo attachment", "Post status form of a public institution", "(shi ye dan wei gang wei qing kuang biao)"))
	appointment = fileSeed("聘任文件.pdf", model.AttachAppointment,
		minimalPDF("TitleDesk demo attachment", "Appointment document (pin ren wen jian)"))
	return
}
