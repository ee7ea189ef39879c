#!/usr/bin/env bash
# Sets a plain x86 box (Debian 12, no desktop) up as a kiosk:
#   sudo board/pc/install.sh kiosk_VERSION_amd64.deb [kiosk.conf]
# The same service as on a board: KMSDRM on the console, no X server.
set -euo pipefail
deb=${1:?usage: install.sh KIOSK.deb [kiosk.conf]}
conf=${2:-}
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run it as root (sudo)" >&2; exit 2; }
apt-get update -qq
apt-get install -y -qq "$(readlink -f "$deb")"
if [ -n "$conf" ]; then
  install -m 0644 "$conf" /etc/kiosk/kiosk.conf
  kiosk check /etc/kiosk/kiosk.conf
fi
# no console blanking, no cursor on the screen
if [ -f /etc/default/grub ] && ! grep -q consoleblank=0 /etc/default/grub; then
  sed -i 's/^GRUB_CMDLINE_LINUX_DEFAULT="/&consoleblank=0 vt.global_cursor_default=0 /' /etc/default/grub
  update-grub
fi
systemctl disable --now getty@tty1.service 2>/dev/null || true
systemctl enable kiosk.service kiosk-recover.timer
echo "install.sh: done; reboot to start the kiosk (journalctl -u kiosk tells what it does)"
