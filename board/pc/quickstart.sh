#!/usr/bin/env bash
# Quick start on a fresh Debian / Raspberry Pi OS machine.
#   board/pc/quickstart.sh demo   install what is needed, build, run the kiosk on the demo feed
#                                 (a window where there is a desktop; without one, every
#                                 slide as a PNG in build/demo-slides/)
#   board/pc/quickstart.sh test   install what is needed, build, run the whole test suite
#                                 (the optimised build, the ASan+UBSan build, each parser
#                                 fuzzed for 10 s, and on an x86 machine the arm64 cross
#                                 build under qemu-user)
set -euo pipefail
cd "$(dirname "$0")/../.."

source board/packages.sh

build() { # preset
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1"
}

case "${1:-}" in
  demo)
    install_packages "${kiosk_libs[@]}" "${kiosk_tools[@]}"
    build release
    build/release/bin/kiosk check kiosk/data/demo/kiosk.conf
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      build/release/bin/kiosk run --windowed    # Escape or q to quit
    else
      build/release/bin/kiosk snapshot --out build/demo-slides
      echo "quickstart: no display here: the slides are in build/demo-slides/"
    fi
    ;;
  test)
    install_packages "${kiosk_libs[@]}" "${kiosk_tools[@]}"
    build release
    ctest --preset release
    build asan
    ctest --preset asan
    # every parser fuzzed for 10 s from its seeds (clang's libFuzzer): a crash fails
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz --target fuzz_targets
    tests/fuzz/run.sh build/fuzz 10
    # the boards' architecture: cross-built, tested under emulation, packaged
    if [ "$(dpkg --print-architecture)" = amd64 ]; then
      board/cross/build.sh aarch64
    fi
    ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
