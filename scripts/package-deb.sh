#!/usr/bin/env bash
# Builds the Debian package of the desktop app for 统信UOS / 银河麒麟 and other
# Debian-based desktops:
#   dist/linux/titledesk_<Version>-<Build>_<arch>.deb   (FyneApp.toml's Version and Build)
# holding /usr/bin/titledesk, a desktop entry (Office menu), the icon in the hicolor
# theme and the copyright file. Depends is computed by dpkg-shlibdeps from the
# libraries the binary links (glibc, libGL, X11), so the package manager refuses a
# system whose libraries are too old instead of the app failing at start, plus the
# X libraries GLFW opens at run time. The glibc minimum is the build machine's
# (Debian 12: 2.34): build on the oldest system you support (docs/admin-guide.md).
#
#   bash scripts/package-deb.sh          # amd64, built natively
#   bash scripts/package-deb.sh arm64    # cross-built: needs gcc-aarch64-linux-gnu and
#                                        # Debian's arm64 -dev libraries (docs/admin-guide.md)
# Called by scripts/test.sh (amd64). Needs the packages of `scripts/deps.sh release`.
set -euo pipefail
cd "$(dirname "$0")/.."
ARCH=${1:-amd64}
OUT=dist/linux
VERSION=$(sed -n 's/^Version *= *"\(.*\)"$/\1/p' FyneApp.toml)
BUILD=$(sed -n 's/^Build *= *\([0-9][0-9]*\)$/\1/p' FyneApp.toml)
[ -n "$VERSION" ] && [ -n "$BUILD" ] || { echo "package-deb: no Version/Build in FyneApp.toml" >&2; exit 1; }
DEBVERSION=$VERSION-$BUILD
COMMIT=$(git rev-parse --short=12 HEAD 2>/dev/null || true)

command -v dpkg-shlibdeps >/dev/null || bash scripts/deps.sh release

case "$ARCH" in
amd64) CROSS=() ;;
arm64) CROSS=(GOARCH=arm64 CC=aarch64-linux-gnu-gcc PKG_CONFIG_PATH=/usr/lib/aarch64-linux-gnu/pkgconfig) ;;
*) echo "package-deb: unknown architecture $ARCH (amd64 or arm64)" >&2; exit 2 ;;
esac

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
PKG=$STAGE/pkg
install -d "$PKG/DEBIAN" "$PKG/usr/bin" "$PKG/usr/share/applications" \
  "$PKG/usr/share/icons/hicolor/512x512/apps" "$PKG/usr/share/doc/titledesk"

# no -trimpath: the same compile as the tests' build, so the build cache serves both
echo "building usr/bin/titledesk for linux/$ARCH"
env CGO_ENABLED=1 GOOS=linux "${CROSS[@]}" \
  go build -ldflags "-s -w -X titledesk/internal/appmeta.Commit=$COMMIT" -o "$PKG/usr/bin/titledesk" .
install -m 0644 packaging/linux/cn.gov.tj.titledesk.desktop "$PKG/usr/share/applications/"
install -m 0644 assets/icon.png "$PKG/usr/share/icons/hicolor/512x512/apps/cn.gov.tj.titledesk.png"
install -m 0644 packaging/linux/copyright "$PKG/usr/share/doc/titledesk/copyright"

# Depends from the binary's libraries (dpkg-shlibdeps wants a debian/control beside it)
mkdir -p "$STAGE/debian"
printf 'Source: titledesk\n\nPackage: titledesk\nArchitecture: any\n' >"$STAGE/debian/control"
DEPENDS=$(cd "$STAGE" && dpkg-shlibdeps -O -xtitledesk pkg/usr/bin/titledesk 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$DEPENDS" ] || { echo "package-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# GLFW loads these with dlopen, so dpkg-shlibdeps cannot see them
DEPENDS="$DEPENDS, libxcursor1, libxrandr2, libxinerama1, libxi6, libxrender1, libxxf86vm1"
rm -rf "$STAGE/debian"

SIZE=$(du -sk "$PKG/usr" | cut -f1)
cat >"$PKG/DEBIAN/control" <<CONTROL
Package: titledesk
Version: $DEBVERSION
Architecture: $ARCH
Maintainer: TitleDesk developers <titledesk@localhost>
Installed-Size: $SIZE
Depends: $DEPENDS
Recommends: xdg-utils
Section: misc
Priority: optional
Homepage: https://zc.rsj.tj.gov.cn
Description: TitleDesk 职称审核桌面端 (Tianjin professional-title review desktop)
 The desktop client with which the departments (职称业务主管部门) of Tianjin's
 professional-title evaluation system review their own staff's and their
 subordinate units' applications, offline when they must, and sync with the
 central server. Start it from the Office menu or with "titledesk";
 "titledesk -demo" runs it with a built-in demo server.
CONTROL

mkdir -p "$OUT"
DEB=$OUT/titledesk_${DEBVERSION}_$ARCH.deb
dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB" >/dev/null
echo "package-deb: $DEB ($(du -h "$DEB" | cut -f1)); Depends: $DEPENDS"
