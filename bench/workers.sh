#!/usr/bin/env bash
# What a plugin worker costs, on the demo at 1920x1080 (bench_workers): each slide redrawn
# in-process and through its worker, the PSS of an idle worker, a crash to the slide drawn
# again. usage: bench/workers.sh [BUILD_DIR] [N]
set -eu
build=${1:-build/release} n=${2:-30}
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$src/kiosk/data/demo/demo-vn766.json" "$tmp/"
sed 's/^\[kiosk\]$/[kiosk]\nisolation = none/' "$src/kiosk/data/demo/kiosk.conf" > "$tmp/none.conf"
sed 's/^\[kiosk\]$/[kiosk]\nisolation = all/' "$src/kiosk/data/demo/kiosk.conf" > "$tmp/all.conf"
"$build/bench/bench_workers" "$build/bin/kiosk" "$build/share/kiosk" "$build/lib/kiosk/plugins" \
  "$tmp/none.conf" "$tmp/all.conf" 1920x1080 "$n"
