package model

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTextProblem: every character of each refused kind is refused wherever
// it stands, and ordinary Chinese text, newlines and tabs are not.
func TestTextProblem(t *testing.T) {
	refused := []struct {
		name string
		r    rune
	}{
		{"NUL", 0x00}, {"BEL", 0x07}, {"backspace", 0x08}, {"vertical tab", 0x0B}, {"form feed", 0x0C},
		{"ESC (ANSI escape)", 0x1B}, {"unit separator", 0x1F}, {"DEL", 0x7F},
		{"C1 PAD", 0x80}, {"C1 NEL", 0x85}, {"C1 CSI", 0x9B}, {"C1 APC", 0x9F},
		{"LRE", 0x202A}, {"RLE", 0x202B}, {"PDF", 0x202C}, {"LRO", 0x202D}, {"RLO", 0x202E},
		{"LRI", 0x2066}, {"RLI", 0x2067}, {"FSI", 0x2068}, {"PDI", 0x2069},
		{"inhibit symmetric swapping", 0x206A}, {"nominal digit shapes", 0x206F},
		{"tag begin", 0xE0001}, {"tag latin a", 0xE0061}, {"cancel tag", 0xE007F},
		{"interlinear annotation anchor", 0xFFF9}, {"interlinear annotation terminator", 0xFFFB},
		{"noncharacter FFFE", 0xFFFE}, {"noncharacter FFFF", 0xFFFF}, {"noncharacter FDD0", 0xFDD0},
		{"noncharacter 1FFFF", 0x1FFFF},
	}
	for _, tt := range refused {
		for _, at := range []string{"start", "middle", "end"} {
			t.Run(tt.name+"/"+at, func(t *testing.T) {
				s := map[string]string{"start": string(tt.r) + "材料不全", "middle": "材料" + string(tt.r) + "不全",
					"end": "材料不全" + string(tt.r)}[at]
				if p := TextProblem(s); p == "" {
					t.Fatalf("TextProblem accepted U+%04X", tt.r)
				}
			})
		}
	}
	accepted := []string{"", "学历证书不清晰", "第一行\n第二行", "列\t表", "（一）材料：齐全。",
		"　　首行缩进", "emoji 👩‍👩‍👧 with ZWJ", "阿拉伯文 مرحبا", "罕见字 䶮 𠀀", "Ｆｕｌｌ ｗｉｄｔｈ"}
	for _, s := range accepted {
		if p := TextProblem(s); p != "" {
			t.Errorf("TextProblem(%q) = %q, want accepted", s, p)
		}
	}
	if p := TextProblem("ab\xffcd"); !strings.Contains(p, "第3个字符") {
		t.Errorf("invalid UTF-8: %q", p)
	}
	if p := TextProblem("意见‮反转"); !strings.Contains(p, "第3个字符") || !strings.Contains(p, "U+202E") {
		t.Errorf("message does not name the position and code point: %q", p)
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  学历证书不清晰  ", "学历证书不清晰"},
		{"\u3000\u3000首行\u3000", "首行"},
		{"a\r\nb\rc\u2028d\u2029e", "a\nb\nc\nd\ne"},
		{"学\u200b历\ufeff证\u00ad书\u200e不\u200f清\u2060晰\u061c", "学历证书不清晰"},
		{"no\u00a0break\u202fspaces", "no break spaces"},
		{"（一）材料：齐全。", "（一）材料：齐全。"},                 // full-width punctuation kept
		{"keep\u202econtrol", "keep\u202econtrol"}, // kept so TextProblem can name it
		{"emoji 👩‍👩‍👧", "emoji 👩‍👩‍👧"},
	}
	for _, tt := range tests {
		if got := CleanText(tt.in); got != tt.want {
			t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestNormalizeName: every separator-dot variant and spacing around it is
// one U+00B7; alignment spaces between Chinese characters go; Latin names
// keep one space; full-width letters fold.
func TestNormalizeName(t *testing.T) {
	const want = "买买提·艾力"
	variants := []string{"买买提·艾力", "买买提•艾力", "买买提・艾力", "买买提．艾力", "买买提‧艾力", "买买提⋅艾力",
		"买买提∙艾力", "买买提･艾力", "买买提.艾力", "买买提。艾力", "买买提ꞏ艾力", "买买提⸱艾力", "买买提·艾力",
		"买买提 · 艾力", "买买提　·　艾力", " 买买提··艾力 ", "·买买提·艾力·", "买买提\u200b·艾力", "买买提 • 艾力",
		"买买提．\t艾力"}
	for _, in := range variants {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
		if got := NameSearchKey(in); got != "买买提艾力" {
			t.Errorf("NameSearchKey(%q) = %q", in, got)
		}
	}
	others := []struct{ in, want string }{
		{"张  三", "张三"},
		{"张\u3000三", "张三"},
		{"John  Smith", "John Smith"},
		{"Ｊｏｈｎ Ｓｍｉｔｈ", "John Smith"},
		{"阿卜杜拉·买买提·艾力", "阿卜杜拉·买买提·艾力"},
		{"王䶮", "王䶮"},
		{"", ""},
	}
	for _, tt := range others {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if NameSearchKey("买买提艾力") != NameSearchKey("买买提·艾力") || NameSearchKey("John Smith") != "johnsmith" {
		t.Error("search keys differ")
	}
}

// TestCleanInput: the tags choose the class; refused characters name the
// field by its JSON name; nothing is refused for ordinary input.
func TestCleanInput(t *testing.T) {
	type form struct {
		Applicant Applicant         `json:"applicant"`
		Opinion   string            `json:"opinion"`
		Tags      []string          `json:"tags"`
		Extra     map[string]string `json:"extra"`
		Rec       *Recommendation   `json:"recommendation"`
	}
	f := form{
		Applicant: Applicant{Name: " 买买提 • 艾力 ", IDNumber: "１１０１０５ １９４９１２３１ ００２ｘ", Phone: "+86 138 1234 5678",
			GraduationDate: "２００８－０７－０１"},
		Opinion: "  材料\u200b不全\r\n请补充  ",
		Tags:    []string{" a "},
		Extra:   map[string]string{"k": " v\u200b "},
		Rec:     &Recommendation{PublicityMethod: " 张贴\u00a0公示 "},
	}
	if err := CleanInput(&f); err != nil {
		t.Fatalf("CleanInput: %v", err)
	}
	got := []string{f.Applicant.Name, f.Applicant.IDNumber, f.Applicant.Phone, string(f.Applicant.GraduationDate),
		f.Opinion, f.Tags[0], f.Extra["k"], f.Rec.PublicityMethod}
	want := []string{"买买提·艾力", "11010519491231002X", "13812345678", "2008-07-01", "材料不全\n请补充", "a", "v", "张贴 公示"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d = %q, want %q", i, got[i], want[i])
		}
	}

	bad := form{Opinion: "通过\u202e", Applicant: Applicant{Name: "张\x00三"}, Rec: &Recommendation{GroupOpinion: "\x1b[31m同意"}}
	err := CleanInput(&bad)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindInvalid || e.Code != CodeInvalidCharacters {
		t.Fatalf("CleanInput(bad) = %v", err)
	}
	for _, k := range []string{"opinion", "name", "group_opinion"} {
		if e.Fields[k] == "" {
			t.Errorf("no field message for %s: %v", k, e.Fields)
		}
	}
}

// FuzzNormalizers: every normalizer is idempotent, and what TextProblem
// accepts after CleanText stays accepted.
func FuzzNormalizers(f *testing.F) {
	for _, s := range []string{"买买提 • 艾力", "+86 22 2345 6789", "１１０１０５ １９４９", "\r\n\u2028x", "(+86)(+86)",
		"·.·", "张 三 John", "\u202e", "+86 86 1", "0086 +86 0086 5", "a\xffb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, class := range []string{InputText, InputName, InputIDNumber, InputPhone, InputCode, InputCredit} {
			once := NormalizeInput(class, s)
			if twice := NormalizeInput(class, once); twice != once {
				t.Fatalf("%s: not idempotent: %q → %q → %q", class, s, once, twice)
			}
			if utf8.ValidString(s) && TextProblem(s) == "" && TextProblem(once) != "" {
				t.Fatalf("%s: normalizing %q made it refused: %q", class, s, once)
			}
		}
		if k := NameSearchKey(s); NameSearchKey(NormalizeName(s)) != k {
			t.Fatalf("search key of the normalized name differs for %q", s)
		}
	})
}

func TestSniffAttachment(t *testing.T) {
	pad := func(n int) []byte { return []byte(strings.Repeat(" ", n)) }
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"plain PDF", []byte("%PDF-1.7\n"), ContentTypePDF},
		{"BOM then PDF", append([]byte("\xEF\xBB\xBF"), "%PDF-1.4\n"...), ContentTypePDF},
		{"header at offset 1023 (last allowed)", append(pad(1023), "%PDF-1.4"...), ContentTypePDF},
		{"header at offset 1024", append(pad(1024), "%PDF-1.4"...), ""},
		{"header at offset 1025", append(pad(1025), "%PDF-1.4"...), ""},
		{"%PDF without dash", []byte("%PDF1.4"), ""},
		{"JPEG", []byte{0xFF, 0xD8, 0xFF, 0xE0}, ContentTypeJPEG},
		{"PNG", []byte("\x89PNG\r\n\x1a\n...."), ContentTypePNG},
		{"HTML named pdf", []byte("<html>%PDF"), ""},
		{"empty", nil, ""},
		{"JPEG magic later", append(pad(3), 0xFF, 0xD8, 0xFF), ""},
	}
	for _, tt := range tests {
		got, ok := SniffAttachment(tt.data)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: SniffAttachment = %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}
