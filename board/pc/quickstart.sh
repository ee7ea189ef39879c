#!/usr/bin/env bash
# Quick start on a fresh Debian / Raspberry Pi OS machine.
#   board/pc/quickstart.sh demo   install what is needed, build, run the kiosk on the demo feed
#   board/pc/quickstart.sh test   install what is needed, build, run the whole test suite
#                                 (the optimised build and the ASan+UBSan build)
set -euo pipefail
cd "$(dirname "$0")/../.."

# Debian package names; the runtime libraries come with their -dev packages.
packages=(build-essential cmake pkg-config python3
          libjansson-dev libyajl-dev libsqlite3-dev libcmocka-dev
          libsdl2-dev libsdl2-ttf-dev libcairo2-dev libinih-dev
          fonts-noto-core fonts-dejavu-core)

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
    build/release/bin/kiosk check kiosk/data/demo/demo-vn766.json
    build/release/bin/kiosk score kiosk/data/demo/demo-vn766.json
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
