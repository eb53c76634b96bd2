#!/usr/bin/env bash
# Real-window smoke test (issue #4): under Xvfb, start TitleDesk in demo mode,
# wait for the window, open 本单位人员审核, open the first applicant, pass it
# with a 常用意见 through the 单位推荐和公示 form (both uploads through Fyne's
# file dialog), sync, close the window, and check on the demo server's
# database that the pass arrived. A screenshot after each step goes to
# $SMOKE_OUT/shots (default /tmp/titledesk-smoke), with smoke.log (timings)
# and app.log. Fails on: the app exiting, the window never appearing, a
# blank screenshot, a step that never shows on screen, or the action
# missing on the server. Called by scripts/test.sh; runnable alone.
#
# Clicks are layout positions for the window at 0,0 sized 1280×800 (Fyne
# scale 1, dark theme); after each click the script waits until the screen
# has changed and settled, and checks a probe region where a step has a
# tell-tale (a blue primary button, a row of the list), so a slow machine
# waits longer instead of clicking ahead.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8 # the script's own number formats; the app gets LANG=zh_CN.UTF-8

OUT=${SMOKE_OUT:-/tmp/titledesk-smoke}
WIN_W=1280 WIN_H=800
SMOKE_BUDGET=${SMOKE_BUDGET:-180} # seconds from launching the app to its clean exit
MARKER="Smoke board $(date +%s)" # 公示地点: finds our pass on the server

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd) # the app's XDG directories must be absolute
SHOTS=$OUT/shots     # the screenshots of the steps (CI artifacts)
WORK=$OUT/work       # poll screenshots, the xclose helper
SCRATCH=$OUT/scratch # HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME of the app
LOG=$OUT/smoke.log   # steps and timings
APPLOG=$OUT/app.log  # the app's stdout and stderr
rm -rf "$SHOTS" "$WORK" "$SCRATCH" "$LOG" "$APPLOG"
mkdir -p "$SHOTS" "$WORK" "$SCRATCH/config" "$SCRATCH/cache"

now_ms() { local t=${EPOCHREALTIME//[.,]/}; echo $((t / 1000)); }
T0=$(now_ms)
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
log() { printf '[%5ss] %s\n' "$(secs "$T0" "$(now_ms)")" "$*" | tee -a "$LOG"; }

XVFB_PID="" APP_PID="" FAILED=""
cleanup() {
  local rc=$?
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  if [ -n "$XVFB_PID" ]; then kill "$XVFB_PID" 2>/dev/null || true; wait "$XVFB_PID" 2>/dev/null || true; fi
  if [ $rc -ne 0 ] || [ -n "$FAILED" ]; then
    echo "smoke: FAILED — screenshots and logs in $OUT" >&2
    [ -s "$APPLOG" ] && { echo "--- last lines of app.log:" >&2; tail -n 20 "$APPLOG" >&2; }
  else
    echo "smoke: passed — screenshots and logs in $OUT"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() {
  FAILED=1
  log "FAIL: $*"
  # what the screen shows now (or the last poll if the display is gone)
  if [ -n "$XVFB_PID" ] && kill -0 "$XVFB_PID" 2>/dev/null && scrot -o "$SHOTS/zz-failure.png" 2>/dev/null; then :
  elif [ -f "$WORK/cur.png" ]; then cp "$WORK/cur.png" "$SHOTS/zz-failure.png"; fi
  exit 1
}

# ---- build and tools ---------------------------------------------------------
bash scripts/deps.sh
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/deps.sh installs it)"
export CGO_ENABLED=1
log "building ./titledesk and the xclose helper"
go build -o titledesk .
go build -o "$WORK/xclose" ./scripts/xclose
log "built"

# ---- Xvfb on a free display ----------------------------------------------------
source scripts/xvfb.sh
start_xvfb "${WIN_W}x${WIN_H}" "$OUT/xvfb.log" || fail "could not start Xvfb on any of :${SMOKE_DISPLAYS:-99 … 90}"
log "Xvfb on $DISPLAY ($(xdotool getdisplaygeometry))"

# ---- images --------------------------------------------------------------------
grab() { scrot -o "$1" 2>/dev/null || import -window root "$1"; }
# pixels differing by more than 2 % between two screenshots
diff_px() { compare -metric AE -fuzz 2% "$1" "$2" null: 2>&1 | awk '{ printf "%d", $1 + 0 }' || true; }
# "colours stddev" of an image or a region WxH+X+Y of it (a NaN stddev is 0)
stats() {
  convert "$1" ${2:+-crop "$2" +repage} -format '%k %[fx:standard_deviation]' info: 2>/dev/null |
    awk '{ s = $2 + 0; if ($2 ~ /nan/) s = 0; printf "%d %.4f", $1, s }'
}
# a region shows something (not one flat colour)
busy() { local k; k=$(stats "$1" "$2" | cut -d' ' -f1); [ "$k" -ge "${3:-12}" ]; }
# a region is mostly the theme's primary blue (a HighImportance button)
blue() {
  convert "$1" -crop "$2" +repage -format '%[fx:mean.r] %[fx:mean.g] %[fx:mean.b]' info: |
    awk '{ exit !($3 > 0.7 && $3 > $1 + 0.3) }'
}
# alive DESC: the app is still running, and the run is within its time budget
DEADLINE=""
alive() {
  kill -0 "$APP_PID" 2>/dev/null || { wait "$APP_PID" 2>/dev/null; fail "the app exited (status $?) during: $1"; }
  [ -z "$DEADLINE" ] || [ "$(now_ms)" -lt "$DEADLINE" ] || fail "over the ${SMOKE_BUDGET}s budget during: $1"
}

STEP=0
# shot NAME: keep the current (settled) screen as the next numbered screenshot
# and check that it is not blank.
shot() {
  STEP=$((STEP + 1))
  local f
  f=$SHOTS/$(printf '%02d' "$STEP")-$1.png
  cp "$WORK/cur.png" "$f"
  read -r k sd <<<"$(stats "$f")"
  if [ "$k" -lt 32 ] || awk -v s="$sd" 'BEGIN { exit !(s < 0.03) }'; then
    fail "screenshot $(basename "$f") is blank ($k colours, stddev $sd)"
  fi
  alive "$1"
  log "step $STEP $1: $(basename "$f") ($k colours, stddev $sd)"
}

# wait_for DESC TIMEOUT CHECK…: take screenshots ($WORK/cur.png; the one
# before is prev.png) until the command CHECK… succeeds on it.
wait_for() {
  local desc=$1 timeout=$2
  shift 2
  local deadline=$(($(now_ms) + timeout * 1000))
  while :; do
    alive "$desc"
    grab "$WORK/cur.png"
    "$@" && return 0
    [ "$(now_ms)" -lt "$deadline" ] || fail "timed out after ${timeout}s waiting for: $desc"
    cp "$WORK/cur.png" "$WORK/prev.png"
    sleep 0.25
  done
}

# Checks for wait_for. changed: the screen differs from before.png by more
# than a hover or a blinking cursor, and has stopped changing (the same as
# the previous poll within a few pixels).
changed() {
  [ -f "$WORK/prev.png" ] || return 1
  local d s
  d=$(diff_px "$WORK/before.png" "$WORK/cur.png")
  s=$(diff_px "$WORK/prev.png" "$WORK/cur.png")
  [ "$d" -gt 300 ] && [ "$s" -lt 120 ]
}
changed_and() { changed && "$@"; }
# Probes: regions of the 1280×800 window where a step has a tell-tale.
main_screen() { busy "$WORK/cur.png" 200x480+5+55 40; }          # the navigation tree
list_rows() { busy "$WORK/cur.png" 16x16+234+207 3; }             # the first row's checkbox
view_open() { blue "$WORK/cur.png" 200x26+835+716; }              # 【通过】 of the review view
form_open() { blue "$WORK/cur.png" 60x22+648+681; }               # 【确认提交】 of the form
days_hint() { busy "$WORK/cur.png" 60x14+925+176 8; }             # 共 N 个工作日 beside 公示结束日期
# the file dialog's sidebar below 【Computer】 is empty; the form has labels there
file_dialog() { ! busy "$WORK/cur.png" 140x300+268+260 2; }
no_file_dialog() { busy "$WORK/cur.png" 140x300+268+260 2; }
file_picked() { blue "$WORK/cur.png" 36x22+975+627; }             # 【打开】 enabled
first_file() { no_file_dialog && busy "$WORK/cur.png" 60x24+942+646 20; } # the first attachment's 【删除】
second_file() { busy "$WORK/cur.png" 80x16+500+640 8; }           # the second one's longer name, scrolled to the end
passed_view() { ! form_open && blue "$WORK/cur.png" 200x20+835+683; } # 【通过】 moved up by 已通过：…

# act DESC TIMEOUT X Y CHECK…: click at X,Y and wait for CHECK.
act() {
  local desc=$1 timeout=$2 x=$3 y=$4
  shift 4
  xdotool mousemove --sync "$x" "$y"
  sleep 0.3 # let the hover highlight settle before the "before" picture
  grab "$WORK/before.png"
  rm -f "$WORK/prev.png"
  xdotool click 1
  wait_for "$desc" "$timeout" "$@"
}
# type_in X Y TEXT: click into an entry and type ASCII TEXT (xdotool cannot
# type CJK into GLFW reliably: it remaps one spare keycode per character).
type_in() {
  xdotool mousemove --sync "$1" "$2" click 1
  sleep 0.3
  xdotool type --delay 40 "$3"
  sleep 0.2
}

# ---- the app's scratch home --------------------------------------------------
HOMEDIR=$SCRATCH/home
mkdir -p "$HOMEDIR" "$SCRATCH/config/fyne/cn.gov.tj.titledesk"
# dark theme (the probes' colours); the same as "follow the system" here
printf '{"ui.theme":"dark"}\n' >"$SCRATCH/config/fyne/cn.gov.tj.titledesk/preferences.json"
# two small PDFs for the file dialog's first listing (sorted: post-status, publicity)
pdf() { printf '%%PDF-1.4\n%% TitleDesk smoke test: %s\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n' "$2" >"$HOMEDIR/$1"; }
pdf post-status.pdf 事业单位岗位情况表
pdf publicity.pdf 公示材料

# ---- start -------------------------------------------------------------------
log "starting ./titledesk -demo"
T_LAUNCH=$(now_ms)
env -u DBUS_SESSION_BUS_ADDRESS -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 FYNE_SCALE=1 \
  HOME="$HOMEDIR" XDG_CONFIG_HOME="$SCRATCH/config" XDG_CACHE_HOME="$SCRATCH/cache" \
  ./titledesk -demo >"$APPLOG" 2>&1 &
APP_PID=$!
log "app pid $APP_PID"

DEADLINE=$((T_LAUNCH + SMOKE_BUDGET * 1000))
WIN=""
for _ in $(seq 60); do # --sync in 1 s slices, so a crash is noticed at once
  WIN=$(timeout 1 xdotool search --sync --onlyvisible --name '^TitleDesk' 2>/dev/null | head -n1 || true)
  [ -n "$WIN" ] && break
  alive "waiting for the window"
done
[ -n "$WIN" ] || fail "the window never appeared (60 s)"
log "window up after $(secs "$T_LAUNCH" "$(now_ms)") s (id $WIN)"
xdotool windowmove "$WIN" 0 0 windowsize "$WIN" "$WIN_W" "$WIN_H"
xdotool windowfocus "$WIN" 2>/dev/null || true
for _ in $(seq 40); do
  geo=$(xdotool getwindowgeometry "$WIN" | tr -d '\n ')
  [[ $geo == *"Position:0,0"*"Geometry:${WIN_W}x${WIN_H}" ]] && break
  sleep 0.1
done
[[ $geo == *"Geometry:${WIN_W}x${WIN_H}" ]] || fail "could not move/resize the window: $geo"

first_frame() { busy "$WORK/cur.png" "${WIN_W}x${WIN_H}+0+0" 32; }
wait_for "the first frame" 60 first_frame
log "first frame after $(secs "$T_LAUNCH" "$(now_ms)") s"
# the login screen while the demo server seeds and syncs (a short first run may skip it)
main_screen || shot login
wait_for "the dashboard (demo seeded, first sync done)" 150 main_screen
log "dashboard after $(secs "$T_LAUNCH" "$(now_ms)") s"
sleep 1 && grab "$WORK/cur.png" # the dashboard's figures load just after it shows
shot dashboard

# ---- 本单位人员审核 → first applicant → 常用意见 → 【通过】 --------------------------
act "本单位人员审核 with its rows" 30 112 138 changed_and list_rows
shot own-unit-list
act "the review view of the first row" 30 372 215 changed_and view_open
shot review-view
act "the 常用意见 drop-down" 15 980 152 changed
act "the first 常用意见 in the opinion box" 15 945 186 changed
shot stock-comment
act "the 单位推荐和公示 form" 30 933 729 changed_and form_open
shot pass-form

# ---- the form: typed ASCII, picked options ----------------------------------
type_in 700 147 2026-03-02           # 公示开始日期
type_in 690 184 2026-03-13           # 公示结束日期 (10 working days)
wait_for "共 10 个工作日 beside the dates (typing works)" 10 days_hint
act "公示方式 options" 15 987 220 changed
act "公示方式 chosen" 15 460 252 changed  # 单位内部公示栏张贴
type_in 700 257 "$MARKER"            # 公示地点
act "公示结果 options" 15 987 292 changed
act "公示结果 chosen" 15 450 324 changed  # 公示期间无异议
type_in 700 343 "Recommended unanimously (smoke test)" # 推荐小组意见
type_in 700 399 5                    # 推荐小组人数
type_in 700 435 5                    # 赞成票
grab "$WORK/cur.png"
shot form-filled

# ---- uploads through Fyne's file dialog ----------------------------------------
# 公示材料 (the kind selected first): publicity.pdf, the second file
act "the file dialog" 30 527 618 changed_and file_dialog
act "publicity.pdf selected" 15 635 280 changed_and file_picked
shot file-dialog
act "publicity.pdf attached" 30 993 638 changed_and first_file
# 事业单位岗位情况表: post-status.pdf, the first file
act "the attachment kinds" 15 410 618 changed
act "事业单位岗位情况表 chosen" 15 420 688 changed
act "the file dialog again" 30 527 618 changed_and file_dialog
act "post-status.pdf selected" 15 550 280 changed_and file_picked
act "the file dialog closed" 30 993 638 changed_and no_file_dialog
# scroll the form to its end until the second attachment's row shows
xdotool mousemove --sync 320 450 # over the labels: an entry under the pointer would take the wheel
scrolled_to_both() { xdotool click 5; sleep 0.3; grab "$WORK/cur.png"; second_file; }
wait_for "both attachments listed" 20 scrolled_to_both
shot attachments

# ---- submit, sync, close -----------------------------------------------------
act "the pass queued (next applicant shown)" 30 678 692 changed_and passed_view
shot passed

q() { sqlite3 -bail -batch -noheader "$SERVERDB" "$1"; }
SERVERDB=$SCRATCH/cache/TitleDesk/demo/server/titledesk.db
[ -f "$SERVERDB" ] || fail "no demo server database at $SERVERDB"
on_server() {
  [ "$(q "SELECT count(*) FROM applications WHERE json_extract(data, '\$.recommendation.publicity_place') = '$MARKER'
            AND json_extract(data, '\$.flow[#-1].action') = 'pass'" 2>/dev/null)" = 1 ]
}
act "【立即同步】" 15 1228 778 true
deadline=$(($(now_ms) + 60000))
until on_server; do
  alive "waiting for the pass to reach the server"
  [ "$(now_ms)" -lt "$deadline" ] || { grab "$WORK/cur.png"; fail "the pass did not reach the server within 60 s"; }
  sleep 0.5
done
log "the pass is on the server"
sleep 1.5 # the status bar's 待同步 0 条 after the sync's status callback
grab "$WORK/cur.png"
shot synced

log "closing the window (WM_DELETE_WINDOW)"
"$WORK/xclose" "$WIN" || fail "could not send WM_DELETE_WINDOW to the window"
for _ in $(seq 150); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$APP_PID" 2>/dev/null; then fail "the app did not quit within 30 s of closing its window"; fi
status=0
wait "$APP_PID" || status=$?
APP_PID=""
[ "$status" -eq 0 ] || fail "the app exited with status $status after closing its window"
log "the app quit cleanly"

# ---- the action on the server ------------------------------------------------
read_app() { q "SELECT json_extract(data, '\$.$1') FROM applications WHERE json_extract(data, '\$.recommendation.publicity_place') = '$MARKER'"; }
n=$(q "SELECT count(*) FROM applications WHERE json_extract(data, '\$.recommendation.publicity_place') = '$MARKER'")
[ "$n" = 1 ] || fail "expected 1 application with 公示地点 '$MARKER' on the server, found $n"
demo_unit=$(q "SELECT unit_id FROM accounts WHERE username = 'demo'")
stock=$(q "SELECT json_extract(s.data, '\$.text') FROM stock_comments s JOIN accounts a ON a.id = s.account_id
           WHERE a.username = 'demo' ORDER BY json_extract(s.data, '\$.position') LIMIT 1")
action=$(read_app 'flow[#-1].action')
unit=$(read_app 'flow[#-1].unit_id')
opinion=$(read_app 'flow[#-1].opinion')
from=$(read_app 'flow[#-1].from_stage')
stage=$(read_app stage)
start=$(read_app recommendation.publicity_start)
kinds=$(q "SELECT group_concat(k, ',') FROM (SELECT json_extract(f.value, '\$.kind') || ':' || json_extract(f.value, '\$.name') AS k
           FROM applications a, json_each(a.data, '\$.recommendation.attachments') f
           WHERE json_extract(a.data, '\$.recommendation.publicity_place') = '$MARKER' ORDER BY k)")
stored=$(q "SELECT count(*) FROM attachments WHERE stored = 1 AND sha256 IN (SELECT json_extract(f.value, '\$.sha256')
            FROM applications a, json_each(a.data, '\$.recommendation.attachments') f
            WHERE json_extract(a.data, '\$.recommendation.publicity_place') = '$MARKER')")
who=$(q "SELECT json_extract(p.data, '\$.name') FROM applicants p JOIN applications a ON a.applicant_id = p.id
         WHERE json_extract(a.data, '\$.recommendation.publicity_place') = '$MARKER'")
log "server: $who — last step $action by $unit from $from, now $stage; opinion [$opinion]; attachments $kinds ($stored stored)"
[ "$action" = pass ] || fail "the last flow step is '$action', not a pass"
[ "$unit" = "$demo_unit" ] || fail "the pass was recorded for unit $unit, not the demo department $demo_unit"
[ "$from" = own_unit ] || fail "the pass was from stage '$from', not 本单位人员审核 (own_unit)"
[ "$stage" != own_unit ] || fail "the application is still in 本单位人员审核"
if [ -z "$stock" ] || [ "$opinion" != "$stock" ]; then fail "the opinion is [$opinion], not the first 常用意见 [$stock]"; fi
[ "$start" = 2026-03-02 ] || fail "公示开始日期 on the server is '$start'"
[ "$kinds" = "post_status_form:post-status.pdf,publicity:publicity.pdf" ] || fail "attachments on the server: '$kinds'"
[ "$stored" = 2 ] || fail "only $stored of the 2 attachments' bytes reached the server"
log "smoke test passed in $(secs "$T0" "$(now_ms)") s"
