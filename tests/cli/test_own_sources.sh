#!/usr/bin/env bash
# A slide's own source and the banner's, from a real nginx on loopback: the first poll
# brings the bytes to the plugin (tests/plugins/source_probe.c logs what source_data
# gives it), then nginx answers 304s; a new file reaches the slide and a new urgent banner
# reaches the screen within a poll interval; the last good copies are kept in the state
# directory and shown at the next start, before any network, while the server is gone.
# usage: test_own_sources.sh KIOSK DEMO_FEED TEST_PLUGIN_DIR
set -u
kiosk=$1 feed=$2 plugins=$3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
scratch
export SDL_VIDEODRIVER=offscreen

wait_log() { # seconds fixed-text: polls the kiosk's log for the text
  local until=$((SECONDS + $1))
  while [ $SECONDS -lt "$until" ]; do
    grep -qF -- "$2" "$tmp/kiosk.log" && return 0
    sleep 0.2
  done
  return 1
}
wait_file() { # seconds file fixed-text
  local until=$((SECONDS + $1))
  while [ $SECONDS -lt "$until" ]; do
    grep -qF -- "$3" "$2" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}
size() { printf '%s\n' "$1" | wc -c; } # of a text put with put
put() { # file text: replaced atomically, as a deployment would
  printf '%s\n' "$2" > "$tmp/www/.$1.tmp" && mv "$tmp/www/.$1.tmp" "$tmp/www/$1"
}

mkdir -m 755 "$tmp/plug" && cp "$plugins/source_probe.so" "$tmp/plug/"
mkdir -p "$tmp/www" "$tmp/logs" "$tmp/state"
one="Thông báo số 1: lịch tiếp dân thứ Năm" two="Thông báo số 2: nghỉ lễ Quốc khánh"
put notice.txt "$one"
put banner.json '{"text": "Giờ làm việc: 7:30 - 17:00"}'
check "nginx is installed (board/packages.sh: kiosk_tools)" command -v nginx
serve_nginx "$tmp/www" "$tmp"
pids+=("$ngx_pid")
port=$ngx_port
base=http://127.0.0.1:$port
cat > "$tmp/kiosk.conf" <<CONF
[kiosk]
home = H16
stale_after_h = 0
plugin_dir = $tmp/plug
[banner]
source = $base/banner.json
[source.demo]
url = $feed
[slide.probe]
plugin = source_probe
source = $base/notice.txt
interval_s = 30
CONF
check "kiosk check takes source and interval_s as the host's keys" \
  "$kiosk" check --config "$tmp/kiosk.conf" >/dev/null 2>&1

run() {
  "$kiosk" run --windowed --config "$tmp/kiosk.conf" --state "$tmp/state" --runtime "$tmp/state" \
    --interval 1 >/dev/null 2>> "$tmp/kiosk.log" &
  kiosk_pid=$!
  pids+=("$kiosk_pid")
}
: > "$tmp/kiosk.log"
run
check "the first poll brings the bytes to the slide" \
  wait_log 10 "probe: serial 1, $(size "$one") bytes: $one"
check "the banner takes its source's text" \
  wait_log 10 'banner: from its source: "Giờ làm việc: 7:30 - 17:00"'
check "then nginx answers 304s for the slide's source" \
  wait_file 8 "$tmp/logs/access.log" '"GET /notice.txt HTTP/1.1" 304'
check "and for the banner's" wait_file 8 "$tmp/logs/access.log" '"GET /banner.json HTTP/1.1" 304'
field() { python3 -c "import json; d=json.load(open('$tmp/state/status.json')); print($1)" 2>/dev/null; }
wait_status() { # seconds python-condition-on-d
  local until=$((SECONDS + $1))
  while [ $SECONDS -lt "$until" ]; do
    [ "$(field "bool($2)")" = True ] && return 0
    sleep 0.2
  done
  return 1
}
check "status.json lists the own sources with their 304s" \
  wait_status 6 "[s['http_status'] for s in d['own_sources'] if s['name'] == 'slide-probe'] == [304]"
check "and the banner shown" wait_status 4 "d['banner'] == {'text': 'Giờ làm việc: 7:30 - 17:00', 'urgent': False}"
check "the last good copy is kept in the state directory" \
  wait_file 5 "$tmp/state/own-cache/slide-probe.body" "Thông báo số 1"
check "with its validators" wait_file 5 "$tmp/state/own-cache/slide-probe.meta" '"etag"'
before=$(stat -c %Y.%s "$tmp/state/own-cache/slide-probe.body")
sleep 2.5
check "a 304 writes nothing" [ "$(stat -c %Y.%s "$tmp/state/own-cache/slide-probe.body")" = "$before" ]
put notice.txt "$two"
check "a new file reaches the slide within a poll interval" \
  wait_log 4 "probe: serial 2, $(size "$two") bytes: $two"
# SIGHUP: the slides made anew get their sources' copies at once, from the cache
kill -HUP "$kiosk_pid"
check "SIGHUP reloads" wait_log 6 "configuration reloaded"
after_reload() { sed -n '/configuration reloaded/,$p' "$tmp/kiosk.log" | grep -qF -- "$1"; }
wait_reloaded() { # seconds text: the text in the log after the reload
  local until=$((SECONDS + $1))
  while [ $SECONDS -lt "$until" ]; do
    after_reload "$2" && return 0
    sleep 0.2
  done
  return 1
}
check "the new slide has the bytes at once" wait_reloaded 6 "bytes: $two"
put banner.json '{"text": "Khẩn: mất điện từ 14:00", "urgent": true, "until": "2099-12-31T17:00"}'
check "an urgent banner within a poll interval of its source changing" \
  wait_log 4 'banner: from its source: "Khẩn: mất điện từ 14:00", urgent, until 2099-12-31T17:00'
check "status.json says the banner is urgent" wait_status 4 "d['banner']['urgent'] is True"
put banner.json '{"text": 12}'
check "a banner source that does not read is said, the banner stays" \
  wait_log 4 'banner: banner source: expected "text": a string'
check "and the urgent banner stays" \
  [ "$(grep -c 'banner: from its source: "Khẩn' "$tmp/kiosk.log")" -eq 1 ]
kill -TERM "$kiosk_pid"
wait "$kiosk_pid"
check "a clean exit" [ $? -eq 0 ]

# the server gone: the cached copies are shown at once, and the failure is said
kill "$ngx_pid"
wait "$ngx_pid" 2>/dev/null
: > "$tmp/kiosk.log"
run
check "at the next start the cached copy is shown before any network" \
  wait_log 6 "probe: serial 1, $(size "$two") bytes: $two"
check "the failure reaches the plugin, the bytes stay" \
  wait_log 8 "bytes: $two (age"
check "with the poller's one-line reason" wait_log 8 "error: Failed to connect to 127.0.0.1 port $port"
check "the process is alive" kill -0 "$kiosk_pid"
kill -TERM "$kiosk_pid"
wait "$kiosk_pid"
check "a clean exit again" [ $? -eq 0 ]
[ "$fail" -eq 0 ] || { echo "---- the kiosk's log:"; grep -v '^plugin ' "$tmp/kiosk.log"; }
finish "own sources"
