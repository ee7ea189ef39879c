#!/usr/bin/env bash
# The kiosk against the Chromium kiosk a province would run instead (../shared/peer, or
# PEER_DIR), measured in one run on this machine, side by side, since only ratios taken
# together mean anything on a noisy machine:
#   - PSS of all processes, the demo playlist rotating full screen at 1920x1080 under Xvfb;
#   - CPU seconds per minute over a steady window of that run;
#   - exec to the first frame with data: the kiosk's READY=1 (cached data at start) against
#     Chromium's first screenshot (median of 5 each);
#   - peak RSS of the kiosk at 3840x2160;
#   - a full redraw of each built-in slide at 1920x1080 (median of 50, in-process);
#   - the longest software push transition frame at 1920x1080.
# Prints a table with the targets, and appends one line to bench/history.tsv so a
# regression shows. Without Chromium the peer's columns say so and the kiosk's are still
# measured.
#   bench/peer.sh [SECONDS]      (30 by default; builds the release preset first)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
peer=${PEER_DIR:-$PWD/../shared/peer}
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
bin=$PWD/build/release/bin/kiosk
share=$PWD/build/release/share/kiosk
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
command -v Xvfb >/dev/null || { echo "peer: needs Xvfb (apt-get install xvfb)" >&2; exit 1; }
xvfb() { # display WxH
  Xvfb ":$1" -screen 0 "${2}x24" -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$1" ] && return 0; sleep 0.1; done
  echo "peer: Xvfb :$1 did not start" >&2; exit 1
}
xvfb 91 1920x1080
xvfb 92 3840x2160
export SDL_VIDEODRIVER=x11
sed "s|url = demo-vn766.json|url = $share/demo/demo-vn766.json|" "$share/demo/kiosk.conf" > "$tmp/demo.conf"
sed 's/^transition = fade/transition = push/; s/duration_s = [0-9]*/duration_s = 2/' \
  "$tmp/demo.conf" > "$tmp/push.conf"

# what one process tree costs: PSS summed (kB) and CPU ticks
tree() { # pid: the pid and all its descendants
  ps -eo pid=,ppid= | awk -v p="$1" '{pp[$1]=$2} END {a[p]=1; do {c=0; for (i in pp) if (!(i in a) && (pp[i] in a)) {a[i]=1; c=1}} while (c); for (i in a) print i}'
}
pss_kb() { local t=0; for p in $(tree "$1"); do [ -r "/proc/$p/smaps_rollup" ] && t=$((t + $(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup"))); done; echo "$t"; }
ticks() { local t=0; for p in $(tree "$1"); do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$t"; }
hz=$(getconf CLK_TCK)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "peer: measuring the kiosk (${secs} s window)" >&2
# 1. memory and CPU, rotating the demo full screen at 1920x1080
DISPLAY=:91 "$bin" run --config "$tmp/demo.conf" --state "$tmp/state" > /dev/null 2> "$tmp/run.log" &
kpid=$!
pids+=("$kpid")
sleep 5 # start-up and the first slides
c0=$(ticks "$kpid")
sleep "$secs"
c1=$(ticks "$kpid")
k_pss=$(pss_kb "$kpid")
k_cpu=$(echo "scale=3; ($c1 - $c0) / $hz * 60 / $secs" | bc)
kill -TERM "$kpid"; wait "$kpid" 2>/dev/null || true

# 2. exec to READY=1, the cache of the run above at start
cat > "$tmp/ready.py" <<'PY'
import os, socket, subprocess, sys, time
sock_path, cmd = sys.argv[1], sys.argv[2:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sock_path)
s.settimeout(20)
env = dict(os.environ, NOTIFY_SOCKET=sock_path)
t0 = time.monotonic()
p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while True:
    if b"READY=1" in s.recv(4096):
        break
print("%.1f" % ((time.monotonic() - t0) * 1000))
p.terminate()
p.wait()
PY
k_first=$(for i in 1 2 3 4 5; do
  rm -f "$tmp/notify.sock"
  DISPLAY=:91 python3 "$tmp/ready.py" "$tmp/notify.sock" "$bin" run --config "$tmp/demo.conf" --state "$tmp/state"
done | median)

# 3. peak RSS at 3840x2160
DISPLAY=:92 "$bin" run --config "$tmp/demo.conf" --state "$tmp/state" > /dev/null 2>&1 &
kpid=$!
pids+=("$kpid")
sleep 12
k_hwm=$(awk '/VmHWM/ {print $2}' "/proc/$kpid/status")
kill -TERM "$kpid"; wait "$kpid" 2>/dev/null || true

# 4. a full redraw of each slide, in-process
redraw=$(build/release/bench/bench_redraw "$share" "$PWD/build/release/lib/kiosk/plugins" \
  "$tmp/demo.conf" 1920x1080 50 2>/dev/null)
k_redraw_max=$(awk -F'median_ms=' '{split($2, a, " "); if (a[1] > m) m = a[1]} END {print m}' <<<"$redraw")

# 5. the longest push transition frame at 1920x1080
DISPLAY=:91 "$bin" run --config "$tmp/push.conf" --state "$tmp/state" --exit-after 20 > /dev/null 2> "$tmp/push.log" || true
k_trans=$(sed -n 's/.*transition frames (push, mean [0-9.]* ms, max \([0-9.]*\) ms).*/\1/p' "$tmp/push.log")

# the peer
c_pss= c_cpu= c_first=
if command -v chromium >/dev/null && [ -f "$peer/measure_chromium.sh" ]; then
  echo "peer: measuring Chromium (${secs} s window)" >&2
  line=$(bash "$peer/measure_chromium.sh" "$share/demo" "$secs" 8791)
  c_pss=$(sed -n 's/.*pss_kb=\([0-9]*\).*/\1/p' <<<"$line")
  c_cpu=$(sed -n 's/.*cpu_s_per_min=\([0-9.]*\).*/\1/p' <<<"$line")
  cp "$peer/index.html" "$share/demo/demo-vn766.json" "$tmp/"
  (cd "$tmp" && exec python3 -m http.server 8792 --bind 127.0.0.1 >/dev/null 2>&1) &
  pids+=($!)
  sleep 0.5
  c_first=$(for i in 1 2 3 4 5; do
    rm -f "$tmp/shot.png"
    t0=$(date +%s%N)
    chromium --headless=new --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
      --user-data-dir="$tmp/prof$i" --run-all-compositor-stages-before-draw \
      --window-size=1920,1080 --screenshot="$tmp/shot.png" \
      "http://127.0.0.1:8792/index.html" >/dev/null 2>&1 || true
    [ -f "$tmp/shot.png" ] && echo "scale=1; ($(date +%s%N) - $t0) / 1000000" | bc
  done | median)
else
  echo "peer: Chromium is not installed (apt-get install chromium): its columns are empty" >&2
fi

ratio() { [ -n "$2" ] && [ -n "$1" ] && echo "x$(echo "scale=1; $2 / $1" | bc)" || echo "-"; }
met() { [ -n "$1" ] && [ "$(echo "$1" | bc)" = 1 ] && echo yes || echo no; }
printf '\n| figure | kiosk | Chromium | ratio | target | met |\n|---|---|---|---|---|---|\n'
printf '| PSS, all processes, 1920x1080 | %.1f MB | %s | %s | 1/15 of Chromium | %s |\n' \
  "$(echo "$k_pss / 1000" | bc -l)" "${c_pss:+$(echo "scale=1; $c_pss / 1000" | bc) MB}" \
  "$(ratio "$k_pss" "$c_pss")" "${c_pss:+$(met "$k_pss * 15 <= $c_pss")}"
printf '| CPU, steady state | %s CPU-s/min | %s | %s | 1/25 of Chromium | %s |\n' \
  "$k_cpu" "${c_cpu:+$c_cpu CPU-s/min}" "$(ratio "$k_cpu" "$c_cpu")" \
  "${c_cpu:+$(met "$k_cpu * 25 <= $c_cpu")}"
printf '| exec to first frame with data (median of 5) | %s ms | %s | %s | 1/10 of Chromium | %s |\n' \
  "$k_first" "${c_first:+$c_first ms}" "$(ratio "$k_first" "$c_first")" \
  "${c_first:+$(met "$k_first * 10 <= $c_first")}"
printf '| peak RSS at 3840x2160 | %.1f MB | | | under 80 MB | %s |\n' \
  "$(echo "$k_hwm / 1024" | bc -l)" "$(met "$k_hwm < 80 * 1024")"
printf '| slowest full redraw of a slide, 1920x1080 (median) | %s ms | | | under 8 ms | %s |\n' \
  "$k_redraw_max" "$(met "$k_redraw_max < 8")"
printf '| longest push transition frame, 1920x1080 | %s ms | | | under 4 ms | %s |\n' \
  "${k_trans:--}" "${k_trans:+$(met "$k_trans < 4")}"
echo
sed 's/^/    /' <<<"$redraw"
mkdir -p bench
[ -f bench/history.tsv ] || printf 'date\tcommit\tkiosk_pss_kb\tchromium_pss_kb\tkiosk_cpu_s_min\tchromium_cpu_s_min\tkiosk_first_ms\tchromium_first_ms\tkiosk_hwm_4k_kb\tredraw_max_ms\ttrans_max_ms\n' > bench/history.tsv
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "$(git rev-parse --short HEAD 2>/dev/null || echo -)" "$k_pss" "${c_pss:--}" "$k_cpu" \
  "${c_cpu:--}" "$k_first" "${c_first:--}" "$k_hwm" "$k_redraw_max" "${k_trans:--}" >> bench/history.tsv
echo "peer: appended to bench/history.tsv" >&2
