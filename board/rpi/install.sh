#!/usr/bin/env bash
# Sets a fresh Raspberry Pi OS Lite (64-bit, bookworm) up as a kiosk:
#   sudo board/rpi/install.sh kiosk_VERSION_arm64.deb [kiosk.conf]
# Installs the package (its postinst makes the kiosk user and state directory and enables
# the service), puts the config in /etc/kiosk, adds the boot settings (HDMI hot-plug, no
# console blanking, no boot text) once, and enables the service; the kiosk starts at the
# next boot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../install-common.sh"
install_kiosk "$@"
boot=/boot/firmware
[ -d "$boot" ] || boot=/boot
pi_boot_config "$boot" "$here/config.txt.kiosk" "$here/cmdline.kiosk"
enable_kiosk
