package ui

import (
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// opinionOf is a realistic opinion of n characters (Chinese sentences with
// their punctuation, no spaces).
func opinionOf(n int) string {
	const sentence = "经审核，申报人学历、资历符合申报条件，主要业绩材料齐全，论文与专利证明真实有效，同意推荐。"
	r := []rune(strings.Repeat(sentence, n/len([]rune(sentence))+1))
	return string(r[:n])
}

// BenchmarkOpinionKeystroke is one keystroke (a character typed, then one
// deleted, so the length stays put) at the end of a 2,000-character
// opinion in the review view's 审核意见 entry, with the bundled theme and
// the entry's size in the view at 1366×768: the entry's own work, its
// layout and its OnChanged.
func BenchmarkOpinionKeystroke(b *testing.B) {
	for _, n := range []int{200, 2000} {
		b.Run(strconv.Itoa(n)+"chars", func(b *testing.B) {
			e := opinionBench(b, n)
			c0 := cpuTime()
			for b.Loop() {
				e.TypedRune('意')
				e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(2*b.N), "ms/key")
			b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(2*b.N), "cpu-ms/key")
		})
	}
}

// opinionBench is an opinion entry of n characters in a window on the
// bundled theme, focused, the cursor at the end.
func opinionBench(b *testing.B, n int) *opinionEntry {
	fa := test.NewTempApp(b)
	fa.Settings().SetTheme(deskTheme{})
	w := fa.NewWindow("审核意见")
	e := newOpinionEntry(nil)
	e.SetMinRowsVisible(8)
	saved := 0
	e.OnChanged = func(string) { saved++ } // the view restarts its draft timer here
	w.SetContent(e)
	w.Resize(fyne.NewSize(480, 400))
	e.SetText(opinionOf(n))
	w.Canvas().Focus(e)
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight}) // to the end
	b.Cleanup(w.Close)
	return e
}

// BenchmarkOpinionKeystrokeInView is the same keystroke into the review
// view's own 审核意见 entry, with the whole window laid out around it.
func BenchmarkOpinionKeystrokeInView(b *testing.B) {
	d, _ := loggedInDesk(b)
	d.win.Resize(fyne.NewSize(1366, 768))
	v := review(b, openList(b, d, navSubordinate), 0)
	v.opinion.SetText(opinionOf(2000))
	d.win.Canvas().Focus(v.opinion)
	v.opinion.TypedShortcut(&fyne.ShortcutSelectAll{})
	v.opinion.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	c0 := cpuTime()
	for b.Loop() {
		v.opinion.TypedRune('意')
		v.opinion.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(2*b.N), "ms/key")
	b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(2*b.N), "cpu-ms/key")
}
