#!/usr/bin/env bash
# Installs the Debian packages TitleDesk needs to build, test and run:
# Fyne's GLFW headers, Xvfb and friends plus sqlite3 for the real-window smoke test, and
# poppler-utils for the PDF checks. `deps.sh release` adds what the release
# builds need: mingw-w64 for Windows (build-windows.sh), dpkg-dev, file and
# desktop-file-utils for the .deb (package-deb.sh, deb-smoke.sh).
# Safe to run again; skips what is there.
set -euo pipefail
pkgs=(gcc pkg-config libgl1-mesa-dev xorg-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev
      libxxf86vm-dev xvfb xdotool scrot imagemagick poppler-utils sqlite3)
if [ "${1:-}" = release ]; then
  pkgs+=(gcc-mingw-w64-x86-64 dpkg-dev file desktop-file-utils)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v go >/dev/null || { echo "Go 1.26 is required: https://go.dev/dl/" >&2; exit 1; }
