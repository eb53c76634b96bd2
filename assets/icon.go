package assets

import _ "embed"

// Icon is the app icon (512×512 PNG): a red seal with 职 in the bundled font.
// FyneApp.toml points at the same file for `fyne package`. It was drawn once
// with ImageMagick; to redraw it:
//
//	convert -size 512x512 xc:none -fill '#B7282E' -draw 'roundrectangle 16,16 495,495 96,96' \
//	  -fill none -stroke '#FBEFE6' -strokewidth 10 -draw 'roundrectangle 52,52 459,459 66,66' \
//	  -stroke none -fill '#FBEFE6' -font fonts/wqy-microhei.ttf -pointsize 300 -gravity center \
//	  -annotate +0+6 '职' -strip icon.png
//
//go:embed icon.png
var Icon []byte
