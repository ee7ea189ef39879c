#!/usr/bin/env bash
# The Debian package installed for real: a minimal Debian 12 made with debootstrap, the
# package installed in it by apt (its dependencies from the archive), then what the
# maintainer scripts must have done: the kiosk user and its groups, the state directory,
# the service and timer enabled; the installed kiosk checks and draws the shipped config;
# the units verify; purge cleans up. Needs root and the network to the Debian archive;
# about two minutes, so it is not part of ctest's suite. A cross build's package (arm64)
# installs into a root of its architecture, run through qemu-user-static and binfmt_misc.
# usage: sudo tests/cli/test_install_root.sh BUILD_DIR [SUITE [MIRROR]]
set -u
build=$1 suite=${2:-bookworm} mirror=${3:-http://deb.debian.org/debian}
[ "$(id -u)" -eq 0 ] || { echo "test_install_root.sh: run it as root" >&2; exit 2; }
tmp=$(mktemp -d)
root=$tmp/root
cleanup() {
  mountpoint -q "$root/proc" && umount "$root/proc"
  rm -rf "$tmp"
}
trap cleanup EXIT
source "$(dirname "$0")/lib.sh"
in_root() { chroot "$root" "$@"; }

(cd "$build" && cpack -G DEB -B "$tmp/out" > "$tmp/cpack.log" 2>&1)
deb=$(ls "$tmp"/out/kiosk_*.deb 2>/dev/null | head -1)
check "cpack builds the package" [ -n "$deb" ]
arch=$(dpkg-deb -f "$deb" Architecture)
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
  check "this machine runs $arch programs (qemu-user-static, binfmt_misc)" \
    sh -c "grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-* 2>/dev/null"
fi
check "debootstrap makes a minimal $suite for $arch" \
  debootstrap --arch="$arch" --variant=minbase --include=systemd "$suite" "$root" "$mirror" \
  > "$tmp/debootstrap.log" 2>&1
cp /etc/resolv.conf "$root/etc/"
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/kiosk.deb"
check "apt installs the package and its dependencies" in_root sh -c \
  "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/kiosk.deb" \
  > "$tmp/install.log" 2>&1
# what the kiosk's own postinst printed (other packages' scripts complain of no init)
warn=$(awk '/^Setting up kiosk / {on = 1; next} /^(Setting up|Processing) / {on = 0} on' \
         "$tmp/install.log" | grep -i 'warn')
check "the kiosk's postinst warns of nothing${warn:+: $warn}" [ -z "$warn" ]
groups=$(in_root id -nG kiosk 2>/dev/null)
for g in kiosk video render input; do
  check "the kiosk user is in group $g" has " $groups " " $g "
done
check "the state directory belongs to the kiosk user" \
  [ "$(in_root stat -c '%U:%G %a' /var/lib/kiosk)" = "kiosk:kiosk 750" ]
check "the service is enabled" [ -L "$root/etc/systemd/system/multi-user.target.wants/kiosk.service" ]
check "the recovery timer is enabled" [ -L "$root/etc/systemd/system/timers.target.wants/kiosk-recover.timer" ]
verify=$(in_root systemd-analyze verify /lib/systemd/system/kiosk.service \
           /lib/systemd/system/kiosk-recover.service /lib/systemd/system/kiosk-recover.timer 2>&1)
check "systemd-analyze verify passes in the installed system${verify:+: $verify}" [ -z "$verify" ]
out=$(in_root kiosk check /etc/kiosk/kiosk.conf 2>&1)
check "the installed kiosk checks the shipped config" has "$out" "OK: 8 slides"
check "and draws it, as the kiosk user" \
  in_root setpriv --reuid=kiosk --regid=kiosk --init-groups \
  kiosk snapshot --config /etc/kiosk/kiosk.conf --out /var/lib/kiosk/png --size 1280x720 \
  > /dev/null 2>&1
check "every slide" [ "$(ls "$root/var/lib/kiosk/png" 2>/dev/null | grep -c png)" -eq 8 ]
# the node exporter installed after the kiosk: the trigger on its textfile directory links
# kiosk.prom and lets the exporter's user read the kiosk's files
check "the node exporter installed after it" in_root sh -c \
  "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus-node-exporter" \
  > "$tmp/exporter.log" 2>&1
check "  kiosk.prom is linked into its textfile directory" \
  [ "$(readlink "$root/var/lib/prometheus/node-exporter/kiosk.prom")" = /run/kiosk/kiosk.prom ]
check "  its user is in the kiosk group" has " $(in_root id -nG prometheus 2>/dev/null) " " kiosk "
check "apt purges it" in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get purge -y kiosk" > "$tmp/purge.log" 2>&1
check "purge removes the state directory" [ ! -e "$root/var/lib/kiosk" ]
check "and the config" [ ! -e "$root/etc/kiosk/kiosk.conf" ]
echo "install_root: the $arch package in a minimal $suite"
finish install_root
