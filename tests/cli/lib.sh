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

# free_port: a TCP port free on loopback now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# serve_nginx ROOT DIR: nginx on a free loopback port, serving the files of ROOT with its own
# ETags and 304s, as a real deployment would; its config, pid and logs in DIR (DIR/logs:
# access.log, error.log). Sets ngx_port and ngx_pid; 0 once it answers, 1 if it does not.
serve_nginx() {
  local root=$1 d=$2 bin
  bin=$(command -v nginx || echo /usr/sbin/nginx)
  mkdir -p "$root" "$d/logs"
  ngx_port=$(free_port)
  cat > "$d/nginx.conf" <<NGX
worker_processes 1;
pid $d/nginx.pid;
error_log $d/logs/error.log;
events { worker_connections 64; }
http {
  access_log $d/logs/access.log;
  client_body_temp_path $d/logs; proxy_temp_path $d/logs; fastcgi_temp_path $d/logs;
  uwsgi_temp_path $d/logs; scgi_temp_path $d/logs;
  server { listen 127.0.0.1:$ngx_port; root $root; etag on; }
}
NGX
  "$bin" -c "$d/nginx.conf" -p "$d" -g "daemon off; user $(id -un);" 2>> "$d/logs/stderr" &
  ngx_pid=$!
  for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $ngx_port), 1)" 2>/dev/null &&
      return 0
    sleep 0.1
  done
  return 1
}

# scratch: $tmp, a folder of the test's own, and $pids, the servers and programs it starts:
# killed, and the folder removed, when the test exits however it ends.
scratch() {
  tmp=$(mktemp -d)
  pids=()
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
}
