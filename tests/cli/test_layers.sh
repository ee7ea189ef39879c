#!/usr/bin/env bash
# The layers the build enforces (kiosk/cmake/check_layers.py): the tree as it is passes,
# and each kind of mistake added to a copy of it is refused with the file and line.
# usage: test_layers.sh SOURCE_DIR
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"
checker=$src/kiosk/cmake/check_layers.py

fresh() { rm -rf "$tmp/tree"; mkdir -p "$tmp/tree"; cp -r "$src/kiosk" "$src/plugins" "$tmp/tree/"; }
refused() { # file line-to-append fragment-of-the-message
  fresh
  printf '%s\n' "$2" >> "$tmp/tree/$1"
  out=$(python3 "$checker" "$tmp/tree")
  local rc=$?
  [ $rc -ne 0 ] && has "$out" "$1:" && has "$out" "$3"
}

check "the tree's layers are as described" python3 "$checker" "$src"
check "an include up a layer is refused" \
  refused kiosk/core/score.h '#include "screen/show.h"' "the core layer includes \"screen/show.h\" of the screen layer above it"
check "the config including the host is refused" \
  refused kiosk/config/config.h '#include "host/services.h"' "the config layer includes"
check "net and render are siblings: neither includes the other" \
  refused kiosk/net/poller.c '#include "render/canvas.h"' "of the render layer above it"
check "a bare name of another folder's header is refused" \
  refused kiosk/screen/show.c '#include "score.h"' 'write "core/score.h", not "score.h"'
check "an internal header outside its folder is refused" \
  refused kiosk/net/fetch.c '#include "core/feed_internal.h"' "is internal to core/"
check "a plugin including the kiosk's own headers is refused" \
  refused plugins/trend/trend.c '#include "core/score.h"' "a plugin includes only the plugin ABI"
fresh
printf '#include "freshness.h"\n' >> "$tmp/tree/kiosk/core/score.h"
out=$(python3 "$checker" "$tmp/tree")
check "an include circle is refused" has "$out" "an include circle"
finish layers
