# Shared by board/*/install.sh: install the package, put the config in place and check
# it, keep the console off the screen, enable the service.
#   install_kiosk DEB [CONF]
install_kiosk() {
  local deb=$1 conf=${2:-}
  [ "$(id -u)" -eq 0 ] || { echo "install.sh: run it as root (sudo)" >&2; exit 2; }
  apt-get update -qq
  apt-get install -y -qq "$(readlink -f "$deb")"
  if [ -n "$conf" ]; then
    install -m 0644 "$conf" /etc/kiosk/kiosk.conf
    kiosk check /etc/kiosk/kiosk.conf
  fi
}
enable_kiosk() {
  # the console on tty1 would fight the kiosk for the screen
  systemctl disable --now getty@tty1.service 2>/dev/null || true
  systemctl enable kiosk.service kiosk-recover.timer
  echo "install.sh: done; reboot to start the kiosk (journalctl -u kiosk tells what it does)"
}
