#!/usr/bin/env bash
# Quick start on a fresh Debian / Raspberry Pi OS machine.
#   board/pc/quickstart.sh demo   install what is needed, build, run the kiosk on the demo feed
#                                 (a window where there is a desktop; without one, every
#                                 slide as a PNG in build/demo-slides/)
#   board/pc/quickstart.sh test   install what is needed, build, run the whole test suite
#                                 (the optimised build and the ASan+UBSan build)
set -euo pipefail
cd "$(dirname "$0")/../.."

# Debian package names; the runtime libraries come with their -dev packages.
packages=(build-essential cmake pkg-config python3
          libjansson-dev libyajl-dev libsqlite3-dev libcmocka-dev
          libsdl2-dev libsdl2-ttf-dev libcairo2-dev libinih-dev
          fonts-noto-core fonts-dejavu-core
          libcurl4-openssl-dev libsystemd-dev nginx-light
          dpkg-dev lintian systemd file xvfb xauth)

install_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "quickstart: installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() { # preset
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1"
}

case "${1:-}" in
  demo)
    install_packages
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
    install_packages
    build release
    ctest --preset release
    build asan
    ctest --preset asan
    ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
