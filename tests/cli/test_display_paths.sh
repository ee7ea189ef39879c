#!/usr/bin/env bash
# Every display path a board or a desktop gives the kiosk, each showing and rotating the
# demo, and a screen unplugged and plugged back under each (the kernel's connectors stood
# in for by a folder, KIOSK_DRM_SYSFS):
#   - X11 (Xvfb) with the GL renderer forced onto Mesa's software rasteriser: the GL
#     texture upload and the fade run, and the screen, dumped with xwd, is the snapshot
#     of the same slide, pixel for pixel;
#   - Wayland under cage (the kiosk compositor), headless (WLR_BACKENDS=headless), with
#     the software renderer (auto, as without a GPU) and with GL.
# A compositor or X server that cannot start in this machine is a SKIP line, not a pass.
# KMSDRM needs a DRM device and is not tested here.
# usage: test_display_paths.sh KIOSK DEMO_DIR
set -u
kiosk=$1 demo=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
scratch
chmod 755 "$tmp"
skipped=0
skip() { echo "SKIP: $*"; skipped=$((skipped + 1)); }

conf() { # renderer transition file: the demo, slides of 4 s
  sed -e "s|^url = demo-vn766.json|url = $demo/demo-vn766.json|" \
      -e 's/^duration_s = .*/duration_s = 4/' -e "s/^renderer = .*/renderer = $1/" \
      -e "s/^transition = .*/transition = $2/" -e 's/^size = .*/size = 1280x720/' \
      "$demo/kiosk.conf" > "$3"
  chmod 644 "$3"
}
field() { # state_dir python-expression-on-d
  python3 -c "import json,sys; d=json.load(open('$1/status.json')); print($2)" 2>/dev/null
}
wait_for() { # seconds state_dir condition
  local until=$((SECONDS + $1))
  while [ $SECONDS -lt "$until" ]; do
    [ "$(field "$2" "bool($3)")" = True ] && return 0
    sleep 0.2
  done
  echo "  (waited $1 s for $3; status.json says slide $(field "$2" "d.get('slide')"), display_connected $(field "$2" "d.get('display_connected')"))"
  return 1
}
plug() { echo "$2" > "$tmp/drm/card1-$1/status"; }
mkdir -p "$tmp/drm/card1" "$tmp/drm/card1-HDMI-A-1"
plug HDMI-A-1 connected
chmod -R a+rX "$tmp/drm"

# ---- X11, GL on Mesa's software rasteriser -------------------------------------------
conf hardware fade "$tmp/gl.conf"
"$kiosk" snapshot --config "$tmp/gl.conf" --out "$tmp/ref" --size 1280x720 >/dev/null 2>&1
shown_is() { # xwd slide: is the screen that slide's snapshot? (its difference in $diff)
  diff=$(python3 "$here/picture.py" match "$1" "$(ls "$tmp"/ref/*-"$2".png)" 660)
  python3 -c "import sys; sys.exit(not ($diff < 1.0))"
}
next_slide() { # state_dir: waits for the slide to change, then for its transition to end
  local now
  now=$(field "$1" "d['slide']")
  wait_for 15 "$1" "d['slide'] not in ('$now', None)" && sleep 1.5
}
if ! command -v Xvfb >/dev/null || ! command -v xwd >/dev/null; then
  skip "X11 + GL: Xvfb or xwd is not installed (board/packages.sh: xvfb, x11-apps)"
else
  xdisplay=:$((110 + RANDOM % 50))
  Xvfb "$xdisplay" -screen 0 1280x720x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  pids+=("$xvfb_pid")
  for _ in $(seq 50); do DISPLAY=$xdisplay xwd -root -silent >/dev/null 2>&1 && break; sleep 0.1; done
  if ! DISPLAY=$xdisplay xwd -root -silent >/dev/null 2>&1; then
    skip "X11 + GL: Xvfb did not start on $xdisplay"
  else
    mkdir -p "$tmp/glstate"
    DISPLAY=$xdisplay SDL_VIDEODRIVER=x11 LIBGL_ALWAYS_SOFTWARE=1 KIOSK_DRM_SYSFS=$tmp/drm \
      "$kiosk" run --config "$tmp/gl.conf" --state "$tmp/glstate" --exit-after 60 \
      >/dev/null 2>"$tmp/gl.log" &
    kiosk_pid=$!
    pids+=("$kiosk_pid")
    st=$tmp/glstate
    check "GL: the first slide is shown" wait_for 20 "$st" "d['display_connected'] and d['slide'] == 'headline'"
    check "GL: the renderer is GL on Mesa's software rasteriser, on X11" \
      grep -q "screen: hardware renderer (opengl) on x11" "$tmp/gl.log"
    sleep 1.5
    DISPLAY=$xdisplay xwd -root -silent > "$tmp/1.xwd"
    shown_is "$tmp/1.xwd" headline
    check "GL: the screen is the headline's snapshot (mean difference $diff of 255)" [ $? -eq 0 ]
    check "GL: it rotates to the national ranking" next_slide "$st"
    DISPLAY=$xdisplay xwd -root -silent > "$tmp/2.xwd"
    shown_is "$tmp/2.xwd" "$(field "$st" "d['slide']")"
    check "GL: after a fade the screen is the next slide's snapshot ($(field "$st" "d['slide']"), $diff)" [ $? -eq 0 ]
    plug HDMI-A-1 disconnected
    check "GL: unplugged, the display is closed" wait_for 8 "$st" "d['display_connected'] is False"
    plug HDMI-A-1 connected
    check "GL: plugged back, shown again" wait_for 8 "$st" "d['display_connected'] is True"
    check "GL: with a new GL renderer" \
      [ "$(grep -c "screen: hardware renderer (opengl) on x11" "$tmp/gl.log")" -eq 2 ]
    next_slide "$st"
    DISPLAY=$xdisplay xwd -root -silent > "$tmp/3.xwd"
    shown_is "$tmp/3.xwd" "$(field "$st" "d['slide']")"
    check "GL: after the hot-plug the screen is a slide again ($(field "$st" "d['slide']"), $diff)" [ $? -eq 0 ]
    kill -TERM "$kiosk_pid"
    wait "$kiosk_pid"
    check "GL: a clean exit" [ $? -eq 0 ]
    fades=$(sed -n 's/.* \([0-9]*\) transition frames (fade.*/\1/p' "$tmp/gl.log")
    check "GL: the fades ran on GL ($fades frames)" [ "${fades:-0}" -ge 5 ]
  fi
  kill "$xvfb_pid" 2>/dev/null
  wait "$xvfb_pid" 2>/dev/null
fi

# ---- Wayland under cage, headless ----------------------------------------------------
# cage refuses to run as root: as root, the compositor and the kiosk run as nobody
as_user=()
[ "$(id -u)" -eq 0 ] && as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
wayland_run() { # name renderer transition seconds [rotate]: the kiosk in cage, its log in NAME.log
  local name=$1
  conf "$2" "$3" "$tmp/$name.conf"
  [ -n "${5:-}" ] && sed -i "s/^\[kiosk\]/[kiosk]\nrotate = $5/" "$tmp/$name.conf"
  mkdir -p "$tmp/$name/run" "$tmp/$name/state"
  chmod 700 "$tmp/$name/run"
  [ ${#as_user[@]} -gt 0 ] && chown -R nobody:nogroup "$tmp/$name"
  cat > "$tmp/$name/inner.sh" <<INNER
#!/bin/sh
exec env SDL_VIDEODRIVER=wayland KIOSK_DRM_SYSFS=$tmp/drm "$kiosk" run --config "$tmp/$name.conf" \
  --state "$tmp/$name/state" --exit-after $4 2>"$tmp/$name/kiosk.log"
INNER
  chmod 755 "$tmp/$name/inner.sh"
  "${as_user[@]}" env -i PATH=/usr/bin:/bin HOME="$tmp/$name" XDG_RUNTIME_DIR="$tmp/$name/run" \
    WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman \
    cage -- "$tmp/$name/inner.sh" >"$tmp/$name/cage.log" 2>&1 &
  cage_pid=$!
  pids+=("$cage_pid")
}
if ! command -v cage >/dev/null; then
  skip "Wayland: cage is not installed (board/packages.sh: cage, xwayland)"
elif [ ${#as_user[@]} -gt 0 ] && ! "${as_user[@]}" test -x "$kiosk"; then
  skip "Wayland: the kiosk at $kiosk cannot be run as nobody (cage refuses root)"
else
  wayland_run wl auto push 40
  st=$tmp/wl/state
  if ! wait_for 20 "$st" "d['display_connected']"; then
    skip "Wayland: cage did not start here: $(grep -m1 -iE 'error|cannot|unable' "$tmp/wl/cage.log")"
  else
    check "Wayland: showing, with the software renderer as without a GPU" \
      grep -q "screen: software renderer (software) on wayland" "$tmp/wl/kiosk.log"
    check "Wayland: its frames reach the screen through GL, said once" \
      [ "$(grep -c "wayland has no window framebuffer" "$tmp/wl/kiosk.log")" -eq 1 ]
    # (which slide the first look finds depends on how long cage took: any, then another)
    check "Wayland: a slide shown" wait_for 10 "$st" "d['slide'] is not None"
    first=$(field "$st" "d['slide']")
    check "Wayland: it rotates (from $first)" wait_for 15 "$st" "d['slide'] not in ('$first', None)"
    plug HDMI-A-1 disconnected
    check "Wayland: unplugged, the display is closed" wait_for 8 "$st" "d['display_connected'] is False"
    check "Wayland: and the log says why" grep -q "no screen is connected any more" "$tmp/wl/kiosk.log"
    plug HDMI-A-1 connected
    check "Wayland: plugged back, shown again" wait_for 10 "$st" "d['display_connected'] is True"
    check "Wayland: on a new renderer" \
      [ "$(grep -c "screen: software renderer (software) on wayland" "$tmp/wl/kiosk.log")" -eq 2 ]
    back=$(field "$st" "d['slide']")
    check "Wayland: still rotating (from $back)" wait_for 15 "$st" "d['slide'] not in ('$back', None)"
  fi
  kill "$cage_pid" 2>/dev/null
  wait "$cage_pid" 2>/dev/null
  redraws=$(sed -n 's/.* frames: \([0-9]*\) full redraws.*/\1/p' "$tmp/wl/kiosk.log")
  if [ -n "$redraws" ] || grep -q "display_connected" "$tmp/wl/state/status.json" 2>/dev/null; then
    # GL on Wayland: Mesa's EGL through the compositor, the fade path
    wayland_run wlgl hardware fade 9
    wait "$cage_pid"
    check "Wayland + GL: the GL renderer on wayland" \
      grep -q "screen: hardware renderer (opengl) on wayland" "$tmp/wlgl/kiosk.log"
    fades=$(sed -n 's/.* \([0-9]*\) transition frames (fade.*/\1/p' "$tmp/wlgl/kiosk.log")
    redraws=$(sed -n 's/.* frames: \([0-9]*\) full redraws.*/\1/p' "$tmp/wlgl/kiosk.log")
    check "Wayland + GL: two slides drawn ($redraws) and a fade between ($fades frames)" \
      [ "${redraws:-0}" -ge 2 -a "${fades:-0}" -ge 1 ]
    # a screen mounted turned, on Wayland as on X11: laid out for the turned size whatever
    # the compositor's own output transform (none here), and turned when presented
    size=$(sed -n 's/^screen: \([0-9]*x[0-9]*\), .*/\1/p' "$tmp/wl/kiosk.log" | head -1)
    wayland_run wlrot auto none 6 90
    wait "$cage_pid"
    turned=$(sed -n 's/^screen: \([0-9]*x[0-9]*\), .*/\1/p' "$tmp/wlrot/kiosk.log" | head -1)
    check "Wayland, rotate = 90: the slides laid out for the turned screen ($size -> $turned)" \
      [ -n "$size" -a "$turned" = "${size#*x}x${size%x*}" ]
    check "Wayland, rotate = 90: slides drawn" \
      grep -q "frames: [1-9][0-9]* full redraws" "$tmp/wlrot/kiosk.log"
  fi
fi
[ "$skipped" -gt 0 ] && echo "display paths: $skipped skipped"
finish "display paths"
