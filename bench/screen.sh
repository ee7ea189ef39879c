#!/usr/bin/env bash
# Screen benchmark: frame times and what `kiosk run` costs, with the software renderer.
#   bench/screen.sh            (builds the release preset first)
# 1. frame times at 1920x1080: full redraws (plugin + status line + texture upload) and
#    transition frames, push and fade, from a fast-rotating playlist;
# 2. CPU seconds per minute and peak RSS of the demo playlist rotating for 60 s;
# 3. the same for a single static slide (what an idle kiosk costs).
# Under a virtual X display (Xvfb) when one is installed, else SDL's offscreen driver.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
bin=build/release/bin/kiosk
measure=build/release/bench/measure
tmp=$(mktemp -d)
xvfb_pid=
cleanup() { [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
if command -v Xvfb >/dev/null; then
  Xvfb :77 -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  sleep 1
  export DISPLAY=:77
  unset SDL_VIDEODRIVER
  echo "display: Xvfb 1920x1080 (X11)"
else
  export SDL_VIDEODRIVER=offscreen
  echo "display: SDL offscreen driver"
fi
demo_conf=build/release/share/kiosk/demo/kiosk.conf
demo_feed=$PWD/build/release/share/kiosk/demo/demo-vn766.json
sed -e 's/duration_s = [0-9]*/duration_s = 2/' -e "s|url = demo-vn766.json|url = $demo_feed|" \
  "$demo_conf" > "$tmp/fast.conf"
sed -e 's/^transition = fade/transition = push/' "$tmp/fast.conf" > "$tmp/push.conf"
sed -e "s|url = demo-vn766.json|url = $demo_feed|" "$demo_conf" > "$tmp/demo.conf"
awk '/^\[slide.national\]/{print; print "plugin = leaderboard"; print "duration_s = 60"; skip=1; next}
     /^\[slide\./{skip=1} /^\[/{if($0!~/^\[slide/)skip=0} !skip' "$tmp/demo.conf" > "$tmp/one.conf"

echo "1. frame times at 1920x1080, software renderer"
for conf in push fast; do
  "$bin" run --windowed --size 1920x1080 --config "$tmp/$conf.conf" --exit-after 20 2>&1 |
    grep "stopping" | sed 's/^kiosk run: /   /'
done
# CPU per minute without start-up: the difference between a 180 s and a 60 s run
per_minute() { # config
  local a b
  a=$("$measure" 1 "$bin" run --windowed --config "$1" --exit-after 60 2>/dev/null)
  b=$("$measure" 1 "$bin" run --windowed --config "$1" --exit-after 180 2>/dev/null)
  echo "   60 s:  $a"
  echo "   180 s: $b"
  awk -v a="$a" -v b="$b" 'BEGIN {
    split(a, x, "cpu ms/run "); split(x[2], xa, " "); split(b, y, "cpu ms/run "); split(y[2], yb, " ")
    printf "   steady state: %.3f CPU-seconds per minute (%.2f%% of one core)\n",
           (yb[1] - xa[1]) / 2000, (yb[1] - xa[1]) / 2000 / 60 * 100 }'
}
echo "2. the demo playlist rotating (1280x720 window):"
per_minute "$tmp/demo.conf"
echo "3. one static slide:"
per_minute "$tmp/one.conf"
