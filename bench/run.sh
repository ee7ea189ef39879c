#!/usr/bin/env bash
# National-scale scoring benchmark (34 provinces, 3,321 communes, 52 weeks).
#   bench/run.sh            build the release preset, generate the data, measure
# (a) steady state: the newest week's feed with 51 earlier weeks in the history store;
#     the whole `kiosk score --state` run: parse, load history, merge, save, score, JSON.
# (b) first start: all 52 weeks from one ~32 MB document into an empty store.
# Baseline: jansson loading the same document whole.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
bin=build/release
out=build/bench-data
[ -f "$out/all-52.json" ] || python3 bench/gen_national.py "$out"
ls -l "$out"/*.json | awk '{printf "  %-40s %6.1f MB\n", $NF, $5 / 1e6}'
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT

"$bin/bin/kiosk" score --state "$state/a" --max-bytes 64M "$out/weeks-01-51.json" >/dev/null
echo "(a) steady state: newest week + 51 weeks in the history store"
echo " in-process, the poller's work:"
"$bin/bench/bench_core" "$state/a" "$out/week-52.json" 15
echo " the whole command (process start, the same work, and 3,355 units of JSON output):"
"$bin/bench/measure" 15 "$bin/bin/kiosk" score --state "$state/a" "$out/week-52.json"

echo "(b) first start: 52 weeks from one document into an empty store"
for i in 1 2 3; do
  rm -rf "$state/b"
  "$bin/bench/measure" 1 "$bin/bin/kiosk" score --state "$state/b" --max-bytes 64M \
    "$out/all-52.json"
done

echo "baseline: jansson loading the 52-week document whole"
"$bin/bench/measure" 3 "$bin/bench/jansson_load" "$out/all-52.json"
