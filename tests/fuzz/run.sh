#!/bin/bash
# Runs every libFuzzer target of a fuzz build for a fixed time on its seeds; a crash, a
# leak or a timeout fails. Usage: tests/fuzz/run.sh BUILD_DIR [SECONDS_EACH]
# (CI: build/fuzz, 10 s each). The corpus grows in a temporary folder, the seeds stay as
# they are; a crashing input is kept in BUILD_DIR/fuzz-crashes/ to reproduce with
# BUILD_DIR/tests/fuzz_NAME FILE.
set -u
build=${1:?usage: $0 BUILD_DIR [SECONDS_EACH]}
seconds=${2:-10}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
crashes=$build/fuzz-crashes
mkdir -p "$crashes"
# the leaks of third-party libraries the kiosk cannot free, as for the ASan suite
export LSAN_OPTIONS=suppressions=$src/tests/lsan.supp

seeds() { # the seed files of a target, one a line
  case $1 in
    feed) ls "$src"/tests/fixtures/weekly/*.json "$src"/tests/fixtures/bad/*.json "$src"/kiosk/data/demo/*.json ;;
    portal) find "$src/tests/fixtures/portal" -name '*.json' ;;
    json) ls "$src"/tests/fixtures/weekly/*.json "$src"/tests/fixtures/bad/*.json
          find "$src/tests/fixtures/portal" -name '*.json' ;;
    history) ls "$src"/tests/fuzz/seeds/history/* ;;
    config) ls "$src"/kiosk/data/demo/kiosk.conf "$src"/tests/fuzz/seeds/config/* ;;
    text) ls "$src"/tests/fuzz/seeds/text/* ;;
    minisign) ls "$src"/tests/fixtures/minisign/*.minisig "$src"/tests/fixtures/minisign/*.pub ;;
    image) find "$src/tests/fixtures/pictures" -type f; ls "$src"/tests/fuzz/seeds/image/* ;;
    command) ls "$src"/tests/fuzz/seeds/command/* ;;
  esac
}

failed=0
for name in feed portal json history config text minisign image command; do
  bin=$build/tests/fuzz_$name
  if [ ! -x "$bin" ]; then
    echo "fuzz_$name: FAIL: not built ($bin)"
    failed=1
    continue
  fi
  corpus=$work/$name
  mkdir -p "$corpus"
  seeds "$name" | while read -r f; do cp "$f" "$corpus/"; done
  log=$work/$name.log
  # -rss_limit_mb: the kiosk's own limits keep a document's memory small; more is a bug
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$crashes/$name-" "$corpus" >"$log" 2>&1
  rc=$?
  seeded=$(grep -m1 -o 'INITED cov: [0-9]*' "$log" | grep -o '[0-9]*$')
  final=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  if [ "$rc" -ne 0 ]; then
    echo "fuzz_$name: FAIL (exit $rc); the input is in $crashes:"
    grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -20
    failed=1
  else
    echo "fuzz_$name: OK: $(seeds "$name" | wc -l) seeds, coverage ${seeded:-?} seeded -> ${final:-?}, ${runs:-?} runs in ${seconds} s"
  fi
done
exit $failed
