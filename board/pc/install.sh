#!/usr/bin/env bash
# Sets a plain x86 box (Debian 12, no desktop) up as a kiosk:
#   sudo board/pc/install.sh kiosk_VERSION_amd64.deb [kiosk.conf]
# The same service as on a board: KMSDRM on the console, no X server.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../install-common.sh"
install_kiosk "$@"
# no console blanking, no cursor on the screen
if [ -f /etc/default/grub ] && grub_cmdline /etc/default/grub consoleblank=0 vt.global_cursor_default=0; then
  update-grub
fi
enable_kiosk
