#!/usr/bin/env bash
# The survey's QR code as a phone sees it: read back from the snapshot PNG by a real
# decoder (zbarimg, zbar-tools) and equal to the configured text, in both themes at
# 1280x720, on the qr slide and as the leaderboard's and the gauges' badge. And pictures
# that cannot be used (corrupt, truncated, a decompression bomb, another type, past 64 MiB)
# each refused with one line naming the file, while the other slides show.
# usage: test_content.sh KIOSK FIXTURES DEMO_FEED
set -u
kiosk=$1 fixtures=$2 demo=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"
lines() { [ "$(printf '%s\n' "$1" | grep -c .)" -eq "$2" ]; }

url="https://dichvucong.gov.vn/p/home/dvc-danh-gia-hai-long.html?coquan=000.00.00.H16&kenh=kiosk"
badge="https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html"
# -Sbinary: the bytes as encoded (zbar would otherwise guess a charset for non-ASCII)
read_qr() { zbarimg --raw -q -Sbinary "$1" 2>/dev/null; }

for theme in dark light; do
  cat >"$tmp/$theme.conf" <<CONF
[kiosk]
theme = $theme
home = H16
stale_after_h = 0
[source.demo]
url = $demo
[slide.survey]
plugin = qr
text = $url
title = Đánh giá mức độ hài lòng
caption = Quét mã để đánh giá chất lượng phục vụ
[slide.national]
plugin = leaderboard
scope = province
qr = $badge
[slide.gauges]
plugin = gauges
qr = $badge
CONF
  "$kiosk" snapshot --config "$tmp/$theme.conf" --out "$tmp/$theme" --size 1280x720 \
    --at 2025-10-06T08:00:00+07:00 >/dev/null 2>"$tmp/$theme.err"
  check "$theme: snapshot draws the three slides" [ -f "$tmp/$theme/01-survey.png" -a \
    -f "$tmp/$theme/02-national.png" -a -f "$tmp/$theme/03-gauges.png" ]
  check "$theme: the qr slide reads back as its text" [ "$(read_qr "$tmp/$theme/01-survey.png")" = "$url" ]
  check "$theme: the leaderboard's badge reads back" [ "$(read_qr "$tmp/$theme/02-national.png")" = "$badge" ]
  check "$theme: the gauges' badge reads back" [ "$(read_qr "$tmp/$theme/03-gauges.png")" = "$badge" ]
done
# portrait, and the code with a text of Vietnamese (bytes as written)
cat >"$tmp/vi.conf" <<CONF
[kiosk]
stale_after_h = 0
[source.demo]
url = $demo
[slide.hotline]
plugin = qr
text = Đường dây nóng: 1022
CONF
"$kiosk" snapshot --config "$tmp/vi.conf" --out "$tmp/vi" --size 1080x1920 >/dev/null 2>&1
check "portrait: a Vietnamese text reads back" [ "$(read_qr "$tmp/vi/01-hotline.png")" = "Đường dây nóng: 1022" ]

# pictures that cannot be used, each its own slide, between two good ones
python3 - "$tmp" <<'PY'
import struct, sys, zlib
def chunk(k, b): return struct.pack(">I", len(b)) + k + b + struct.pack(">I", zlib.crc32(k + b))
# a decompression bomb: 100000 x 100000 declared, the picture data a few bytes
ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 6, 0, 0, 0)
open(sys.argv[1] + "/bomb.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
    chunk(b"IDAT", zlib.compress(b"\0" * 4096)) + chunk(b"IEND", b""))
open(sys.argv[1] + "/page.jpg", "wb").write(b"<!DOCTYPE html><html><body>404</body></html>")
# a file past the 64 MiB a picture may have: a PNG's start, then 65 MiB of nothing (sparse)
with open(sys.argv[1] + "/huge.png", "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 640, 480, 8, 6, 0, 0, 0)))
    f.truncate(65 << 20)
PY
cat >"$tmp/bad.conf" <<CONF
[kiosk]
stale_after_h = 0
[source.demo]
url = $demo
[slide.poster]
plugin = image
path = $fixtures/pictures/poster.jpg
[slide.corrupt]
plugin = image
path = $fixtures/pictures/bad/corrupt.png
[slide.truncated]
plugin = image
path = $fixtures/pictures/bad/truncated.jpg
[slide.bomb]
plugin = image
path = $tmp/bomb.png
[slide.page]
plugin = image
path = $tmp/page.jpg
[slide.huge]
plugin = image
path = $tmp/huge.png
[slide.survey]
plugin = qr
text = $url
CONF
start=$(date +%s%N)
"$kiosk" snapshot --config "$tmp/bad.conf" --out "$tmp/bad" --size 1280x720 >/dev/null 2>"$tmp/bad.err"
rc=$? took=$(( ($(date +%s%N) - start) / 1000000 ))
err=$(grep -v '^plugin .*: loaded' "$tmp/bad.err")
check "bad pictures: snapshot still succeeds" [ "$rc" -eq 0 ]
check "bad pictures: the good slides are drawn" [ -f "$tmp/bad/01-poster.png" -a -f "$tmp/bad/02-survey.png" ]
check "bad pictures: no other slide drawn" [ "$(ls "$tmp/bad" | wc -l)" -eq 2 ]
check "corrupt: one line" has "$err" "slide corrupt: image $fixtures/pictures/bad/corrupt.png: refused: corrupt PNG: "
check "truncated: one line" has "$err" "slide truncated: image $fixtures/pictures/bad/truncated.jpg: refused: truncated JPEG: the file ends before its picture does"
check "bomb: one line, refused before decoding" has "$err" "slide bomb: image $tmp/bomb.png: refused: PNG declares 100000 x 100000 pixels, more than the 64 megapixels allowed; refused before decoding"
check "another type: one line" has "$err" "slide page: image $tmp/page.jpg: refused: expected a PNG, JPEG or SVG picture, found an HTML page"
check "over 64 MiB: one line, never read" has "$err" "slide huge: image $tmp/huge.png: refused: 68157440 bytes, more than the 64 MiB allowed"
for s in corrupt truncated bomb page huge; do
  check "$s: left out of the playlist" has "$err" "slide $s: left out: create() of plugin image failed"
  check "$s: one refusal line" [ "$(grep -c "^slide $s: image" <<<"$err")" -eq 1 ]
done
check "bad pictures: quick ($took ms, the bomb never decoded)" [ "$took" -lt 20000 ]
# and kiosk check names each, at its section's line, before the kiosk runs it
"$kiosk" check --config "$tmp/bad.conf" >"$tmp/check.out" 2>&1
rc=$? out=$(cat "$tmp/check.out")
check "kiosk check refuses the config" [ "$rc" -eq 1 ]
for s in corrupt truncated bomb page huge; do
  check "kiosk check names $s" has "$out" "[slide.$s] plugin image cannot make its slide"
done
check "kiosk check passes the good picture" [ "$(grep -c 'slide.poster' <<<"$out")" -eq 0 ]

# a notice far too long for the screen: shrunk until all of it fits, never run past the
# slide (the rows above the status line stay the background), and a line says so
{
  printf '[kiosk]\nstale_after_h = 0\n[source.demo]\nurl = %s\n[slide.long]\nplugin = notice\n' "$demo"
  printf 'title = Thủ tục\ntext = Danh mục thủ tục hành chính:\n'
  for i in $(seq 1 120); do echo "| - Thủ tục số $i: cấp, đổi, cấp lại giấy phép và **đăng ký** hộ kinh doanh"; done
} >"$tmp/long.conf"
start=$(date +%s%N)
"$kiosk" snapshot --config "$tmp/long.conf" --out "$tmp/long" --size 1280x720 >/dev/null 2>"$tmp/long.err"
took=$(( ($(date +%s%N) - start) / 1000000 ))
check "a long notice is drawn ($took ms)" [ -f "$tmp/long/01-long.png" -a "$took" -lt 20000 ]
check "and said to be too long" has "$(cat "$tmp/long.err")" "slide long: warning: text: too long to read from afar on a 1280x672 slide"
# the last rows of the slide (above the status line, from y 672) hold nothing but the background
python3 - "$tmp/long/01-long.png" "$(dirname "$0")" <<'PY' >"$tmp/long.rows"
import sys
sys.path.insert(0, sys.argv[2])
import picture
w, h, rows = picture.read_png(sys.argv[1])
bg = rows[h // 2][3 * w - 3:3 * w]  # the right edge, mid-height: background
print(sum(rows[y] != bg * w for y in range(662, 672)))
PY
check "nothing runs past the slide" [ "$(cat "$tmp/long.rows")" = "0" ]

# a notice and a poster from the slides' own sources draw what the same text and file
# draw from the config
printf 'Giờ làm việc:\n- Sáng 7:30 – 11:30\n- Chiều **13:30 – 17:00**\n' >"$tmp/notice.txt"
cat >"$tmp/own.conf" <<CONF
[kiosk]
stale_after_h = 0
[source.demo]
url = $demo
[slide.written]
plugin = notice
title = Thông báo
text = Giờ làm việc:
| - Sáng 7:30 – 11:30
| - Chiều **13:30 – 17:00**
[slide.fetched]
plugin = notice
title = Thông báo
source = $tmp/notice.txt
[slide.file]
plugin = image
path = $fixtures/pictures/poster.jpg
[slide.poster]
plugin = image
source = file://$fixtures/pictures/poster.jpg
CONF
"$kiosk" snapshot --config "$tmp/own.conf" --out "$tmp/own" --size 1280x720 \
  --at 2025-10-06T08:00:00+07:00 >/dev/null 2>"$tmp/own.err"
check "own sources: the four slides are drawn" [ "$(ls "$tmp/own" | wc -l)" -eq 4 ]
check "own sources: the fetched notice is the written one" \
  cmp -s "$tmp/own/01-written.png" "$tmp/own/02-fetched.png"
check "own sources: the fetched poster is the file's" \
  cmp -s "$tmp/own/03-file.png" "$tmp/own/04-poster.png"
check "own sources: the notice is not the empty slide" \
  [ "$(stat -c %s "$tmp/own/02-fetched.png")" -gt 20000 ]
# the same slides in plugin workers: the bytes handed over to each worker (image_load_bytes
# of the poster's, source_data of the notice's), the same pictures byte for byte
sed 's/^\[kiosk\]/[kiosk]\nisolation = all/' "$tmp/own.conf" >"$tmp/own-workers.conf"
"$kiosk" snapshot --config "$tmp/own-workers.conf" --out "$tmp/own-workers" --size 1280x720 \
  --at 2025-10-06T08:00:00+07:00 >/dev/null 2>"$tmp/own-workers.err"
check "own sources in workers: in workers indeed" grep -q "in a worker" "$tmp/own-workers.err"
for f in 01-written 02-fetched 03-file 04-poster; do
  check "own sources in workers: $f is the in-process picture" \
    cmp -s "$tmp/own/$f.png" "$tmp/own-workers/$f.png"
done

# a code's text longer than a QR code takes: the qr slide and a badge each refused by name,
# kiosk check saying the setting and its size (not a badge silently missing on screen)
long="https://dichvucong.gov.vn/$(printf 'a%.0s' $(seq 1200))"
cat >"$tmp/long-qr.conf" <<CONF
[kiosk]
stale_after_h = 0
[source.demo]
url = $demo
[slide.survey]
plugin = qr
text = $long
[slide.national]
plugin = leaderboard
qr = $long
[slide.gauges]
plugin = gauges
CONF
out=$("$kiosk" check --config "$tmp/long-qr.conf" 2>&1)
check "a QR text past 1000 bytes: kiosk check fails" [ $? -eq 1 ]
check "  the qr slide, with why" has "$out" "[slide.survey] plugin qr cannot make its slide: text: expected at most 1000 bytes for a QR code, found 1226"
check "  the leaderboard's badge, with why" has "$out" "[slide.national] plugin leaderboard cannot make its slide: qr: expected at most 1000 bytes for a QR code, found 1226"
check "  the slide without a code passes" [ "$(grep -c 'slide.gauges' <<<"$out")" -eq 0 ]

finish "content"
