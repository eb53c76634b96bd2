package memlimit

import (
	"runtime/debug"
	"testing"
)

func TestSet(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
	for _, tc := range []struct {
		name, env string
		want      int64
	}{
		{"default applies", "", 128 << 20},
		{"GOMEMLIMIT wins", "1GiB", old}, // the runtime read GOMEMLIMIT at start; Set leaves it
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetMemoryLimit(old)
			t.Setenv("GOMEMLIMIT", tc.env)
			if got := Set(128 << 20); got != tc.want {
				t.Errorf("Set = %d, want %d", got, tc.want)
			}
			if got := debug.SetMemoryLimit(-1); got != tc.want {
				t.Errorf("limit in force %d, want %d", got, tc.want)
			}
		})
	}
}
