# What every Debian multiarch cross build shares; the toolchain files beside this one set
# KIOSK_CROSS_TRIPLET (GNU triplet), KIOSK_CROSS_DEB_ARCH (dpkg architecture) and
# KIOSK_CROSS_QEMU (the qemu-user emulator) first.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${KIOSK_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${KIOSK_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${KIOSK_CROSS_TRIPLET})

# headers and libraries from the target's multiarch directories only; programs from the host
set(CMAKE_FIND_ROOT_PATH /usr/${KIOSK_CROSS_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# pkg-config answers for the target (Debian's wrapper reads its multiarch .pc files)
set(PKG_CONFIG_EXECUTABLE /usr/bin/${KIOSK_CROSS_TRIPLET}-pkg-config CACHE FILEPATH "")

# The target's dynamic loader and libraries are installed in the host's root, where
# qemu-user looks for them by default.
set(CMAKE_CROSSCOMPILING_EMULATOR ${KIOSK_CROSS_QEMU})
