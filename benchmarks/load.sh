#!/usr/bin/env bash
# Side-by-side load test (issue 8): the same requests, in one run, through
#   upstream  nginx answering `return 200` itself (the floor every proxy adds to), and a 256 KiB
#             file for the query256k path
#   nginx     nginx proxying to it and setting a static X-Scope-OrgID
#   haproxy   HAProxy 2.6 verifying the HS256 JWT and setting X-Scope-OrgID from its claim
#   bare      a bare JDK HttpServer on virtual threads answering 200 itself, 256 KiB for the
#             query256k path (the design's ceiling)
#   gateway   auth-gateway (bin/mimir-gateway) with a JWT on every request
#   minimal   (only when named in TARGETS) tools/MinimalProxy.java: the gateway's threading model
#             with no gateway work at all, copying bytes between two sockets; the model's ceiling
#   relay     (only when named in TARGETS) tools/NioRelay.java: a non-blocking NIO TCP relay, no HTTP;
#             the ceiling of an event-loop design
#   gateway_b (only when named in TARGETS) a second gateway, with GATEWAY_B_JAVA_OPTS instead of
#             GATEWAY_JAVA_OPTS: an A/B comparison of JVM options in one run
# for the workloads post1k, post32k, post100k (POST 1, 32, 100 KiB), query (GET query, 3-byte
# answer) and query256k (GET query_range, 256 KiB answer).
# Prints requests/s, p50, p99 and the gateway's ratios as markdown and appends them, with the
# machine, JDK and this command, to benchmarks/README.md.
#
# Everything listens on 127.0.0.1 only and is stopped on exit. Raw wrk output, configs and logs
# stay in benchmarks/results/<timestamp>/ (not in git).
#
# Environment (defaults in brackets):
#   DURATION [10s]  measured wrk run per target and workload
#   WARMUP [5s]     unrecorded wrk run before each measurement (JIT warm-up, pools filled); 0 skips
#   CONNECTIONS [64]  THREADS [2]   wrk -c / -t
#   TARGETS ["upstream nginx haproxy bare gateway"]
#   WORKLOADS ["post1k post32k post100k query query256k"]
#   PORT_BASE [18400]  ports PORT_BASE+1..+8 are used
#   GATEWAY_JAVA_OPTS []  extra JVM options for the gateway (its launcher's defaults apply first)
#   GATEWAY_B_JAVA_OPTS []  the same for the gateway_b target
#   GATEWAY_FLAGS []      extra gateway flags, e.g. "-gateway.upstream.client=jdk"
#   GATEWAY_B_FLAGS [GATEWAY_FLAGS]  the same for the gateway_b target: flags compared A/B in one run,
#                         e.g. GATEWAY_B_FLAGS="-gateway.audit-log=/tmp/audit.log"
#   RECORD [1]      0: print the table only, do not append to README.md
#   NOTE []         a line recorded with the results, e.g. "smoke run, busy machine, not for publishing"
#   PROFILE [0]     1: record the gateway's measured runs with JFR, summary in results/.../profile-*.txt
#                   (the gateway then runs on the JDK, not the jlink image, which has no jdk.jfr)
#   JAVA_HOME       a JDK >= 21 (else the newest under /usr/lib/jvm, as the launchers pick)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command_line="$(printf '%q ' "$0" "$@")"

DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-5s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
TARGETS="${TARGETS:-upstream nginx haproxy bare gateway}"
WORKLOADS="${WORKLOADS:-post1k post32k post100k query query256k}"
PORT_BASE="${PORT_BASE:-18400}"
PROFILE="${PROFILE:-0}"
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-}"
GATEWAY_B_JAVA_OPTS="${GATEWAY_B_JAVA_OPTS:-}"
GATEWAY_FLAGS="${GATEWAY_FLAGS:-}"
GATEWAY_B_FLAGS="${GATEWAY_B_FLAGS:-$GATEWAY_FLAGS}"
bench=load
# log, die, processes, the upstream stand-in, wrk parsing and the JDK ($run is set before use)
. "$here/tools/common.sh"

UPSTREAM_PORT=$((PORT_BASE + 1))
NGINX_PORT=$((PORT_BASE + 2))
HAPROXY_PORT=$((PORT_BASE + 3))
BARE_PORT=$((PORT_BASE + 4))
GATEWAY_PORT=$((PORT_BASE + 5))
MINIMAL_PORT=$((PORT_BASE + 6))
RELAY_PORT=$((PORT_BASE + 7))
GATEWAY_B_PORT=$((PORT_BASE + 8))

SECRET="bench-secret-$(date +%s)-$RANDOM"
TENANT="bench-tenant"
# The launcher's own defaults (bin/lib/launch.sh), so the bare server runs like the gateway.
BARE_JAVA_OPTS="-XX:+UseSerialGC -Xss512k -XX:MaxRAMPercentage=50"


# ---------------------------------------------------------------- tools
install_tools() {
    local missing=()
    command -v nginx >/dev/null || missing+=(nginx-light)
    command -v haproxy >/dev/null || missing+=(haproxy)
    command -v wrk >/dev/null || missing+=(wrk)
    command -v curl >/dev/null || missing+=(curl)
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]} from Debian packages"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    command -v python3 >/dev/null || die "python3 is needed to mint the test tokens"
}

# ---------------------------------------------------------------- configs
write_configs() {
    mkdir -p "$run/nginx-proxy"
    cat >"$run/nginx-proxy/nginx.conf" <<EOF
# The per-tenant nginx an operator would replace: static X-Scope-OrgID, streaming, keepalive.
$(nginx_preamble "$run/nginx-proxy")
    upstream backend {
        server 127.0.0.1:$UPSTREAM_PORT;
        keepalive 256;
        keepalive_requests 10000000;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT backlog=4096;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Scope-OrgID $TENANT;
            proxy_request_buffering off;
        }
    }
}
EOF
    # HAProxy takes an HMAC secret inline in jwt_verify, so the secret lives in this file (0600).
    (umask 077 && cat >"$run/haproxy.cfg" <<EOF
# HAProxy verifying the same HS256 JWT and setting X-Scope-OrgID from its tenant_id claim.
global
    maxconn 8000
defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    timeout http-keep-alive 120s
    option http-keep-alive
frontend gateway
    bind 127.0.0.1:$HAPROXY_PORT
    http-request set-var(txn.bearer) http_auth_bearer
    http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('\$.alg')
    http-request deny deny_status 401 unless { var(txn.alg) -m str HS256 }
    http-request deny deny_status 401 unless { var(txn.bearer),jwt_verify(txn.alg,"$SECRET") -m int 1 }
    # jwt_verify checks only the signature; exp is checked here, as the gateway does.
    http-request set-var(txn.exp) var(txn.bearer),jwt_payload_query('\$.exp','int')
    http-request set-var(txn.now) date()
    http-request deny deny_status 401 unless { var(txn.exp),sub(txn.now) -m int gt 0 }
    http-request set-var(txn.tenant) var(txn.bearer),jwt_payload_query('\$.tenant_id')
    http-request deny deny_status 401 unless { var(txn.tenant) -m found }
    http-request set-header X-Scope-OrgID %[var(txn.tenant)]
    default_backend upstream
backend upstream
    http-reuse always
    server upstream 127.0.0.1:$UPSTREAM_PORT
EOF
    )
}

# ---------------------------------------------------------------- targets
port_of() {
    case "$1" in
        upstream) echo "$UPSTREAM_PORT" ;;
        nginx) echo "$NGINX_PORT" ;;
        haproxy) echo "$HAPROXY_PORT" ;;
        bare) echo "$BARE_PORT" ;;
        gateway) echo "$GATEWAY_PORT" ;;
        minimal) echo "$MINIMAL_PORT" ;;
        relay) echo "$RELAY_PORT" ;;
        gateway_b) echo "$GATEWAY_B_PORT" ;;
        *) die "unknown target '$1' (expected upstream, nginx, haproxy, bare, gateway, minimal, relay or gateway_b)" ;;
    esac
}

start_targets() {
    # The upstream is always needed: the proxies forward to it.
    start_upstream "$UPSTREAM_PORT"
    local target
    for target in $TARGETS; do
        case "$target" in
            upstream) ;;
            nginx)
                start nginx nginx -c "$run/nginx-proxy/nginx.conf" -g 'daemon off;'
                wait_port nginx "$NGINX_PORT" "$pid_nginx" ;;
            haproxy)
                haproxy -c -q -f "$run/haproxy.cfg" || die "haproxy rejected $run/haproxy.cfg"
                start haproxy haproxy -db -f "$run/haproxy.cfg"
                wait_port haproxy "$HAPROXY_PORT" "$pid_haproxy" ;;
            bare)
                mkdir -p "$run/classes"
                "$JAVA_HOME/bin/javac" -d "$run/classes" "$here/tools/BareServer.java"
                # shellcheck disable=SC2086
                start bare "$JAVA_HOME/bin/java" $BARE_JAVA_OPTS -cp "$run/classes" BareServer "$BARE_PORT"
                wait_port bare "$BARE_PORT" "$pid_bare" ;;
            gateway)
                # Profiling needs the JDK: the jlink image leaves out jdk.jfr.
                runtime=""
                [ "$PROFILE" = 1 ] && runtime=jdk
                # shellcheck disable=SC2086
                AUTH_GATEWAY_RUNTIME="$runtime" JAVA_OPTS="$GATEWAY_JAVA_OPTS" start_gateway gateway "$GATEWAY_PORT" \
                    "$UPSTREAM_PORT" "$SECRET" $GATEWAY_FLAGS ;;
            gateway_b)
                # shellcheck disable=SC2086
                JAVA_OPTS="$GATEWAY_B_JAVA_OPTS" start_gateway gateway_b "$GATEWAY_B_PORT" "$UPSTREAM_PORT" "$SECRET" \
                    $GATEWAY_B_FLAGS ;;
            minimal)
                mkdir -p "$run/classes"
                "$JAVA_HOME/bin/javac" -d "$run/classes" "$here/tools/MinimalProxy.java"
                # shellcheck disable=SC2086
                start minimal "$JAVA_HOME/bin/java" $BARE_JAVA_OPTS -cp "$run/classes" MinimalProxy "$MINIMAL_PORT" \
                    "$UPSTREAM_PORT"
                wait_port minimal "$MINIMAL_PORT" "$pid_minimal" ;;
            relay)
                mkdir -p "$run/classes"
                "$JAVA_HOME/bin/javac" -d "$run/classes" "$here/tools/NioRelay.java"
                # shellcheck disable=SC2086
                start relay "$JAVA_HOME/bin/java" $BARE_JAVA_OPTS -cp "$run/classes" NioRelay "$RELAY_PORT" "$UPSTREAM_PORT"
                wait_port relay "$RELAY_PORT" "$pid_relay" ;;
            *) port_of "$target" >/dev/null ;;
        esac
    done
}

# ---------------------------------------------------------------- pre-flight checks
# Each proxy must replace a client's X-Scope-OrgID with the tenant, and the JWT checkers must
# refuse a token signed with another secret and an expired one, before anything is measured.
sanity_checks() {
    local good bad expired target port seen code path
    good="$TOKEN"
    bad="$(python3 "$here/tools/mint-token.py" "not-the-secret" "$TENANT")"
    expired="$(python3 "$here/tools/mint-token.py" "$SECRET" "$TENANT" -60)"
    for target in $TARGETS; do
        port="$(port_of "$target")"
        case "$target" in
            nginx | haproxy | gateway | gateway_b)
                for path in "/api/v1/push?sanity=1" "/prometheus/api/v1/query?query=up&sanity=1"; do
                    seen="$(curl -sS -m 5 -H "Authorization: Bearer $good" -H "X-Scope-OrgID: spoofed" \
                        "http://127.0.0.1:$port$path")" || die "$target: sanity request to $path failed"
                    [ "$seen" = "orgid=$TENANT" ] || die "$target: upstream saw '$seen' for $path, expected 'orgid=$TENANT'"
                done
                log "$target: upstream receives X-Scope-OrgID=$TENANT (client's 'spoofed' replaced)" ;;
            *)
                code="$(curl -s -o /dev/null -w '%{http_code}' -m 5 --data-binary x "http://127.0.0.1:$port/api/v1/push")"
                [ "$code" = 200 ] || die "$target: answered $code instead of 200"
                log "$target: answers 200" ;;
        esac
        case "$target" in
            haproxy | gateway | gateway_b)
                for token in "$bad" "$expired"; do
                    code="$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "Authorization: Bearer $token" \
                        --data-binary x "http://127.0.0.1:$port/api/v1/push")"
                    [ "$code" = 401 ] || die "$target: a bad or expired token got $code instead of 401"
                done
                log "$target: refuses a wrongly signed and an expired token with 401" ;;
        esac
        if [[ " $WORKLOADS " == *" query256k "* ]]; then
            read -r _ _ path <<<"$(workload_env query256k)"
            seen="$(curl -sS -o /dev/null -w '%{http_code} %{size_download}' -m 5 -H "Authorization: Bearer $good" \
                "http://127.0.0.1:$port$path")" || die "$target: the query256k request failed"
            [ "$seen" = "200 $QUERY_256K_BYTES" ] ||
                die "$target: query256k answered '$seen' (status, bytes) instead of '200 $QUERY_256K_BYTES'"
            log "$target: answers the query256k request with 200 and $QUERY_256K_BYTES bytes"
        fi
    done
}

# ---------------------------------------------------------------- measuring
workload_env() {
    case "$1" in
        post1k) echo "POST 1024 /api/v1/push" ;;
        post32k) echo "POST 32768 /api/v1/push" ;;
        post100k) echo "POST 102400 /api/v1/push" ;;
        query) echo "GET 0 /prometheus/api/v1/query?query=up" ;;
        # The upstream stand-in and the bare server answer this path with QUERY_256K_BYTES.
        query256k) echo "GET 0 $QUERY_256K_PATH?query=up&start=0&end=3600&step=15" ;;
        *) die "unknown workload '$1' (expected post1k, post32k, post100k, query or query256k)" ;;
    esac
}

# run_wrk OUT DURATION TARGET WORKLOAD
run_wrk() {
    local out="$1" duration="$2" target="$3" method bytes path
    read -r method bytes path <<<"$(workload_env "$4")"
    WRK_METHOD="$method" WRK_BODY_BYTES="$bytes" WRK_TOKEN="$TOKEN" \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s --latency \
        -s "$here/wrk/request.lua" "http://127.0.0.1:$(port_of "$target")$path" >"$out" 2>&1 ||
        die "wrk failed for $target, see $out"
}

# parse OUT -> "rps p50ms p99ms errors"
parse_wrk() {
    local out="$1" rps non2xx
    rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")"
    echo "${rps:-0} $(wrk_percentile "$out" 50) $(wrk_percentile "$out" 99) $(( ${non2xx:-0} + $(wrk_socket_errors "$out") ))"
}

# cpu_ticks PID: user + system clock ticks used so far by a process and its children (nginx workers)
cpu_ticks() {
    local total=0 p
    for p in "$1" $(pgrep -P "$1" || true); do
        if [ -r "/proc/$p/stat" ]; then
            total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
        fi
    done
    echo "$total"
}

declare -A RPS P50 P99 ERRS CPU
measure() {
    local workload target pid ticks requests
    for workload in $WORKLOADS; do
        for target in $TARGETS; do
            if [ "$WARMUP" != 0 ]; then
                log "$workload → $target: warm-up $WARMUP"
                run_wrk "$run/wrk-$workload-$target-warmup.txt" "$WARMUP" "$target" "$workload"
            fi
            log "$workload → $target: measuring $DURATION"
            [ "$target:$PROFILE" = gateway:1 ] && profile_start "$workload"
            pid="$(eval echo "\$pid_$target")"
            ticks="$(cpu_ticks "$pid")"
            run_wrk "$run/wrk-$workload-$target.txt" "$DURATION" "$target" "$workload"
            ticks=$(( $(cpu_ticks "$pid") - ticks ))
            [ "$target:$PROFILE" = gateway:1 ] && profile_stop "$workload"
            requests="$(awk '/ requests in / {print $1; exit}' "$run/wrk-$workload-$target.txt")"
            CPU[$workload:$target]="$(awk -v t="$ticks" -v r="${requests:-0}" -v hz="$(getconf CLK_TCK)" \
                'BEGIN { if (r > 0) printf "%.1f", t * 1e6 / hz / r; else printf "-" }')"
            read -r RPS[$workload:$target] P50[$workload:$target] P99[$workload:$target] ERRS[$workload:$target] \
                <<<"$(parse_wrk "$run/wrk-$workload-$target.txt")"
            log "$workload → $target: ${RPS[$workload:$target]} req/s, p50 ${P50[$workload:$target]} ms, p99 ${P99[$workload:$target]} ms, errors ${ERRS[$workload:$target]}"
        done
    done
}

# With PROFILE=1 the gateway's measured runs are recorded with JFR (settings=profile: method
# sampling every 10-20 ms, plus CPU-time sampling every 1 ms of CPU, which sees system calls) and
# summarised in $run/profile-<workload>.txt. Profiling costs a few
# per cent of throughput, so figures from a profiled run are not for publishing.
profile_start() {
    "$JAVA_HOME/bin/jcmd" "$pid_gateway" JFR.start name="bench-$1" settings=profile \
        "jdk.CPUTimeSample#enabled=true" "jdk.CPUTimeSample#throttle=1ms" \
        filename="$run/gateway-$1.jfr" >/dev/null || die "could not start JFR in the gateway"
}
profile_stop() {
    "$JAVA_HOME/bin/jcmd" "$pid_gateway" JFR.stop name="bench-$1" >/dev/null || die "could not stop JFR"
    "$here/tools/jfr-summary.sh" "$run/gateway-$1.jfr" >"$run/profile-$1.txt" 2>&1 || true
    log "profile of the gateway under $1: $run/profile-$1.txt"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }

has_target() { [[ " $TARGETS " == *" $1 "* ]]; }

report() {
    local workload target
    echo "| workload | target | requests/s | p50 ms | p99 ms | errors | CPU µs/request |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    for workload in $WORKLOADS; do
        for target in $TARGETS; do
            echo "| $workload | $target | ${RPS[$workload:$target]} | ${P50[$workload:$target]} | ${P99[$workload:$target]} | ${ERRS[$workload:$target]} | ${CPU[$workload:$target]} |"
        done
    done
    if has_target gateway && { has_target nginx || has_target haproxy || has_target bare; }; then
        echo
        echo "| workload | gateway/nginx req/s | gateway/haproxy req/s | gateway/bare-JDK req/s | gateway/nginx p99 | gateway/haproxy p99 |"
        echo "|---|---:|---:|---:|---:|---:|"
        for workload in $WORKLOADS; do
            local g="${RPS[$workload:gateway]}" gp="${P99[$workload:gateway]}"
            echo "| $workload | $(has_target nginx && ratio "$g" "${RPS[$workload:nginx]}" || echo -) |" \
                "$(has_target haproxy && ratio "$g" "${RPS[$workload:haproxy]}" || echo -) |" \
                "$(has_target bare && ratio "$g" "${RPS[$workload:bare]}" || echo -) |" \
                "$(has_target nginx && ratio "$gp" "${P99[$workload:nginx]}" || echo -) |" \
                "$(has_target haproxy && ratio "$gp" "${P99[$workload:haproxy]}" || echo -) |"
        done
    fi
}

machine_lines() {
    machine_line "$load_before"
    echo "- JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p); gateway JVM options: launcher defaults${GATEWAY_JAVA_OPTS:+ + $GATEWAY_JAVA_OPTS}$(has_target gateway_b && echo "; gateway_b: launcher defaults${GATEWAY_B_JAVA_OPTS:+ + $GATEWAY_B_JAVA_OPTS}")${GATEWAY_FLAGS:+; gateway flags: $GATEWAY_FLAGS}$(has_target gateway_b && [ "$GATEWAY_B_FLAGS" != "$GATEWAY_FLAGS" ] && echo "; gateway_b flags: $GATEWAY_B_FLAGS")"
    echo "- tools: $(nginx -v 2>&1 | sed 's/.*: //'), HAProxy $(haproxy -v | awk 'NR == 1 {print $3}'), $(wrk -v 2>&1 | awk 'NR == 1 {print $1, $2}')"
    echo "- command: \`DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS THREADS=$THREADS benchmarks/load.sh\`" \
        "(targets: $TARGETS; workloads: $WORKLOADS; wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency)"
    commit_line
    [ -z "$NOTE" ] || echo "- note: $NOTE"
}

# ---------------------------------------------------------------- main
install_tools
run="$root/benchmarks/results/load-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run"
log "raw output in $run"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
TOKEN="$(python3 "$here/tools/mint-token.py" "$SECRET" "$TENANT")"
# Build first, so the launcher does not build inside the start-up wait and the current tree is measured.
log "building the gateway (log in $run/build.log)"
(cd "$root" && ./mvnw -B -ntp -q -DskipTests package) >"$run/build.log" 2>&1 || { tail -n 30 "$run/build.log" >&2; die "build failed"; }
write_configs
start_targets
sanity_checks
measure

table="$(report)"
section="$(printf '### %s\n\n%s\n\n%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(machine_lines)" "$table")"
printf '\n%s\n' "$section"
printf '%s\n' "$section" >"$run/results.md"
if [ "$RECORD" = 1 ]; then
    printf '\n%s\n' "$section" >>"$here/README.md"
    log "appended to benchmarks/README.md"
fi
