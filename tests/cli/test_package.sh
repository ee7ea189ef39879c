#!/usr/bin/env bash
# The Debian package: built with CPack from the build directory, its metadata and content,
# lintian without errors, its systemd units verified, and the shipped config checked and
# drawn by the packaged program from a throwaway root.
# usage: test_package.sh BUILD_DIR [ARCH]
# In a cross build, KIOSK_TEST_EMULATOR runs the packaged program (e.g. qemu-aarch64).
set -u
build=$1 arch=${2:-$(dpkg --print-architecture)}
emu=${KIOSK_TEST_EMULATOR:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"
(cd "$build" && cpack -G DEB -B "$tmp/out" > "$tmp/cpack.log" 2>&1)
deb=$(ls "$tmp"/out/kiosk_*_"$arch".deb 2>/dev/null | head -1)
check "cpack builds the $arch package" [ -n "$deb" ]
check "the control file says Architecture: $arch" [ "$(dpkg-deb -f "$deb" Architecture)" = "$arch" ]
info=$(dpkg-deb -I "$deb")
for dep in "adduser" "procps" "librsvg2-2" "fonts-noto-core" "fonts-dejavu-core" "libsdl2-2.0-0" "libsdl2-ttf-2.0-0" "libcairo2" "libcurl4" \
           "libsqlite3-0" "libjansson4" "libyajl2" "libsystemd0" "libdrm2"; do
  check "Depends names $dep" has "$(dpkg-deb -f "$deb" Depends)" "$dep"
done
check "the config is a conffile" has "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" "/etc/kiosk/kiosk.conf"
check "postinst makes the kiosk user" has "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst)" "adduser --system"
check "the maintainer scripts parse" sh -c "dpkg-deb --ctrl-tarfile '$deb' | tar -xO ./postinst | sh -n"
# kiosk.prom linked into the node exporter's textfile directory when the exporter comes
# after the kiosk, too: a trigger on its directory, which postinst answers
check "a trigger on the node exporter's textfile directory" \
  [ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./triggers)" = "interest-noawait /var/lib/prometheus/node-exporter" ]
check "  answered by postinst" has "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst)" 'if [ "$1" = triggered ]; then'
check "  which restarts a running exporter put in the kiosk group (its groups are taken at start)" \
  has "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst)" 'deb-systemd-invoke try-restart prometheus-node-exporter.service'
check "  postinst is valid sh" sh -n <(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst)
content=$(dpkg-deb -c "$deb")
for f in ./usr/bin/kiosk ./usr/lib/kiosk/plugins/leaderboard.so ./usr/share/kiosk/fonts/fonts.ini \
         ./usr/share/kiosk/demo/demo-vn766.json ./usr/lib/systemd/system/kiosk.service \
         ./usr/lib/systemd/system/kiosk-recover.timer ./etc/kiosk/kiosk.conf \
         ./usr/include/kiosk/plugin.h ./usr/share/doc/kiosk/copyright; do
  check "the package holds $f" has "$content" "$f"
done
case $arch in amd64) elf="x86-64" ;; arm64) elf="ARM aarch64" ;; armhf) elf="ARM, EABI5" ;; *) elf=ELF ;; esac
check "the program is built for $arch" \
  has "$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/kiosk | file -)" "$elf"
lint=$(lintian --tag-display-limit 0 "$deb" 2>&1 | grep "^E:")
check "the fonts are the font packages' files, linked" \
  has "$content" "./usr/share/kiosk/fonts/NotoSans-Regular.ttf -> ../../fonts/truetype/noto/NotoSans-Regular.ttf"
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
out=$($emu "$root/usr/bin/kiosk" check "$tmp/kiosk.conf" 2>&1)
check "without the font packages, check names the missing font" \
  has "$out" "NotoSans-Regular.ttf: cannot open the font of family \"noto-sans\""
# the font packages the package depends on, as installed on this machine
ln -s /usr/share/fonts "$root/usr/share/fonts"
out=$($emu "$root/usr/bin/kiosk" check "$tmp/kiosk.conf" 2>&1)
check "the packaged kiosk checks the shipped config" has "$out" "OK: 8 slides"
check "and draws it" $emu "$root/usr/bin/kiosk" snapshot --config "$tmp/kiosk.conf" --out "$tmp/png" --size 1280x720
check "every slide" [ "$(ls "$tmp/png" | grep -c png)" -eq 8 ]
finish package
