#!/usr/bin/env bash
# Real-window smoke test: under Xvfb, in a 1024×600 window (the smallest
# office laptop), start TitleDesk in demo mode, open 本单位人员审核 and the
# first applicant, pass it with a 常用意见 through the 单位推荐和公示 form
# (both uploads through the app's file chooser), then in 下级单位人员审核
# double-click 【通过】 (200 ms apart) and check on the demo server's database
# that exactly one application was passed; take a screenshot of every screen,
# close the window, and check the first pass arrived whole. Screenshots go
# to $SMOKE_OUT/shots (default /tmp/titledesk-smoke), with smoke.log
# (timings) and app.log. Fails on: the app exiting, the window never
# appearing, a blank screenshot, a step that never shows, or the server not
# holding exactly what was done. Called by scripts/test.sh; runnable alone.
#
# Clicks are not fixed positions: the app runs with TITLEDESK_UI_MAP, and
# writes four times a second where its named controls are (ui/uimap.go);
# the script clicks the middle of the control it means and waits for the
# map to show the outcome, so layout changes, window sizes and slow
# machines do not break it.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8 # the script's own number formats; the app gets LANG=zh_CN.UTF-8

OUT=${SMOKE_OUT:-/tmp/titledesk-smoke}
WIN_W=${SMOKE_W:-1024} WIN_H=${SMOKE_H:-600}
SMOKE_BUDGET=${SMOKE_BUDGET:-600} # seconds from launching the app to its clean exit
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
start_xvfb "1366x768" "$OUT/xvfb.log" || fail "could not start Xvfb on any of :${SMOKE_DISPLAYS:-99 … 90}"
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

# ---- the UI map ----------------------------------------------------------------
MAP=$WORK/uimap.tsv
# mark KEY: the map's line for KEY (name, x, y, w, h, enabled|disabled, text)
mark() { awk -F'\t' -v k="$1" '$1 == k { print; exit }' "$MAP" 2>/dev/null || true; }
field() { mark "$1" | cut -f"$2"; }
# wait_mark DESC TIMEOUT KEY [STATE] [TEXT]: until KEY is on screen (in STATE,
# its text containing TEXT)
wait_mark() {
  local desc=$1 timeout=$2 key=$3 state=${4:-} want=${5:-} line st text
  local deadline=$(($(now_ms) + timeout * 1000))
  while :; do
    alive "$desc"
    line=$(mark "$key")
    if [ -n "$line" ]; then
      st=$(cut -f6 <<<"$line") text=$(cut -f7- <<<"$line")
      if { [ -z "$state" ] || [ "$st" = "$state" ]; } && { [ -z "$want" ] || [[ $text == *"$want"* ]]; }; then return 0; fi
    fi
    [ "$(now_ms)" -lt "$deadline" ] || fail "timed out after ${timeout}s waiting for: $desc ($key ${state} ${want}; map: ${line:-absent})"
    sleep 0.2
  done
}
center() {
  local x y w h
  IFS=$'\t' read -r _ x y w h _ <<<"$(mark "$1")"
  echo "$((x + w / 2)) $((y + h / 2))"
}
# click DESC KEY: click the middle of KEY once it is on screen and enabled
click() {
  wait_mark "$1" 30 "$2" enabled
  # shellcheck disable=SC2046
  xdotool mousemove --sync $(center "$2") click 1
}
# type_into KEY TEXT: click into an entry and type ASCII TEXT (xdotool cannot
# type CJK into GLFW reliably)
type_into() {
  click "the field $1" "$1"
  sleep 0.2
  xdotool key ctrl+a
  xdotool type --delay 30 "$2"
  wait_mark "$2 typed into $1" 10 "$1" "" "$2"
}
# into_view KEY SCROLLER: wheel SCROLLER until KEY's middle is inside it (a
# control scrolled out of sight is not in the map: look below, then above)
into_view() {
  local i y sy sh
  for i in $(seq 40); do
    alive "scrolling $1 into view"
    y=-1 sy=$(field "$2" 3) sh=$(field "$2" 5)
    [ -n "$(mark "$1")" ] && y=$(($(field "$1" 3) + $(field "$1" 5) / 2))
    [ "$y" -ge "$((sy + 8))" ] && [ "$y" -le "$((sy + sh - 8))" ] && return 0
    # over the form's labels: an entry under the pointer would take the wheel
    xdotool mousemove --sync "$(($(field "$2" 2) + 24))" "$((sy + sh / 2))"
    if [ "$y" -ge 0 ] && [ "$y" -lt "$sy" ]; then xdotool click 4
    elif [ "$y" -ge 0 ]; then xdotool click 5
    elif [ "$i" -le 20 ]; then xdotool click --repeat 3 5
    else xdotool click --repeat 3 4; fi
    sleep 0.4
  done
  fail "could not scroll $1 into view"
}
settle_shot() { sleep "${2:-0.8}"; grab "$WORK/cur.png"; shot "$1"; }
# the demo server's database
q() { sqlite3 -bail -batch -noheader "$SERVERDB" "$1"; }
SERVERDB=$SCRATCH/cache/TitleDesk/demo/server/titledesk.db

# ---- the app's scratch home --------------------------------------------------
HOMEDIR=$SCRATCH/home
mkdir -p "$HOMEDIR" "$SCRATCH/config/fyne/cn.gov.tj.titledesk"
printf '{"ui.theme":"dark"}\n' >"$SCRATCH/config/fyne/cn.gov.tj.titledesk/preferences.json"
# two small PDFs for the file chooser, and a file it must not list
pdf() { printf '%%PDF-1.4\n%% TitleDesk smoke test: %s\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n' "$2" >"$HOMEDIR/$1"; }
pdf post-status.pdf 事业单位岗位情况表
pdf publicity.pdf 公示材料
echo "not an attachment" >"$HOMEDIR/notes.txt"

# ---- start -------------------------------------------------------------------
log "starting ./titledesk -demo"
T_LAUNCH=$(now_ms)
env -u DBUS_SESSION_BUS_ADDRESS -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 FYNE_SCALE=1 \
  HOME="$HOMEDIR" XDG_CONFIG_HOME="$SCRATCH/config" XDG_CACHE_HOME="$SCRATCH/cache" TITLEDESK_UI_MAP="$MAP" \
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
xdotool windowfocus "$WIN" 2>/dev/null || true
first_frame() { busy "$WORK/cur.png" "${WIN_W}x${WIN_H}+0+0" 32; }
wait_for "the first frame" 60 first_frame
log "first frame after $(secs "$T_LAUNCH" "$(now_ms)") s"
[ -n "$(mark nav/首页)" ] || { grab "$WORK/cur.png"; shot login; }
wait_mark "the dashboard (demo seeded, first sync done)" 150 nav/本单位人员审核
log "dashboard after $(secs "$T_LAUNCH" "$(now_ms)") s"
# The window at 0,0 and WIN_W×WIN_H: the status bar's 【立即同步】 ends at the
# window's right edge once the app has taken the new size.
sized() { local r; r=$(( $(field status/sync 2) + $(field status/sync 4) )); [ "$r" -le "$WIN_W" ] && [ "$r" -ge "$((WIN_W - 16))" ]; }
for _ in $(seq 30); do
  xdotool windowmove "$WIN" 0 0 windowsize "$WIN" "$WIN_W" "$WIN_H"
  sleep 0.5
  sized && break
done
sized || fail "the window did not take ${WIN_W}×${WIN_H} (map: $(mark status/sync))"
log "window ${WIN_W}×${WIN_H}"
settle_shot dashboard 1.5

# ---- 本单位人员审核 → first applicant → 常用意见 → 【通过】 → the form ------------------
click "本单位人员审核" nav/本单位人员审核
wait_mark "本单位人员审核 with its rows" 30 row/0/act enabled
settle_shot own-unit-list
click "【审核】 of the first row" row/0/act
wait_mark "the review view, 【通过】 armed" 30 view/pass enabled
settle_shot review-view
click "the 常用意见 drop-down" view/stock
sleep 0.6
xdotool key Down Return
wait_mark "a 常用意见 in the opinion box" 15 view/opinion "" "同意"
settle_shot stock-comment
click "【通过】" view/pass
wait_mark "the 单位推荐和公示 form, its submit armed" 30 form/submit enabled
settle_shot pass-form
for f in publicity_start:2026-03-02 publicity_end:2026-03-13 "publicity_method:Notice board" "publicity_place:$MARKER" \
  "publicity_result:No objection" "group_opinion:Recommended unanimously (smoke test)" group_size:5 votes_for:5; do
  key=form/field/${f%%:*}
  into_view "$key" form/scroll
  type_into "$key" "${f#*:}"
done
settle_shot form-filled

# ---- uploads through the app's file chooser --------------------------------------
into_view form/upload/publicity form/scroll
click "【上传公示材料】" form/upload/publicity
wait_mark "the file chooser listing publicity.pdf" 30 file/item/publicity.pdf
[ -z "$(mark file/item/notes.txt)" ] || fail "the file chooser lists notes.txt (only PDF, JPG and PNG)"
click "publicity.pdf" file/item/publicity.pdf
settle_shot file-chooser 0.5
click "【打开】" file/ok
wait_mark "publicity.pdf attached" 30 form/file/0 "" "publicity.pdf"
into_view form/upload/post_status_form form/scroll
click "【上传事业单位岗位情况表】" form/upload/post_status_form
wait_mark "the file chooser again, in the same folder" 30 file/item/post-status.pdf
click "post-status.pdf" file/item/post-status.pdf
click "【打开】" file/ok
wait_mark "post-status.pdf attached" 30 form/file/1 "" "post-status.pdf"
into_view form/file/1 form/scroll
settle_shot attachments 0.5

# ---- submit ----------------------------------------------------------------------
click "【确认提交】" form/submit
wait_mark "the pass queued, its note shown" 30 view/note "" "已通过"
settle_shot passed

[ -f "$SERVERDB" ] || fail "no demo server database at $SERVERDB"
demo_unit=$(q "SELECT unit_id FROM accounts WHERE username = 'demo'")
passes() { # passes by the demo department out of 下级单位人员审核, on the server
  q "SELECT count(*) FROM applications a, json_each(a.data, '\$.flow') f WHERE json_extract(f.value, '\$.action') = 'pass'
     AND json_extract(f.value, '\$.unit_id') = '$demo_unit' AND json_extract(f.value, '\$.from_stage') = 'subordinate'"
}

# ---- a double-click on 【通过】 decides one applicant ---------------------------------
click "下级单位人员审核" nav/下级单位人员审核
wait_mark "下级单位人员审核 with its rows" 30 row/0/act enabled
click "【审核】 of the first row" row/0/act
wait_mark "the review view, 【通过】 armed" 30 view/pass enabled
before=$(passes)
first=$(field view/title 7)
# shellcheck disable=SC2046
xdotool mousemove --sync $(center view/pass) click --repeat 2 --delay 200 1
wait_mark "the next applicant after the pass" 30 view/note "" "已通过"
[ "$(field view/title 7)" != "$first" ] || fail "still on $first after 【通过】"
settle_shot double-click 0.3
click "【立即同步】" status/sync
deadline=$(($(now_ms) + 60000))
until [ "$(passes)" -gt "$before" ]; do
  alive "waiting for the pass to reach the server"
  [ "$(now_ms)" -lt "$deadline" ] || fail "the pass did not reach the server within 60 s"
  sleep 0.5
done
wait_mark "待同步 0" 60 status/pending "" "待同步 0 条"
sleep 1
after=$(passes)
[ "$after" -eq "$((before + 1))" ] || fail "a double-click on 【通过】 passed $((after - before)) applications, want 1"
log "double-click on 【通过】: exactly one application passed on the server ($first)"
wait_mark "the note follows the sync" 30 view/note "" "已同步"

# ---- every screen at this size ---------------------------------------------------
for n in 首页 已审核列表 下级单位注册审核 下级单位管理 专家推荐 消息推送 查询统计 设置; do
  into_view "nav/$n" nav # at 600 pixels the navigation scrolls
  click "$n" "nav/$n"
  sleep 1
  if [ "$n" = 已审核列表 ]; then # sideways: the scrolled columns pass under the fixed ones
    wait_mark "已审核列表 rows" 30 row/0/act
    # shellcheck disable=SC2046
    xdotool mousemove --sync $(center row/0/act) mousemove_relative 500 0
    for _ in 1 2 3 4 5 6; do xdotool click 7; done
  fi
  settle_shot "screen-$n" 1
done

# ---- close -----------------------------------------------------------------------
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
[ "$(passes)" -eq "$after" ] || fail "more passes out of 下级单位人员审核 arrived after the double-click: $(passes), want $after"
if [ -z "$stock" ] || [ "$opinion" != "$stock" ]; then fail "the opinion is [$opinion], not the first 常用意见 [$stock]"; fi
[ "$start" = 2026-03-02 ] || fail "公示开始日期 on the server is '$start'"
[ "$kinds" = "post_status_form:post-status.pdf,publicity:publicity.pdf" ] || fail "attachments on the server: '$kinds'"
[ "$stored" = 2 ] || fail "only $stored of the 2 attachments' bytes reached the server"
log "smoke test passed in $(secs "$T0" "$(now_ms)") s"
