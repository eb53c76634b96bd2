//go:build linux && cgo

package clocale

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestChildEnv is the child of TestConstructorEnvironment: it prints what
// the Go runtime read as its environment.
func TestChildEnv(t *testing.T) {
	if os.Getenv("CLOCALE_CHILD") == "" {
		t.Skip("child of TestConstructorEnvironment")
	}
	for _, k := range []string{"LANGUAGE", "LANG", "LC_ALL", "LC_MESSAGES"} {
		v, ok := os.LookupEnv(k)
		if !ok {
			v = "<unset>"
		}
		os.Stdout.WriteString(k + "=" + v + "\n")
	}
}

// The constructor runs in this test binary too: start it under each kind
// of locale and check what the Go runtime then sees.
func TestConstructorEnvironment(t *testing.T) {
	for _, tc := range []struct {
		env      []string
		language string // LANGUAGE as Go sees it
	}{
		{[]string{"LANG=C.UTF-8"}, "C"},
		{[]string{"LANG=C.utf8"}, "C"},
		{[]string{"LANG=POSIX.UTF-8"}, "C"},
		{[]string{"LANG=C@euro"}, "C"},
		{[]string{"LC_ALL=C.UTF-8", "LANG=zh_CN.UTF-8"}, "C"},
		{[]string{"LC_MESSAGES=C.UTF-8", "LANG=zh_CN.UTF-8"}, "C"},
		{[]string{"LANG=C.UTF-8", "LANGUAGE=zh_CN:en"}, "zh_CN:en"}, // understood already
		{[]string{"LANG=C"}, "<unset>"},
		{[]string{"LANG=POSIX"}, "<unset>"},
		{[]string{"LANG=zh_CN.UTF-8"}, "<unset>"},
		{[]string{"LC_ALL=zh_CN.UTF-8", "LANG=C.UTF-8"}, "<unset>"}, // LC_ALL decides
		{[]string{"LANG=Cy_GB.UTF-8"}, "<unset>"},
		{nil, "<unset>"},
	} {
		t.Run(strings.Join(tc.env, " "), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestChildEnv$", "-test.count=1")
			cmd.Env = append([]string{"CLOCALE_CHILD=1", "PATH=" + os.Getenv("PATH")}, tc.env...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			got := string(out)
			if !strings.Contains(got, "LANGUAGE="+tc.language+"\n") {
				t.Errorf("want LANGUAGE=%s, child saw:\n%s", tc.language, got)
			}
			for _, kv := range tc.env { // the locale itself is never changed
				if !strings.HasPrefix(kv, "LANGUAGE=") && !strings.Contains(got, kv+"\n") {
					t.Errorf("%s changed; child saw:\n%s", kv, got)
				}
			}
		})
	}
}
