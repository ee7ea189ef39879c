#!/usr/bin/env bash
# Storage wear: what a real `kiosk run` writes to the device, against real servers on
# loopback, time-accelerated (a poll a second). Three cases:
#   304        a server with validators: every poll a 304
#   200-same   a server without validators (what POST APIs do): every poll a 200 with the
#              same body
#   changing   a feed that changes every CHANGE_EVERY polls (a week's new data)
# For each: bytes written to the device (/proc/PID/io write_bytes, the kernel's count of
# what the process sent to storage: tmpfs costs nothing there) and fsyncs (strace), after
# a warm-up, per poll and per day-equivalent at the default 300 s interval (288 polls a
# day), and for the changing feed per real change against the feed's size. The state
# directory is on the disk, the runtime directory (status.json) on tmpfs, as on a board.
#   bench/wear.sh [SECONDS] [KIOSK]   default 60 s per case and the release build
set -u
cd "$(dirname "$0")/.."
secs=${1:-60}
kiosk=${2:-}
every=${CHANGE_EVERY:-10}
warm=8
if [ -z "$kiosk" ]; then
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null || exit 1
  kiosk=build/release/bin/kiosk
fi
command -v strace > /dev/null || { echo "wear.sh: needs strace (board/packages.sh)"; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/kiosk-wear-XXXXXX")
shm=$(mktemp -d /dev/shm/kiosk-wear-XXXXXX)
server_pid= trace_pid=
trap '[ -n "$trace_pid" ] && kill "$trace_pid" 2>/dev/null; [ -n "$server_pid" ] && kill "$server_pid"; rm -rf "$tmp" "$shm"' EXIT
mkdir -p "$tmp/www"
feed=kiosk/data/demo/demo-vn766.json
cp "$feed" "$tmp/www/feed.json"
cp "$feed" "$tmp/www/A.json"
# B: the same feed with one score changed, the size of a real new week's document
python3 - "$feed" "$tmp/www/B.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
u = d["periods"][-1]["units"][0]
g = sorted(u["groups"])[0]
u["groups"][g] = round(u["groups"][g] - 0.5, 2)
u.pop("total", None)
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False, indent=1)
PY
python3 tests/net/server.py "$tmp/www" "$tmp/port" &
server_pid=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
base=http://127.0.0.1:$(cat "$tmp/port")
feed_bytes=$(stat -c %s "$tmp/www/B.json")

count() { # requests the server had for a path
  python3 -c "import json,sys,urllib.request; print(json.load(urllib.request.urlopen('$base/count')).get(sys.argv[1], 0))" "$1"
}

run_case() { # name path
  local name=$1 path=$2 state=$tmp/state-$1 run=$shm/$1
  sed -e 's/duration_s = [0-9]*/duration_s = 2/' -e "s|^url = .*|url = $base$path|" \
    kiosk/data/demo/kiosk.conf > "$tmp/$name.conf"
  SDL_VIDEODRIVER=offscreen strace -f -qq -ttt -e trace=fsync,fdatasync,sync_file_range,syncfs \
    -o "$tmp/$name.strace" "$kiosk" run --windowed --config "$tmp/$name.conf" --state "$state" \
    --runtime "$run" --interval 1 --exit-after $((secs + warm + 3)) > /dev/null 2> "$tmp/$name.log" &
  trace_pid=$!
  local pid=
  for _ in $(seq 50); do pid=$(pgrep -P "$trace_pid" | head -1); [ -n "$pid" ] && break; sleep 0.1; done
  sleep "$warm"
  local w0 t0 c0 w1 t1 c1
  w0=$(awk '/^write_bytes/ {print $2}' "/proc/$pid/io"); t0=$(date +%s.%N); c0=$(count "$path")
  sleep "$secs"
  w1=$(awk '/^write_bytes/ {print $2}' "/proc/$pid/io"); t1=$(date +%s.%N); c1=$(count "$path")
  wait "$trace_pid"
  trace_pid=
  local syncs polls
  syncs=$(awk -v a="$t0" -v b="$t1" '$2 >= a && $2 <= b && /(fsync|fdatasync|sync_file_range|syncfs)\(/' \
    "$tmp/$name.strace" | wc -l)
  polls=$((c1 - c0))
  python3 - "$name" "$((w1 - w0))" "$syncs" "$polls" "$every" "$feed_bytes" <<'PY'
import sys
name, written, syncs, polls, every, feed = sys.argv[1], *map(int, sys.argv[2:])
per_poll = written / polls if polls else 0
line = "%-9s %4d polls: %9d bytes written, %4d fsyncs; per poll %8.0f B, %.2f fsyncs; " \
       "per day at 300 s: %8.3f MB, %5.0f fsyncs" % (
    name, polls, written, syncs, per_poll, syncs / max(polls, 1),
    per_poll * 288 / 1e6, syncs / max(polls, 1) * 288)
if name == "changing":
    changes = polls / every
    line += "; per change %.0f B = %.2f x the feed (%d B)" % (written / changes, written / changes / feed, feed)
print(line)
PY
}

echo "wear: $secs s per case after $warm s of warm-up, a poll a second; feed $feed_bytes bytes"
run_case 304 /feed.json
run_case 200-same /plain/feed.json
run_case changing "/changes/$every"
