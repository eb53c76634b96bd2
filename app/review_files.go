package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"titledesk/model"
	"titledesk/store"
)

// OpenFile opens a printed PDF in the system viewer (App.Viewer).
func (r *Reviews) OpenFile(path string) error { return r.a.Viewer.Open(path) }

// OpenAttachment opens an application's attachment in the system viewer
// (REV-2), downloading it first if this computer does not hold it yet. The
// cache keeps it sealed; the viewer gets a plaintext copy in the session's
// private folder, named as the file was called with the extension of its
// type (the viewer picks the program by it), removed at logout and exit.
// It returns the copy's path.
func (r *Reviews) OpenAttachment(ctx context.Context, a model.Attachment) (string, error) {
	eng, st, err := r.s.current()
	if err != nil {
		return "", err
	}
	if err := eng.FetchFile(ctx, a); err != nil {
		return "", err
	}
	data, err := st.FileData(ctx, a.SHA256)
	if err != nil {
		return "", err
	}
	// The server checked the type by content at upload (DESIGN §4).
	path, err := r.s.opened.write(a.Name, extensionOf(a.ContentType), data)
	if err != nil {
		return "", err
	}
	return path, r.a.Viewer.Open(path)
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

// ReadUpload reads a file the person chose to attach. A file over the
// attachment limit is refused before it is read whole; AddAttachment
// checks the type by content.
func (r *Reviews) ReadUpload(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &model.Error{Kind: model.KindInvalid, Code: model.CodeValidation, Title: "文件无法读取",
			Detail: fmt.Sprintf("无法读取文件“%s”，请确认文件存在且未被其他程序占用", filepath.Base(path))}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, store.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if len(data) > store.MaxFileSize {
		return nil, &model.Error{Kind: model.KindTooLarge, Code: model.CodeTooLarge, Title: "文件过大",
			Detail: fmt.Sprintf("文件“%s”超过 %d MB，请压缩后再上传", filepath.Base(path), store.MaxFileSize>>20)}
	}
	return data, nil
}
