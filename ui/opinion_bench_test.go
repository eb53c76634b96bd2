package ui

import (
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// opinionOf is a realistic opinion of n characters (Chinese sentences with
// their punctuation, no spaces).
func opinionOf(n int) string {
	const sentence = "经审核，申报人学历、资历符合申报条件，主要业绩材料齐全，论文与专利证明真实有效，同意推荐。"
	r := []rune(strings.Repeat(sentence, n/len([]rune(sentence))+1))
	return string(r[:n])
}

// textBox is what the benchmarks type into: the 审核意见 box, or Fyne's
// multi-line Entry with word wrap (what the box was before, kept as the
// reference the figures compare against).
type textBox interface {
	fyne.Focusable
	fyne.Shortcutable
	fyne.CanvasObject
	SetText(string)
}

func fyneEntry() textBox {
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(8)
	return e
}

func ourEntry() textBox {
	e := newOpinionEntry(nil)
	e.SetMinRowsVisible(8)
	return e
}

var boxes = []struct {
	name string
	make func() textBox
}{{"fyne-entry", fyneEntry}, {"opinion-entry", ourEntry}}

// opinionBench is box in a window on the bundled theme, 480×400 (the box's
// size in the review view at 1366×768), holding n characters, focused, the
// cursor at the end.
func opinionBench(b *testing.B, box textBox, n int) fyne.Window {
	fa := test.NewTempApp(b)
	fa.Settings().SetTheme(deskTheme{})
	w := fa.NewWindow("审核意见")
	w.SetContent(box)
	w.Resize(fyne.NewSize(480, 400))
	w.Canvas().Focus(box)
	box.SetText(opinionOf(n))
	box.TypedShortcut(&fyne.ShortcutSelectAll{})
	box.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight}) // to the end
	if e, ok := box.(*widget.Entry); (ok && len([]rune(e.Text)) != n) || (!ok && len(box.(*opinionEntry).runes) != n) {
		b.Fatal("the box does not hold the opinion")
	}
	b.Cleanup(w.Close)
	return w
}

// BenchmarkOpinionKeystroke is one keystroke (a character typed, then one
// deleted, so the length stays put) at the end of a 2,000-character opinion
// (and 200) with the bundled theme: the box's own work, wrapping and layout
// (text measurement is real on the test driver). "painted" adds the next
// frame drawn by the test canvas's software painter after each key, which
// rasterizes every visible row's text anew (a GL window keeps each row's
// texture until its text changes), so it shows an upper bound.
func BenchmarkOpinionKeystroke(b *testing.B) {
	for _, box := range boxes {
		for _, c := range []struct {
			n     int
			paint bool
		}{{200, false}, {2000, false}, {2000, true}} {
			name := box.name + "/" + strconv.Itoa(c.n) + "chars"
			if c.paint {
				name += "-painted"
			}
			b.Run(name, func(b *testing.B) {
				e := box.make()
				w := opinionBench(b, e, c.n)
				frame := func() {
					if c.paint {
						w.Canvas().Capture()
					}
				}
				c0 := cpuTime()
				for b.Loop() {
					e.TypedRune('意')
					frame()
					e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
					frame()
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(2*b.N), "ms/key")
				b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(2*b.N), "cpu-ms/key")
			})
		}
	}
}

// BenchmarkOpinionIMECommit is an input method committing a six-character
// phrase into a 2,000-character opinion: the phrase arrives as six runes in
// one go (as GLFW delivers a commit): the box's work, as in BenchmarkOpinionKeystroke; the phrase is
// deleted again outside the timer.
func BenchmarkOpinionIMECommit(b *testing.B) {
	const phrase = "符合申报条件"
	for _, box := range boxes {
		b.Run(box.name, func(b *testing.B) {
			e := box.make()
			opinionBench(b, e, 2000-len([]rune(phrase)))
			var spent int64
			for b.Loop() {
				t0 := cpuTime()
				for _, r := range phrase {
					e.TypedRune(r)
				}
				spent += int64(cpuTime() - t0)
				b.StopTimer()
				for range []rune(phrase) {
					e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/commit")
			b.ReportMetric(float64(spent)/1e6/float64(b.N), "cpu-ms/commit")
		})
	}
}

// BenchmarkOpinionKeystrokeInView is the same keystroke into the review
// view's own 审核意见 box, with the whole window laid out around it.
func BenchmarkOpinionKeystrokeInView(b *testing.B) {
	d, _ := loggedInDesk(b)
	d.win.Resize(fyne.NewSize(1366, 768))
	v := review(b, openList(b, d, navSubordinate), 0)
	v.opinion.SetText(opinionOf(2000))
	d.win.Canvas().Focus(v.opinion)
	c0 := cpuTime()
	for b.Loop() {
		v.opinion.TypedRune('意')
		v.opinion.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(2*b.N), "ms/key")
	b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(2*b.N), "cpu-ms/key")
}
