#!/usr/bin/env bash
# Plugin workers under a real `kiosk run` (offscreen): every deliberately broken plugin of
# tests/plugins/ as a slide of its own among good ones, each in its worker. The process
# stays up, the good slides keep coming round (status.json sampled over the run), the
# watchdog (a datagram socket standing in for systemd) is pinged with no gap longer than
# half its period, status.json and `kiosk status` name each plugin and its fault, the
# filter refuses what it must, and the plugins' output reaches the log escaped and capped.
# usage: test_workers.sh KIOSK TEST_PLUGIN_DIR DEMO_FEED [SANITIZED]
set -u
kiosk=$1 plugins=$2 feed=$3 sanitized=${4:-0}
tmp=$(mktemp -d)
[ -n "${KEEP_TMP:-}" ] && echo "keeping $tmp"
export SDL_VIDEODRIVER=offscreen
listener= sampler=
cleanup() {
  [ -n "${KEEP_LOG:-}" ] && cp "$tmp/kiosk.log" "$KEEP_LOG"
  [ -n "$listener" ] && kill "$listener" 2>/dev/null
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  wait 2>/dev/null
  [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
source "$(dirname "$0")/lib.sh"

mkdir -p "$tmp/plugins"
# the broken ones, in two playlists of a run each (a turn of each slide in a few
# seconds), and one good plugin from outside (also in a worker)
crashing=(render_segv render_abort render_exit render_loop render_sleep stack_overflow
          render_slow create_crash)
# under an emulator (a cross build) the workers have no filter (KIOSK_WORKER_FILTER=off):
# the plugins that try what it refuses are left out there
filtered=1
[ "${KIOSK_WORKER_FILTER:-}" = off ] && filtered=0
trying=(noisy render_negative render_huge abuse)
[ "$filtered" = 1 ] && trying+=(sandbox_socket sandbox_exec sandbox_write sandbox_ptrace sandbox_kill)
# 4 GiB written: refused by the worker's address-space limit; under the sanitizers there
# is no such limit (they reserve terabytes), nor under the emulator (it keeps the limit
# from its own reservations), so it is left out there
limited=1
[ "$sanitized" = 1 ] || [ "$filtered" = 0 ] && limited=0
[ "$limited" = 1 ] && trying+=(render_alloc)
# 110 MiB kept a frame, and a NULL from malloc written: the second frame passes the limit
[ "$limited" = 1 ] && crashing+=(render_leak)
for p in "${crashing[@]}" "${trying[@]}" good ctor_crash; do cp "$plugins/$p.so" "$tmp/plugins/"; done
chmod 755 "$tmp/plugins"/*.so
cp "$feed" "$tmp/feed.json"

# start NAME SECONDS SLIDE=PLUGIN...: a kiosk run in the background, with the good slides
# around the ones given, systemd's notify socket stood in for (each datagram with its
# time) and the slide on screen sampled from status.json every 0.1 s
start() {
  local name=$1 secs=$2 d=$tmp/$1
  shift 2
  mkdir -p "$d/state" "$d/run"
  {
    cat <<CONF
[kiosk]
home = H16
stale_after_h = 0
transition = none
plugin_dir = $tmp/plugins
render_deadline_s = ${deadline:-0.5}
[source.demo]
url = $tmp/feed.json
[slide.headline]
plugin = headline
duration_s = ${turn:-1}
[slide.outside]
plugin = good
duration_s = ${turn:-1}
CONF
    for sp in "$@"; do printf '[slide.%s]\nplugin = %s\nduration_s = %s\n' "${sp%%=*}" "${sp#*=}" "${turn:-1}"; done
    printf '[slide.gauges]\nplugin = gauges\nduration_s = %s\n' "${turn:-1}"
  } > "$d/kiosk.conf"
  (
    python3 - "$d/notify.sock" "$d/notify.log" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(0.2)
with open(sys.argv[2], "w") as log:
    while True:
        try:
            for line in s.recv(4096).decode().splitlines():
                log.write("%.3f %s\n" % (time.monotonic(), line))
            log.flush()
        except socket.timeout:
            pass
PY
    listener=$!
    python3 - "$d/run/status.json" "$d/slides.log" <<'PY' &
import json, sys, time
last = None
with open(sys.argv[2], "w") as out:
    while True:
        try:
            slide = json.load(open(sys.argv[1])).get("slide")
        except (OSError, ValueError):
            slide = None
        if slide and slide != last:
            out.write("%.3f %s\n" % (time.monotonic(), slide))
            out.flush()
            last = slide
        time.sleep(0.1)
PY
    sampler=$!
    for _ in $(seq 100); do [ -S "$d/notify.sock" ] && break; sleep 0.05; done
    NOTIFY_SOCKET=$d/notify.sock WATCHDOG_USEC=$watchdog_us "$kiosk" run --windowed \
      --size 960x540 --config "$d/kiosk.conf" --state "$d/state" --runtime "$d/run" \
      --exit-after "$secs" > /dev/null 2> "$d/kiosk.log"
    echo $? > "$d/rc"
    sleep 0.3
    kill "$sampler" "$listener" 2>/dev/null
    wait 2>/dev/null
  ) &
}

# the checks every run passes: up all the time, the watchdog fed, the good slides' turns
# kept (each seen in two cycles at least, headline back within a cycle and a half)
checks() { # NAME SECONDS LONGEST_CYCLE
  local name=$1 secs=$2 cycle=$3 d=$tmp/$1
  cat "$d/kiosk.log" >> "$tmp/kiosk.log"
  local rc
  rc=$(cat "$d/rc")
  check "$name: the kiosk ran its $secs s and exited cleanly (rc $rc)" [ "$rc" = 0 ]
  check "$name: systemd: READY=1" grep -q " READY=1" "$d/notify.log"
  local gap half
  half=$(awk -v u="$watchdog_us" 'BEGIN { print u / 2e6 }')
  gap=$(awk '/WATCHDOG=1/ { if (t) { g = $1 - t; if (g > m) m = g } t = $1 } END { printf "%.2f", m }' \
    "$d/notify.log")
  check "$name: watchdog pinged with no gap over half its period, $half s (longest $gap s)" \
    awk -v g="$gap" -v h="$half" 'BEGIN { exit !(g > 0 && g <= h) }'
  # under the sanitizers every worker started again is an instrumented program exec'd anew
  # (seconds each), and a plugin's create() is awaited within its deadline: there the good
  # slides must still come, the pace of the rotation is checked in the release build
  local turns=2
  [ "$sanitized" = 1 ] && turns=1
  for good in headline outside gauges; do
    local seen
    seen=$(grep -c " $good$" "$d/slides.log")
    check "$name: good slide $good keeps its turns ($seen in $secs s)" [ "$seen" -ge "$turns" ]
  done
  [ "$sanitized" = 1 ] && return 0
  local wait_max
  wait_max=$(awk '$2 == "headline" { if (t) { g = $1 - t; if (g > m) m = g } t = $1 }
    END { printf "%.1f", m }' "$d/slides.log")
  check "$name: headline back within $cycle s all through the run (longest wait $wait_max s)" \
    awk -v g="$wait_max" -v c="$cycle" 'BEGIN { exit !(g > 0 && g <= c) }'
}

# the watchdog: pinged every third of its period, also while a worker's reply is awaited
watchdog_us=8000000
# render_segv serves three slides (one worker): three faults within a turn of the
# playlist, its quarantine
crash_slides=(ctor=ctor_crash)
for p in "${crashing[@]}"; do crash_slides+=("$p=$p"); done
crash_slides+=(render_segv_2=render_segv outside_2=good render_segv_3=render_segv)
try_slides=()
for p in "${trying[@]}"; do try_slides+=("$p=$p"); done
# under an emulator every worker start is seconds: a longer run, so each crashing slide
# gets its turn (one was still waiting for it after 34 s under CI's load)
crash_s=34
[ "$filtered" = 0 ] && crash_s=60
start crashing "$crash_s" "${crash_slides[@]}"
start trying 28 "${try_slides[@]}"
# draw-ahead: a slide whose render takes 1.5 s (within a 2 s deadline) is asked for while
# the slide before it shows, and comes on screen on time
deadline=2 turn=2 start slow 30 render_slow=render_slow
wait
# a turn of the playlist: a second a slide, a deadline more for each that hangs
checks crashing "$crash_s" 21
checks trying 28 16
checks slow 30 11
# the turns around the slow slide after a round and a half (the data comes after the
# start, later under the sanitizers, and a picture asked for before it is drawn again):
# each within half a second of its 2 s
turns=$(awk 'NR > 6 { if (t) printf "%s %.2f\n", s, $1 - t; t = $1; s = $2 }' "$tmp/slow/slides.log")
longest=$(awk '{ if ($2 > m) m = $2 } END { printf "%.2f", m }' <<<"$turns")
# one turn may be late: its picture asked for ahead was drawn for data that changed before
# its turn (or the machine was busy); without draw-ahead every turn before the slow slide is
late=$(awk '$2 > 2.5 { n++ } END { print n + 0 }' <<<"$turns")
check "slow: the turns within 2.5 s, the slow slide's predecessor's too (longest $longest s, $late late)" \
  awk -v g="$longest" -v late="$late" 'BEGIN { exit !(g > 1.5 && late <= 1) }'
check "slow: the slow slide shown, no fault" bash -c '[ "$(grep -c " render_slow$" "$0")" -ge 2 ] && ! grep -q "plugin render_slow: fault" "$1"' "$tmp/slow/slides.log" "$tmp/slow/kiosk.log"
status_a=$tmp/crashing/run/status.json
status_b=$tmp/trying/run/status.json
log=$(cat "$tmp/kiosk.log")
st() { python3 -c "import json,sys; d=json.load(open('$status_a')); print($1)"; }
st_b() { python3 -c "import json,sys; d=json.load(open('$status_b')); print($1)"; }

# status.json names each plugin, the slide and the fault
fault_of() { st "' '.join(f['fault'] for f in d['plugin_faults'] if f['plugin'] == '$1')"; }
expect() { # plugin fault
  local got
  got=$(fault_of "$1")
  check "status.json: $1: $2 (says \"$got\")" [ "$got" = "$2" ]
}
expect render_segv SIGSEGV
expect render_abort SIGABRT
expect render_exit "exit 0"
expect render_loop "deadline 0.5 s"
expect render_sleep "deadline 0.5 s"
expect stack_overflow SIGSEGV
expect render_slow "deadline 0.5 s"
expect create_crash SIGSEGV
[ "$limited" = 0 ] || expect render_leak "memory 256 MiB"
check "status.json: the slide of a fault" [ "$(st "[f['slide'] for f in d['plugin_faults'] if f['plugin'] == 'render_abort'][0]")" = render_abort ]
check "status.json: counts and a time to come back" \
  [ "$(st "all(f['count'] >= 1 and f['back_at'] for f in d['plugin_faults'])")" = True ]
check "status.json: three faults in 10 minutes quarantine (render_segv)" \
  [ "$(st "[f['quarantined'] for f in d['plugin_faults'] if f['plugin'] == 'render_segv'][0]")" = True ]
check "status.json: create_crash's slide left out, its worker named" \
  has "$(st "d['slides_failed']")" "the worker of plugin create_crash failed in create(): SIGSEGV"
check "status.json: ctor_crash refused: its worker died loading it" \
  has "$(st "d['plugins']['refused']")" "its worker failed loading it: SIGSEGV"
fault_b() { st_b "' '.join(f['fault'] for f in d['plugin_faults'] if f['plugin'] == '$1')"; }
oks=(good noisy render_negative render_huge abuse)
[ "$filtered" = 1 ] && oks+=(sandbox_socket sandbox_write sandbox_kill)
for ok in "${oks[@]}"; do
  check "no fault for $ok" [ -z "$(fault_b $ok)" ]
done
[ "$limited" = 0 ] || check "4 GiB refused by the memory limit, no fault" [ -z "$(fault_b render_alloc)" ]

# kiosk status reads it
out=$("$kiosk" status --runtime "$tmp/crashing/run" --state "$tmp/crashing/state" 2>&1)
check "kiosk status names the plugin and its fault" has "$out" "plugin render_abort: SIGABRT in render() of slide render_abort"
check "kiosk status: quarantined until" has "$out" "quarantined until"
# and the metrics count them by kind, the quarantine a gauge of its own
prom=$("$kiosk" metrics --runtime "$tmp/crashing/run" --state "$tmp/crashing/state" 2>&1)
segv=$(sed -n 's/^kiosk_plugin_faults_total{plugin="render_segv",fault="crash"} //p' <<<"$prom")
check "metrics: render_segv's crashes counted (${segv:-none})" [ "${segv:-0}" -ge 3 ]
check "metrics: render_loop's hangs counted" \
  grep -Eq '^kiosk_plugin_faults_total\{plugin="render_loop",fault="hang"\} [1-9]' <<<"$prom"
check "metrics: render_exit's exit counted" \
  grep -Eq '^kiosk_plugin_faults_total\{plugin="render_exit",fault="exit"\} [1-9]' <<<"$prom"
check "metrics: render_segv quarantined" has "$prom" 'kiosk_plugin_quarantined{plugin="render_segv"} 1'

# one log line per fault, not a flood
n=$(grep -c "^plugin render_segv: fault " <<<"$log")
check "one log line per fault of render_segv ($n)" [ "$n" -ge 3 ]
check "the third fault within 10 minutes quarantines" \
  grep -Eq "^plugin render_segv: fault 3: SIGSEGV in render\(\) of slide render_segv(_2|_3)?: its slides are out of the rotation; quarantined until" "$tmp/kiosk.log"
check "the log names the fault and the slide" has "$log" "plugin render_abort: fault 1: SIGABRT in render() of slide render_abort"

# the filter
[ "$filtered" = 1 ] && check "sandbox: socket refused" has "$log" "plugin sandbox_socket: output: socket: refused"
[ "$filtered" = 1 ] && check "sandbox: open for writing refused" has "$log" "plugin sandbox_write: output: open for writing: refused"
[ "$filtered" = 1 ] && check "sandbox: ptrace refused" has "$log" "plugin sandbox_ptrace: output: ptrace: refused"
[ "$filtered" = 1 ] && check "sandbox: killing the kiosk refused" has "$log" "plugin sandbox_kill: output: kill: refused"
[ "$filtered" = 1 ] && check "sandbox: exec refused" has "$log" "plugin sandbox_exec: output: exec: refused"

# the plugins' output: escaped, prefixed, capped
check "output: control characters escaped" has "$log" 'plugin noisy: output: \x1b[31mred\x07 and a\x0dcarriage'
check "output: a forged line stays the plugin's" has "$log" "plugin noisy: output: slide headline: left out: forged"
check "output: no line of it stands alone" bash -c '! grep -q "^slide headline: left out: forged" "$0"' "$tmp/kiosk.log"
check "output: capped at 20 lines a minute" has "$log" "plugin noisy: output: more than 20 lines a minute"
check "output: the flood cut short" bash -c '! grep -q "flood 50" "$0"' "$tmp/kiosk.log"

# the built-in plugins in workers (isolation = all): loaded, each slide made, drawn and
# destroyed, the worker ended; every picture the same, bit for bit, as drawn in-process
demo=$(dirname "$feed")
mkdir -p "$tmp/demo"
cp "$feed" "$tmp/demo/"
sed 's/^\[kiosk\]$/[kiosk]\nisolation = all/' "$demo/kiosk.conf" > "$tmp/demo/all.conf"
sed 's/^\[kiosk\]$/[kiosk]\nisolation = none/' "$demo/kiosk.conf" > "$tmp/demo/none.conf"
at=2025-10-06T08:00:00+07:00
for size in 1920x1080 1080x1920; do
  for iso in all none; do
    "$kiosk" snapshot --config "$tmp/demo/$iso.conf" --out "$tmp/demo/$iso-$size" --size $size \
      --at $at > /dev/null 2> "$tmp/demo/$iso-$size.log"
  done
  n=$(ls "$tmp/demo/none-$size" | wc -l)
  check "isolation = all, $size: the workers were used" grep -q 'loaded "leaderboard" in a worker' "$tmp/demo/all-$size.log"
  check "isolation = all, $size: the same $n pictures as in-process" \
    bash -c '[ "$2" -ge 6 ] && diff -r "$0/all-$1" "$0/none-$1"' "$tmp/demo" $size "$n"
done
# an SVG poster drawn in a worker, its filter in place (librsvg is opened at the first SVG,
# after the filter): the same picture as in-process
svg=$(cd "$(dirname "$0")/../fixtures/pictures/posters" && pwd)/2-poster.svg
for iso in all none; do
  # (the first SVG opens librsvg: slow under the sanitizers, so a deadline to match)
  printf '[kiosk]\nisolation = %s\nrender_deadline_s = 30\n[source.demo]\nurl = %s\n[slide.poster]\nplugin = image\npath = %s\n' \
    "$iso" "$feed" "$svg" > "$tmp/demo/svg-$iso.conf"
  "$kiosk" snapshot --config "$tmp/demo/svg-$iso.conf" --out "$tmp/demo/svg-$iso" --size 960x540 \
    --at $at > /dev/null 2> "$tmp/demo/svg-$iso.log"
done
svg_same() {
  [ -s "$tmp/demo/svg-all/01-poster.png" ] &&
    cmp -s "$tmp/demo/svg-all/01-poster.png" "$tmp/demo/svg-none/01-poster.png" && return 0
  grep -v ': loaded "' "$tmp/demo/svg-all.log" | head -5 | sed 's/^/  (svg, isolation = all) /'
  return 1
}
check "an SVG drawn in a filtered worker, as in-process" svg_same

# kiosk snapshot of a playlist with a broken slide: the others written, the broken one named
cat "$tmp/crashing/kiosk.conf" > "$tmp/demo/broken.conf"
out=$("$kiosk" snapshot --config "$tmp/demo/broken.conf" --out "$tmp/demo/broken" --size 960x540 2>&1)
check "snapshot: a broken slide named, with its fault" has "$out" "slide render_abort: not drawn: plugin render_abort: SIGABRT in render()"
check "snapshot: the good slides written" bash -c '[ -f "$0/broken/01-headline.png" ] && [ -f "$0/broken/02-outside.png" ] && [ ! -e "$0/broken/04-render_segv.png" ]' "$tmp/demo"

# the program a worker is started from cannot be run (KIOSK_SELF, as an emulator's wrapper
# sets it): the plugin is refused with the reason, the built-in slides are drawn
printf '\177ELF not a program' > "$tmp/not-a-program"
chmod 755 "$tmp/not-a-program"
out=$(KIOSK_SELF=$tmp/not-a-program "$kiosk" snapshot --config "$tmp/demo/broken.conf" \
      --out "$tmp/demo/noexec" --size 960x540 2>&1)
check "no worker program: the reason, with the program named" \
  has "$out" "render_abort.so: output: cannot start the kiosk program $tmp/not-a-program for it (ENOEXEC)"
check "no worker program: the plugin refused" \
  has "$out" "render_abort.so: refused: its worker failed loading it: exit 127 (the line above says why)"
check "no worker program: the built-in slides drawn" [ -f "$tmp/demo/noexec/01-headline.png" ]
out=$(KIOSK_SELF=kiosk "$kiosk" snapshot --config "$tmp/demo/broken.conf" --out "$tmp/demo/x" 2>&1)
check "KIOSK_SELF not an absolute path: said, exit 1" \
  bash -c '[ "$1" = 1 ] && grep -q "KIOSK_SELF=\"kiosk\": expected the absolute path of a program" <<<"$0"' "$out" $?

out=$(KIOSK_WORKER_FILTER=off "$kiosk" check "$tmp/demo/all.conf" 2>&1)
check "KIOSK_WORKER_FILTER=off: kiosk check still checks a config" has "$out" "all.conf: OK: "
out=$(KIOSK_WORKER_FILTER=off "$kiosk" snapshot --config "$tmp/demo/broken.conf" --out "$tmp/demo/nf" --size 640x360 2>&1)
check "KIOSK_WORKER_FILTER=off: said" has "$out" "KIOSK_WORKER_FILTER=off: plugin workers run without their system call filter"
out=$(KIOSK_WORKER_FILTER=maybe "$kiosk" check "$tmp/demo/all.conf" 2>&1)
check "KIOSK_WORKER_FILTER=maybe: refused with what is expected" has "$out" 'KIOSK_WORKER_FILTER="maybe": expected on or off'

out=$("$kiosk" check "$tmp/demo/none.conf" 2>&1)
check "kiosk check warns about isolation = none" has "$out" "warning: [kiosk] isolation = none: every plugin runs in the kiosk's own process"
out=$("$kiosk" check "$tmp/demo/all.conf" 2>&1)
check "kiosk check: isolation = all is fine" bash -c '! grep -q "isolation" <<<"$0"' "$out"

finish workers
