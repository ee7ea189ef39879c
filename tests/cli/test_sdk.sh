#!/usr/bin/env bash
# The plugin SDK as a plugin author meets it: install the kiosk into a prefix, build the
# installed example plugins out of tree against the installed headers only (with CMake and with
# pkg-config + make), and have the installed kiosk check it and draw it.
# usage: test_sdk.sh BUILD_DIR SOURCE_DIR
# In a cross build the plugin is cross-built too: KIOSK_TEST_CC is the cross compiler,
# KIOSK_TEST_TOOLCHAIN the CMake toolchain file, KIOSK_TEST_EMULATOR runs the programs.
set -u
build=$1 src=$2
cc=${KIOSK_TEST_CC:-cc} emu=${KIOSK_TEST_EMULATOR:-}
toolchain=()
[ -n "${KIOSK_TEST_TOOLCHAIN:-}" ] && toolchain=(-DCMAKE_TOOLCHAIN_FILE="$KIOSK_TEST_TOOLCHAIN")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"
prefix=$tmp/prefix
check "the kiosk installs into a prefix" cmake --install "$build" --prefix "$prefix" > "$tmp/install.log"
check "its configuration goes under the prefix" [ -f "$prefix/etc/kiosk/kiosk.conf" ]
outside=$(grep -E 'Installing|Up-to-date' "$tmp/install.log" | grep -vF "$prefix/")
check "nothing goes outside it (a board's /etc/kiosk stays)" [ -z "$outside" ]
kiosk=$prefix/bin/kiosk
check "the headers are installed" [ -f "$prefix/include/kiosk/plugin.h" -a -f "$prefix/include/kiosk/slide.h" ]
pc=$(find "$prefix" -name kiosk-plugin.pc | head -1)
cfg=$(find "$prefix" -name KioskPluginConfig.cmake | head -1)
check "kiosk-plugin.pc is installed" [ -n "$pc" ]
check "the CMake package is installed" [ -n "$cfg" ]
check "the public headers compile alone, pedantic C17" sh -c \
  "printf '#include <kiosk/slide.h>\nint main(void) { return KIOSK_PLUGIN_ABI_MAJOR - 1; }\n' | \
   $cc -std=c17 -Wall -Wextra -Wpedantic -Werror -I'$prefix/include' -x c - -o '$tmp/hdr' && $emu '$tmp/hdr'"

# with CMake
examples=$prefix/share/doc/kiosk/examples
check "the example plugins are installed" [ -f "$examples/hello-plugin/hello.c" -a -f "$examples/center-plugin/center.c" ]
cp -r "$examples/hello-plugin" "$tmp/hello-src"
check "cmake configures the example against the SDK" \
  cmake -S "$tmp/hello-src" -B "$tmp/hello-cmake" -DCMAKE_PREFIX_PATH="$prefix" "${toolchain[@]}" \
  > "$tmp/cmake.log"
check "and builds it" cmake --build "$tmp/hello-cmake" > "$tmp/build.log"
check "hello.so exists" [ -f "$tmp/hello-cmake/hello.so" ]
machine() { file -bL "$1" | cut -d, -f2; }
check "built for the kiosk's machine ($(machine "$kiosk"))" \
  [ "$(machine "$tmp/hello-cmake/hello.so")" = "$(machine "$kiosk")" ]
# with pkg-config and make
check "make builds it with pkg-config" env PKG_CONFIG_PATH="$(dirname "$pc")" \
  make -s -C "$tmp/hello-src" CC="$cc" > "$tmp/make.log"
check "pkg-config names the plugin directory" sh -c \
  "PKG_CONFIG_PATH='$(dirname "$pc")' pkg-config --variable=plugindir kiosk-plugin | grep -q kiosk/plugins"

# the installed kiosk takes it
chmod 644 "$tmp/hello-cmake/hello.so"
out=$($emu "$kiosk" check "$tmp/hello-cmake/hello.so" 2>&1)
check "kiosk check loads it" grep -q 'OK: plugin "hello" (ABI 1.3)' <<<"$out"
mkdir -p "$tmp/plugins" && cp "$tmp/hello-cmake/hello.so" "$tmp/plugins/" && chmod 755 "$tmp/plugins"
cat > "$tmp/kiosk.conf" <<CONF
[kiosk]
home = H16
plugin_dir = $tmp/plugins
[source.demo]
url = $prefix/share/kiosk/demo/demo-vn766.json
[slide.hello]
plugin = hello
greeting = Chào Bắc Ninh!
[slide.national]
plugin = leaderboard
CONF
check "the config with the new slide checks" sh -c "$emu '$kiosk' check '$tmp/kiosk.conf' | grep -q 'OK: 2 slides'"
check "the installed kiosk draws it" $emu "$kiosk" snapshot --config "$tmp/kiosk.conf" --out "$tmp/png" --size 1280x720
check "as a picture" [ -s "$tmp/png/01-hello.png" ]
check "next to the built-in slides" [ -s "$tmp/png/02-national.png" ]

# the second example, built the same way: the 1.3 services (a picture, a QR code, the time,
# the slide's own source) from the installed SDK alone
cp -r "$examples/center-plugin" "$tmp/center-src"
check "the center example builds against the SDK" sh -c \
  "cmake -S '$tmp/center-src' -B '$tmp/center-cmake' -DCMAKE_PREFIX_PATH='$prefix' ${toolchain[*]} >/dev/null && cmake --build '$tmp/center-cmake' >/dev/null"
check "and with pkg-config and make" env PKG_CONFIG_PATH="$(dirname "$pc")" \
  make -s -C "$tmp/center-src" CC="$cc" > "$tmp/make-center.log"
mkdir -p "$tmp/plugins2" && cp "$tmp/center-cmake/center.so" "$tmp/plugins2/" &&
  chmod 644 "$tmp/plugins2/center.so" && chmod 755 "$tmp/plugins2"
printf 'Thứ Bảy làm việc buổi sáng, 7:30 – 11:30\nsecond line, not shown\n' > "$tmp/notice.txt"
survey="https://dichvucong.gov.vn/p/home/dvc-danh-gia-hai-long.html"
cat > "$tmp/center.conf" <<CONF
[kiosk]
plugin_dir = $tmp/plugins2
stale_after_h = 0
[source.demo]
url = $prefix/share/kiosk/demo/demo-vn766.json
[slide.front]
plugin = center
name = Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh
logo = $src/tests/fixtures/pictures/poster.jpg
survey = $survey
source = $tmp/notice.txt
CONF
check "the installed kiosk draws the center slide" $emu "$kiosk" snapshot --config "$tmp/center.conf" \
  --out "$tmp/png2" --size 1280x720 --at 2025-10-06T08:00:00+07:00
check "as a picture" [ -s "$tmp/png2/01-front.png" ]
if command -v zbarimg >/dev/null; then
  check "its QR code reads back as the survey's address" \
    [ "$(zbarimg --raw -q -Sbinary "$tmp/png2/01-front.png" 2>/dev/null)" = "$survey" ]
fi
# without its source the picture differs: the notice came through source_data
sed '/^source = /d' "$tmp/center.conf" > "$tmp/center-nosource.conf"
$emu "$kiosk" snapshot --config "$tmp/center-nosource.conf" --out "$tmp/png3" --size 1280x720 \
  --at 2025-10-06T08:00:00+07:00 >/dev/null 2>&1
differ() { ! cmp -s "$1" "$2"; }
check "its notice comes from its own source" differ "$tmp/png2/01-front.png" "$tmp/png3/01-front.png"
echo "sdk: the plugin is $(file -bL "$tmp/hello-cmake/hello.so" | cut -d, -f1-2)"
finish sdk
