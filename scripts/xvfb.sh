# Sourced by the real-window checks (smoke.sh, deb-smoke.sh): start_xvfb
# WxH LOG starts Xvfb on the first free display of $SMOKE_DISPLAYS
# (default :99 down to :90), sets XVFB_PID and exports DISPLAY; returns 1
# if none could be had. The caller kills $XVFB_PID when done.
start_xvfb() {
  local size=$1 log=$2 n
  XVFB_PID=""
  for n in ${SMOKE_DISPLAYS:-99 98 97 96 95 94 93 92 91 90}; do
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
    Xvfb ":$n" -screen 0 "${size}x24" -nolisten tcp >"$log" 2>&1 &
    XVFB_PID=$!
    export DISPLAY=":$n"
    for _ in $(seq 50); do
      xdotool getdisplaygeometry >/dev/null 2>&1 && break
      kill -0 "$XVFB_PID" 2>/dev/null || break
      sleep 0.1
    done
    # answering, and ours: a display taken meanwhile makes our Xvfb exit
    if xdotool getdisplaygeometry >/dev/null 2>&1 && sleep 0.2 && kill -0 "$XVFB_PID" 2>/dev/null; then return 0; fi
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
    XVFB_PID=""
  done
  return 1
}
