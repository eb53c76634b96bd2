package applog

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Rotation limits: a log never holds more than MaxFileMB, and the folder
// keeps the current file plus Backups older ones (at most ~30 MB), none
// older than MaxAgeDays.
const (
	MaxFileMB  = 5
	Backups    = 5
	MaxAgeDays = 90
)

// File is a rotating log file.
type File struct {
	Path string
	lj   *lumberjack.Logger
}

// OpenFile prepares dir/name (created 0700/0600: logs are the user's
// only). Rotation renames the full file to name-<time>.log beside it.
func OpenFile(dir, name string) (*File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("log folder: %w", err)
	}
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("log file: %w", err)
	}
	f.Close()
	return &File{Path: path, lj: &lumberjack.Logger{
		Filename: path, MaxSize: MaxFileMB, MaxBackups: Backups, MaxAge: MaxAgeDays, LocalTime: true,
	}}, nil
}

func (f *File) Write(p []byte) (int, error) { return f.lj.Write(p) }

// Rotate closes the current file and starts a new one now.
func (f *File) Rotate() error { return f.lj.Rotate() }

// Close closes the file (a later write opens it again).
func (f *File) Close() error { return f.lj.Close() }

// New is a text logger (one line per record) through Redact to w.
func New(w io.Writer, level slog.Leveler) *slog.Logger {
	return slog.New(Redact(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})))
}

// NewJSON is New with JSON lines (the server: for log collectors).
func NewJSON(w io.Writer, level slog.Leveler) *slog.Logger {
	return slog.New(Redact(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})))
}
