#!/usr/bin/env bash
# Cross-builds the kiosk for an ARM board on an x86 Debian machine and runs the test suite
# under qemu-user; then packages it.
#   board/cross/build.sh aarch64   Raspberry Pi OS 64-bit (Pi 3, 4, 5, Zero 2 W): arm64
#   board/cross/build.sh armhf     Raspberry Pi OS 32-bit (older boards): armhf
# Installs what it needs first: Debian's cross compiler, qemu-user, and the libraries for
# the target architecture beside the host's (multiarch). The package is left in
# build/ARCH/kiosk_VERSION_DEBARCH.deb.
set -euo pipefail
cd "$(dirname "$0")/../.."
source board/packages.sh

case "${1:-}" in
  aarch64) deb_arch=arm64 ;;
  armhf) deb_arch=armhf ;;
  *) echo "usage: $0 aarch64|armhf" >&2; exit 2 ;;
esac
preset=$1

if [ "$(dpkg --print-architecture)" = "$deb_arch" ]; then
  echo "cross: this machine is $deb_arch already: build it natively (board/pc/quickstart.sh)" >&2
  exit 2
fi
if ! dpkg --print-foreign-architectures | grep -qx "$deb_arch"; then
  echo "cross: adding the $deb_arch architecture to dpkg"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" dpkg --add-architecture "$deb_arch"
fi
install_packages "crossbuild-essential-$deb_arch" qemu-user "${kiosk_tools[@]}" \
  "${kiosk_libs[@]/%/:$deb_arch}"

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"
(cd "build/$preset" && cpack -G DEB -B "$PWD" >/dev/null)
ls "build/$preset"/kiosk_*_"$deb_arch".deb
