// Package report prints PDFs: the 专业技术人才职称申报审核表 review sheet
// (WriteSheet, WriteBatch) and list/statistics tables (WriteTable), on A4
// with the bundled CJK font (assets.FontCJK).
//
// How it is built, and why:
//
//   - Every report is laid out twice by the same code (canvas.go): a
//     measuring pass with no PDF behind it counts each sheet's pages and
//     collects the characters it prints, then the drawing pass knows
//     "共 y 页" for each sheet of a batch (fpdf's AliasNbPages only knows the
//     whole document) and breaks pages at exactly the same places.
//   - Text is measured and wrapped with our own copy of the font's advance
//     widths (font.go, wrap.go), with the Chinese line-breaking rules (no
//     line starts with "，。）…", none ends with "（《…").
//   - fpdf parses a TrueType font completely for every document (~85 ms and
//     34 MB for the 4.6 MB face). The face is parsed once per process
//     instead, and each document registers a subset cut to the characters it
//     prints (subset.go, well under a millisecond for a sheet), which fpdf
//     then parses in no time.
//   - The face has no bold; headings use text render mode 2 (fill and
//     stroke), a faux bold that still extracts as one copy of the text.
//   - Characters the face cannot draw (outside the BMP, e.g. rare name
//     characters of CJK Extension B) print as □ rather than vanish.
package report
