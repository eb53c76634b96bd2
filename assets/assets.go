// Package assets holds the files embedded into the binaries: the CJK font
// shared by the UI theme and the PDF reports, and the reports' font for rare
// name characters.
package assets

import _ "embed"

// FontCJK is WenQuanYi Micro Hei (Apache-2.0, see fonts/Apache-2.0.txt and
// fonts/wqy-microhei.COPYRIGHT.txt), a single TrueType face. The UI theme
// returns it from Font() and report/ registers the same bytes with fpdf.
// It has no bold face.
//
//go:embed fonts/wqy-microhei.ttf
var FontCJK []byte

// FontHanFallback is a gzipped TrueType font with the ideographs FontCJK
// lacks: all of CJK Extensions A and B and the 通用规范汉字表 characters of
// later extensions, cut from Hanazono Mincho (GlyphWiki Project, Hanazono
// Font License, see fonts/hanazono.COPYRIGHT.txt) by
// scripts/build-fallback-font.sh. report/ inflates it only when a document
// has such a character.
//
//go:embed fonts/han-fallback.ttf.gz
var FontHanFallback []byte
