// Package filecopy copies a file durably and privately: the copy is
// readable by its owner only (it may hold personal data) and is on disk
// when Copy returns. The server (restoring a backup) and the client cache
// (moving a cache out of the roaming profile) both use it.
package filecopy

import (
	"io"
	"os"
)

// Copy copies the file from to the file to (created or truncated, mode
// 0600) and flushes it to disk.
func Copy(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
