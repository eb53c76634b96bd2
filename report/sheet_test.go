package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func sheetPDF(t *testing.T, in SheetInput) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSheet(&buf, in); err != nil {
		t.Fatalf("WriteSheet: %v", err)
	}
	return buf.Bytes()
}

func TestSheetContent(t *testing.T) {
	requirePoppler(t)
	for name, in := range map[string]SheetInput{"panel": panelFixture(), "appointment": appointFixture()} {
		t.Run(name, func(t *testing.T) {
			path := savePDF(t, sheetPDF(t, in))
			n := pageCount(t, path)
			all := squash(text(t, path, 0))
			app, p := in.Application, in.Applicant
			want := []string{
				SheetTitle, "2026年度", p.Name, p.IDNumber, app.ID, in.UnitName, app.TitleName,
				app.Series.Label(), app.Level.Label(), app.Method.Label(), app.Stage.Label(),
				squash(app.Achievements), "办理单位", "单位意见", "主管部门意见", "（盖章）", "负责人签字：",
				"年　　月　　日", squash(fixedNowText),
			}
			for _, st := range app.Flow {
				want = append(want, st.Person, st.Action.Label(), squash(st.Opinion))
			}
			if r := app.Recommendation; r != nil {
				want = append(want, string(r.PublicityStart)+"至"+string(r.PublicityEnd),
					r.PublicityPlace, r.GroupOpinion, "赞成6，反对0，弃权1")
			}
			if a := app.Appointment; a != nil {
				want = append(want, a.DocumentNo, a.Post, a.PostLevel, "3年")
			}
			for _, at := range app.Attachments {
				want = append(want, at.Name, at.Kind.Label(), shortHash(at.SHA256), squash(humanSize(at.Size)))
			}
			for _, w := range want {
				if !strings.Contains(all, squash(w)) {
					t.Errorf("text lacks %q", w)
				}
			}
			for page := 1; page <= n; page++ {
				if got, w := squash(text(t, path, page)), squash(pageOf(page, n)); !strings.Contains(got, w) {
					t.Errorf("page %d lacks %q", page, w)
				}
			}
			if strings.ContainsRune(all, replacementRune) {
				t.Error("a character of the fixture has no glyph")
			}
			fontsEmbedded(t, path)
			if r := inkRatio(t, path); r < 0.02 {
				t.Errorf("page 1 looks blank: %.4f of pixels inked", r)
			}
		})
	}
}

func TestSheetPublicityAndFooter(t *testing.T) {
	requirePoppler(t)
	path := savePDF(t, sheetPDF(t, panelFixture()))
	n := pageCount(t, path)
	first := text(t, path, 1)
	for _, w := range []string{"第 1 页 共 " + fmt.Sprint(n) + " 页", fixedNowText} {
		if !strings.Contains(first, w) {
			t.Errorf("page 1 lacks %q:\n%s", w, first)
		}
	}
	all := text(t, path, 0)
	for _, d := range []string{"2026-09-22", "2026-09-28"} {
		if !strings.Contains(all, d) {
			t.Errorf("publicity date %s missing", d)
		}
	}
}

// TestLongFlowPaginates: 30 steps of 2,000-character opinions wrap inside
// their cells, continue over many pages, and every page of the flow repeats
// the table header.
func TestLongFlowPaginates(t *testing.T) {
	requirePoppler(t)
	in := longFlowFixture(2000)
	path := savePDF(t, sheetPDF(t, in))
	n := pageCount(t, path)
	if n < 2 {
		t.Fatalf("pages = %d, want more than 1", n)
	}
	pages := make([]string, n+1)
	firstFlow, lastFlow := 0, 0
	for p := 1; p <= n; p++ {
		pages[p] = squash(text(t, path, p))
		if firstFlow == 0 && strings.Contains(pages[p], "经办流程") {
			firstFlow = p
		}
		if strings.Contains(pages[p], "（第30条意见完）") {
			lastFlow = p
		}
		if w := squash(pageOf(p, n)); !strings.Contains(pages[p], w) {
			t.Errorf("page %d lacks %q", p, w)
		}
	}
	if firstFlow == 0 || lastFlow <= firstFlow {
		t.Fatalf("flow pages %d..%d", firstFlow, lastFlow)
	}
	for p := firstFlow; p <= lastFlow; p++ {
		if !strings.Contains(pages[p], "办理单位") {
			t.Errorf("page %d of the flow does not repeat the table header", p)
		}
	}
	// Every wrapped line of every opinion is printed, in order.
	face, err := loadFace()
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(pages, "")
	pos := 0
	for _, st := range in.Application.Flow {
		for _, line := range face.wrap(face.clean(st.Opinion), flowCols[flowOpinionCol].w-2*padX, sheetSmallSize) {
			i := strings.Index(all[pos:], squash(line))
			if i < 0 {
				t.Fatalf("step %d: line %q missing or out of order", st.Seq, line)
			}
			pos += i + len(squash(line))
		}
	}
}

func TestBatchStartsEachSheetOnNewPage(t *testing.T) {
	requirePoppler(t)
	long := longFlowFixture(300)
	inputs := []SheetInput{panelFixture(), appointFixture(), long}
	var want []int
	for _, in := range inputs {
		want = append(want, pageCount(t, savePDF(t, sheetPDF(t, in))))
	}
	var buf bytes.Buffer
	var calls []int
	err := WriteBatch(context.Background(), &buf, inputs, func(done, total int) {
		if total != len(inputs) {
			t.Errorf("progress total = %d", total)
		}
		calls = append(calls, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(calls) != "[1 2 3]" {
		t.Errorf("progress calls = %v", calls)
	}
	path := savePDF(t, buf.Bytes())
	sum := 0
	for _, n := range want {
		sum += n
	}
	if got := pageCount(t, path); got != sum {
		t.Fatalf("batch has %d pages, sheets alone have %v", got, want)
	}
	start := 1
	for i, in := range inputs {
		first := text(t, path, start)
		if !strings.Contains(first, SheetTitle) || !strings.Contains(first, in.Applicant.Name) {
			t.Errorf("sheet %d: page %d is not its first page:\n%s", i+1, start, first)
		}
		for p := 1; p <= want[i]; p++ {
			if w := pageOf(p, want[i]); !strings.Contains(text(t, path, start+p-1), w) {
				t.Errorf("sheet %d: document page %d lacks %q", i+1, start+p-1, w)
			}
		}
		start += want[i]
	}
}

func TestBatchCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	inputs := []SheetInput{panelFixture(), appointFixture(), panelFixture()}
	var buf bytes.Buffer
	err := WriteBatch(ctx, &buf, inputs, func(done, _ int) {
		if done == 1 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if buf.Len() != 0 {
		t.Errorf("a cancelled batch wrote %d bytes", buf.Len())
	}
}

func TestBatchEmpty(t *testing.T) {
	if err := WriteBatch(context.Background(), &bytes.Buffer{}, nil, nil); err == nil {
		t.Fatal("no error for an empty batch")
	}
}

func TestSheetDeterministic(t *testing.T) {
	a, b := sheetPDF(t, panelFixture()), sheetPDF(t, panelFixture())
	if !bytes.Equal(a, b) {
		t.Fatal("the same input gave different PDFs")
	}
}

func TestSheetMissingGlyphs(t *testing.T) {
	requirePoppler(t)
	in := panelFixture()
	in.Applicant.Name = "张\U00030000伟\t" // a CJK Extension G character neither font has
	path := savePDF(t, sheetPDF(t, in))
	if all := text(t, path, 0); !strings.Contains(all, "张□伟") {
		t.Errorf("missing glyph not replaced by □")
	}
}
