#!/usr/bin/env bash
# The storage, as an SD card in the field treats it: status.json on tmpfs (the runtime
# directory), not beside the cache; a 200 with the same body writes nothing; a full disk
# and a read-only state directory reported in status.json and by kiosk status as such,
# with what could not be saved kept and saved once space is back; a status.json that is
# no longer rewritten called out by kiosk status. The full disk is a small tmpfs mounted
# for the test, so that part needs root (skipped otherwise).
# usage: test_storage.sh KIOSK FIXTURES SOURCE_DIR
set -u
kiosk=$1 fixtures=$2 src=$3
tmp=$(mktemp -d)
server_pid= kiosk_pid= mnt=
cleanup() {
  [ -n "$kiosk_pid" ] && kill -9 "$kiosk_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
[ -n "${KEEP_LOG:-}" ] && trap "cp \"\$tmp/kiosk.log\" \"$KEEP_LOG\"; cleanup" EXIT
source "$(dirname "$0")/lib.sh"
export SDL_VIDEODRIVER=offscreen

mkdir -p "$tmp/www"
cp "$fixtures/weekly/2025-W39.json" "$tmp/www/feed.json"
python3 "$src/tests/net/server.py" "$tmp/www" "$tmp/port" &
server_pid=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
base=http://127.0.0.1:$(cat "$tmp/port")

field() { # a status.json field by a python expression on d
  python3 -c "import json; d=json.load(open('$run/status.json')); print($1)" 2>/dev/null
}
wait_for() { # seconds python-condition
  local end=$((SECONDS + $1))
  while [ $SECONDS -lt $end ]; do
    [ "$(field "bool($2)")" = True ] && return 0
    sleep 0.2
  done
  echo "  (waited $1 s for $2; status.json: $(cat "$run/status.json" 2>/dev/null | tr -d '\n' | head -c 600))"
  return 1
}
start() { # url state run
  cat > "$tmp/kiosk.conf" <<CONF
[kiosk]
language = vi
home = H16
[source.feed]
url = $1
timeout_s = 5
[slide.headline]
plugin = headline
duration_s = 60
CONF
  "$kiosk" run --windowed --config "$tmp/kiosk.conf" --state "$2" --runtime "$3" --interval 1 \
    > /dev/null 2>> "$tmp/kiosk.log" &
  kiosk_pid=$!
}
stop() {
  kill -TERM "$kiosk_pid"
  wait "$kiosk_pid"
  kiosk_pid=
}

# the runtime directory holds status.json, the state directory the cache and history only;
# a server without validators sending the same body costs no write
state=$tmp/state run=$tmp/run
start "$base/plain/feed.json" "$state" "$run"
check "status.json is in the runtime directory" wait_for 8 "d['sources'][0]['http_status'] == 200"
check "the cache is written once" wait_for 5 "d['data'] != 'none'"
sleep 1
before=$(stat -c %Y.%s "$state/cache/feed.json" "$state/history.sqlite" | tr '\n' ' ')
check "a 200 with the same body is seen as unchanged" wait_for 5 "d['sources'][0]['unchanged']"
sleep 3
check "and writes neither the cache nor the history" \
  [ "$before" = "$(stat -c %Y.%s "$state/cache/feed.json" "$state/history.sqlite" | tr '\n' ' ')" ]
check "no status.json beside the cache" [ ! -e "$state/status.json" ]
out=$("$kiosk" status --runtime "$run" --state "$state")
check "kiosk status reads it from the runtime directory" has "$out" "HTTP 200 (unchanged)"
lacks() { ! has "$@"; }
check "kiosk status: storage fine" lacks "$out" "storage: FAILING"
stop

# kiosk status on a status.json nobody rewrites any more (a hung or dead kiosk)
mkdir -p "$tmp/old"
python3 - "$run/status.json" "$tmp/old/status.json" <<'PY'
import json, sys, time
d = json.load(open(sys.argv[1]))
d["updated"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 7200))
json.dump(d, open(sys.argv[2], "w"))
PY
out=$("$kiosk" status --runtime "$tmp/old")
rc=$?
check "kiosk status: an old status.json says the kiosk is hung or not running" \
  has "$out" "the kiosk is hung or not running"
check "kiosk status: and exits 1" [ "$rc" -eq 1 ]
https=$(python3 -c "import json; d=json.load(open('$run/status.json')); d['sources'][0]['url']='https://example.invalid/x'; d['sources'][0]['http_status']=None; print(json.dumps(d))")
mkdir -p "$tmp/https" && echo "$https" > "$tmp/https/status.json"
check "kiosk status: an https source with no answer is not called a file" \
  sh -c "'$kiosk' status --runtime '$tmp/https' | grep -q 'no HTTP answer'"

if [ "$(id -u)" -ne 0 ]; then
  echo "storage: the full and read-only disk cases need root (a tmpfs mounted for the test): skipped"
  finish storage
  exit $?
fi

# a full disk: the new week cannot be saved; status.json and kiosk status say "disk full";
# the screen has it meanwhile, and once space is back the cache and history get it
mnt=$tmp/card
mkdir -p "$mnt"
mount -t tmpfs -o size=2m tmpfs "$mnt" || { echo "cannot mount a tmpfs"; finish storage; exit $?; }
state=$mnt/state run=$tmp/run2
start "$base/feed.json" "$state" "$run"
check "full disk: the first week is saved" wait_for 8 "d['period'] and d['period']['id'] == '2025-W39'"
sleep 1
dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null
cp "$fixtures/weekly/2025-W40.json" "$tmp/www/.feed.tmp" && mv "$tmp/www/.feed.tmp" "$tmp/www/feed.json"
check "full disk: the new week is on screen anyway" wait_for 8 "d['period']['id'] == '2025-W40'"
check "full disk: status.json says the storage fails, \"disk full\"" \
  wait_for 8 "not d['storage']['ok'] and 'disk full' in d['storage']['error']"
out=$("$kiosk" status --runtime "$run")
check "full disk: kiosk status says so" has "$out" "storage: FAILING"
check "full disk: not \"is not a valid database\"" lacks "$(cat "$tmp/kiosk.log")" "not a valid database"
rm -f "$mnt/filler"
check "space back: saved, the storage fine again" wait_for 8 "d['storage']['ok']"
check "space back: the cache holds the new week" grep -q '2025-W40' "$state/cache/feed.json"
check "space back: the history holds the new week" \
  python3 -c "import sqlite3,sys; sys.exit(0 if sqlite3.connect('$state/history.sqlite').execute(\"select count(*) from period where id='2025-W40'\").fetchone()[0] == 1 else 1)"

# a read-only state directory (a card remounted read-only after errors)
mount -o remount,ro "$mnt"
cp "$fixtures/weekly/2025-W38.json" "$tmp/www/.feed.tmp" && mv "$tmp/www/.feed.tmp" "$tmp/www/feed.json"
check "read-only: status.json says the storage fails, read-only" \
  wait_for 8 "not d['storage']['ok'] and 'read-only' in d['storage']['error']"
mount -o remount,rw "$mnt"
check "writable again: saved" wait_for 8 "d['storage']['ok']"
check "writable again: the cache holds what came meanwhile" grep -q '2025-W38' "$state/cache/feed.json"
stop
umount "$mnt" && mnt=
# the clock becoming synchronised wakes the poller at once (HTTPS fails "not yet valid"
# until then): a stand-in for the kernel's clock state, and no --interval here
echo 0 > "$tmp/sync"
cat > "$tmp/clock.conf" <<CONF
[kiosk]
home = H16
[source.feed]
url = $base/feed.json
interval_s = 3600
[slide.headline]
plugin = headline
duration_s = 60
CONF
run=$tmp/clock-run
KIOSK_CLOCK_SYNC_FILE=$tmp/sync "$kiosk" run --windowed --config "$tmp/clock.conf" \
  --state "$tmp/clock-state" --runtime "$run" > /dev/null 2>> "$tmp/kiosk.log" &
kiosk_pid=$!
check "clock not set: status.json says so" wait_for 10 "d['clock_synchronised'] is False and d['sources'][0]['last_attempt']"
first=$(field "d['sources'][0]['last_attempt']")
sleep 1.2 # a second later, so that a new attempt has a new time
echo 1 > "$tmp/sync"
check "the clock synchronised: the sources are polled at once, not in an hour" \
  wait_for 12 "d['clock_synchronised'] is True and d['sources'][0]['last_attempt'] != '$first'"
check "and the log says why" grep -q "synchronised: polling the sources now" "$tmp/kiosk.log"
stop

finish storage
