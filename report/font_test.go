package report

import (
	"strings"
	"testing"

	"titledesk/assets"
)

func TestSubsetKeepsGlyphsAndMetrics(t *testing.T) {
	face, err := loadFace()
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune("专业技术人才职称申报审核表 ABC 123，。")
	sub, err := parseTTF(face.ttf.subset(runes, nil))
	if err != nil {
		t.Fatalf("subset does not parse: %v", err)
	}
	// .notdef, one glyph per distinct character, plus the components of
	// composite ideographs (技 = 扌 + 支).
	want := map[int]bool{0: true}
	for _, r := range runes {
		g := int(face.ttf.cmap[r])
		want[g] = true
		components(face.ttf.glyph(g), func(pos int) { want[int(be.Uint16(face.ttf.glyph(g)[pos:]))] = true })
	}
	if sub.numGlyphs != len(want) {
		t.Errorf("subset has %d glyphs, want %d", sub.numGlyphs, len(want))
	}
	for _, r := range runes {
		g, orig := int(sub.cmap[r]), int(face.ttf.cmap[r])
		if g == 0 {
			t.Errorf("%q lost from the subset", r)
			continue
		}
		if sub.advance(g) != face.ttf.advance(orig) {
			t.Errorf("%q: advance %d, want %d", r, sub.advance(g), face.ttf.advance(orig))
		}
		if string(sub.glyph(g)) != string(face.ttf.glyph(orig)) && len(face.ttf.glyph(orig)) > 0 &&
			int16(be.Uint16(face.ttf.glyph(orig))) >= 0 {
			t.Errorf("%q: outline differs", r)
		}
	}
	if sub.cmap['龘'] != 0 {
		t.Error("subset maps a rune it was not asked for")
	}
}

func TestParseTTFRejectsJunk(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("ttcf0000"), assets.FontCJK[:100]} {
		if _, err := parseTTF(data); err == nil {
			t.Errorf("no error for %d bytes of junk", len(data))
		}
	}
}

func TestClean(t *testing.T) {
	face, err := loadFace()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"张伟", "张伟"},
		{"a\tb\r\nc", "a b\nc"},
		{"张\U00020000伟", "张\U00020000伟"}, // Extension B: the rare face
		{"王䶮", "王䶮"},                     // Extension A: the rare face
		{"张😀伟\U00030000", "张□伟□"},        // neither font
		{"零宽\u200b空格", "零宽空格"},
	}
	for _, tt := range tests {
		if got := face.clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	face, err := loadFace()
	if err != nil {
		t.Fatal(err)
	}
	const size = 10
	em := 10 * ptToMM // one ideograph
	tests := []struct {
		name  string
		in    string
		width float64
		want  []string
	}{
		{"fits", "同意推荐", 10 * em, []string{"同意推荐"}},
		{"ideographs break anywhere", "一二三四五六", 4.2 * em, []string{"一二三四", "五六"}},
		{"comma never starts a line", "一二三四，五六", 4.2 * em, []string{"一二三", "四，五六"}},
		{"opening bracket never ends a line", "一二三（四）", 4.2 * em, []string{"一二三", "（四）"}},
		{"latin words stay whole", "审核 DB12/T 1234-2023 标准", 7 * em, []string{"审核 DB12/T", "1234-2023 标准"}},
		{"newline is a hard break", "第一段\n\n第二段", 10 * em, []string{"第一段", "", "第二段"}},
		{"long token is cut", "120101198503121230", 3 * em, nil},
		{"empty", "", 10 * em, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := face.wrap(tt.in, tt.width, size)
			if tt.want != nil && strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("wrap(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if squash(strings.Join(got, "")) != squash(tt.in) {
				t.Errorf("wrap lost text: %q", got)
			}
			for _, l := range got {
				if w := face.width(l, size); w > tt.width+0.001 && len([]rune(l)) > 1 {
					t.Errorf("line %q is %.1f mm wide, limit %.1f", l, w, tt.width)
				}
			}
		})
	}
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 980: "980 B", 1024: "1 KB", 245_760: "240 KB", 1_572_864: "1.5 MB", 3 << 30: "3 GB"} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
}
