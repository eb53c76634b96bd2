package pecheck

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// buildWindows cross-compiles a tiny program (no cgo) with extra ldflags.
func buildWindows(t *testing.T, arch, ldflags string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() { println(\"hi\") }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "hi.exe")
	cmd := exec.Command("go", "build", "-ldflags", ldflags, "-o", out, src)
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH="+arch, "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false")
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return out
}

// TestProblems: what a plain cross-build lacks is each named, and a
// -H=windowsgui link without resources is still refused (no icon, no
// version). The full release build is checked in CI by scripts/build-windows.sh.
func TestProblems(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles")
	}
	cases := []struct {
		name, arch, ldflags string
		want, notWant       []string
	}{
		{"console program", "amd64", "-s -w", []string{"subsystem is 3", "no icon resource", "no version resource", "no manifest"}, []string{"machine", "PE32+"}},
		{"GUI without resources", "amd64", "-s -w -H=windowsgui", []string{"no icon resource", "no version resource"}, []string{"subsystem"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			info, err := Inspect(buildWindows(t, tc.arch, tc.ldflags))
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(info.Problems(Want{Version: "0.1.0.1", ProductName: "TitleDesk"}), "\n")
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("problems lack %q:\n%s", w, got)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("problems hold %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestInspectRefusesNonPE(t *testing.T) {
	exe, err := os.Executable() // this test binary: ELF or Mach-O here
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(exe, ".exe") {
		t.Skip("the test binary is a PE file on Windows")
	}
	if _, err := Inspect(exe); err == nil || !strings.Contains(err.Error(), "not a PE executable") {
		t.Fatalf("Inspect(ELF) = %v, want 'not a PE executable'", err)
	}
}

// versionBlock writes one VS_VERSIONINFO node as resource compilers do.
func versionBlock(key string, typ uint16, value []byte, valueLen int, children ...[]byte) []byte {
	b := make([]byte, 6)
	for _, c := range utf16.Encode([]rune(key + "\x00")) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	b = append(b, value...)
	for _, c := range children {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		b = append(b, c...)
	}
	binary.LittleEndian.PutUint16(b, uint16(len(b)))
	binary.LittleEndian.PutUint16(b[2:], uint16(valueLen))
	binary.LittleEndian.PutUint16(b[4:], typ)
	return b
}

func textValue(s string) ([]byte, int) {
	var b []byte
	u := utf16.Encode([]rune(s + "\x00"))
	for _, c := range u {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b, len(u)
}

func TestParseVersion(t *testing.T) {
	fixed := make([]byte, 52)
	binary.LittleEndian.PutUint32(fixed, fixedSignature)
	binary.LittleEndian.PutUint32(fixed[8:], 0<<16|1)  // 0.1
	binary.LittleEndian.PutUint32(fixed[12:], 0<<16|1) // .0.1
	binary.LittleEndian.PutUint32(fixed[16:], 0<<16|1)
	binary.LittleEndian.PutUint32(fixed[20:], 0<<16|1)
	name, nameLen := textValue("TitleDesk 职称审核")
	ver, verLen := textValue("0.1.0.1")
	strs := versionBlock("StringFileInfo", 1, nil, 0,
		versionBlock("040904B0", 1, nil, 0,
			versionBlock("ProductName", 1, name, nameLen),
			versionBlock("ProductVersion", 1, ver, verLen)))
	root := versionBlock("VS_VERSION_INFO", 0, fixed, len(fixed), strs)

	v, err := parseVersion(root)
	if err != nil {
		t.Fatal(err)
	}
	if Dotted(v.FileVersion) != "0.1.0.1" || v.Strings["ProductName"] != "TitleDesk 职称审核" || v.Strings["ProductVersion"] != "0.1.0.1" {
		t.Fatalf("parsed %+v", v)
	}
	i386 := &Info{Machine: 0x014c, Subsystem: SubsystemGUI, Icons: []string{"32x32"}, Manifest: true, Version: v}
	if p := strings.Join(i386.Problems(Want{}), "\n"); !strings.Contains(p, "machine is 0x014c") || !strings.Contains(p, "not PE32+") {
		t.Fatalf("a 32-bit executable passes: %q", p)
	}
	info := &Info{Machine: 0x8664, PE32Plus: true, Subsystem: SubsystemGUI, Icons: []string{"256x256"}, Manifest: true, Version: v}
	if p := info.Problems(Want{Version: "0.1.0.1", ProductName: "TitleDesk 职称审核"}); len(p) != 0 {
		t.Fatalf("problems %v", p)
	}
	if p := info.Problems(Want{Version: "0.2.0.1", ProductName: "TitleDesk 职称审核"}); !slices.ContainsFunc(p, func(s string) bool { return strings.Contains(s, "want 0.2.0.1") }) {
		t.Fatalf("a wrong version is not reported: %v", p)
	}

	// damaged resources are errors, not panics
	for _, bad := range [][]byte{root[:5], root[:40], append([]byte{0xff, 0xff}, root[2:]...)} {
		if _, err := parseVersion(bad); err == nil {
			t.Errorf("parseVersion(%d damaged bytes) = nil error", len(bad))
		}
	}
	wrongSig := slices.Clone(root)
	copy(wrongSig[40:], []byte{0, 0, 0, 0})
	if _, err := parseVersion(wrongSig); err == nil {
		t.Error("a block without VS_FIXEDFILEINFO's signature parsed")
	}
}
