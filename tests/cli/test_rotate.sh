#!/usr/bin/env bash
# A screen mounted turned ([kiosk] rotate): under X11 (Xvfb, 1280x720) the kiosk lays the
# slides out for the turned size (720x1280 at 90 and 270) and turns the picture when it
# presents it, on the software renderer and on GL (Mesa's software rasteriser); the screen,
# dumped with xwd, is the snapshot of the same slide turned; the survey's QR slide turned 90
# is its stored reference, and zbarimg reads its address off the screen. An X server that
# cannot start here is a SKIP (exit 77), not a pass.
# usage: test_rotate.sh KIOSK DEMO_DIR
set -u
kiosk=$1 demo=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
scratch

if ! command -v Xvfb >/dev/null || ! command -v xwd >/dev/null; then
  echo "SKIP: Xvfb or xwd is not installed (board/packages.sh: xvfb, x11-apps)"
  exit 77
fi
xdisplay=:$((160 + RANDOM % 50))
Xvfb "$xdisplay" -screen 0 1280x720x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do DISPLAY=$xdisplay xwd -root -silent >/dev/null 2>&1 && break; sleep 0.1; done
if ! DISPLAY=$xdisplay xwd -root -silent >/dev/null 2>&1; then
  echo "SKIP: Xvfb did not start on $xdisplay"
  exit 77
fi
mkdir -p "$tmp/drm/card1-HDMI-A-1"
echo connected > "$tmp/drm/card1-HDMI-A-1/status"

shown() { # the kiosk's log and the text it waits for
  local until=$((SECONDS + 20))
  while [ $SECONDS -lt "$until" ]; do
    grep -qsF -- "$2" "$1" && return 0
    sleep 0.2
  done
  return 1
}
run_x() { # name seconds: the kiosk on the X server with $tmp/NAME.conf, its log NAME.log
  DISPLAY=$xdisplay SDL_VIDEODRIVER=x11 KIOSK_DRM_SYSFS=$tmp/drm \
    "$kiosk" run --config "$tmp/$1.conf" --state "$tmp/state$1" --exit-after "$2" \
    >/dev/null 2>"$tmp/$1.log" &
  kiosk_pid=$!
  pids+=("$kiosk_pid")
}
for run in "90 software" "270 hardware" "180 software"; do
  set -- $run
  deg=$1 renderer=$2
  # one slide, no transition, the clock trusted: the screen and the snapshot say the same
  sed -e "s|^url = demo-vn766.json|url = $demo/demo-vn766.json|" -e '/^\[slide.national\]/,$d' \
      -e "s/^renderer = .*/renderer = $renderer/" -e 's/^transition = .*/transition = none/' \
      -e 's/^size = .*/size = 1280x720/' -e "s/^\[kiosk\]/[kiosk]\nrotate = $deg/" \
      "$demo/kiosk.conf" > "$tmp/$deg.conf"
  printf '[schedule]\ntrust_clock = yes\n' >> "$tmp/$deg.conf"
  want=1280x720
  [ "$deg" = 180 ] || want=720x1280
  "$kiosk" snapshot --config "$tmp/$deg.conf" --out "$tmp/ref$deg" >/dev/null 2>&1
  check "$deg: the snapshot lays out for the turned size ($want)" \
    python3 -c "import struct,sys; d=open('$tmp/ref$deg/01-headline.png','rb').read(24); sys.exit(struct.unpack('>II', d[16:24]) != tuple(map(int, '$want'.split('x'))))"
  DISPLAY=$xdisplay SDL_VIDEODRIVER=x11 LIBGL_ALWAYS_SOFTWARE=1 KIOSK_DRM_SYSFS=$tmp/drm \
    "$kiosk" run --config "$tmp/$deg.conf" --state "$tmp/state$deg" --exit-after 30 \
    >/dev/null 2>"$tmp/$deg.log" &
  kiosk_pid=$!
  pids+=("$kiosk_pid")
  check "$deg: the slides are laid out for the turned screen" \
    shown "$tmp/$deg.log" "screen: ${want}, "
  [ "$renderer" = hardware ] &&
    check "$deg: on GL" grep -q "screen: hardware renderer (opengl) on x11" "$tmp/$deg.log"
  sleep 1.5
  DISPLAY=$xdisplay xwd -root -silent > "$tmp/$deg.xwd"
  [ -n "${KIOSK_ROTATE_KEEP:-}" ] && python3 "$here/picture.py" png "$tmp/$deg.xwd" "$KIOSK_ROTATE_KEEP/$deg.png"
  diff=$(python3 "$here/picture.py" match-turned "$tmp/$deg.xwd" "$tmp/ref$deg/01-headline.png" "$deg" 720)
  check "$deg ($renderer): the screen is the snapshot turned $deg° (mean difference $diff of 255)" \
    python3 -c "import sys; sys.exit(not ($diff < 1.0))"
  # and not merely any picture: the snapshot unturned is far from it
  far=$(python3 "$here/picture.py" match-turned "$tmp/$deg.xwd" "$tmp/ref$deg/01-headline.png" \
        $(( (deg + 180) % 360 )) 720 2>/dev/null || echo 99)
  check "$deg: turned the other way it would differ ($far)" python3 -c "import sys; sys.exit(not ($far > 5))"
  kill -TERM "$kiosk_pid"
  wait "$kiosk_pid"
  check "$deg: a clean exit" [ $? -eq 0 ]
done
# a new slide on the turned screen against its reference (looked at): the survey's QR code,
# laid out for 720x1280 and turned onto the 1280x720 screen, still read by a real decoder
sed -e "s|^url = demo-vn766.json|url = $demo/demo-vn766.json|" -e '/^\[slide.headline\]/,/^\[slide.survey\]/{/^\[slide.survey\]/!d}' \
    -e '/^\[slide.clock\]/,$d' -e 's/^renderer = .*/renderer = software/' \
    -e 's/^transition = .*/transition = none/' -e 's/^size = .*/size = 1280x720/' \
    -e "s/^\[kiosk\]/[kiosk]\nrotate = 90/" "$demo/kiosk.conf" > "$tmp/qr90.conf"
printf '[schedule]\ntrust_clock = yes\n' >> "$tmp/qr90.conf"
survey=$(sed -n '/^\[slide.survey\]/,/^\[/s/^text = //p' "$tmp/qr90.conf")
run_x qr90 30
check "qr at 90: shown" shown "$tmp/qr90.log" "screen: 720x1280, "
ref=$here/../fixtures/reference/content/rot90/01-qr.png
for _ in $(seq 20); do # the first frame, however busy the machine (at most 10 s)
  sleep 0.5
  DISPLAY=$xdisplay xwd -root -silent > "$tmp/qr90.xwd"
  diff=$(python3 "$here/picture.py" match "$tmp/qr90.xwd" "$ref" 720)
  python3 -c "import sys; sys.exit(not ($diff < 1.0))" && break
done
python3 "$here/picture.py" png "$tmp/qr90.xwd" "$tmp/qr90.png"
[ -n "${KIOSK_ROTATE_KEEP:-}" ] && cp "$tmp/qr90.png" "$KIOSK_ROTATE_KEEP/qr90.png"
check "qr at 90: the screen is its reference (mean difference $diff of 255)" \
  python3 -c "import sys; sys.exit(not ($diff < 1.0))"
if command -v zbarimg >/dev/null; then
  read=$(zbarimg --quiet --raw "$tmp/qr90.png" 2>/dev/null)
  check "qr at 90: zbarimg reads the survey's address off the turned screen ($read)" \
    [ "$read" = "$survey" ]
else
  echo "SKIP: zbarimg is not installed (board/packages.sh: zbar-tools)"
fi
kill -TERM "$kiosk_pid"
wait "$kiosk_pid"
check "qr at 90: a clean exit" [ $? -eq 0 ]
# the banner's ticker on the turned screen: its band moves at the display's rate, apart
# from the slide (no redraw of it), in the band's place (above the status line: at 90
# degrees, the columns just right of it)
sed -e "s|^url = demo-vn766.json|url = $demo/demo-vn766.json|" -e '/^\[slide.national\]/,$d' \
    -e 's/^renderer = .*/renderer = software/' -e 's/^transition = .*/transition = none/' \
    -e 's/^size = .*/size = 1280x720/' -e "s/^\[kiosk\]/[kiosk]\nrotate = 90/" \
    "$demo/kiosk.conf" > "$tmp/ticker.conf"
cat >> "$tmp/ticker.conf" <<'CONF'
[schedule]
trust_clock = yes
[banner]
text = Thông báo: Trung tâm nghỉ làm việc ngày 2/9 (Quốc khánh). Người dân vui lòng quay lại vào ngày 3/9; hồ sơ trực tuyến vẫn được tiếp nhận trên Cổng Dịch vụ công quốc gia.
CONF
run_x ticker 30
check "ticker: shown" shown "$tmp/ticker.log" "screen: 720x1280, "
sleep 1.5
DISPLAY=$xdisplay xwd -root -silent > "$tmp/t1.xwd"
sleep 0.3
DISPLAY=$xdisplay xwd -root -silent > "$tmp/t2.xwd"
[ -n "${KIOSK_ROTATE_KEEP:-}" ] && python3 "$here/picture.py" png "$tmp/t2.xwd" "$KIOSK_ROTATE_KEEP/ticker.png"
cols=$(python3 - "$here" "$tmp/t1.xwd" "$tmp/t2.xwd" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from picture import read_xwd
(w, h, a), (_, _, b) = read_xwd(sys.argv[2]), read_xwd(sys.argv[3])
cols = sorted({x for y in range(h) for x in range(w) if a[y][3 * x:3 * x + 3] != b[y][3 * x:3 * x + 3]})
print(f"{cols[0]} {cols[-1]}" if cols else "none")
PY
)
# at 720x1280 the scale is 2/3: the status line 48 px, the band 43 px next to it
check "ticker: two frames 0.3 s apart differ, only in the band's columns ($cols)" \
  python3 -c "import sys; c = '$cols'.split(); sys.exit(not (len(c) == 2 and int(c[0]) >= 40 and int(c[1]) <= 100))"
kill -TERM "$kiosk_pid"
wait "$kiosk_pid"
check "ticker: a clean exit" [ $? -eq 0 ]
ticks=$(sed -n 's/.*stopping after .*, \([0-9]*\) frames: \([0-9]*\) full redraws.*/\1 \2/p' "$tmp/ticker.log")
check "ticker: frames at the display's rate, the slide drawn once or twice ($ticks)" \
  python3 -c "import sys; f, r = map(int, '$ticks'.split()); sys.exit(not (f > 20 * r and r <= 3))"
# a banner that fits the screen does not move: no frames for it, the loop asleep
sed '/^text = /s/.*/text = Trung tâm làm việc cả ngày thứ Bảy/' "$tmp/ticker.conf" > "$tmp/static.conf"
run_x static 8
wait "$kiosk_pid"
ticks=$(sed -n 's/.*stopping after .*, \([0-9]*\) frames: \([0-9]*\) full redraws.*/\1 \2/p' "$tmp/static.log")
check "static banner: a frame or two in 8 s, not the display's rate ($ticks)" \
  python3 -c "import sys; f, r = map(int, '$ticks'.split()); sys.exit(not (f <= 4))"
finish "rotate"
