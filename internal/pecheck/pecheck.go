// Package pecheck reads what a Windows executable declares about itself —
// the PE header's machine, format and subsystem, and the icon, version and
// manifest resources — so the CI build can refuse an .exe that Windows
// would show as a console program, without our icon, or without a version
// in Explorer's 属性 › 详细信息.
//
// Sources: Microsoft's PE format reference ("PE Format", the .rsrc
// section) and the VS_VERSIONINFO / VS_FIXEDFILEINFO structures.
package pecheck

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"unicode/utf16"
)

// Resource types (winuser.h RT_*).
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
	rtManifest  = 24
)

// SubsystemGUI is IMAGE_SUBSYSTEM_WINDOWS_GUI: no console window opens.
const SubsystemGUI = pe.IMAGE_SUBSYSTEM_WINDOWS_GUI

// Info is what an executable declares.
type Info struct {
	Machine   uint16 // pe.IMAGE_FILE_MACHINE_*
	PE32Plus  bool   // the 64-bit optional header
	Subsystem uint16 // pe.IMAGE_SUBSYSTEM_*
	// Icons are the images of the first icon group (the one Explorer shows),
	// as "WxH" (256 for a 0 in the directory); only images whose data is a
	// PNG or a BITMAPINFOHEADER are listed.
	Icons    []string
	Version  *Version // nil without a version resource
	Manifest bool
}

// Version is the version resource: the fixed binary part and the strings
// of its StringFileInfo (the first language block).
type Version struct {
	FileVersion    [4]uint16 // major.minor.patch.build
	ProductVersion [4]uint16
	Strings        map[string]string // ProductName, ProductVersion, FileDescription …
}

// Dotted formats a four-part version as "0.1.0.1".
func Dotted(v [4]uint16) string { return fmt.Sprintf("%d.%d.%d.%d", v[0], v[1], v[2], v[3]) }

// Inspect opens path and reads its header and resources.
func Inspect(path string) (*Info, error) {
	f, err := pe.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pecheck: %s is not a PE executable: %w", path, err)
	}
	defer f.Close()
	info := &Info{Machine: f.Machine}
	var dir pe.DataDirectory
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		info.PE32Plus, info.Subsystem = true, oh.Subsystem
		if oh.NumberOfRvaAndSizes > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			dir = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	case *pe.OptionalHeader32:
		info.Subsystem = oh.Subsystem
		if oh.NumberOfRvaAndSizes > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			dir = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	default:
		return nil, fmt.Errorf("pecheck: %s has no optional header", path)
	}
	if dir.VirtualAddress == 0 || dir.Size == 0 {
		return info, nil // no resources at all
	}
	res, err := readResources(f, dir.VirtualAddress)
	if err != nil {
		return nil, fmt.Errorf("pecheck: %s: %w", path, err)
	}
	info.Manifest = len(res[rtManifest]) > 0
	info.Icons = res.icons()
	if data := res.first(rtVersion); data != nil {
		if info.Version, err = parseVersion(data); err != nil {
			return nil, fmt.Errorf("pecheck: %s: version resource: %w", path, err)
		}
	}
	return info, nil
}

// Want is what the release build must declare.
type Want struct {
	Version     string // FileVersion and ProductVersion, "0.1.0.1"
	ProductName string
}

// Problems lists every way info falls short of an x86-64 GUI executable
// with an icon, a version resource matching want, and a manifest.
func (info *Info) Problems(want Want) []string {
	var p []string
	if info.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		p = append(p, fmt.Sprintf("machine is 0x%04x, not x86-64 (0x8664)", info.Machine))
	}
	if !info.PE32Plus {
		p = append(p, "not PE32+ (64-bit optional header missing)")
	}
	if info.Subsystem != SubsystemGUI {
		p = append(p, fmt.Sprintf("subsystem is %d, not Windows GUI (%d): a console window would open", info.Subsystem, SubsystemGUI))
	}
	if len(info.Icons) == 0 {
		p = append(p, "no icon resource")
	}
	if !info.Manifest {
		p = append(p, "no manifest resource")
	}
	v := info.Version
	if v == nil {
		return append(p, "no version resource")
	}
	if got := Dotted(v.FileVersion); want.Version != "" && got != want.Version {
		p = append(p, fmt.Sprintf("FileVersion is %s, want %s", got, want.Version))
	}
	if got := v.Strings["ProductVersion"]; want.Version != "" && got != want.Version {
		p = append(p, fmt.Sprintf("ProductVersion string is %q, want %q", got, want.Version))
	}
	if got := v.Strings["ProductName"]; want.ProductName != "" && got != want.ProductName {
		p = append(p, fmt.Sprintf("ProductName is %q, want %q", got, want.ProductName))
	}
	return p
}

// resources maps a resource type to its leaves, keyed by name ID.
type resources map[uint32]map[uint32][]byte

func (r resources) first(typ uint32) []byte {
	ids := make([]uint32, 0, len(r[typ]))
	for id := range r[typ] {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return r[typ][ids[0]]
}

// icons lists the images of the first icon group that exist as RT_ICON
// resources with real image data.
func (r resources) icons() []string {
	grp := r.first(rtGroupIcon)
	if len(grp) < 6 || binary.LittleEndian.Uint16(grp[2:]) != 1 {
		return nil
	}
	var out []string
	n := int(binary.LittleEndian.Uint16(grp[4:]))
	for i := 0; i < n && 6+14*(i+1) <= len(grp); i++ {
		e := grp[6+14*i:]
		w, h := int(e[0]), int(e[1])
		if w == 0 {
			w = 256
		}
		if h == 0 {
			h = 256
		}
		img := r[rtIcon][uint32(binary.LittleEndian.Uint16(e[12:]))]
		if isPNG(img) || isDIB(img) {
			out = append(out, fmt.Sprintf("%dx%d", w, h))
		}
	}
	return out
}

func isPNG(b []byte) bool { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) }
func isDIB(b []byte) bool { return len(b) >= 40 && binary.LittleEndian.Uint32(b) == 40 }

// readResources walks the three-level resource tree (type, name, language)
// of the section holding rva; for each name the first language is kept.
func readResources(f *pe.File, rva uint32) (resources, error) {
	var sec *pe.Section
	for _, s := range f.Sections {
		if rva >= s.VirtualAddress && rva < s.VirtualAddress+s.VirtualSize {
			sec = s
		}
	}
	if sec == nil {
		return nil, errors.New("resource directory outside every section")
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", sec.Name, err)
	}
	base := rva - sec.VirtualAddress
	if int(base) >= len(data) {
		return nil, errors.New("resource directory beyond its section's data")
	}
	t := resTree{data: data[base:], sectionRVA: sec.VirtualAddress, section: data}
	out := resources{}
	types, err := t.entries(0)
	if err != nil {
		return nil, err
	}
	for _, typ := range types {
		if !typ.dir {
			continue
		}
		names, err := t.entries(typ.off)
		if err != nil {
			return nil, err
		}
		out[typ.id] = map[uint32][]byte{}
		for _, name := range names {
			leaf := name
			if name.dir {
				langs, err := t.entries(name.off)
				if err != nil || len(langs) == 0 {
					return nil, fmt.Errorf("type %d name %d: no language entry", typ.id, name.id)
				}
				leaf = langs[0]
			}
			b, err := t.leaf(leaf.off)
			if err != nil {
				return nil, fmt.Errorf("type %d name %d: %w", typ.id, name.id, err)
			}
			out[typ.id][name.id] = b
		}
	}
	return out, nil
}

// resTree reads IMAGE_RESOURCE_DIRECTORY tables; offsets are relative to
// the resource directory's start, data entries hold RVAs.
type resTree struct {
	data       []byte // from the directory's start to the section's end
	section    []byte // the whole section
	sectionRVA uint32
}

type resEntry struct {
	id  uint32 // numeric ID; named entries get their name's offset with the high bit
	dir bool
	off uint32
}

func (t resTree) entries(off uint32) ([]resEntry, error) {
	if int(off)+16 > len(t.data) {
		return nil, fmt.Errorf("directory at %#x out of range", off)
	}
	d := t.data[off:]
	n := int(binary.LittleEndian.Uint16(d[12:])) + int(binary.LittleEndian.Uint16(d[14:]))
	if 16+8*n > len(d) {
		return nil, fmt.Errorf("directory at %#x: %d entries out of range", off, n)
	}
	out := make([]resEntry, n)
	for i := range out {
		e := d[16+8*i:]
		name, to := binary.LittleEndian.Uint32(e), binary.LittleEndian.Uint32(e[4:])
		out[i] = resEntry{id: name, dir: to&0x80000000 != 0, off: to &^ 0x80000000}
	}
	return out, nil
}

func (t resTree) leaf(off uint32) ([]byte, error) {
	if int(off)+16 > len(t.data) {
		return nil, fmt.Errorf("data entry at %#x out of range", off)
	}
	rva, size := binary.LittleEndian.Uint32(t.data[off:]), binary.LittleEndian.Uint32(t.data[off+4:])
	start := int64(rva) - int64(t.sectionRVA)
	if start < 0 || start+int64(size) > int64(len(t.section)) {
		return nil, fmt.Errorf("data at RVA %#x (+%d) outside the section", rva, size)
	}
	return t.section[start : start+int64(size)], nil
}

// fixedSignature opens VS_FIXEDFILEINFO.
const fixedSignature = 0xFEEF04BD

// parseVersion reads a VS_VERSIONINFO block: its VS_FIXEDFILEINFO value and
// the strings of StringFileInfo's first table.
func parseVersion(b []byte) (*Version, error) {
	root, err := parseBlock(b)
	if err != nil {
		return nil, err
	}
	if root.key != "VS_VERSION_INFO" {
		return nil, fmt.Errorf("root key %q, want VS_VERSION_INFO", root.key)
	}
	if len(root.value) < 52 || binary.LittleEndian.Uint32(root.value) != fixedSignature {
		return nil, errors.New("no VS_FIXEDFILEINFO")
	}
	word := func(off int) uint32 { return binary.LittleEndian.Uint32(root.value[off:]) }
	split := func(ms, ls uint32) [4]uint16 {
		return [4]uint16{uint16(ms >> 16), uint16(ms), uint16(ls >> 16), uint16(ls)}
	}
	v := &Version{FileVersion: split(word(8), word(12)), ProductVersion: split(word(16), word(20)), Strings: map[string]string{}}
	for _, c := range root.children {
		if c.key != "StringFileInfo" || len(c.children) == 0 {
			continue
		}
		for _, s := range c.children[0].children {
			v.Strings[s.key] = s.text()
		}
	}
	return v, nil
}

// block is one node of a version resource: wLength, wValueLength, wType,
// a NUL-terminated UTF-16 key, padding to 32 bits, the value, padding,
// then children up to wLength.
type block struct {
	key      string
	typ      uint16 // 1 = text value
	value    []byte
	children []block
}

func (b block) text() string {
	u := make([]uint16, 0, len(b.value)/2)
	for i := 0; i+1 < len(b.value); i += 2 {
		c := binary.LittleEndian.Uint16(b.value[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

func align4(n int) int { return (n + 3) &^ 3 }

func parseBlock(b []byte) (block, error) {
	if len(b) < 6 {
		return block{}, errors.New("truncated block")
	}
	length, valueLen := int(binary.LittleEndian.Uint16(b)), int(binary.LittleEndian.Uint16(b[2:]))
	out := block{typ: binary.LittleEndian.Uint16(b[4:])}
	if length < 6 || length > len(b) {
		return block{}, fmt.Errorf("block length %d out of range (%d bytes left)", length, len(b))
	}
	b = b[:length]
	i, key := 6, []uint16{}
	for ; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			i += 2
			break
		}
		key = append(key, c)
	}
	out.key = string(utf16.Decode(key))
	i = align4(i)
	if out.typ == 1 && i+2*valueLen <= len(b) {
		valueLen *= 2 // text values count UTF-16 words (some tools write bytes)
	}
	if i+valueLen > len(b) {
		return block{}, fmt.Errorf("block %q: value beyond its length", out.key)
	}
	out.value = b[i : i+valueLen]
	for i = align4(i + valueLen); i+6 <= len(b); {
		c, err := parseBlock(b[i:])
		if err != nil {
			return block{}, fmt.Errorf("in %q: %w", out.key, err)
		}
		out.children = append(out.children, c)
		i = align4(i + int(binary.LittleEndian.Uint16(b[i:])))
	}
	return out, nil
}
