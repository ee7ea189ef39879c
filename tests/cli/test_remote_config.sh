#!/usr/bin/env bash
# Signed remote configuration against a real nginx on loopback, keys made with Debian's
# minisign: a signed document is applied (the slides change), unsigned, wrongly signed,
# tampered, replayed and invalid documents and one that reaches beyond what a remote
# document may set are each refused with their reason (status.json, kiosk status, the log)
# while the running configuration stays, one that shows nothing is rolled back, and the
# applied one survives a restart.
# usage: test_remote_config.sh KIOSK FIXTURES
set -u
kiosk=$1 fixtures=$2
tmp=$(mktemp -d)
export SDL_VIDEODRIVER=offscreen
nginx_pid= kiosk_pid=
cleanup() {
  [ -n "${KEEP_LOG:-}" ] && cp "$tmp/kiosk.log" "$KEEP_LOG"
  [ -n "$kiosk_pid" ] && kill -9 "$kiosk_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
source "$(dirname "$0")/lib.sh"
for tool in nginx minisign; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "SKIP: $tool is not installed"; exit 77; }
done
state=$tmp/state
field() { # status.json field by a python expression on d
  python3 -c "import json,sys; d=json.load(open('$state/status.json')); print($1)" 2>/dev/null
}
wait_for() { # seconds, python condition on d
  local until=$((SECONDS + $1))
  while [ $SECONDS -lt "$until" ]; do
    [ "$(field "bool($2)")" = True ] && return 0
    sleep 0.2
  done
  echo "  (status.json: remote_config $(field "d['remote_config']"), slide $(field "d['slide']"))"
  return 1
}

# nginx on a free loopback port, serving $tmp/www (ETags on static files by default)
mkdir -p "$tmp/www"
chmod 755 "$tmp" # the workers of an nginx started as root run as nobody
cp "$fixtures/weekly/2025-W39.json" "$tmp/www/feed.json"
serve_nginx "$tmp/www" "$tmp/nginx"
nginx_pid=$ngx_pid port=$ngx_port
base=http://127.0.0.1:$port

# the operator's key pair, and another nobody trusts
minisign -G -W -p "$tmp/op.pub" -s "$tmp/op.key" >/dev/null
minisign -G -W -p "$tmp/other.pub" -s "$tmp/other.key" >/dev/null
cp "$tmp/op.pub" "$tmp/trusted-keys"

cat > "$tmp/kiosk.conf" <<CONF
[kiosk]
home = H16
stale_after_h = 0
[fleet]
config_url = $base/kiosk.conf
trusted_keys = $tmp/trusted-keys
config_rollback_s = 4
[source.feed]
url = $base/feed.json
[slide.local]
plugin = headline
duration_s = 60
CONF

doc() { # serial slide-name [extra lines for the slide]: a remote document on stdout
  printf '[kiosk]\nhome = H16\nstale_after_h = 0\n[fleet]\nserial = %s\n[source.feed]\nurl = %s/feed.json\n[slide.%s]\nplugin = leaderboard\nduration_s = 60\n%b' \
    "$1" "$base" "$2" "${3:-}"
}
publish() { # file [key [served]]: the document (or served instead) and its signature by
  # key (none without), each replaced at once
  local f=$1 key=${2:-} served=${3:-$1}
  rm -f "$tmp/www/kiosk.conf.minisig"
  if [ -n "$key" ]; then
    minisign -S -W -s "$key" -m "$f" -x "$tmp/sig.new" -t "kiosk config" >/dev/null
    mv "$tmp/sig.new" "$tmp/www/kiosk.conf.minisig"
  fi
  cp "$served" "$tmp/www/.new" && mv "$tmp/www/.new" "$tmp/www/kiosk.conf"
}
refused() { # the reason's words: refused with them, the local slide still on screen
  wait_for 15 "d['remote_config']['state'] == 'refused' and '$1' in (d['remote_config']['error'] or '') and d['slide'] == '${2:-local}'"
}

check "kiosk check reads the trusted keys of [fleet]" sh -c "'$kiosk' check '$tmp/kiosk.conf' > /dev/null"
sed 's|^trusted_keys = .*|trusted_keys = /nonexistent/keys|' "$tmp/kiosk.conf" > "$tmp/nokeys.conf"
said=$("$kiosk" check "$tmp/nokeys.conf" 2>&1)
check "and says when they cannot be read" has "$said" "[fleet] trusted_keys: /nonexistent/keys: No such file"

"$kiosk" run --windowed --config "$tmp/kiosk.conf" --state "$state" --runtime "$state" --interval 1 \
  > /dev/null 2>> "$tmp/kiosk.log" &
kiosk_pid=$!
check "the local config runs" wait_for 10 "d['slide'] == 'local' and d['period']"
check "no document yet: the fetch fails, said in status.json" \
  wait_for 10 "d['remote_config']['state'] == 'fetch_failed' and '404' in d['remote_config']['error']"

doc 2 ranking > "$tmp/d2.conf"
publish "$tmp/d2.conf"
check "unsigned: refused" refused "unsigned: no signature at $base/kiosk.conf.minisig"

publish "$tmp/d2.conf" "$tmp/other.key"
check "signed by a key not trusted: refused" refused "untrusted key"

sed 's/^home = H16/home = H01/' "$tmp/d2.conf" > "$tmp/d2-changed.conf"
publish "$tmp/d2.conf" "$tmp/op.key" "$tmp/d2-changed.conf"
check "tampered after signing: refused" refused "bad signature"
check "  the reason in a word, for the metrics" [ "$(field "d['remote_config']['reason']")" = bad_signature ]
metrics=$("$kiosk" metrics --runtime "$state" 2>/dev/null)
check "  kiosk metrics says it" has "$metrics" 'kiosk_remote_config_state{state="refused",reason="bad_signature"} 1'
for reason in unsigned untrusted_key bad_signature; do
  check "  and counts the refusals by reason: $reason" \
    has "$metrics" "kiosk_remote_config_refused_total{reason=\"$reason\"} 1"
done
check "  as status.json does" \
  [ "$(field "sorted(d['remote_config']['refused_by'].items())")" = "[('bad_signature', 1), ('unsigned', 1), ('untrusted_key', 1)]" ]

doc 3 broken "scope = province\nno_such_setting = 1\n" | sed 's/plugin = leaderboard/plugin = nosuchplugin/' > "$tmp/d3.conf"
publish "$tmp/d3.conf" "$tmp/op.key"
check "fails kiosk check: refused as invalid" refused "invalid: "
check "  with kiosk check's own words" has "$(field "d['remote_config']['error']")" 'no plugin named "nosuchplugin"'

doc 4 wider "scope = province\n" | sed 's/^stale_after_h = 0/stale_after_h = 0\nplugin_dir = \/tmp/' > "$tmp/d4.conf"
publish "$tmp/d4.conf" "$tmp/op.key"
check "a plugin_dir the local config does not have: refused" refused "not allowed: [kiosk] plugin_dir"

check "the log says each refusal once" \
  [ "$(grep -c 'remote config: .*refused' "$tmp/kiosk.log")" -eq 5 ]
check "nothing was applied meanwhile" [ ! -e "$state/remote/active.conf" ]

doc 5 ranking "scope = province\n" > "$tmp/d5.conf"
publish "$tmp/d5.conf" "$tmp/op.key"
check "signed by a trusted key, newer, valid: applied, its slide on screen" \
  wait_for 20 "d['remote_config']['state'] == 'applied' and d['remote_config']['serial'] == 5 and d['slide'] == 'ranking'"
applied_at=$(wc -l < "$tmp/nginx/logs/access.log")
check "kept as the active remote config" cmp -s "$tmp/d5.conf" "$state/remote/active.conf"
check "the running serial is kept" grep -q '"serial": 5' "$state/remote/serial.json"
check "kiosk status tells it" sh -c "'$kiosk' status --runtime '$state' | grep -q 'remote config: applied, running serial 5'"
unchanged() { # the applied document polled again, answered 304 by nginx (its ETag sent back)
  for _ in $(seq 50); do
    tail -n +"$((applied_at + 1))" "$tmp/nginx/logs/access.log" |
      grep -q '"GET /kiosk.conf HTTP/1.1" 304' && return 0
    sleep 0.1
  done
  return 1
}
check "polled again with its ETag: nginx answers 304" unchanged

doc 4 ranking "scope = commune\n" > "$tmp/d4b.conf"
publish "$tmp/d4b.conf" "$tmp/op.key"
check "an older serial: refused as a replay" refused "replayed: serial 4 is not newer than 5" ranking
check "  kiosk status tells the refusal" sh -c "'$kiosk' status --runtime '$state' | grep -q 'remote config: refused, running serial 5: replayed: serial 4'"

doc 6 empty "scope = nowhere\n" > "$tmp/d6.conf"
publish "$tmp/d6.conf" "$tmp/op.key"
check "one that shows nothing goes on trial" wait_for 20 "d['remote_config']['state'] == 'trial' and d['remote_config']['serial'] == 6"
check "and is rolled back to serial 5, saying why" \
  wait_for 15 "d['remote_config']['state'] == 'rolled_back' and 'no slide' in d['remote_config']['error'] and d['remote_config']['serial'] == 5 and d['slide'] == 'ranking'"
check "the log says so" grep -q "remote config: serial 6 rolled back: no slide had anything to show" "$tmp/kiosk.log"
check "the active remote config is serial 5 again" cmp -s "$tmp/d5.conf" "$state/remote/active.conf"
doc 7 ranking "scope = province\n" | sed "s|/feed.json|/moved.json|" > "$tmp/d7.conf"
publish "$tmp/d7.conf" "$tmp/op.key"
check "one whose sources give nothing is rolled back too (the data on screen was the old one's)" \
  wait_for 20 "d['remote_config']['state'] == 'rolled_back' and d['remote_config']['last_serial'] == 7 and d['remote_config']['serial'] == 5"
check "  and its slide is back on the old data" wait_for 10 "d['slide'] == 'ranking' and d['sources'][0]['url'].endswith('/feed.json')"
sleep 2
check "a rolled-back document is not tried again" [ "$(grep -c 'serial 6 from' "$tmp/kiosk.log")" -eq 1 ]

kill -TERM "$kiosk_pid"; wait "$kiosk_pid"; kiosk_pid=
rm -f "$state/status.json"
"$kiosk" run --windowed --config "$tmp/kiosk.conf" --state "$state" --runtime "$state" --interval 1 \
  > /dev/null 2>> "$tmp/kiosk.log" &
kiosk_pid=$!
check "after a restart the applied remote config runs at once" \
  wait_for 10 "d['slide'] == 'ranking' and d['remote_config']['serial'] == 5 and d['remote_config']['state'] != 'refused'"
check "the document held is not refused again" sh -c "sleep 2; [ \$(grep -c 'serial 5 from' '$tmp/kiosk.log') -eq 1 ]"
kill -TERM "$kiosk_pid"; wait "$kiosk_pid"; kiosk_pid=

finish remote_config
