# Cross build for 64-bit Raspberry Pi OS / Debian arm64 (Pi 3, 4, 5, Zero 2 W), with Debian's
# cross compiler and the arm64 libraries installed beside the host's (multiarch):
#   cmake --preset aarch64      (board/cross/build.sh aarch64 installs what it needs)
# Tests run under qemu-user: ctest prefixes every test program with the emulator.
set(KIOSK_CROSS_TRIPLET aarch64-linux-gnu)
set(KIOSK_CROSS_DEB_ARCH arm64)
set(KIOSK_CROSS_QEMU qemu-aarch64)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-multiarch.cmake)
