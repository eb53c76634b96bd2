#!/usr/bin/env bash
# Builds assets/fonts/han-fallback.ttf.gz, the font report/ prints the rare
# name characters with that WenQuanYi Micro Hei lacks: every CJK Extension A
# and Extension B ideograph (U+3400–4DBF, U+20000–2A6DF), the unified
# ideographs WenQuanYi lacks, and every character of the 通用规范汉字表 (2013
# standard list of characters, Unihan kTGH) WenQuanYi lacks wherever it is
# encoded (Extensions C–E hold some). The glyphs are Hanazono Mincho's
# (HanaMinA for the BMP, HanaMinB for plane 2; GlyphWiki Project, used under
# the Hanazono Font License, see assets/fonts/hanazono.COPYRIGHT.txt),
# without hinting, layout or vertical tables, merged into one face renamed
# "TitleDesk Han Fallback", gzipped (the app inflates it only when a document
# needs it). Not part of the build or CI: the output is committed. Run it
# again (as root, or with sudo) to reproduce it; it takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=(fonts-hanazono python3-fonttools unicode-data)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
out=assets/fonts/han-fallback.ttf.gz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Debian's own Python, where python3-fonttools is installed.
/usr/bin/python3 - "$tmp/han-fallback.ttf" <<'PY'
import bz2, sys
from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

out = sys.argv[1]
primary = TTFont("assets/fonts/wqy-microhei.ttf", lazy=True).getBestCmap()
tgh = set()
for line in bz2.open("/usr/share/unicode/Unihan_OtherMappings.txt.bz2", "rt", encoding="utf-8"):
    f = line.split("\t")
    if len(f) > 1 and f[1] == "kTGH":
        tgh.add(int(f[0][2:], 16))

def wanted(c, blocks):
    if c in primary:
        return False
    return c in tgh or any(a <= c <= b for a, b in blocks)

def cut(src, blocks, dst):
    font = TTFont(src, recalcTimestamp=False)
    chars = [c for c in font.getBestCmap() if wanted(c, blocks)]
    opts = subset.Options()
    opts.hinting = False
    opts.layout_features = []
    opts.notdef_outline = False  # an empty .notdef: a wrongly mapped character shows blank, never a box
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    opts.drop_tables += ["vhea", "vmtx", "BASE", "GDEF", "GSUB", "GPOS", "prop", "FFTM"]
    opts.recalc_timestamp = False
    s = subset.Subsetter(opts)
    s.populate(unicodes=chars)
    s.subset(font)
    font.save(dst)
    print(f"{src}: {len(chars)} characters", file=sys.stderr)

cut("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", [(0x3400, 0x4DBF), (0x4E00, 0x9FFF)], out + ".a")
cut("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", [(0x20000, 0x2A6DF)], out + ".b")
merged = Merger().merge([out + ".a", out + ".b"])
name = merged["name"]
for rec in list(name.names):
    if rec.nameID in (1, 3, 4, 6, 16, 17):
        name.removeNames(nameID=rec.nameID)
for nid, text in ((1, "TitleDesk Han Fallback"), (3, "TitleDesk Han Fallback (subset of Hanazono Mincho 20170904)"),
                  (4, "TitleDesk Han Fallback"), (6, "TitleDeskHanFallback")):
    name.setName(text, nid, 3, 1, 0x409)
merged["head"].modified = merged["head"].created
merged.recalcTimestamp = False
merged.save(out)
print(f"{out}: {len(merged.getGlyphOrder())} glyphs", file=sys.stderr)
PY
gzip -n -9 -c "$tmp/han-fallback.ttf" >"$out.tmp"
mv "$out.tmp" "$out"
ls -l "$tmp/han-fallback.ttf" "$out"
