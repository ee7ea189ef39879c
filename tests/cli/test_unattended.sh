#!/usr/bin/env bash
# Unattended operation against a real HTTP server on loopback (tests/net/server.py):
# 200 then 304s, a new week picked up within an interval, every kind of misbehaving server
# leaving the last good data on screen with the right error in status.json and the
# process alive with bounded memory, and power cuts (kill -9) while it writes.
# usage: test_unattended.sh KIOSK FIXTURES SOURCE_DIR [POWER_CUTS]
set -u
kiosk=$1 fixtures=$2 src=$3 cuts=${4:-200}
tmp=$(mktemp -d)
export SDL_VIDEODRIVER=offscreen
server_pid= kiosk_pid=
cleanup() {
  [ -n "${KEEP_LOG:-}" ] && cp "$tmp/kiosk.log" "$KEEP_LOG"
  [ -n "$kiosk_pid" ] && kill -9 "$kiosk_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
source "$(dirname "$0")/lib.sh"
field() { # status.json field by a python expression on d
  python3 -c "import json,sys; d=json.load(open('$state/status.json')); print($1)" 2>/dev/null
}
wait_log() { # seconds, extended regular expression the kiosk's log must come to match
  local until=$((SECONDS + $1))
  while [ $SECONDS -lt "$until" ]; do
    grep -qE "$2" "$tmp/kiosk.log" && return 0
    sleep 0.2
  done
  return 1
}
wait_for() { # seconds, python condition on d
  local until=$((SECONDS + $1))
  while [ $SECONDS -lt "$until" ]; do
    [ "$(field "bool($2)")" = True ] && return 0
    sleep 0.2
  done
  return 1
}

mkdir -p "$tmp/www"
cp "$fixtures/weekly/2025-W39.json" "$tmp/www/feed.json"
cp "$fixtures/weekly/2025-W39.json" "$tmp/www/A.json"
cp "$fixtures/weekly/2025-W40.json" "$tmp/www/B.json"
python3 "$src/tests/net/server.py" "$tmp/www" "$tmp/port" &
server_pid=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
base=http://127.0.0.1:$port
state=$tmp/state

config() { # url [timeout]
  cat > "$tmp/kiosk.conf" <<CONF
[kiosk]
home = H16
stale_after_h = 0
[source.feed]
url = $1
timeout_s = ${2:-5}
[slide.headline]
plugin = headline
duration_s = 60
CONF
}
start() { # url [timeout]; polls every $interval seconds (1)
  config "$@"
  "$kiosk" run --windowed --config "$tmp/kiosk.conf" --state "$state" --runtime "$state" --interval "${interval:-1}" \
    > /dev/null 2>> "$tmp/kiosk.log" &
  kiosk_pid=$!
}
stop() {
  kill -TERM "$kiosk_pid"
  wait "$kiosk_pid"
  local rc=$?
  kiosk_pid=
  return $rc
}

# a good server: 200, then 304s, then the new week
start "$base/feed.json"
check "the first poll gets the week" wait_for 10 "d['period'] and d['period']['id'] == '2025-W39'"
check "status.json names the source and its HTTP status" wait_for 5 "d['sources'][0]['http_status'] in (200, 304)"
check "an unchanged feed costs a 304" wait_for 6 "d['sources'][0]['http_status'] == 304"
check "the ETag is kept" [ -n "$(field "d['sources'][0]['etag']")" ]
cp "$fixtures/weekly/2025-W40.json" "$tmp/www/.feed.tmp" && mv "$tmp/www/.feed.tmp" "$tmp/www/feed.json"
check "a new week is picked up within an interval" wait_for 4 "d['period']['id'] == '2025-W40'"
check "the cache holds it" grep -q '"2025-W40"' "$state/cache/feed.json"
check "kiosk status reads it" sh -c "'$kiosk' status --state '$state' | grep -q 'Tuần 40/2025 (2025-W40)'"
check "SIGTERM: a clean exit" stop

# the systemd notify protocol, without systemd: a datagram socket stands in for it
python3 - "$tmp/notify.sock" "$tmp/notify.log" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(0.5)
end = time.time() + 8
with open(sys.argv[2], "w") as log:
    while time.time() < end:
        try:
            log.write(s.recv(4096).decode() + "\n")
            log.flush()
        except socket.timeout:
            pass
PY
listener=$!
# READY is said once: the socket must exist before the kiosk starts
for _ in $(seq 100); do [ -S "$tmp/notify.sock" ] && break; sleep 0.05; done
config "$base/feed.json"
NOTIFY_SOCKET=$tmp/notify.sock WATCHDOG_USEC=2000000 "$kiosk" run --windowed --config "$tmp/kiosk.conf" \
  --state "$state" --runtime "$state" --interval 1 --exit-after 5 > /dev/null 2>> "$tmp/kiosk.log"
wait "$listener"
check "systemd: READY=1 once the first frame is on screen" grep -q "^READY=1" "$tmp/notify.log"
pings=$(grep -c "^WATCHDOG=1" "$tmp/notify.log")
check "systemd: watchdog pings at half the period while drawing ($pings in 5 s)" [ "$pings" -ge 4 ]
check "systemd: STOPPING=1 at the end" grep -q "^STOPPING=1" "$tmp/notify.log"

# working hours: outside them the display is off, the kiosk keeps polling
cat > "$tmp/asleep.conf" <<CONF
[kiosk]
home = H16
[schedule]
weekdays = off
sat = off
sun = off
trust_clock = yes
[source.feed]
url = $base/feed.json
[slide.headline]
plugin = headline
CONF
"$kiosk" run --windowed --config "$tmp/asleep.conf" --state "$tmp/asleep" --runtime "$tmp/asleep" --interval 1 \
  > /dev/null 2> "$tmp/asleep.log" &
kiosk_pid=$!
state_saved=$state
state=$tmp/asleep
check "outside working hours the display is off" wait_for 6 "d['display'] is False and d['sources'][0]['last_success']"
check "and it says so" grep -q "screen: off (outside the working hours)" "$tmp/asleep.log"
check "the data keeps coming while it sleeps" wait_for 6 "d['period'] is not None"
check "asleep: a clean exit" stop
state=$state_saved

# no screen at start (a TV still off): the kiosk waits, then shows when one appears
check "Xvfb is installed (the quick start installs it)" command -v Xvfb
xdisplay=:$((90 + RANDOM % 9))
SDL_VIDEODRIVER=x11 DISPLAY=$xdisplay "$kiosk" run --windowed --config "$tmp/kiosk.conf" \
  --state "$tmp/nodisplay" --runtime "$tmp/nodisplay" --interval 1 > /dev/null 2> "$tmp/nodisplay.log" &
kiosk_pid=$!
for _ in $(seq 300); do grep -q "no display yet" "$tmp/nodisplay.log" && break; sleep 0.1; done
check "no display: it waits and says so" grep -q "no display yet" "$tmp/nodisplay.log"
check "no display: alive" kill -0 "$kiosk_pid"
state_saved=$state
state=$tmp/nodisplay
check "no display: it polls meanwhile, and status.json says there is no display" \
  wait_for 10 "d['display_connected'] is False and d['period'] is not None"
Xvfb "$xdisplay" -screen 0 1280x720x24 -nolisten tcp > /dev/null 2>&1 &
xvfb_pid=$!
check "a display appears: the kiosk shows on it" wait_for 25 "d['display_connected'] is True"
check "and says when" grep -q "the display appeared after" "$tmp/nodisplay.log"
check "no display: a clean exit" stop
kill "$xvfb_pid"; wait "$xvfb_pid" 2>/dev/null
state=$state_saved

# A screen unplugged and plugged back, or moved to the other HDMI port, while the kiosk
# runs: the kernel's connectors (/sys/class/drm) stood in for by a folder.
drm=$tmp/drm
mkdir -p "$drm/card1" "$drm/card1-HDMI-A-1" "$drm/card1-HDMI-A-2"
plug() { echo "$2" > "$drm/card1-$1/status"; }
plug HDMI-A-1 connected
plug HDMI-A-2 disconnected
cp "$fixtures/weekly/2025-W39.json" "$tmp/www/hotplug.json"
config "$base/hotplug.json"
KIOSK_DRM_SYSFS=$drm "$kiosk" run --windowed --config "$tmp/kiosk.conf" --state "$tmp/hotplug" \
  --runtime "$tmp/hotplug" --interval 1 > /dev/null 2> "$tmp/hotplug.log" &
kiosk_pid=$!
state_saved=$state
state=$tmp/hotplug
check "hot-plug: showing" wait_for 10 "d['display_connected'] is True and d['period']['id'] == '2025-W39'"
plug HDMI-A-1 disconnected
check "unplugged: the display is closed" wait_for 5 "d['display_connected'] is False"
check "and the log says why" grep -q "no screen is connected any more" "$tmp/hotplug.log"
check "kiosk status says there is no display" \
  has "$("$kiosk" status --state "$state")" "screen: no display"
cp "$fixtures/weekly/2025-W40.json" "$tmp/www/.hotplug.tmp" && mv "$tmp/www/.hotplug.tmp" "$tmp/www/hotplug.json"
check "unplugged: the new week still comes in" wait_for 5 "d['period']['id'] == '2025-W40'"
sleep 3
check "unplugged: nothing is opened while no screen is there" \
  [ "$(grep -c "software renderer" "$tmp/hotplug.log")" -eq 1 ]
plug HDMI-A-1 connected
check "plugged back: shown again, same process" wait_for 5 "d['display_connected'] is True"
check "and the log says so" grep -q "the display is back after" "$tmp/hotplug.log"
plug HDMI-A-1 disconnected
plug HDMI-A-2 connected
check "moved to the other port: the display is opened anew" \
  wait_for 5 "d['display_connected'] is True and open('$tmp/hotplug.log').read().count('screen: 1280x720') == 3"
check "and the log says the screens changed" grep -q "the screens changed (1 connected)" "$tmp/hotplug.log"
check "hot-plug: alive all along" kill -0 "$kiosk_pid"
check "hot-plug: a clean exit" stop
redraws=$(sed -n 's/.* frames: \([0-9]*\) full redraws.*/\1/p' "$tmp/hotplug.log")
check "the slide was drawn on each display ($redraws redraws)" [ "${redraws:-0}" -ge 3 ]
state=$state_saved

# nginx, as a real deployment would serve the weekly files: its own ETags and 304s
ngx=$tmp/nginx
mkdir -p "$ngx/www" "$ngx/logs"
cp "$fixtures/weekly/2025-W38.json" "$ngx/www/feed.json"
check "nginx is installed (the quick start installs it)" command -v nginx
serve_nginx "$ngx/www" "$ngx"
state_saved=$state
state=$tmp/state-nginx
start "http://127.0.0.1:$ngx_port/feed.json"
check "nginx: the first poll gets the week" wait_for 10 "d['period'] and d['period']['id'] == '2025-W38'"
check "nginx: then 304s" wait_for 6 "d['sources'][0]['http_status'] == 304"
check "nginx: its ETag is kept" sh -c "python3 -c \"import json; print(json.load(open('$state/status.json'))['sources'][0]['etag'])\" | grep -q '\"'"
cp "$fixtures/weekly/2025-W39.json" "$ngx/www/.feed.tmp" && mv "$ngx/www/.feed.tmp" "$ngx/www/feed.json"
check "nginx: a new week within an interval" wait_for 4 "d['period']['id'] == '2025-W39'"
check "nginx: 304s answered by nginx itself" grep -q '"GET /feed.json HTTP/1.1" 304' "$ngx/logs/access.log"
stop
kill "$ngx_pid"; wait "$ngx_pid" 2>/dev/null
state=$state_saved

# misbehaving servers (the same URL going bad): the cached week stays on screen, the
# error is in status.json
for case in "500|the server answered HTTP 500" "reset|Empty reply" \
            "html|found an HTML page" "truncated|ends before the JSON value does" \
            "huge|larger than the limit" "stall|timed out" "missing|HTTP 404"; do
  mode=${case%%|*} says=${case#*|}
  echo "$mode" > "$tmp/www/.mode"
  start "$base/feed.json" 2
  check "$mode: the cached data is on screen at once" wait_for 4 "d['period']['id'] == '2025-W40'"
  check "$mode: status.json says \"$says\"" wait_for 8 "'$says' in (d['sources'][0]['error'] or '')"
  check "$mode: the process is alive" kill -0 "$kiosk_pid"
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$kiosk_pid/status")
  check "$mode: memory bounded ($((hwm / 1024)) MiB)" [ "$hwm" -lt $((256 * 1024)) ]
  check "$mode: the data stays" [ "$(field "d['period']['id']")" = 2025-W40 ]
  check "$mode: a clean exit" stop
done

# a server that stalls while the source's own timeout is a minute: a reload and a stop
# end the transfer under way instead of waiting for it (libcurl's low-speed cut would end
# it 15 s after it stalled; systemd gives a stop 15 s), and it is no failure of the source's
feed_requests() {
  curl -s "$base/count" | python3 -c "import json,sys; print(json.load(sys.stdin).get('/feed.json', 0))"
}
wait_request() { # count: until /feed.json has had more requests than that (the poll under way)
  for _ in $(seq 300); do [ "$(feed_requests)" -gt "$1" ] && return 0; sleep 0.1; done
  return 1
}
echo stall > "$tmp/www/.mode"
failures=$(grep -c "(attempt" "$tmp/kiosk.log")
requests=$(feed_requests)
start "$base/feed.json" 60
check "stall: the poll under way" wait_request "$requests"
reloads=$(grep -c "configuration reloaded" "$tmp/kiosk.log") requests=$(feed_requests)
t0=$SECONDS
kill -HUP "$kiosk_pid"
reloaded() { # until the log says one more reload
  for _ in $(seq 200); do
    [ "$(grep -c "configuration reloaded" "$tmp/kiosk.log")" -gt "$reloads" ] && return 0
    sleep 0.1
  done
  return 1
}
check "stall: SIGHUP reloads" reloaded
check "  within 10 s, not at the transfer's end ($((SECONDS - t0)) s)" [ $((SECONDS - t0)) -le 10 ]
check "  once" [ "$(grep -c "configuration reloaded" "$tmp/kiosk.log")" -eq $((reloads + 1)) ]
check "stall: the new poller's poll under way" wait_request "$requests"
t0=$SECONDS
check "stall: SIGTERM, a clean exit" stop
check "  within 10 s, not at the transfer's end ($((SECONDS - t0)) s)" [ $((SECONDS - t0)) -le 10 ]
check "stall: no failure of the source's said" [ "$(grep -c "(attempt" "$tmp/kiosk.log")" -eq "$failures" ]

# the server goes away, then comes back: no restart needed
echo 500 > "$tmp/www/.mode"
start "$base/feed.json" 2
check "failing" wait_for 6 "d['sources'][0]['error']"
rm "$tmp/www/.mode"
check "recovered without a restart: the error clears" wait_for 6 "d['sources'][0]['error'] is None and d['sources'][0]['http_status'] in (200, 304)"
check "SIGHUP reloads the config and keeps running" sh -c "kill -HUP $kiosk_pid; sleep 2; kill -0 $kiosk_pid"
check "and says so" grep -q "configuration reloaded" "$tmp/kiosk.log"
printf '[kiosk]\nlanguage = fr\n' > "$tmp/kiosk.conf"
kill -HUP "$kiosk_pid"; sleep 2
check "a bad config on SIGHUP is refused, the old one kept" grep -q "keeping the running configuration" "$tmp/kiosk.log"
check "still alive" kill -0 "$kiosk_pid"
# a config whose sources cannot be set up (a token file with no token) is refused whole:
# the running sources are still polled
config "$base/feed.json" 2
: > "$tmp/empty-token"
sed -i "/^timeout_s/a token_file = $tmp/empty-token" "$tmp/kiosk.conf"
refusals=$(grep -c "keeping the running configuration" "$tmp/kiosk.log")
kill -HUP "$kiosk_pid"
check "SIGHUP with a token_file holding no token: refused, and says why" \
  wait_log 5 "empty-token: source feed: cannot read token_file: its first line holds no token"
check "and that the running configuration stays" \
  [ "$(grep -c "keeping the running configuration" "$tmp/kiosk.log")" -gt "$refusals" ]
attempt=$(field "d['sources'][0]['last_attempt']")
check "the running sources are still polled" wait_for 5 "d['sources'][0]['last_attempt'] != '$attempt'"
# a new plugin_dir is taken on reload: its plugins serve the new slides
if [ -n "${KIOSK_TEST_PLUGIN_DIR:-}" ]; then
  mkdir -m 755 "$tmp/plugins" && cp "$KIOSK_TEST_PLUGIN_DIR/good.so" "$tmp/plugins/"
  config "$base/feed.json" 2
  sed -i "/^stale_after_h/a plugin_dir = $tmp/plugins" "$tmp/kiosk.conf"
  printf '[slide.extra]\nplugin = good\nduration_s = 5\n' >> "$tmp/kiosk.conf"
  kill -HUP "$kiosk_pid"
  check "a reload takes a new plugin_dir" wait_log 5 "configuration reloaded: 2 slides"
  check "status.json lists its plugin" \
    wait_for 5 "'good' in [p['name'] for p in d['plugins']['loaded']]"
fi
stop

# a cache that no longer reads is moved aside, not fatal
printf '{"format": "kiosk-scores", "version": 1, "periods": [' > "$state/cache/feed.json"
echo reset > "$tmp/www/.mode"
start "$base/feed.json" 2
check "a corrupt cache: the process runs" wait_for 6 "d['sources'][0]['error']"
check "and the cache was moved aside" [ -f "$state/cache/feed.json.corrupt" ]
check "and it says so" grep -q "moved aside" "$tmp/kiosk.log"
stop
rm -f "$tmp/www/.mode"

# power cuts: kill -9 at random moments while the kiosk writes cache, history and status
# (the feed changes on every poll); every next start must show valid data
rm -rf "$state"
bad=0
for i in $(seq "$cuts"); do
  # a poll every 0.2 s, each a new document: cache, history and status written all along
  interval=0.2 start "$base/flip"
  sleep "0.$((RANDOM % 5 + 1))"
  kill -9 "$kiosk_pid"
  wait "$kiosk_pid" 2>/dev/null
  kiosk_pid=
  # what a restart would read: the cache, the history store, the status file
  if [ -f "$state/cache/feed.json" ] && ! said=$("$kiosk" check "$state/cache/feed.json" 2>&1); then
    bad=$((bad + 1)); echo "cut $i: the cache does not read: $said"
    ls -la "$state/cache"
  fi
  if [ -f "$state/status.json" ] && ! python3 -c "import json; json.load(open('$state/status.json'))" 2>/dev/null; then
    bad=$((bad + 1)); echo "cut $i: status.json does not read"
  fi
  if [ -f "$state/history.sqlite" ] && "$kiosk" score --state "$state" "$fixtures/weekly/2025-W38.json" 2>&1 >/dev/null | grep -q "moved aside"; then
    bad=$((bad + 1)); echo "cut $i: the history store was corrupt"
  fi
done
check "$cuts power cuts, every restart reads its data" [ "$bad" -eq 0 ]
echo reset > "$tmp/www/.mode"
start "$base/flip" 2
check "after the cuts the kiosk starts on its cached data" wait_for 6 "d['period'] is not None"
rm -f "$tmp/www/.mode"
stop

finish unattended
