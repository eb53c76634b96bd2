package report

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
)

// ttfFont is a TrueType font parsed once per process. fpdf parses the whole
// font (and builds maps over every glyph) for every document, which costs
// ~80 ms for the 4.6 MB CJK face; instead each document registers a small
// subset cut from this parse, holding just the glyphs it prints.
type ttfFont struct {
	tables     map[string][]byte
	unitsPerEm int
	numGlyphs  int
	numHMetric int
	locaLong   bool
	cmap       []uint16        // BMP rune -> glyph id; 0 = not in the font
	cmapHigh   map[rune]uint16 // supplementary-plane rune -> glyph id (cmap format 12)
}

// glyphOf is the glyph id of r, 0 if the font does not map it.
func (f *ttfFont) glyphOf(r rune) int {
	if r >= 0 && r < 0xFFFF {
		return int(f.cmap[r])
	}
	return int(f.cmapHigh[r])
}

var be = binary.BigEndian

func parseTTF(data []byte) (*ttfFont, error) {
	if len(data) < 12 || be.Uint32(data) != 0x00010000 {
		return nil, errors.New("not a TrueType (glyf) font")
	}
	n := int(be.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, errors.New("truncated table directory")
	}
	f := &ttfFont{tables: make(map[string][]byte, n)}
	for i := range n {
		rec := data[12+16*i:]
		off, length := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if off < 0 || length < 0 || off+length > len(data) {
			return nil, fmt.Errorf("table %q out of bounds", rec[:4])
		}
		f.tables[string(rec[:4])] = data[off : off+length]
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap", "name", "OS/2", "post"} {
		if f.tables[tag] == nil {
			return nil, fmt.Errorf("missing table %q", tag)
		}
	}
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, errors.New("short head/hhea/maxp table")
	}
	f.unitsPerEm = int(be.Uint16(head[18:]))
	f.locaLong = be.Uint16(head[50:]) == 1
	f.numHMetric = int(be.Uint16(hhea[34:]))
	f.numGlyphs = int(be.Uint16(maxp[4:]))
	if f.unitsPerEm == 0 || f.numHMetric == 0 || f.numHMetric > f.numGlyphs {
		return nil, errors.New("bad font metrics")
	}
	if len(f.tables["hmtx"]) < 4*f.numHMetric+2*(f.numGlyphs-f.numHMetric) {
		return nil, errors.New("short hmtx table")
	}
	locaEntry := 2
	if f.locaLong {
		locaEntry = 4
	}
	if len(f.tables["loca"]) < locaEntry*(f.numGlyphs+1) {
		return nil, errors.New("short loca table")
	}
	cmap, err := parseCmap4(f.tables["cmap"])
	if err != nil {
		return nil, err
	}
	f.cmap = cmap
	if f.cmapHigh, err = parseCmap12(f.tables["cmap"]); err != nil {
		return nil, err
	}
	return f, nil
}

// parseCmap4 reads the Unicode BMP subtable (format 4) into a dense table.
func parseCmap4(t []byte) ([]uint16, error) {
	if len(t) < 4 {
		return nil, errors.New("short cmap")
	}
	var sub []byte
	for i := range int(be.Uint16(t[2:])) {
		rec := 4 + 8*i
		if rec+8 > len(t) {
			break
		}
		platform, encoding, off := be.Uint16(t[rec:]), be.Uint16(t[rec+2:]), int(be.Uint32(t[rec+4:]))
		if (platform == 3 && encoding == 1) || platform == 0 {
			if off+14 <= len(t) && be.Uint16(t[off:]) == 4 {
				sub = t[off:]
				break
			}
		}
	}
	if sub == nil {
		return nil, errors.New("no Unicode BMP cmap (format 4)")
	}
	segX2 := int(be.Uint16(sub[6:]))
	if 16+4*segX2 > len(sub) {
		return nil, errors.New("short cmap format 4")
	}
	m := make([]uint16, 0x10000)
	for i := 0; i < segX2; i += 2 {
		end := int(be.Uint16(sub[14+i:]))
		start := int(be.Uint16(sub[16+segX2+i:]))
		delta := int(be.Uint16(sub[16+2*segX2+i:]))
		roPos := 16 + 3*segX2 + i
		ro := int(be.Uint16(sub[roPos:]))
		for c := start; c <= end && c < 0xFFFF; c++ {
			var g int
			if ro == 0 {
				g = (c + delta) & 0xFFFF
			} else {
				p := roPos + ro + 2*(c-start)
				if p+2 > len(sub) {
					continue
				}
				if g = int(be.Uint16(sub[p:])); g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			m[c] = uint16(g)
		}
	}
	return m, nil
}

// parseCmap12 reads the supplementary planes of the full-repertoire
// Unicode subtable (format 12), if the font has one; a font without it
// (the primary face) gives nil.
func parseCmap12(t []byte) (map[rune]uint16, error) {
	for i := range int(be.Uint16(t[2:])) {
		rec := 4 + 8*i
		if rec+8 > len(t) {
			break
		}
		platform, encoding, off := be.Uint16(t[rec:]), be.Uint16(t[rec+2:]), int(be.Uint32(t[rec+4:]))
		if !(platform == 3 && encoding == 10) && !(platform == 0 && (encoding == 4 || encoding == 6)) {
			continue
		}
		if off+16 > len(t) || be.Uint16(t[off:]) != 12 {
			continue
		}
		sub := t[off:]
		n := int(be.Uint32(sub[12:]))
		if n < 0 || 16+12*n > len(sub) {
			return nil, errors.New("short cmap format 12")
		}
		m := make(map[rune]uint16)
		for g := range n {
			grp := sub[16+12*g:]
			start, end, gid := rune(be.Uint32(grp)), rune(be.Uint32(grp[4:])), int(be.Uint32(grp[8:]))
			if end > 0x10FFFF || start > end {
				return nil, errors.New("bad cmap format 12 group")
			}
			for c := max(start, 0x10000); c <= end; c++ {
				if id := gid + int(c-start); id > 0 && id < 0xFFFF {
					m[c] = uint16(id)
				}
			}
		}
		return m, nil
	}
	return nil, nil
}

// advance is the horizontal advance of glyph g in font units.
func (f *ttfFont) advance(g int) int {
	h := f.tables["hmtx"]
	if g >= f.numHMetric {
		g = f.numHMetric - 1
	}
	return int(be.Uint16(h[4*g:]))
}

func (f *ttfFont) lsb(g int) uint16 {
	h := f.tables["hmtx"]
	if g < f.numHMetric {
		return be.Uint16(h[4*g+2:])
	}
	return be.Uint16(h[4*f.numHMetric+2*(g-f.numHMetric):])
}

func (f *ttfFont) glyph(g int) []byte {
	l := f.tables["loca"]
	var a, b int
	if f.locaLong {
		a, b = int(be.Uint32(l[4*g:])), int(be.Uint32(l[4*g+4:]))
	} else {
		a, b = 2*int(be.Uint16(l[2*g:])), 2*int(be.Uint16(l[2*g+2:]))
	}
	glyf := f.tables["glyf"]
	if a > b || b > len(glyf) {
		return nil
	}
	return glyf[a:b]
}

// Composite glyph flags (OpenType glyf table).
const (
	compArgWords   = 0x0001
	compScale      = 0x0008
	compMore       = 0x0020
	compXYScale    = 0x0040
	compTwoByTwo   = 0x0080
	compHeaderSize = 10
)

// components calls fn with the byte offset of every component glyph index in
// the composite glyph data d (none for a simple glyph).
func components(d []byte, fn func(pos int)) {
	if len(d) < compHeaderSize || int16(be.Uint16(d)) >= 0 {
		return
	}
	p := compHeaderSize
	for p+4 <= len(d) {
		flags := be.Uint16(d[p:])
		fn(p + 2)
		p += 4
		if flags&compArgWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&compScale != 0:
			p += 2
		case flags&compXYScale != 0:
			p += 4
		case flags&compTwoByTwo != 0:
			p += 8
		}
		if flags&compMore == 0 {
			return
		}
	}
}

// subset returns a standalone TrueType font holding .notdef and the glyphs of
// runes (those the font maps; others are ignored), with a format 4 cmap, the
// only kind fpdf reads. A rune listed in as is mapped at that BMP code point
// instead of its own (how a supplementary-plane rune reaches fpdf); every
// other rune outside the BMP is ignored. Hinting tables are kept; layout
// tables (GSUB/GPOS) and vertical metrics are dropped, fpdf uses neither.
func (f *ttfFont) subset(runes []rune, as map[rune]rune) []byte {
	code := func(r rune) rune {
		if c, ok := as[r]; ok {
			return c
		}
		return r
	}
	runes = slices.Clone(runes)
	slices.SortFunc(runes, func(a, b rune) int { return int(code(a) - code(b)) })
	newID := map[int]int{0: 0}
	order := []int{0}
	add := func(g int) int {
		if id, ok := newID[g]; ok {
			return id
		}
		id := len(order)
		newID[g] = id
		order = append(order, g)
		return id
	}
	type mapping struct {
		r   rune
		gid int
	}
	maps := make([]mapping, 0, len(runes))
	for _, r := range runes {
		if c := code(r); c < 0 || c >= 0xFFFF {
			continue
		}
		if g := f.glyphOf(r); g != 0 && g < f.numGlyphs {
			maps = append(maps, mapping{code(r), add(g)})
		}
	}
	for i := 0; i < len(order); i++ { // order grows while composites pull in components
		components(f.glyph(order[i]), func(pos int) {
			if c := int(be.Uint16(f.glyph(order[i])[pos:])); c < f.numGlyphs {
				add(c)
			}
		})
	}

	n := len(order)
	var glyf []byte
	loca := make([]byte, 4*(n+1))
	hmtx := make([]byte, 4*n)
	for i, g := range order {
		be.PutUint32(loca[4*i:], uint32(len(glyf)))
		be.PutUint16(hmtx[4*i:], uint16(f.advance(g)))
		be.PutUint16(hmtx[4*i+2:], f.lsb(g))
		d := f.glyph(g)
		start := len(glyf)
		glyf = append(glyf, d...)
		components(d, func(pos int) {
			old := int(be.Uint16(d[pos:]))
			be.PutUint16(glyf[start+pos:], uint16(newID[old]))
		})
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
	}
	be.PutUint32(loca[4*n:], uint32(len(glyf)))

	head := slices.Clone(f.tables["head"])
	be.PutUint32(head[8:], 0) // checkSumAdjustment, set below
	be.PutUint16(head[50:], 1)
	hhea := slices.Clone(f.tables["hhea"])
	be.PutUint16(hhea[34:], uint16(n))
	maxp := slices.Clone(f.tables["maxp"])
	be.PutUint16(maxp[4:], uint16(n))
	post := make([]byte, 32)
	copy(post, f.tables["post"][:16])
	be.PutUint32(post, 0x00030000)

	// cmap: one segment per run of consecutive runes with consecutive glyphs.
	type segment struct{ start, end, delta int }
	var segs []segment
	for _, m := range maps {
		if k := len(segs) - 1; k >= 0 && int(m.r) == segs[k].end+1 && (segs[k].start+segs[k].delta+int(m.r)-segs[k].start)&0xFFFF == m.gid {
			segs[k].end = int(m.r)
			continue
		}
		segs = append(segs, segment{int(m.r), int(m.r), (m.gid - int(m.r)) & 0xFFFF})
	}
	segs = append(segs, segment{0xFFFF, 0xFFFF, 1})
	segCount := len(segs)
	sub := make([]byte, 16+8*segCount)
	be.PutUint16(sub[0:], 4)
	be.PutUint16(sub[2:], uint16(len(sub)))
	be.PutUint16(sub[6:], uint16(2*segCount))
	searchRange, entrySelector := 2, 0
	for searchRange*2 <= 2*segCount {
		searchRange *= 2
		entrySelector++
	}
	be.PutUint16(sub[8:], uint16(searchRange))
	be.PutUint16(sub[10:], uint16(entrySelector))
	be.PutUint16(sub[12:], uint16(2*segCount-searchRange))
	for i, s := range segs {
		be.PutUint16(sub[14+2*i:], uint16(s.end))
		be.PutUint16(sub[16+2*segCount+2*i:], uint16(s.start))
		be.PutUint16(sub[16+4*segCount+2*i:], uint16(s.delta))
		// idRangeOffset stays 0
	}
	cmap := append([]byte{0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12}, sub...)

	out := map[string][]byte{
		"head": head, "hhea": hhea, "maxp": maxp, "hmtx": hmtx, "loca": loca,
		"glyf": glyf, "cmap": cmap, "post": post,
		"name": f.tables["name"], "OS/2": f.tables["OS/2"],
	}
	for _, tag := range []string{"cvt ", "fpgm", "prep", "gasp"} {
		if t := f.tables[tag]; t != nil {
			out[tag] = t
		}
	}
	return assembleTTF(out)
}

func tableChecksum(b []byte) uint32 {
	var sum uint32
	n := len(b) &^ 3
	for i := 0; i < n; i += 4 {
		sum += be.Uint32(b[i:])
	}
	if n < len(b) {
		var w [4]byte
		copy(w[:], b[n:])
		sum += be.Uint32(w[:])
	}
	return sum
}

func assembleTTF(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	size := 12 + 16*len(tables)
	for tag, t := range tables {
		tags = append(tags, tag)
		size += (len(t) + 3) &^ 3
	}
	sort.Strings(tags)
	n := len(tags)
	searchRange, entrySelector := 1, 0
	for searchRange*2 <= n {
		searchRange *= 2
		entrySelector++
	}
	out := make([]byte, 12+16*n, size)
	be.PutUint32(out, 0x00010000)
	be.PutUint16(out[4:], uint16(n))
	be.PutUint16(out[6:], uint16(16*searchRange))
	be.PutUint16(out[8:], uint16(entrySelector))
	be.PutUint16(out[10:], uint16(16*(n-searchRange)))
	headAt := 0
	for i, tag := range tags {
		t := tables[tag]
		rec := out[12+16*i:]
		copy(rec, tag)
		be.PutUint32(rec[4:], tableChecksum(t))
		be.PutUint32(rec[8:], uint32(len(out)))
		be.PutUint32(rec[12:], uint32(len(t)))
		if tag == "head" {
			headAt = len(out)
		}
		out = append(out, t...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	be.PutUint32(out[headAt+8:], 0xB1B0AFBA-tableChecksum(out))
	return out
}
