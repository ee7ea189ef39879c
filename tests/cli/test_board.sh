#!/usr/bin/env bash
# The boot settings the install scripts write, on copies of a stock Raspberry Pi OS
# config.txt and cmdline.txt and of Debian's /etc/default/grub: what is added, that the
# files stay well-formed (cmdline.txt one line, the settings under [all]), and that
# installing again changes nothing.
# usage: test_board.sh SOURCE_DIR FIXTURES
set -u
src=$1 fixtures=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"
source "$src/board/install-common.sh"

boot=$tmp/boot
mkdir -p "$boot"
cp "$fixtures/board/config.txt" "$fixtures/board/cmdline.txt" "$boot/"
pi_boot_config "$boot" "$src/board/rpi/config.txt.kiosk" "$src/board/rpi/cmdline.kiosk"
cfg=$(cat "$boot/config.txt")
check "config.txt: the kiosk's settings are added" has "$cfg" "hdmi_force_hotplug=1"
check "config.txt: the stock settings are kept" has "$cfg" "otg_mode=1"
check "config.txt: after the [cm5] section, the settings go under [all]" \
  [ "$(awk '/^\[/ {s = $0} /^hdmi_force_hotplug/ {print s}' "$boot/config.txt")" = "[all]" ]
check "config.txt: the KMS overlay it loads already is not loaded twice" \
  [ "$(grep -cx "dtoverlay=vc4-kms-v3d" "$boot/config.txt")" -eq 1 ]
check "cmdline.txt: still one line" [ "$(wc -l < "$boot/cmdline.txt")" -eq 1 ]
line=$(cat "$boot/cmdline.txt")
check "cmdline.txt: the root and the first-boot setup are kept" \
  has "$line" "root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait"
for w in consoleblank=0 logo.nologo vt.global_cursor_default=0 loglevel=3; do
  check "cmdline.txt: $w is added" has " $line " " $w "
done
check "cmdline.txt: quiet, there already, is not added twice" [ "$(grep -o '\bquiet\b' <<<"$line" | wc -l)" -eq 1 ]
sums=$(md5sum "$boot"/*)
pi_boot_config "$boot" "$src/board/rpi/config.txt.kiosk" "$src/board/rpi/cmdline.kiosk"
check "installing again changes nothing" [ "$sums" = "$(md5sum "$boot"/*)" ]
check "and leaves no temporary file" [ "$(ls "$boot" | wc -l)" -eq 2 ]

cp "$fixtures/board/grub" "$tmp/grub"
check "grub: the options are added (update-grub is due)" \
  grub_cmdline "$tmp/grub" consoleblank=0 vt.global_cursor_default=0
check "grub: to the default command line, quiet kept" \
  grep -qx 'GRUB_CMDLINE_LINUX_DEFAULT="quiet consoleblank=0 vt.global_cursor_default=0"' "$tmp/grub"
changed=no
grub_cmdline "$tmp/grub" consoleblank=0 vt.global_cursor_default=0 && changed=yes
check "grub: again, nothing to do" [ "$changed" = no ]
for f in board/rpi/install.sh board/pc/install.sh board/install-common.sh; do
  check "$f parses" bash -n "$src/$f"
done

# The units' sandboxes, as systemd-analyze scores them (0 is the tightest, 10 no sandbox):
# the recovery oneshot runs as root and must be sandboxed too, the kiosk stays at 1.9.
exposure() { # the overall exposure of a unit file, e.g. 1.9
  systemd-analyze security --offline=yes "$1" 2>/dev/null |
    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 <= b + 0) }'; }
if command -v systemd-analyze > /dev/null && systemd-analyze security --help 2>&1 | grep -q offline; then
  main=$(exposure "$src/board/systemd/kiosk.service")
  recover=$(exposure "$src/board/systemd/kiosk-recover.service")
  echo "systemd-analyze security: kiosk.service $main, kiosk-recover.service $recover"
  check "kiosk.service: exposure 1.9 or better (found $main)" at_most "$main" 1.9
  check "kiosk-recover.service: exposure 1.0 or better, not 9.6 UNSAFE (found $recover)" \
    at_most "$recover" 1.0
  check "kiosk.service keeps status.json on tmpfs (RuntimeDirectory=kiosk)" \
    grep -qx 'RuntimeDirectory=kiosk' "$src/board/systemd/kiosk.service"
  check "and keeps it across its own restarts, for the crash-loop breaker's note" \
    grep -qx 'RuntimeDirectoryPreserve=restart' "$src/board/systemd/kiosk.service"
fi
finish board
