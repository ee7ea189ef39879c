#!/usr/bin/env bash
# Sets a fresh Raspberry Pi OS Lite (64-bit, bookworm) up as a kiosk:
#   sudo board/rpi/install.sh kiosk_VERSION_arm64.deb [kiosk.conf]
# Installs the package (its postinst makes the kiosk user and state directory and enables
# the service), puts the config in /etc/kiosk, adds the boot settings (HDMI hot-plug, no
# console blanking, no boot text) once, and reboots into the kiosk when asked.
set -euo pipefail
deb=${1:?usage: install.sh KIOSK.deb [kiosk.conf]}
conf=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run it as root (sudo)" >&2; exit 2; }
apt-get update -qq
apt-get install -y -qq "$(readlink -f "$deb")"
if [ -n "$conf" ]; then
  install -m 0644 "$conf" /etc/kiosk/kiosk.conf
  kiosk check /etc/kiosk/kiosk.conf
fi
boot=/boot/firmware
[ -d "$boot" ] || boot=/boot
if ! grep -q "^# --- kiosk:" "$boot/config.txt"; then
  cat "$here/config.txt.kiosk" >> "$boot/config.txt"
fi
if ! grep -q "consoleblank=0" "$boot/cmdline.txt"; then
  sed -i "1s/\$/ $(cat "$here/cmdline.kiosk")/" "$boot/cmdline.txt"
fi
# the console on tty1 would fight the kiosk for the screen
systemctl disable --now getty@tty1.service 2>/dev/null || true
systemctl enable kiosk.service kiosk-recover.timer
echo "install.sh: done; reboot to start the kiosk (journalctl -u kiosk tells what it does)"
