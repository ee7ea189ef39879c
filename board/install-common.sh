# Shared by board/*/install.sh: install the package, put the config in place and check
# it, the boot settings, keep the console off the screen, enable the service. Sourcing it
# only defines the functions.
#   install_kiosk DEB [CONF]     (the install script's own arguments)
install_kiosk() {
  local deb=${1:?usage: install.sh KIOSK.deb [kiosk.conf]} conf=${2:-}
  [ "$(id -u)" -eq 0 ] || { echo "install.sh: run it as root (sudo)" >&2; exit 2; }
  apt-get update -qq
  apt-get install -y -qq "$(readlink -f "$deb")"
  if [ -n "$conf" ]; then
    # checked where it will live (relative paths), and only then put in place
    install -m 0644 "$conf" /etc/kiosk/kiosk.new.conf
    if ! kiosk check /etc/kiosk/kiosk.new.conf; then
      rm -f /etc/kiosk/kiosk.new.conf
      echo "install.sh: $conf does not check (above); /etc/kiosk/kiosk.conf is unchanged" >&2
      exit 1
    fi
    mv /etc/kiosk/kiosk.new.conf /etc/kiosk/kiosk.conf
  fi
}
enable_kiosk() {
  # the console on tty1 would fight the kiosk for the screen
  systemctl disable --now getty@tty1.service 2>/dev/null || true
  systemctl enable kiosk.service kiosk-recover.timer
  echo "install.sh: done; reboot to start the kiosk (journalctl -u kiosk tells what it does)"
}

# replace_file FILE: FILE.new takes FILE's place in one step (a power cut leaves the old
# file or the new one, never half of one: a boot partition must stay bootable).
replace_file() {
  sync "$1.new"
  mv "$1.new" "$1"
  sync "$(dirname "$1")"
}

# add_words LINE WORD...: the line with each word it lacks appended.
add_words() {
  local line=$1 w
  shift
  for w in "$@"; do
    case " $line " in *" $w "*) ;; *) line="$line $w" ;; esac
  done
  printf '%s\n' "$line"
}

# pi_boot_config BOOT_DIR FRAGMENT CMDLINE_WORDS: appends the config.txt fragment once
# (without overlays the file loads already) and adds the kernel options cmdline.txt lacks
# to its one line. Running it again changes nothing.
pi_boot_config() {
  local boot=$1 fragment=$2 words=$3 l
  if ! grep -q "^# --- kiosk:" "$boot/config.txt"; then
    cp "$boot/config.txt" "$boot/config.txt.new"
    { echo
      while IFS= read -r l; do
        case $l in dtoverlay=*) grep -qx -- "$l" "$boot/config.txt" && continue ;; esac
        printf '%s\n' "$l"
      done < "$fragment"
    } >> "$boot/config.txt.new"
    replace_file "$boot/config.txt"
  fi
  # shellcheck disable=SC2046
  add_words "$(head -n 1 "$boot/cmdline.txt")" $(cat "$words") > "$boot/cmdline.txt.new"
  if cmp -s "$boot/cmdline.txt" "$boot/cmdline.txt.new"; then
    rm "$boot/cmdline.txt.new"
  else
    replace_file "$boot/cmdline.txt"
  fi
}

# grub_cmdline FILE WORD...: adds the kernel options GRUB_CMDLINE_LINUX_DEFAULT lacks;
# true when the file changed (update-grub is due).
grub_cmdline() {
  local file=$1 now
  shift
  now=$(sed -n 's/^GRUB_CMDLINE_LINUX_DEFAULT="\(.*\)"$/\1/p' "$file")
  local want
  want=$(add_words "$now" "$@")
  want=${want# }
  [ "$now" = "$want" ] && return 1
  sed "s|^GRUB_CMDLINE_LINUX_DEFAULT=\".*\"\$|GRUB_CMDLINE_LINUX_DEFAULT=\"$want\"|" "$file" > "$file.new"
  replace_file "$file"
}
