package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"titledesk/internal/filecopy"
)

// Where caches live. A cache belongs in the local application-data
// directory, not the roaming profile: domain PCs redirect the roaming
// profile (%APPDATA%) to a network share, where SQLite's WAL is unsafe and
// every logon copies the whole cache. Earlier versions used
// os.UserConfigDir, which is that roaming folder on Windows (and
// $XDG_CONFIG_HOME on Linux); MoveLegacy moves such a cache once.

// appDirName is the folder holding every cache.
const appDirName = "TitleDesk"

// osEnv is what the location rules read, so tests can play other systems.
type osEnv struct {
	goos   string
	getenv func(string) string
	home   func() (string, error)
}

func currentEnv() osEnv { return osEnv{runtime.GOOS, os.Getenv, os.UserHomeDir} }

// AppDataDir is TitleDesk's folder in the local application-data
// directory: %LOCALAPPDATA%\TitleDesk on Windows, ~/Library/Application
// Support/TitleDesk on macOS, $XDG_DATA_HOME/TitleDesk (default
// ~/.local/share/TitleDesk) elsewhere. Data, not cache: the outbox holds
// work not yet synced, which a cache cleaner must not delete.
func AppDataDir() (string, error) { return currentEnv().appDataDir() }

func (e osEnv) appDataDir() (string, error) {
	var base string
	switch e.goos {
	case "windows":
		base = e.getenv("LOCALAPPDATA")
		if base == "" {
			return "", errors.New("%LOCALAPPDATA% is not set")
		}
	case "darwin", "ios":
		home, err := e.home()
		if err != nil {
			return "", fmt.Errorf("find home directory: %w", err)
		}
		base = filepath.Join(home, "Library", "Application Support")
	default:
		base = e.getenv("XDG_DATA_HOME")
		if base == "" || !filepath.IsAbs(base) {
			home, err := e.home()
			if err != nil {
				return "", fmt.Errorf("find home directory: %w", err)
			}
			base = filepath.Join(home, ".local", "share")
		}
	}
	return filepath.Join(base, appDirName), nil
}

// legacyDir is where earlier versions kept caches: os.UserConfigDir's
// rules (roaming %APPDATA% on Windows, $XDG_CONFIG_HOME or ~/.config on
// Linux; on macOS the same folder as now).
func (e osEnv) legacyDir() (string, error) {
	var base string
	switch e.goos {
	case "windows":
		base = e.getenv("APPDATA")
		if base == "" {
			return "", errors.New("%APPDATA% is not set")
		}
	case "darwin", "ios":
		home, err := e.home()
		if err != nil {
			return "", err
		}
		base = filepath.Join(home, "Library", "Application Support")
	default:
		base = e.getenv("XDG_CONFIG_HOME")
		if base == "" || !filepath.IsAbs(base) {
			home, err := e.home()
			if err != nil {
				return "", err
			}
			base = filepath.Join(home, ".config")
		}
	}
	return filepath.Join(base, appDirName), nil
}

// MoveLegacy moves the cache an earlier version kept for the cache at path
// (same file name, in the roaming folder) to path, once: the database and
// its -wal are copied under temporary names, flushed and renamed into
// place, the database last, then the old files are removed. A move cut
// short is redone at the next start; if both exist, the old copy is a
// leftover of a finished move and is removed. Nothing happens when there
// is no old cache or the folders are the same.
func MoveLegacy(path string) error { return currentEnv().moveLegacy(path) }

func (e osEnv) moveLegacy(path string) error {
	dir, err := e.legacyDir()
	if err != nil {
		return nil // no roaming folder: nothing to move
	}
	old := filepath.Join(dir, filepath.Base(path))
	if samePath(old, path) || !exists(old) {
		return nil
	}
	if !exists(path) {
		if err := copyCache(old, path); err != nil {
			return fmt.Errorf("move cache from %s: %w", dir, err)
		}
	}
	return removeCache(old)
}

// cacheParts are the files of a cache at path, the database last.
func cacheParts(path string) []string {
	return []string{filesDirOf(path), path + "-wal", path}
}

func filesDirOf(path string) string {
	return path[:len(path)-len(filepath.Ext(path))] + "-files"
}

func copyCache(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return err
	}
	src, dst := cacheParts(from), cacheParts(to)
	for i := range src {
		if !exists(src[i]) {
			continue
		}
		if err := copyTree(src[i], dst[i]); err != nil {
			return err
		}
	}
	return nil
}

// copyTree copies a file or a directory (recursively) to a temporary name
// beside dst, then renames it into place.
func copyTree(src, dst string) error {
	tmp := dst + ".moving"
	os.RemoveAll(tmp)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(tmp, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		return filecopy.Copy(p, target)
	})
	if err != nil {
		os.RemoveAll(tmp)
		return err
	}
	os.RemoveAll(dst) // a directory left by an interrupted move
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dst))
}

// Files are the files of the cache at path: the database, its -wal and
// -shm, and the folder of held files.
func Files(path string) []string {
	return []string{path, path + "-wal", path + "-shm", filesDirOf(path)}
}

// Remove deletes the (closed) cache at path: every one of its Files.
func Remove(path string) error { return removeCache(path) }

func removeCache(path string) error {
	var errs []error
	for _, p := range Files(path) {
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func samePath(a, b string) bool {
	a, errA := filepath.Abs(a)
	b, errB := filepath.Abs(b)
	return errA == nil && errB == nil && a == b
}
