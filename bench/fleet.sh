#!/usr/bin/env bash
# The fleet simulation: 3,321 kiosks (one per commune) polling one nginx with ETags every
# 300 s +-10%, a new week published at some moment; with polling alone, then with one MQTT
# `poll` command broadcast through mosquitto to every kiosk's own connection (3,321
# subscriptions; each kiosk polls after a random delay up to the spread, 60 s). Loopback only, bounded: the kiosks are bench_fleet's pollers, the
# kiosk's own (its schedule, ETag, cache on tmpfs and fetch code, a thread each), in one
# process, not processes; time is compressed by COMPRESS (30: 300 s runs in 10 s) and
# every figure is given back in real time. The origin's figures are nginx's own log.
# usage: bench/fleet.sh [BUILD_DIR] (default build/release)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/release}
bin=$build/bench/bench_fleet
kiosks=${KIOSKS:-3321} compress=${COMPRESS:-30} interval=${INTERVAL_S:-300} spread=${SPREAD_S:-60}
[ -x "$bin" ] || { echo "build $bin first (libmosquitto-dev)" >&2; exit 1; }
# a connection to the broker (its socket and libmosquitto's socket pair) per kiosk, and
# the transfers under way (a socket and curl's wake-up pair each): the files this process
# may open raised to what the system allows, which must be well past 4 a kiosk
need=$((4 * kiosks + 256)) hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || [ "$hard" -ge "$need" ] ||
  { echo "fleet.sh: $kiosks kiosks need over $need open files, this system allows $hard" >&2; exit 1; }
ulimit -Sn "$hard"
nginx=$(command -v nginx || echo /usr/sbin/nginx)
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
tmp=$(mktemp -d)
chmod 755 "$tmp"
# the kiosks' state folders on tmpfs, as /run is on a board (3,321 caches of a week)
shm=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp" "$shm"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

mkdir -p "$tmp/www" "$tmp/nginx"
old=$src/tests/fixtures/weekly/2025-W39.json new=$src/tests/fixtures/weekly/2025-W40.json
cp "$old" "$tmp/www/feed.json"
http=$(free_port)
cat > "$tmp/nginx/nginx.conf" <<CONF
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
worker_processes 1;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  log_format fleet '\$status \$bytes_sent \$msec';
  access_log $tmp/nginx/access.log fleet buffer=64k;
  client_body_temp_path $tmp/nginx/body; proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi; uwsgi_temp_path $tmp/nginx/uwsgi; scgi_temp_path $tmp/nginx/scgi;
  gzip on; gzip_types application/json;
  server { listen 127.0.0.1:$http backlog=4096; root $tmp/www; }
}
CONF
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
mqtt=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n' "$mqtt" > "$tmp/mosquitto.conf"
"$mosquitto" -c "$tmp/mosquitto.conf" 2>"$tmp/mosquitto.log" &
pids+=($!)
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$http/feed.json" -o /dev/null && break; sleep 0.1; done
: > "$tmp/nginx/access.log"

c() { python3 -c "print($1)"; } # arithmetic in floats
run() { # label mqtt-port: one scenario; its nginx log lines in $tmp/$label.log
  local label=$1 port=$2
  : > "$tmp/nginx/access.log"
  kill -USR1 "${pids[0]}" # reopen the log
  sleep 0.3
  rm -rf "$shm/$label" && mkdir -p "$shm/$label"
  # a thread a kiosk: small stacks (a poller needs a few hundred KiB at most)
  (ulimit -s 1024 && "$bin" --url "http://127.0.0.1:$http/feed.json" --file "$tmp/www/feed.json" \
    --old "$old" --new "$new" --state "$shm/$label" --kiosks "$kiosks" \
    --interval "$(c "$interval/$compress")" --publish-at "$(c "2.2*$interval/$compress")" \
    --max "$(c "3.6*$interval/$compress")" --spread "$(c "$spread/$compress")" \
    --mqtt-port "$port") > "$tmp/$label.out"
  sleep 0.3
  kill -USR1 "${pids[0]}"
  sleep 0.3
  cp "$tmp/nginx/access.log" "$tmp/$label.log"
  rm -rf "$shm/$label" # the next run's room on tmpfs
}
run polling 0
run mqtt "$mqtt"

python3 - "$tmp" "$compress" "$interval" "$spread" "$(stat -c %s "$new")" <<'PY'
import sys
tmp, compress, interval, spread, size = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
rows = {}
for label in ("polling", "mqtt"):
    f = dict(kv.split("=") for kv in open(f"{tmp}/{label}.out").read().split())
    log = [l.split() for l in open(f"{tmp}/{label}.log") if l.strip()]
    sent = sum(int(b) for s, b, _ in log)
    n200 = sum(1 for s, b, _ in log if s == "200"); n304 = sum(1 for s, b, _ in log if s == "304")
    bytes304 = sum(int(b) for s, b, _ in log if s == "304") / max(n304, 1)
    times = sorted(float(m) for _, _, m in log)
    publish, span = float(f["publish_unix"]), interval / compress
    # the busiest 10 s of real time (10/compress s of the run) after the new week
    after = [x for x in times if x >= publish]
    w, peak, j = 10 / compress, 0, 0
    for i in range(len(after)):
        while after[i] - after[j] > w:
            j += 1
        peak = max(peak, i - j + 1)
    # the steady state: the interval before the new week, every kiosk switched on by then
    steady_rps = sum(1 for _ in times if publish - span <= _ < publish) / span / compress
    kiosks = int(f["kiosks"])
    rows[label] = dict(f=f, sent=sent, n200=n200, n304=n304, bytes304=bytes304, steady_rps=steady_rps,
                       p99=float(f["p99_ms"]) / 1000 * compress if float(f["p99_ms"]) >= 0 else None,
                       p50=float(f["p50_ms"]) / 1000 * compress if float(f["p50_ms"]) >= 0 else None,
                       with_new=int(f["with_new"]), kiosks=kiosks, failed=int(f["failed"]),
                       peak=peak / 10)
p, m = rows["polling"], rows["mqtt"]
def t(x): return "not reached" if x is None else (f"{x:.0f} s" if x < 120 else f"{x/60:.1f} min")
k = p["kiosks"]
# a day: every kiosk polls 86400/interval times, all 304s but one 200 per new document
polls_day = k * 86400 / interval
body200 = size
print(f"| figure (real time; simulated {compress:.0f}x faster) | polling alone | with one MQTT `poll` |")
print("|---|---|---|")
print(f"| kiosks, poll interval | {k}, {interval:.0f} s ±10% | {k}, {interval:.0f} s ±10%, spread {spread:.0f} s |")
print(f"| origin requests per second, steady state | {p['steady_rps']:.1f} | {m['steady_rps']:.1f} |")
print(f"| origin requests per second, busiest 10 s after the new week | {p['peak']:.1f} | {m['peak']:.1f} |")
print(f"| requests in the run: 200 / 304 / failed | {p['n200']} / {p['n304']} / {p['failed']} | {m['n200']} / {m['n304']} / {m['failed']} |")
print(f"| bytes of a 304 / of a 200 (gzip) on the wire | {p['bytes304']:.0f} B / {(p['sent']-p['n304']*p['bytes304'])/max(p['n200'],1):.0f} B | {m['bytes304']:.0f} B / {(m['sent']-m['n304']*m['bytes304'])/max(m['n200'],1):.0f} B |")
mf = m["f"]
print(f"| MQTT: kiosks' own connections (lost) / that had the `poll` / the last one after | - | {mf['mqtt_links']} ({mf['mqtt_lost']}) / {mf['mqtt_got']} / {float(mf['mqtt_last_ms']):.0f} ms (not compressed) |")
print(f"| time until 50% of the fleet has the new week | {t(p['p50'])} | {t(m['p50'])} |")
print(f"| time until 99% of the fleet has the new week | {t(p['p99'])} | {t(m['p99'])} |")
per200 = (p['sent']-p['n304']*p['bytes304'])/max(p['n200'],1)
day = polls_day * p['bytes304'] + k * per200
print(f"| a day: requests / bytes at the origin (one new week) | {polls_day:,.0f} / {day/1e6:.1f} MB | {polls_day + k:,.0f} / {(day + k*p['bytes304'])/1e6:.1f} MB |")
PY
