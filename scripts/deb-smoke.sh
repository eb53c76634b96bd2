#!/usr/bin/env bash
# The amd64 .deb as an office PC gets it: `dpkg -i`, then the installed
# /usr/bin/titledesk started in demo mode under Xvfb (1366×768) as a fresh
# user would, until its main screen shows after the first sync; then the
# window is closed. Fails if the package does not install, a packaged file
# is missing or invalid, the version differs from FyneApp.toml, the window
# never shows or stays blank, the app does not quit cleanly, or the log
# file is missing or holds any ID number or phone of the demo data. The
# package is removed again at the end (KEEP_INSTALLED=1 keeps it).
# Screenshot and logs in $DEB_SMOKE_OUT (default /tmp/titledesk-deb-smoke).
#
#   bash scripts/deb-smoke.sh [dist/linux/titledesk_<version>_amd64.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8
DEB=${1:-$(ls -t dist/linux/titledesk_*_amd64.deb 2>/dev/null | head -n1)}
[ -f "$DEB" ] || { echo "deb-smoke: no .deb (run scripts/package-deb.sh)" >&2; exit 1; }
OUT=${DEB_SMOKE_OUT:-/tmp/titledesk-deb-smoke}
rm -rf "$OUT" && mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SCRATCH=$OUT/home
mkdir -p "$SCRATCH"
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
T0=$(date +%s)
log() { printf '[%4ss] %s\n' "$(($(date +%s) - T0))" "$*" | tee -a "$OUT/deb-smoke.log"; }

XVFB_PID="" APP_PID=""
cleanup() {
  local rc=$?
  [ -z "$APP_PID" ] || { kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; }
  [ -z "$XVFB_PID" ] || { kill "$XVFB_PID" 2>/dev/null || true; wait "$XVFB_PID" 2>/dev/null || true; }
  if [ "${KEEP_INSTALLED:-}" != 1 ] && dpkg-query -W titledesk >/dev/null 2>&1; then $sudo dpkg -r titledesk >/dev/null || true; fi
  if [ $rc -ne 0 ]; then
    echo "deb-smoke: FAILED — screenshot and logs in $OUT" >&2
    [ -s "$OUT/app.log" ] && tail -n 20 "$OUT/app.log" >&2
  fi
}
trap cleanup EXIT
fail() { log "FAIL: $*"; exit 1; }

# ---- install -----------------------------------------------------------------
log "dpkg -i $DEB"
$sudo dpkg -i "$DEB" >"$OUT/dpkg.log" 2>&1 || { cat "$OUT/dpkg.log" >&2; fail "dpkg -i failed"; }
status=$(dpkg-query -W -f='${Status} ${Version}' titledesk)
want_version="$(sed -n 's/^Version *= *"\(.*\)"$/\1/p' FyneApp.toml)-$(sed -n 's/^Build *= *\([0-9]*\)$/\1/p' FyneApp.toml)"
[ "$status" = "install ok installed $want_version" ] || fail "dpkg says '$status', want 'install ok installed $want_version'"
DESKTOP=/usr/share/applications/cn.gov.tj.titledesk.desktop
ICON=/usr/share/icons/hicolor/512x512/apps/cn.gov.tj.titledesk.png
for f in /usr/bin/titledesk "$DESKTOP" "$ICON" /usr/share/doc/titledesk/copyright; do
  [ -s "$f" ] || fail "the package did not install $f"
done
desktop-file-validate "$DESKTOP" || fail "$DESKTOP is not a valid desktop entry"
[ "$(sed -n 's/^Exec=//p' "$DESKTOP")" = titledesk ] && [ "$(sed -n 's/^Icon=//p' "$DESKTOP")" = cn.gov.tj.titledesk ] ||
  fail "the desktop entry does not start titledesk with its icon"
file -b "$ICON" | grep -q '^PNG image data, 512 x 512' || fail "icon: $(file -b "$ICON")"
# the package declares what the binary needs
deps=$(dpkg-query -W -f='${Depends}' titledesk)
for d in libc6 libgl1 libx11-6 libxcursor1 libxrandr2; do
  [[ ", $deps" == *", $d"* ]] || fail "Depends lacks $d: $deps"
done
v=$(/usr/bin/titledesk -version)
[[ "$v" == *" ${want_version%-*} (build ${want_version##*-};"* ]] || fail "titledesk -version says '$v'"
log "installed: $status; $v"

# ---- start the installed app ---------------------------------------------------
source scripts/xvfb.sh
start_xvfb 1366x768 "$OUT/xvfb.log" || fail "could not start Xvfb"
go build -o "$OUT/xclose" ./scripts/xclose
log "Xvfb on $DISPLAY; starting /usr/bin/titledesk -demo"
cd "$SCRATCH" # not the source tree: the installed app must not need it
env -i PATH=/usr/bin:/bin DISPLAY="$DISPLAY" HOME="$SCRATCH" LANG=zh_CN.UTF-8 FYNE_SCALE=1 \
  /usr/bin/titledesk -demo >"$OUT/app.log" 2>&1 &
APP_PID=$!
cd - >/dev/null
alive() { kill -0 "$APP_PID" 2>/dev/null || fail "the installed app exited during: $1"; }
WIN=""
for _ in $(seq 60); do
  alive "start-up"
  WIN=$(timeout 1 xdotool search --sync --onlyvisible --name '^TitleDesk' 2>/dev/null | head -n1 || true)
  [ -n "$WIN" ] && break
done
[ -n "$WIN" ] || fail "no TitleDesk window within 60 s"
log "window $WIN: $(xdotool getwindowname "$WIN")"

# the main screen after the first sync: the navigation tree at the left
# (the login screen has nothing there) and a busy, non-blank screen
shot=$OUT/installed-main.png
main_shown() {
  import -window root "$shot" 2>/dev/null || return 1
  local nav all
  nav=$(convert "$shot" -crop 200x480+5+55 +repage -format '%k' info:)
  all=$(convert "$shot" -format '%k' info:)
  [ "$nav" -ge 40 ] && [ "$all" -ge 200 ]
}
deadline=$(($(date +%s) + 150))
until main_shown; do
  alive "the first sync"
  [ "$(date +%s)" -lt "$deadline" ] || fail "the main screen did not show within 150 s ($shot)"
  sleep 1
done
log "main screen shown ($shot)"

"$OUT/xclose" "$WIN" || fail "could not close the window"
for _ in $(seq 150); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.2; done
kill -0 "$APP_PID" 2>/dev/null && fail "the app did not quit within 30 s of closing its window"
rc=0; wait "$APP_PID" || rc=$?
APP_PID=""
[ "$rc" -eq 0 ] || fail "the app exited with status $rc"
log "the app quit cleanly"

# ---- its log: where the guide says, and no personal data -----------------------
APPLOG=$SCRATCH/.local/state/TitleDesk/logs/titledesk.log
[ -s "$APPLOG" ] || fail "no log at $APPLOG"
for w in "TitleDesk starting" "version=${want_version%-*}" "TitleDesk stopped"; do
  grep -qF "$w" "$APPLOG" || fail "the log lacks '$w'"
done
DB=$SCRATCH/.cache/TitleDesk/demo/server/titledesk.db
[ -f "$DB" ] || fail "no demo server database at $DB"
sqlite3 -batch -noheader "$DB" "SELECT json_extract(data, '\$.id_number') FROM applicants
  UNION SELECT json_extract(data, '\$.phone') FROM applicants" | grep -v '^$' >"$OUT/personal.txt"
[ "$(wc -l <"$OUT/personal.txt")" -gt 100 ] || fail "found too few ID numbers and phones to check against"
if grep -F -f "$OUT/personal.txt" "$APPLOG" "$OUT/app.log" >"$OUT/leaks.txt"; then
  fail "the log holds personal data: $(head -c 300 "$OUT/leaks.txt")"
fi
cp "$APPLOG" "$OUT/titledesk.log"
log "log $APPLOG: $(wc -l <"$APPLOG") lines, none of $(wc -l <"$OUT/personal.txt") ID numbers and phones"
log "deb-smoke: passed"
