# The Debian packages the kiosk builds and tests with, in one place; sourced by
# board/pc/quickstart.sh and board/cross/build.sh.

# Libraries the program links, with their headers: for a cross build they are installed
# for the target architecture (libfoo-dev:arm64), beside the host's.
kiosk_libs=(libjansson-dev libyajl-dev libsqlite3-dev libcmocka-dev
            libsdl2-dev libsdl2-ttf-dev libcairo2-dev libfontconfig-dev
            libcurl4-openssl-dev libsystemd-dev libdrm-dev libseccomp-dev
            libsodium-dev libpng-dev libjpeg62-turbo-dev librsvg2-dev libqrencode-dev)
# the fleet: MQTT telemetry and commands
kiosk_libs+=(libmosquitto-dev)

# What builds and tests it on the host: compilers (clang for the fuzz targets) and tools,
# fonts, the servers, the X server and the Wayland compositor the tests start (with
# Mesa's software GL and xwd to look at the screen), the packaging tools.
kiosk_tools=(build-essential clang cmake pkg-config python3
             fonts-noto-core fonts-dejavu-core nginx-light
             dpkg-dev lintian systemd file xvfb xauth x11-apps openssl strace
             cage xwayland libgl1-mesa-dri libegl-mesa0 zbar-tools
             minisign)
# the fleet's tests: the broker and its clients, Prometheus and the node exporter
kiosk_tools+=(mosquitto mosquitto-clients prometheus prometheus-node-exporter)
# the plugin workers under memcheck
kiosk_tools+=(valgrind)

# install_packages PKG...: installs those not installed yet (through sudo when not root).
install_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
    --no-install-recommends "${missing[@]}"
}
