package model

import "bytes"

// Attachment content types, recognised by content (SniffAttachment), never by
// a file's name or a client's Content-Type header.
const (
	ContentTypePDF  = "application/pdf"
	ContentTypeJPEG = "image/jpeg"
	ContentTypePNG  = "image/png"
)

// PDFHeaderWindow is how far into a file the %PDF- header may start. PDF
// readers accept a header preceded by other bytes within the first 1,024
// (ISO 32000-2 §7.5.2 and the Acrobat implementation note it codifies);
// scanners and some converters write a UTF-8 byte order mark or a mail
// header first.
const PDFHeaderWindow = 1024

// SniffAttachment names the content type of a file from its first bytes (at
// least the first PDFHeaderWindow+5 when the file is that long): a PDF whose
// %PDF- header starts within the first PDFHeaderWindow bytes, a JPEG
// (FF D8 FF) or a PNG (its 8-byte signature). Anything else is refused. The
// client (before queuing an upload) and the server (before storing one) use
// this one function.
func SniffAttachment(head []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return ContentTypeJPEG, true
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return ContentTypePNG, true
	}
	window := head
	if len(window) > PDFHeaderWindow+len("%PDF-")-1 {
		window = window[:PDFHeaderWindow+len("%PDF-")-1]
	}
	if bytes.Contains(window, []byte("%PDF-")) {
		return ContentTypePDF, true
	}
	return "", false
}

// SniffLength is how many leading bytes SniffAttachment needs to decide.
const SniffLength = PDFHeaderWindow + len("%PDF-") - 1
