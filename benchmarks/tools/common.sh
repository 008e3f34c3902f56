# Sourced by benchmarks/load.sh, memory.sh and soak.sh. Before sourcing, set bench (the log
# prefix) and run (the results folder, where NAME.log files are); the JDK is found like the
# launchers find it (JAVA_HOME if new enough, else /usr/lib/jvm/*). Sets root (the checkout) and
# the settings every script has: RECORD [1] (append the results to benchmarks/README.md), NOTE [].

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RECORD="${RECORD:-1}"
NOTE="${NOTE:-}"

log() { printf '[%s] %s\n' "$bench" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# wait_port NAME PORT PID: up to 30 s for an HTTP listener, failing early if the process died
wait_port() {
    local name="$1" port="$2" pid="$3"
    for _ in $(seq 1 300); do
        curl -s -o /dev/null -m 1 "http://127.0.0.1:$port/" && return 0
        kill -0 "$pid" 2>/dev/null || { tail -n 20 "$run/$name.log" >&2; die "$name exited during start-up"; }
        sleep 0.1
    done
    tail -n 20 "$run/$name.log" >&2
    die "$name did not listen on 127.0.0.1:$port within 30 s"
}

# The results line naming the measured commit, and whether the sources had local changes.
commit_line() {
    echo "- gateway commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- src 2>/dev/null || echo ' (+ local changes)')"
}

# The results line describing the machine; LOAD_BEFORE is /proc/loadavg read before the run.
machine_line() {
    echo "- machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo))," \
        "$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr);" \
        "load average before the run: $1"
}

# ---------------------------------------------------------------- processes
# Every process started here is stopped on exit, also on Ctrl-C or failure.
pids=()
stop_pid() {
    local pid="$1"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        stop_pid "$pid"
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME CMD...: runs CMD in the background, output in $run/NAME.log, its pid in $pid_NAME
start() {
    local name="$1"
    shift
    "$@" >"$run/$name.log" 2>&1 &
    pids+=("$!")
    eval "pid_$name=$!"
}

# start_gateway NAME PORT UPSTREAM_PORT SECRET [FLAG...]: bin/mimir-gateway on 127.0.0.1:PORT with
# distributor and query-frontend at the upstream, with the launcher's defaults plus $JAVA_OPTS.
start_gateway() {
    local name="$1" port="$2" upstream="$3" secret="$4"
    shift 4
    start "$name" "$root/bin/mimir-gateway" \
        -server.http-listen-address=127.0.0.1 -server.http-listen-port="$port" \
        -gateway.distributor.address="http://127.0.0.1:$upstream" \
        -gateway.query-frontend.address="http://127.0.0.1:$upstream" \
        -gateway.auth.jwt-secret="$secret" -log.level=warn "$@"
    wait_port "$name" "$port" "$(eval echo "\$pid_$name")"
}

# ---------------------------------------------------------------- the upstream stand-in
# nginx answering every request itself with keep-alive: "ok" for any path, a 256 KiB file for
# QUERY_256K_PATH (the query256k workload); ?sanity=1 echoes the X-Scope-OrgID it received.
QUERY_256K_PATH=/prometheus/api/v1/query_range
QUERY_256K_BYTES=262144

# start_upstream PORT: writes $run/nginx-upstream/ and starts it as process "upstream"
start_upstream() {
    local port="$1" dir="$run/nginx-upstream"
    mkdir -p "$dir"
    head -c "$QUERY_256K_BYTES" /dev/zero | tr '\0' 'q' >"$dir/answer-256k"
    cat >"$dir/nginx.conf" <<CONF
# Upstream stand-in: answers every request itself, keeps connections open.
$(nginx_preamble "$dir")
    server {
        listen 127.0.0.1:$port backlog=4096;
        location / {
            # ?sanity=1 echoes the identity header the upstream received (pre-flight check only).
            if (\$arg_sanity) {
                return 200 "orgid=\$http_x_scope_orgid\n";
            }
            return 200 "ok\n";
        }
        location = $QUERY_256K_PATH {
            # GET only, like a query answer; a file, so nginx serves it without copying it.
            default_type application/json;
            alias $dir/answer-256k;
        }
    }
}
CONF
    start upstream nginx -c "$dir/nginx.conf" -g 'daemon off;'
    wait_port upstream "$port" "$pid_upstream"
}

# nginx_preamble DIR: what both nginx configs (load.sh's proxy, the upstream stand-in) start with:
# pid, log and temp paths in DIR, long keep-alive, no body size limit, and the opening of the http
# block, which the caller closes.
nginx_preamble() {
    cat <<CONF
worker_processes auto;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path $1/body;
    proxy_temp_path $1/proxy;
    fastcgi_temp_path $1/fastcgi;
    uwsgi_temp_path $1/uwsgi;
    scgi_temp_path $1/scgi;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    client_max_body_size 0;
CONF
}

# ---------------------------------------------------------------- wrk output
# to_ms VALUE-WITH-UNIT (wrk prints us, ms, s)
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
        printf "%.2f", n }'
}

# wrk_percentile OUT PERCENT: that latency percentile of a `wrk --latency` output, in ms
wrk_percentile() { to_ms "$(awk -v p="$2%" '$1 == p {print $2}' "$1")"; }

# wrk_socket_errors OUT: connect + read + write + timeout errors of a wrk output (0 when none)
wrk_socket_errors() { awk -F'[ ,]+' '/Socket errors:/ {n = $4 + $6 + $8 + $10} END {print n + 0}' "$1"; }

# rss_kib PID [FIELD]: VmRSS (or FIELD, e.g. VmHWM) of PID in KiB, empty when the process is gone
rss_kib() { awk -v f="${2:-VmRSS}:" '$1 == f {print $2}' "/proc/$1/status" 2>/dev/null || true; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

# shellcheck source=../../bin/lib/jdk.sh
. "$root/bin/lib/jdk.sh"
find_jdk
