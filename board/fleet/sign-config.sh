#!/usr/bin/env bash
# Signing the kiosks' remote configuration with minisign (Debian: apt-get install minisign).
#
#   board/fleet/sign-config.sh keygen DIR         a key pair: DIR/kiosk-config.key (secret,
#                                                 password-protected; keep it off the web
#                                                 server) and DIR/kiosk-config.pub
#   board/fleet/sign-config.sh sign KEY CONFIG    checks CONFIG with `kiosk check`, then
#                                                 writes CONFIG.minisig beside it
#   board/fleet/sign-config.sh verify PUB CONFIG  what a kiosk will find
#
# Each kiosk trusts the public keys in /etc/kiosk/trusted-keys (the .pub files, one after
# the other; two keys while one replaces the other) and polls the [fleet] config_url of
# its local config, e.g.
#
#   [fleet]
#   config_url = https://cfg.province.example/kiosk/kiosk.conf
#
# fetching CONFIG from there and its signature from config_url + ".minisig". Publish both
# on the web server, the signature first. The document must give a serial newer than the
# last one the kiosks took, in its own [fleet] section (and nothing else there):
#
#   [fleet]
#   serial = 202611301
#
# A date and a counter serve well. A kiosk refuses an older or equal serial (a replay),
# a document the key did not sign or that changed after signing, and one that fails
# `kiosk check`; one that shows no slide within config_rollback_s (60 s) is rolled back.
set -eu

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}
command -v minisign >/dev/null || { echo "minisign is not installed: apt-get install minisign" >&2; exit 1; }

case ${1:-} in
  keygen)
    [ $# -eq 2 ] || usage
    mkdir -p "$2"
    minisign -G -p "$2/kiosk-config.pub" -s "$2/kiosk-config.key"
    echo "install $2/kiosk-config.pub on every kiosk as /etc/kiosk/trusted-keys (or append it there)"
    ;;
  sign)
    [ $# -eq 3 ] || usage
    key=$2 conf=$3
    grep -Eq '^serial *= *[0-9]+ *$' "$conf" ||
      { echo "$conf: expected serial = N in its [fleet] section, newer than the running one" >&2; exit 1; }
    if command -v kiosk >/dev/null; then
      kiosk check "$conf" # the same checks as the kiosk's before it applies it
    else
      echo "kiosk is not installed here: the kiosks will check $conf before applying it" >&2
    fi
    minisign -S -s "$key" -m "$conf" -t "kiosk config $(basename "$conf") $(grep -Em1 '^serial *=' "$conf" | tr -d ' ')"
    echo "publish $conf.minisig, then $conf"
    ;;
  verify)
    [ $# -eq 3 ] || usage
    minisign -V -p "$2" -m "$3"
    ;;
  *) usage ;;
esac
