package report

import (
	"bytes"
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"titledesk/assets"
	"titledesk/model"
)

// countingWriter counts what a report writes and throws it away.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// memPeak samples the heap while a benchmark runs.
type memPeak struct {
	stop              chan struct{}
	wg                sync.WaitGroup
	heapInuse, sys    atomic.Uint64
	baseHeap, samples uint64
}

func startMemPeak(every time.Duration) *memPeak {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := &memPeak{stop: make(chan struct{}), baseHeap: ms.HeapInuse}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > m.heapInuse.Load() {
				m.heapInuse.Store(ms.HeapInuse)
			}
			if ms.Sys > m.sys.Load() {
				m.sys.Store(ms.Sys)
			}
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

func (m *memPeak) report(b *testing.B) {
	close(m.stop)
	m.wg.Wait()
	const mb = 1 << 20
	b.ReportMetric(float64(m.heapInuse.Load())/mb, "peak-heap-MB")
	b.ReportMetric(float64(m.sys.Load())/mb, "peak-sys-MB")
}

func BenchmarkSheet(b *testing.B) {
	if _, err := loadFace(); err != nil { // parsed once per process, not per sheet
		b.Fatal(err)
	}
	in := panelFixture()
	var w countingWriter
	for b.Loop() {
		if err := WriteSheet(&w, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(w.n)/float64(b.N), "bytes/sheet")
}

// BenchmarkSheetLongFlow is the stress case: 30 steps of 2,000-character
// opinions (about 60 pages).
func BenchmarkSheetLongFlow(b *testing.B) {
	in := longFlowFixture(2000)
	var w countingWriter
	for b.Loop() {
		if err := WriteSheet(&w, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(w.n)/float64(b.N), "bytes/sheet")
}

// batchInputs makes n sheets with varied names and units, so the batch's
// font subset grows the way a real review list does.
func batchInputs(n int) []SheetInput {
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红梅春燕志刚海峰宇浩然子轩欣怡思雨晨阳博文嘉琪")
	units := []string{"天津市建筑设计研究院有限公司", "天津医科大学总医院", "天津市第一中心医院", "中国汽车技术研究中心有限公司", "天津港（集团）有限公司"}
	bases := []SheetInput{panelFixture(), appointFixture()}
	out := make([]SheetInput, n)
	for i := range out {
		in := bases[i%len(bases)]
		in.Applicant.Name = string(surnames[i%len(surnames)]) + string(given[(i*7)%len(given)]) + string(given[(i*13+5)%len(given)])
		in.Applicant.IDNumber = model.MakeIDNumber("12", "1985-03-12", i, i%2 == 0)
		in.UnitName = units[i%len(units)]
		out[i] = in
	}
	return out
}

func BenchmarkBatch500(b *testing.B) {
	inputs := batchInputs(500)
	if _, err := loadFace(); err != nil {
		b.Fatal(err)
	}
	var w countingWriter
	peak := startMemPeak(5 * time.Millisecond)
	for b.Loop() {
		if err := WriteBatch(context.Background(), &w, inputs, nil); err != nil {
			b.Fatal(err)
		}
	}
	peak.report(b)
	b.ReportMetric(float64(w.n)/float64(b.N)/float64(len(inputs)), "bytes/sheet")
}

func BenchmarkTable1000Rows(b *testing.B) {
	t := reviewList(1000)
	var w countingWriter
	for b.Loop() {
		if err := WriteTable(&w, t); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(w.n)/float64(b.N), "bytes/report")
}

// BenchmarkFontParse is the one-time cost of reading the embedded face.
func BenchmarkFontParse(b *testing.B) {
	for b.Loop() {
		if _, err := parseTTF(assets.FontCJK); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFontSubset is the per-document cost of cutting the face down to
// the characters of one sheet.
func BenchmarkFontSubset(b *testing.B) {
	face, err := loadFace()
	if err != nil {
		b.Fatal(err)
	}
	c := newPortraitCanvas(nil, face)
	c.runes = map[rune]struct{}{}
	in := panelFixture()
	layoutSheet(c, &in)
	runes := make([]rune, 0, len(c.runes))
	for r := range c.runes {
		runes = append(runes, r)
	}
	var size int
	for b.Loop() {
		size = len(face.ttf.subset(runes, nil))
	}
	b.ReportMetric(float64(len(runes)), "runes")
	b.ReportMetric(float64(size), "subset-bytes")
}

// BenchmarkFpdfWholeFont is the cost the subset avoids: fpdf parsing and
// subsetting the whole 4.6 MB face for a one-line document.
func BenchmarkFpdfWholeFont(b *testing.B) {
	for b.Loop() {
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("cjk", "", assets.FontCJK)
		pdf.AddPage()
		pdf.SetFont("cjk", "", 10)
		pdf.Text(20, 20, SheetTitle)
		var buf bytes.Buffer
		if err := pdf.Output(&buf); err != nil {
			b.Fatal(err)
		}
	}
}
