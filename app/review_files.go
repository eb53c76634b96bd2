package app

import (
	"context"

	"titledesk/model"
)

// OpenFile opens a printed PDF in the system viewer (App.Viewer).
func (r *Reviews) OpenFile(path string) error { return r.a.Viewer.Open(path) }

// OpenAttachment opens an application's attachment in the system viewer,
// downloading it first if this computer does not hold it yet (REV-2).
func (r *Reviews) OpenAttachment(ctx context.Context, a model.Attachment) error {
	eng, _, err := r.s.current()
	if err != nil {
		return err
	}
	path, err := eng.FetchFile(ctx, a)
	if err != nil {
		return err
	}
	return r.a.Viewer.Open(path)
}

// AddAttachment keeps a file chosen in a pass form locally (type checked by
// content: PDF, JPEG, PNG) until the next sync uploads it (DESIGN §4).
func (r *Reviews) AddAttachment(ctx context.Context, name string, kind model.AttachmentKind, data []byte) (model.Attachment, error) {
	eng, _, err := r.s.current()
	if err != nil {
		return model.Attachment{}, err
	}
	return eng.AddAttachment(ctx, name, kind, data)
}
