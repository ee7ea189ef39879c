#!/usr/bin/env bash
# Every built-in plugin in a worker (isolation = all) under valgrind's memcheck, the kiosk
# and each worker alike: loaded, its slide made, drawn, destroyed, the worker ended. Any
# invalid read or write, use of uninitialised memory or definite leak fails the test, as
# does a picture that differs from the one drawn in-process without valgrind.
# usage: test_valgrind_workers.sh KIOSK DEMO_DIR
set -u
kiosk=$1 demo=$2
source "$(dirname "$0")/lib.sh"
scratch
if ! command -v valgrind > /dev/null; then
  echo "valgrind_workers: valgrind is not installed: skipped"
  exit 77
fi
export SDL_VIDEODRIVER=offscreen
cp "$demo/demo-vn766.json" "$tmp/"
sed 's/^\[kiosk\]$/[kiosk]\nisolation = all\nrender_deadline_s = 60/' "$demo/kiosk.conf" > "$tmp/all.conf"
sed 's/^\[kiosk\]$/[kiosk]\nisolation = none/' "$demo/kiosk.conf" > "$tmp/none.conf"
at=2025-10-06T08:00:00+07:00
size=640x360

"$kiosk" snapshot --config "$tmp/none.conf" --out "$tmp/none" --size $size --at $at \
  > /dev/null 2> "$tmp/none.log"
# the workers are started from the kiosk's own file (KIOSK_SELF), which valgrind follows
# into them; each process writes its own report
KIOSK_SELF=$(readlink -f "$kiosk") valgrind --trace-children=yes --error-exitcode=99 \
  --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
  --log-file="$tmp/vg.%p.log" \
  "$kiosk" snapshot --config "$tmp/all.conf" --out "$tmp/all" --size $size --at $at \
  > /dev/null 2> "$tmp/all.log"
rc=$?
n=$(ls "$tmp"/vg.*.log | wc -l)
check "under valgrind: the snapshot ran (rc $rc)" [ "$rc" = 0 ]
check "under valgrind: the kiosk and a worker per plugin were followed ($n processes)" [ "$n" -ge 9 ]
check "under valgrind: every built-in plugin loaded in a worker" \
  [ "$(grep -c 'in a worker' "$tmp/all.log")" -ge 8 ]
summaries=$(grep -l "ERROR SUMMARY" "$tmp"/vg.*.log | wc -l)
check "under valgrind: every process ran to its end and summed up ($summaries of $n)" [ "$summaries" = "$n" ]
errors=$(grep -h "ERROR SUMMARY" "$tmp"/vg.*.log | grep -vc "ERROR SUMMARY: 0 errors")
check "under valgrind: no memory error in any process ($errors reports with errors)" [ "$errors" = 0 ]
[ "$errors" = 0 ] || grep -l -v "ERROR SUMMARY: 0 errors" "$tmp"/vg.*.log | head -1 | xargs sed -n 1,60p
check "under valgrind: the same pictures as in-process" \
  bash -c '[ "$(ls "$0/none" | wc -l)" -ge 6 ] && diff -r "$0/all" "$0/none"' "$tmp"

finish valgrind_workers
