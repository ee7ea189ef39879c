#!/usr/bin/env bash
# The Debian package: built with CPack from the build directory, its metadata and content,
# lintian without errors, its systemd units verified, and the shipped config checked and
# drawn by the packaged program from a throwaway root.
# usage: test_package.sh BUILD_DIR
set -u
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"
(cd "$build" && cpack -G DEB -B "$tmp/out" > "$tmp/cpack.log" 2>&1)
deb=$(ls "$tmp"/out/kiosk_*.deb 2>/dev/null | head -1)
check "cpack builds the package" [ -n "$deb" ]
info=$(dpkg-deb -I "$deb")
for dep in "adduser" "libsdl2-2.0-0" "libsdl2-ttf-2.0-0" "libcairo2" "libcurl4" \
           "libsqlite3-0" "libjansson4" "libyajl2" "libinih1" "libsystemd0"; do
  check "Depends names $dep" has "$(dpkg-deb -f "$deb" Depends)" "$dep"
done
check "the config is a conffile" has "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" "/etc/kiosk/kiosk.conf"
check "postinst makes the kiosk user" has "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst)" "adduser --system"
check "the maintainer scripts parse" sh -c "dpkg-deb --ctrl-tarfile '$deb' | tar -xO ./postinst | sh -n"
content=$(dpkg-deb -c "$deb")
for f in ./usr/bin/kiosk ./usr/lib/kiosk/plugins/leaderboard.so ./usr/share/kiosk/fonts/fonts.ini \
         ./usr/share/kiosk/demo/demo-vn766.json ./usr/lib/systemd/system/kiosk.service \
         ./usr/lib/systemd/system/kiosk-recover.timer ./etc/kiosk/kiosk.conf \
         ./usr/include/kiosk/plugin.h ./usr/share/doc/kiosk/copyright; do
  check "the package holds $f" has "$content" "$f"
done
lint=$(lintian --tag-display-limit 0 "$deb" 2>&1 | grep "^E:")
check "lintian finds no error${lint:+: $lint}" [ -z "$lint" ]

# a throwaway root
root=$tmp/root
dpkg-deb -x "$deb" "$root"
for u in kiosk.service kiosk-recover.service kiosk-recover.timer; do
  sed "s|/usr/bin/kiosk|$root/usr/bin/kiosk|" "$root/usr/lib/systemd/system/$u" > "$tmp/$u"
done
check "systemd-analyze verify passes on the units" \
  systemd-analyze verify "$tmp/kiosk.service" "$tmp/kiosk-recover.service" "$tmp/kiosk-recover.timer"
sed -e "s|/usr/share|$root/usr/share|" -e "s|/var/lib/kiosk|$tmp/state|" \
  "$root/etc/kiosk/kiosk.conf" > "$tmp/kiosk.conf"
out=$("$root/usr/bin/kiosk" check "$tmp/kiosk.conf" 2>&1)
check "the packaged kiosk checks the shipped config" has "$out" "OK: 6 slides"
check "and draws it" "$root/usr/bin/kiosk" snapshot --config "$tmp/kiosk.conf" --out "$tmp/png" --size 1280x720
check "every slide" [ "$(ls "$tmp/png" | grep -c png)" -eq 6 ]
finish package
