# Cross build for 32-bit Raspberry Pi OS / Debian armhf (older boards: Pi 2, Pi 3 on a
# 32-bit image), with Debian's cross compiler and the armhf libraries (multiarch):
#   cmake --preset armhf        (board/cross/build.sh armhf installs what it needs)
set(KIOSK_CROSS_TRIPLET arm-linux-gnueabihf)
set(KIOSK_CROSS_DEB_ARCH armhf)
set(KIOSK_CROSS_QEMU qemu-arm)
set(CMAKE_SYSTEM_PROCESSOR armv7l)
include(${CMAKE_CURRENT_LIST_DIR}/debian-multiarch.cmake)
