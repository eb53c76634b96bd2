// Package appmeta reads FyneApp.toml, the one place the desktop app's
// name, ID, version and build number are written: the About box, the
// Windows version resource (fyne package), the .deb and the CI checks
// all take them from there.
package appmeta

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/BurntSushi/toml"
)

// Commit is the source revision, set at link time by the release scripts
// (-ldflags -X titledesk/internal/appmeta.Commit=…); "" falls back to the
// VCS stamp Go writes into the binary, when there is one.
var Commit string

// Meta is FyneApp.toml's [Details] table.
type Meta struct {
	Name    string // shown to people: "TitleDesk 职称审核"
	ID      string // reverse-DNS app ID, also Fyne's preferences key
	Version string // semantic version "x.y.z"
	Build   int    // increases with every release build
	Icon    string // path relative to FyneApp.toml
}

// Parse reads FyneApp.toml's bytes; name, ID and an x.y.z version are required.
func Parse(b []byte) (Meta, error) {
	var f struct{ Details Meta }
	if _, err := toml.Decode(string(b), &f); err != nil {
		return Meta{}, fmt.Errorf("FyneApp.toml: %w", err)
	}
	m := f.Details
	var x, y, z int
	if n, err := fmt.Sscanf(m.Version, "%d.%d.%d", &x, &y, &z); err != nil || n != 3 || fmt.Sprintf("%d.%d.%d", x, y, z) != m.Version {
		return Meta{}, fmt.Errorf("FyneApp.toml: Version %q is not x.y.z", m.Version)
	}
	if m.Name == "" || m.ID == "" || m.Build < 1 {
		return Meta{}, fmt.Errorf("FyneApp.toml: Name, ID and a Build ≥ 1 are required")
	}
	return m, nil
}

// Combined is the four-part version Windows shows, "0.1.0.1" (the same
// as fyne package writes into the version resource).
func (m Meta) Combined() string { return fmt.Sprintf("%s.%d", m.Version, m.Build) }

// Build describes the running binary: its source revision, Go version and
// target, for the About box and bug reports.
type Build struct {
	Commit   string // "" when neither -X nor a VCS stamp says
	Modified bool   // built from a tree with uncommitted changes
	Go       string // "go1.26.8"
	Target   string // "windows/amd64"
}

// Running reads the running binary's build.
func Running() Build {
	b := Build{Commit: Commit, Go: runtime.Version(), Target: runtime.GOOS + "/" + runtime.GOARCH}
	if info, ok := debug.ReadBuildInfo(); ok && b.Commit == "" {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if len(b.Commit) > 12 {
		b.Commit = b.Commit[:12]
	}
	return b
}

// String is "a1b2c3d4e5f6 · go1.26.8 · windows/amd64".
func (b Build) String() string {
	parts := []string{}
	if b.Commit != "" {
		c := b.Commit
		if b.Modified {
			c += "+"
		}
		parts = append(parts, c)
	}
	return strings.Join(append(parts, b.Go, b.Target), " · ")
}
