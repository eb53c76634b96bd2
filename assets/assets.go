// Package assets holds the files embedded into the binaries: the CJK font
// shared by the UI theme and the PDF reports.
package assets

import _ "embed"

// FontCJK is WenQuanYi Micro Hei (Apache-2.0, see fonts/Apache-2.0.txt and
// fonts/wqy-microhei.COPYRIGHT.txt), a single TrueType face. The UI theme
// returns it from Font() and report/ registers the same bytes with fpdf.
// It has no bold face.
//
//go:embed fonts/wqy-microhei.ttf
var FontCJK []byte
