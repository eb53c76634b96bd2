package repocheck

import (
	"bufio"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// root is the repository's top directory, from this package's.
const root = "../.."

// textExt are the files read for citations and stray paths.
var textExt = map[string]bool{".go": true, ".md": true, ".sql": true, ".sh": true, ".yaml": true,
	".yml": true, ".toml": true, ".txt": true, ".desktop": true, ".service": true, ".json": true, "": true}

// skipDir are build outputs and data, not sources.
var skipDir = map[string]bool{".git": true, "dist": true, "data": true, "testdata": true, "node_modules": true}

// walkText calls fn with each text file's repository-relative path and content.
func walkText(t *testing.T, fn func(rel string, text string)) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skipDir[d.Name()] && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !textExt[filepath.Ext(path)] || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.IndexByte(string(b[:min(len(b), 8000)]), 0) >= 0 {
			return nil // binary (an extension-less executable)
		}
		rel, _ := filepath.Rel(root, path)
		fn(filepath.ToSlash(rel), string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// requirementID matches a citation: the requirement families of the product.
var requirementID = regexp.MustCompile(`\b(ACC|HOME|REV|UNIT|EXP|MSG|STAT|DC|SRV|BEY|SEC|OPS)-[0-9]+\b`)

// definedID matches a definition line of docs/requirements.md: "- **REV-5** …".
var definedID = regexp.MustCompile(`(?m)^- \*\*([A-Z]+-[0-9]+)\*\* \S`)

func TestEveryCitedRequirementIsDefined(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "docs", "requirements.md"))
	if err != nil {
		t.Fatal(err)
	}
	defined := map[string]bool{}
	for _, m := range definedID.FindAllStringSubmatch(string(b), -1) {
		if defined[m[1]] {
			t.Errorf("docs/requirements.md defines %s twice", m[1])
		}
		defined[m[1]] = true
	}
	if len(defined) < 40 {
		t.Fatalf("docs/requirements.md defines only %d IDs: is its format '- **ID** text'?", len(defined))
	}
	missing := map[string][]string{}
	walkText(t, func(rel, text string) {
		for i, line := range strings.Split(text, "\n") {
			for _, id := range requirementID.FindAllString(line, -1) {
				if !defined[id] {
					missing[id] = append(missing[id], fmt.Sprintf("%s:%d", rel, i+1))
				}
			}
		}
	})
	ids := make([]string, 0, len(missing))
	for id := range missing {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t.Errorf("%s is cited but not defined in docs/requirements.md: %s", id, strings.Join(missing[id], ", "))
	}
}

// The workspace's shared folder, spelled in pieces so that this file does
// not itself read as a pointer to it.
var (
	sharedRelative = ".." + "/" + "shared"
	sharedAbsolute = "/work" + "/" + "shared"
)

// TestNothingPointsOutsideTheRepository: the repository stands on its own;
// no file refers to the workspace's shared folder.
func TestNothingPointsOutsideTheRepository(t *testing.T) {
	walkText(t, func(rel, text string) {
		for i, line := range strings.Split(text, "\n") {
			if strings.Contains(line, sharedRelative) || strings.Contains(line, sharedAbsolute) {
				t.Errorf("%s:%d points outside the repository: %s", rel, i+1, strings.TrimSpace(line))
			}
		}
	})
}

var (
	mdLink     = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	inlineCode = regexp.MustCompile("`[^`]*`")
)

// links lists the link targets of a Markdown text with their line numbers,
// outside fenced code blocks and inline code.
func links(text string) (targets []string, lines []int) {
	fence := false
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fence = !fence
			continue
		}
		if fence {
			continue
		}
		for _, m := range mdLink.FindAllStringSubmatch(inlineCode.ReplaceAllString(line, ""), -1) {
			targets, lines = append(targets, m[1]), append(lines, n)
		}
	}
	return targets, lines
}

// anchors are the heading IDs GitHub gives a Markdown file's headings:
// lower case, punctuation dropped, spaces as hyphens, repeats numbered.
func anchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	fence := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fence = !fence
		}
		if fence || !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(h) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r):
				b.WriteRune(r)
			}
		}
		slug := b.String()
		if n := seen[slug]; n > 0 {
			out[fmt.Sprintf("%s-%d", slug, n)] = true
		} else {
			out[slug] = true
		}
		seen[slug]++
	}
	return out
}

// TestMarkdownLinksResolve: every relative link in README.md and docs/
// names a file of the repository, and every #anchor a heading of it.
func TestMarkdownLinksResolve(t *testing.T) {
	var checked int
	walkText(t, func(rel, text string) {
		if filepath.Ext(rel) != ".md" || !(rel == "README.md" || strings.HasPrefix(rel, "docs/")) {
			return
		}
		targets, lines := links(text)
		for i, target := range targets {
			where := fmt.Sprintf("%s:%d: %s", rel, lines[i], target)
			u, err := url.Parse(target)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			if u.Scheme != "" || strings.HasPrefix(target, "//") {
				continue // an outside address: not ours to check offline
			}
			checked++
			file := filepath.Join(root, filepath.Dir(rel), filepath.FromSlash(u.Path))
			if u.Path == "" {
				file = filepath.Join(root, rel)
			}
			b, err := os.ReadFile(file)
			if err != nil {
				if fi, serr := os.Stat(file); serr == nil && fi.IsDir() && u.Fragment == "" {
					continue
				}
				t.Errorf("%s: no such file", where)
				continue
			}
			if u.Fragment != "" && !anchors(string(b))[u.Fragment] {
				t.Errorf("%s: no heading #%s in %s", where, u.Fragment, filepath.Base(file))
			}
		}
	})
	if checked < 20 {
		t.Fatalf("only %d relative links found: is the link pattern broken?", checked)
	}
}

func TestAnchors(t *testing.T) {
	got := anchors("# 管理员指南\n## 1. 安装（服务器）\n## Run as a service\n## Run as a service\n```\n# not a heading\n```\n")
	for _, want := range []string{"管理员指南", "1-安装服务器", "run-as-a-service", "run-as-a-service-1"} {
		if !got[want] {
			t.Errorf("anchor %q missing from %v", want, got)
		}
	}
	if got["not-a-heading"] {
		t.Error("a line in a code block became a heading")
	}
}
