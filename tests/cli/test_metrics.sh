#!/usr/bin/env bash
# The kiosk's metrics as a province's monitoring takes them: `kiosk metrics` and the
# kiosk.prom that `kiosk run` writes pass `promtool check metrics`; a real
# prometheus-node-exporter with its textfile collector reads kiosk.prom, a real Prometheus
# scrapes it, and a query through Prometheus's HTTP API returns the kiosk's
# kiosk_data_age_seconds and kiosk_display_on. board/fleet's alert rules pass
# `promtool check rules` and its Grafana dashboard is JSON naming metrics the kiosk has.
# usage: test_metrics.sh KIOSK SOURCE_DIR DEMO_FEED
set -u
kiosk=$1 src=$2 feed=$3
tmp=$(mktemp -d)
kiosk_pid= exporter_pid= prom_pid=
cleanup() {
  [ -n "$kiosk_pid" ] && kill "$kiosk_pid" 2>/dev/null
  [ -n "$exporter_pid" ] && kill "$exporter_pid" 2>/dev/null
  [ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
source "$(dirname "$0")/lib.sh"
export SDL_VIDEODRIVER=offscreen
for tool in promtool prometheus prometheus-node-exporter curl; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
cd "$tmp"

wait_file() { # seconds file
  local end=$((SECONDS + $1))
  while [ $SECONDS -lt $end ]; do [ -s "$2" ] && return 0; sleep 0.1; done
  return 1
}

# no kiosk running: only what the program knows, and up 0
out=$("$kiosk" metrics --runtime "$tmp/none" --state "$tmp/none")
check "no kiosk: kiosk metrics exits 0" [ $? -eq 0 ]
check "  kiosk_up 0" has "$out" $'\nkiosk_up 0'
check "  and passes promtool" promtool check metrics <<<"$out"

cat >kiosk.conf <<EOF
[kiosk]
stale_after_h = 0
[source.demo]
url = $feed
interval_s = 3600
[slide.headline]
plugin = headline
duration_s = 2
[slide.gauges]
plugin = gauges
duration_s = 2
EOF
"$kiosk" run --config kiosk.conf --state state --runtime run --windowed --size 640x360 \
  >kiosk.log 2>&1 &
kiosk_pid=$!
check "kiosk run writes kiosk.prom in its runtime directory" wait_file 15 run/kiosk.prom
for _ in $(seq 100); do # the first poll of the source, with no cache yet
  out=$("$kiosk" metrics --runtime run)
  has "$out" 'kiosk_data_period_info{' && break
  sleep 0.1
done
check "kiosk metrics, while it runs, passes promtool" promtool check metrics <<<"$out"
check "kiosk.prom passes promtool" promtool check metrics <run/kiosk.prom
# how often it is rewritten, as the start said (the dashboard and the alert read it)
if grep -q "kiosk.prom is not on tmpfs" kiosk.log; then every=900; else every=60; fi
check "kiosk.prom says it is rewritten every $every s" \
  grep -qx "kiosk_metrics_refresh_seconds $every" run/kiosk.prom
for m in 'kiosk_build_info{version="' 'kiosk_up 1' 'kiosk_data_age_seconds ' \
  'kiosk_data_period_info{period="2025-W40",label="Tuần 40/2025"} 1' \
  'kiosk_source_last_success_timestamp_seconds{source="demo"} ' \
  'kiosk_source_poll_failures_total{source="demo",reason="network"} 0' \
  'kiosk_plugin_quarantined{plugin="headline"} 0' 'kiosk_display_on 1' \
  'kiosk_display_connected 1' 'kiosk_clock_synchronised ' \
  '# TYPE kiosk_frame_render_seconds histogram' 'kiosk_frame_render_seconds_bucket{le="+Inf"} '; do
  check "kiosk metrics has $m" has "$out" "$m"
done
check "the same in kiosk.prom" has "$(cat run/kiosk.prom)" 'kiosk_display_on 1'

# a source that fails: counted by reason
sed -i "s|^url = .*|url = $tmp/missing.json|" kiosk.conf
kill -HUP "$kiosk_pid"
for _ in $(seq 100); do
  has "$("$kiosk" metrics --runtime run)" 'reason="file"} 1' && break
  sleep 0.1
done
check "a missing file: kiosk_source_poll_failures_total{reason=\"file\"} 1" \
  has "$("$kiosk" metrics --runtime run)" 'kiosk_source_poll_failures_total{source="demo",reason="file"} 1'

# ---- node_exporter's textfile collector and a Prometheus scraping it ----
eport=$(free_port)
prometheus-node-exporter --web.listen-address=127.0.0.1:$eport --collector.disable-defaults \
  --collector.textfile --collector.textfile.directory="$tmp/run" >exporter.log 2>&1 &
exporter_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$eport/metrics" >exported.txt && break; sleep 0.1; done
check "node_exporter exports kiosk.prom" has "$(cat exported.txt)" 'kiosk_display_on 1'
check "  without an error reading it" has "$(cat exported.txt)" 'node_textfile_scrape_error 0'
pport=$(free_port)
cat >prometheus.yml <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: kiosk
    static_configs:
      - targets: ['127.0.0.1:$eport']
        labels: {kiosk: 'k1'}
EOF
prometheus --config.file=prometheus.yml --storage.tsdb.path="$tmp/tsdb" \
  --web.listen-address=127.0.0.1:$pport >prometheus.log 2>&1 &
prom_pid=$!
query() { curl -sf "http://127.0.0.1:$pport/api/v1/query" --data-urlencode "query=$1"; }
answer=
for _ in $(seq 300); do
  answer=$(query 'kiosk_data_age_seconds{kiosk="k1"}' 2>/dev/null)
  has "$answer" '"value"' && break
  sleep 0.1
done
check "Prometheus's API returns kiosk_data_age_seconds" has "$answer" '"__name__":"kiosk_data_age_seconds"'
age=$(python3 -c "import json,sys; print(int(float(json.loads(sys.argv[1])['data']['result'][0]['value'][1])))" "$answer" 2>/dev/null)
check "  a data age of days, as the demo's old week ($age s)" [ "${age:-0}" -gt 86400 ]
answer=$(query 'kiosk_display_on{kiosk="k1"}')
check "Prometheus's API returns kiosk_display_on = 1" \
  python3 -c "import json,sys; r=json.loads(sys.argv[1])['data']['result']; sys.exit(0 if r and r[0]['value'][1] == '1' else 1)" "$answer"

# every query of board/fleet's Grafana dashboard, asked of this Prometheus: each one valid,
# and "Kiosks up" counting this kiosk (its kiosk.prom renewed within 5 minutes)
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["panels"]:
    for t in p.get("targets", []):
        print(p["title"] + "\t" + t["expr"])' "$src/board/fleet/grafana-dashboard.json" >panels.tsv
bad=
while IFS=$'\t' read -r title expr; do
  has "$(query "$expr")" '"status":"success"' || bad="$bad [$title: $expr]"
done <panels.tsv
check "every query of the dashboard is one Prometheus takes${bad:+:$bad}" [ -z "$bad" ]
up_expr=$(grep -m1 '^Kiosks up' panels.tsv | cut -f2)
check "  \"Kiosks up\" counts this kiosk" \
  python3 -c "import json,sys; r=json.loads(sys.argv[1])['data']['result']; sys.exit(0 if r and r[0]['value'][1] == '1' else 1)" "$(query "$up_expr")"

# ---- board/fleet ----
check "board/fleet's alert rules pass promtool" promtool check rules "$src/board/fleet/kiosk-alerts.yml"
check "  and fire when they should: data 8 days old, a quarantine, a screen off in working hours (not on Saturday or at night), a kiosk gone" \
  promtool test rules "$src/board/fleet/kiosk-alerts.test.yml"
check "board/fleet's Grafana dashboard is JSON using the kiosk's metrics" python3 - "$src/board/fleet/grafana-dashboard.json" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
exprs = " ".join(t["expr"] for p in d["panels"] for t in p.get("targets", []))
names = set(re.findall(r"\bkiosk_[a-z_]+", exprs))
known = {"kiosk_up", "kiosk_data_age_seconds", "kiosk_display_on", "kiosk_display_connected",
         "kiosk_plugin_quarantined", "kiosk_data_period_info", "kiosk_build_info",
         "kiosk_source_poll_failures_total", "kiosk_frame_render_seconds_bucket",
         "kiosk_source_last_success_timestamp_seconds", "kiosk_plugin_faults_total",
         "kiosk_clock_synchronised", "kiosk_fleet_broker_connected",
         "kiosk_metrics_refresh_seconds"}
sys.exit(0 if names and names <= known else f"unknown metrics: {names - known}")
EOF

finish metrics
