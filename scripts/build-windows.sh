#!/usr/bin/env bash
# Cross-builds TitleDesk for Windows on Debian and checks what it built:
#   dist/windows/titledesk.exe         the desktop app: `fyne package` (pinned
#                                      fyne.io/tools) with -H=windowsgui, the icon,
#                                      manifest and version resource from FyneApp.toml
#   dist/windows/titledesk-server.exe  the central server
# (with `--metadata Commit=<git commit>`, shown in 【关于】),
# then fails unless the app is an x86-64 PE32+ GUI executable carrying that icon,
# manifest and version (scripts/pecheck), and the server an x86-64 PE32+ program.
# Called by scripts/test.sh; runnable alone (installs mingw-w64 if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
FYNE_TOOLS=v1.7.4 # fyne.io/tools: the `fyne` command
OUT=dist/windows
now_s() { date +%s; }
T0=$(now_s)

command -v x86_64-w64-mingw32-gcc >/dev/null || bash scripts/deps.sh release
# the fyne command, built once per version (kept across runs like Go's build cache)
TOOLS=${XDG_CACHE_HOME:-$HOME/.cache}/titledesk-tools/fyne-$FYNE_TOOLS
FYNE=$TOOLS/fyne
if [ ! -x "$FYNE" ]; then
  echo "building the fyne command ($FYNE_TOOLS)"
  GOBIN=$TOOLS GOOS= GOARCH= CGO_ENABLED=0 go install "fyne.io/tools/cmd/fyne@$FYNE_TOOLS"
fi

COMMIT=$(git rev-parse --short=12 HEAD 2>/dev/null || true)
NAME=$(sed -n 's/^Name *= *"\(.*\)"$/\1/p' FyneApp.toml)
[ -n "$NAME" ] || { echo "build-windows: no Name in FyneApp.toml" >&2; exit 1; }
mkdir -p "$OUT"
rm -f "$OUT/titledesk.exe" "$OUT/titledesk-server.exe" "$NAME.exe"

# fyne package writes Build+1 back into FyneApp.toml after packaging: keep the
# file as committed (the version resource carries the committed build number).
META_BACKUP=$(mktemp)
cp FyneApp.toml "$META_BACKUP"
restore_meta() { cp "$META_BACKUP" FyneApp.toml && rm -f "$META_BACKUP"; }
trap restore_meta EXIT

echo "building $OUT/titledesk.exe (fyne package -os windows --release)"
# the commit goes in as metadata: fyne package drops GOFLAGS' -ldflags on its second build
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
  "$FYNE" package -os windows --release ${COMMIT:+--metadata "Commit=$COMMIT"}
[ -f "$NAME.exe" ] || { echo "build-windows: fyne package made no '$NAME.exe'" >&2; exit 1; }
mv "$NAME.exe" "$OUT/titledesk.exe"
restore_meta
trap - EXIT

echo "building $OUT/titledesk-server.exe"
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
  go build -trimpath -ldflags "-s -w" \
  -o "$OUT/titledesk-server.exe" ./cmd/titledesk-server

go run ./scripts/pecheck -meta FyneApp.toml "$OUT/titledesk.exe"
go run ./scripts/pecheck -console "$OUT/titledesk-server.exe"
ls -l "$OUT"
echo "build-windows: done in $(($(now_s) - T0)) s"
