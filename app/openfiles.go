package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"

	"titledesk/store"
)

// openFiles is the private folder of plaintext copies handed to the
// system viewer: attachments decrypted from the cache (REV-2) and printed
// review sheets and lists (DC-4). The cache itself holds nothing readable
// (SEC-4), so these copies are the only plaintext the app writes: each
// session keeps them in a folder of its own (0700) under the local
// application-data directory, and removes it at logout and exit (Close);
// a folder left by a crash is removed at the next start.
type openFiles struct {
	root string // parent of every session's folder

	mu  gosync.Mutex
	dir string // this session's folder, made on first use
}

// newOpenFiles uses root (made if needed) and removes what a previous run
// left in it.
func newOpenFiles(root string) *openFiles {
	o := &openFiles{root: root}
	if entries, err := os.ReadDir(root); err == nil {
		for _, e := range entries {
			os.RemoveAll(filepath.Join(root, e.Name()))
		}
	}
	return o
}

// openFilesRoot is where the open-files folders go: beside the caches.
func openFilesRoot(cacheDir string) string {
	if cacheDir == "" {
		dir, err := store.AppDataDir()
		if err != nil {
			return filepath.Join(os.TempDir(), "TitleDesk-"+currentUser(), "open")
		}
		cacheDir = dir
	}
	return filepath.Join(cacheDir, "open")
}

// path is a new, unused path for a file called name in this session's
// folder: name's base, cleaned of what a file system refuses, with ext
// (".pdf", ".jpg", ".png") when name does not already end in it — the
// system viewer picks the program by extension. Each file gets a
// sub-folder of its own, so two attachments called 扫描件.pdf do not clash.
func (o *openFiles) path(name, ext string) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.dir == "" {
		if err := os.MkdirAll(o.root, 0o700); err != nil {
			return "", fmt.Errorf("open files: %w", err)
		}
		dir, err := os.MkdirTemp(o.root, "s")
		if err != nil {
			return "", fmt.Errorf("open files: %w", err)
		}
		o.dir = dir
	}
	sub, err := os.MkdirTemp(o.dir, "f")
	if err != nil {
		return "", fmt.Errorf("open files: %w", err)
	}
	return filepath.Join(sub, fileName(name, ext)), nil
}

// write puts data in a new file called name (see path) readable only by
// this user and returns its path.
func (o *openFiles) write(name, ext string, data []byte) (string, error) {
	p, err := o.path(name, ext)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		return "", fmt.Errorf("open files: %w", err)
	}
	return p, nil
}

// clear removes this session's folder and everything in it. A file a
// viewer still holds open on Windows cannot be removed now; the next
// start removes it.
func (o *openFiles) clear() error {
	o.mu.Lock()
	dir := o.dir
	o.dir = ""
	o.mu.Unlock()
	if dir == "" {
		return nil
	}
	return os.RemoveAll(dir)
}

// fileName is name made safe on every system (SafeFileName) with the
// extension ext unless it already has it (compared case-insensitively;
// ".jpeg" counts as ".jpg").
func fileName(name, ext string) string {
	if ext != "" && !hasExtension(name, ext) {
		name += ext
	}
	return SafeFileName(name)
}

// hasExtension reports whether name ends in ext (".jpeg" counts as ".jpg").
func hasExtension(name, ext string) bool {
	have := strings.ToLower(filepath.Ext(name))
	return have == ext || (ext == ".jpg" && have == ".jpeg")
}

// extensionOf is the file extension for a content type the cache accepts.
func extensionOf(contentType string) string {
	switch contentType {
	case "application/pdf":
		return ".pdf"
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	}
	return ""
}
