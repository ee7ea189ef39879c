# Shared by the shell tests: check NAME COMMAND... counts a pass or a failure (and says
# which); has TEXT FRAGMENT is true when the text contains the fragment; finish prints the
# closing line and fails when anything failed.
pass=0 fail=0
check() {
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}
has() { grep -qF -- "$2" <<<"$1"; }
finish() { # suite name
  echo "$1: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}

# scratch: $tmp, a folder of the test's own, and $pids, the servers and programs it starts:
# killed, and the folder removed, when the test exits however it ends.
scratch() {
  tmp=$(mktemp -d)
  pids=()
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
}
