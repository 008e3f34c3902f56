#!/usr/bin/env bash
# Load over TLS (issue 17): the same requests, in one run, to three servers terminating TLS the
# same way (one certificate, EC P-256 made here with openssl; TLS 1.3 with the one cipher
# TLS_AES_128_GCM_SHA256; ALPN http/1.1; keep-alive), each proxying to the same upstream stand-in
# (nginx answering itself over plain HTTP, as in load.sh):
#   nginx     nginx 1.22 proxying with a static X-Scope-OrgID (no token check)
#   haproxy   HAProxy 2.6 verifying the HS256 JWT and setting X-Scope-OrgID from its claim
#   gateway   auth-gateway (bin/mimir-gateway) with the HTTPS listener and a JWT on every request
# Workloads: post1k and post100k (POST 1 and 100 KiB on keep-alive connections) and handshake
# (GET query with "Connection: close": a new connection and a full handshake per request; wrk
# does not resume TLS sessions). Prints requests/s, p50, p99, errors and CPU µs per request of the
# TLS server process (nginx and its workers, HAProxy, the gateway's JVM) side by side and appends
# them, with the machine and this command, to benchmarks/README.md.
#
# Environment (defaults in brackets): DURATION [10s], WARMUP [5s], CONNECTIONS [64], THREADS [2],
# TARGETS ["nginx haproxy gateway"], WORKLOADS ["post1k post100k handshake"], PORT_BASE [18500],
# RECORD [1], NOTE []. Everything listens on 127.0.0.1 and is stopped on exit; raw output in
# benchmarks/results/tls-<timestamp>/ (not in git).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-5s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
TARGETS="${TARGETS:-nginx haproxy gateway}"
WORKLOADS="${WORKLOADS:-post1k post100k handshake}"
PORT_BASE="${PORT_BASE:-18500}"
CIPHER=TLS_AES_128_GCM_SHA256
bench=tls-load
. "$here/tools/common.sh"

UPSTREAM_PORT=$((PORT_BASE + 1))
SECRET="bench-secret-$(date +%s)-$RANDOM"
TENANT="bench-tenant"

port_of() {
    case "$1" in
        nginx) echo $((PORT_BASE + 2)) ;;
        haproxy) echo $((PORT_BASE + 3)) ;;
        gateway) echo $((PORT_BASE + 5)) ;;
        *) die "unknown target '$1' (expected nginx, haproxy or gateway)" ;;
    esac
}

install_tools() {
    local missing=()
    command -v nginx >/dev/null || missing+=(nginx-light)
    command -v haproxy >/dev/null || missing+=(haproxy)
    command -v wrk >/dev/null || missing+=(wrk)
    command -v curl >/dev/null || missing+=(curl)
    command -v openssl >/dev/null || missing+=(openssl)
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]} from Debian packages"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# One CA and one server certificate for localhost/127.0.0.1, the same for the three servers.
make_certificate() {
    local pki="$run/pki"
    mkdir -p "$pki"
    (
        cd "$pki"
        openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
            -subj /CN=bench-ca -days 2
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
            -subj /CN=localhost
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
            -out server.crt
        cat server.crt server.key >haproxy.pem
    ) >"$run/openssl.log" 2>&1 || die "openssl failed, see $run/openssl.log"
    PKI="$pki"
}

write_configs() {
    mkdir -p "$run/nginx-tls"
    cat >"$run/nginx-tls/nginx.conf" <<CONF
$(nginx_preamble "$run/nginx-tls")
    upstream backend {
        server 127.0.0.1:$UPSTREAM_PORT;
        keepalive 256;
        keepalive_requests 10000000;
    }
    server {
        listen 127.0.0.1:$(port_of nginx) ssl backlog=4096;
        ssl_certificate $PKI/server.crt;
        ssl_certificate_key $PKI/server.key;
        ssl_protocols TLSv1.3;
        ssl_conf_command Ciphersuites $CIPHER;
        ssl_session_cache off;
        ssl_session_tickets off;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Scope-OrgID $TENANT;
            proxy_request_buffering off;
        }
    }
}
CONF
    (umask 077 && cat >"$run/haproxy.cfg" <<CONF
global
    maxconn 8000
    ssl-default-bind-ciphersuites $CIPHER
    ssl-default-bind-options ssl-min-ver TLSv1.3 no-tls-tickets
defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    timeout http-keep-alive 120s
    option http-keep-alive
frontend gateway
    bind 127.0.0.1:$(port_of haproxy) ssl crt $PKI/haproxy.pem alpn http/1.1
    http-request set-var(txn.bearer) http_auth_bearer
    http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('\$.alg')
    http-request deny deny_status 401 unless { var(txn.alg) -m str HS256 }
    http-request deny deny_status 401 unless { var(txn.bearer),jwt_verify(txn.alg,"$SECRET") -m int 1 }
    http-request set-var(txn.tenant) var(txn.bearer),jwt_payload_query('\$.tenant_id')
    http-request deny deny_status 401 unless { var(txn.tenant) -m found }
    http-request set-header X-Scope-OrgID %[var(txn.tenant)]
    default_backend upstream
backend upstream
    http-reuse always
    server upstream 127.0.0.1:$UPSTREAM_PORT
CONF
    )
}

# wait_tls NAME PORT PID: up to 60 s for an HTTPS listener
wait_tls() {
    for _ in $(seq 1 600); do
        curl -s -o /dev/null -m 1 --cacert "$PKI/ca.crt" "https://localhost:$2/" && return 0
        kill -0 "$3" 2>/dev/null || { tail -n 20 "$run/$1.log" >&2; die "$1 exited during start-up"; }
        sleep 0.1
    done
    die "$1 did not listen on 127.0.0.1:$2 within 60 s"
}

start_targets() {
    start_upstream "$UPSTREAM_PORT"
    local target
    for target in $TARGETS; do
        case "$target" in
            nginx) start nginx nginx -c "$run/nginx-tls/nginx.conf" -g 'daemon off;' ;;
            haproxy)
                haproxy -c -q -f "$run/haproxy.cfg" || die "haproxy rejected $run/haproxy.cfg"
                start haproxy haproxy -db -f "$run/haproxy.cfg" ;;
            gateway)
                start gateway "$root/bin/mimir-gateway" -server.http-listen-address=127.0.0.1 \
                    -server.http-listen-port="$(port_of gateway)" \
                    -server.http-tls-cert-path="$PKI/server.crt" -server.http-tls-key-path="$PKI/server.key" \
                    -server.tls-min-version=VersionTLS13 -server.tls-cipher-suites=$CIPHER \
                    -gateway.distributor.address="http://127.0.0.1:$UPSTREAM_PORT" \
                    -gateway.query-frontend.address="http://127.0.0.1:$UPSTREAM_PORT" \
                    -gateway.auth.jwt-secret="$SECRET" -log.level=warn ;;
            *) port_of "$target" >/dev/null ;;
        esac
        wait_tls "$target" "$(port_of "$target")" "$(eval echo "\$pid_$target")"
    done
}

# Each server must speak TLS 1.3 with the one cipher and ALPN http/1.1, and replace a client's
# X-Scope-OrgID with the tenant, before anything is measured.
sanity_checks() {
    local target port seen
    for target in $TARGETS; do
        port="$(port_of "$target")"
        seen="$(openssl s_client -connect "127.0.0.1:$port" -servername localhost -alpn http/1.1 -CAfile "$PKI/ca.crt" \
            </dev/null 2>&1)" || die "$target: openssl s_client failed"
        grep -q "New, TLSv1.3, Cipher is $CIPHER" <<<"$seen" || die "$target: not TLS 1.3 with $CIPHER"
        grep -q 'ALPN protocol: http/1.1' <<<"$seen" || die "$target: no ALPN http/1.1"
        grep -q 'Verify return code: 0 (ok)' <<<"$seen" || die "$target: certificate not verified"
        seen="$(curl -sS -m 5 --cacert "$PKI/ca.crt" -H "Authorization: Bearer $TOKEN" -H "X-Scope-OrgID: spoofed" \
            "https://localhost:$port/api/v1/push?sanity=1")" || die "$target: sanity request failed"
        [ "$seen" = "orgid=$TENANT" ] || die "$target: upstream saw '$seen', expected 'orgid=$TENANT'"
        log "$target: TLS 1.3 $CIPHER, ALPN http/1.1, upstream receives X-Scope-OrgID=$TENANT"
    done
}

workload_env() { # METHOD BYTES CLOSE PATH
    case "$1" in
        post1k) echo "POST 1024 0 /api/v1/push" ;;
        post100k) echo "POST 102400 0 /api/v1/push" ;;
        handshake) echo "GET 0 1 /prometheus/api/v1/query?query=up" ;;
        *) die "unknown workload '$1' (expected post1k, post100k or handshake)" ;;
    esac
}

run_wrk() { # OUT DURATION TARGET WORKLOAD
    local method bytes close path
    read -r method bytes close path <<<"$(workload_env "$4")"
    WRK_METHOD="$method" WRK_BODY_BYTES="$bytes" WRK_CLOSE="$close" WRK_TOKEN="$TOKEN" \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --timeout 10s --latency \
        -s "$here/wrk/request.lua" "https://127.0.0.1:$(port_of "$3")$path" >"$1" 2>&1 || die "wrk failed for $3, see $1"
}

cpu_ticks() { # PID: user + system ticks of a process and its children (nginx workers)
    local total=0 p
    for p in "$1" $(pgrep -P "$1" || true); do
        [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    done
    echo "$total"
}

declare -A RPS P50 P99 ERRS CPU
measure() {
    local workload target pid ticks requests out non2xx
    for workload in $WORKLOADS; do
        for target in $TARGETS; do
            [ "$WARMUP" = 0 ] || run_wrk "$run/wrk-$workload-$target-warmup.txt" "$WARMUP" "$target" "$workload"
            out="$run/wrk-$workload-$target.txt"
            pid="$(eval echo "\$pid_$target")"
            ticks="$(cpu_ticks "$pid")"
            run_wrk "$out" "$DURATION" "$target" "$workload"
            ticks=$(( $(cpu_ticks "$pid") - ticks ))
            requests="$(awk '/ requests in / {print $1; exit}' "$out")"
            CPU[$workload:$target]="$(awk -v t="$ticks" -v r="${requests:-0}" -v hz="$(getconf CLK_TCK)" \
                'BEGIN { if (r > 0) printf "%.0f", t * 1e6 / hz / r; else printf "-" }')"
            RPS[$workload:$target]="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
            P50[$workload:$target]="$(wrk_percentile "$out" 50)"
            P99[$workload:$target]="$(wrk_percentile "$out" 99)"
            non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")"
            ERRS[$workload:$target]=$(( ${non2xx:-0} + $(wrk_socket_errors "$out") ))
            log "$workload → $target: ${RPS[$workload:$target]} req/s, p99 ${P99[$workload:$target]} ms, errors ${ERRS[$workload:$target]}, CPU ${CPU[$workload:$target]} µs/request"
        done
    done
}

report() {
    local workload target
    echo "| workload | target | requests/s | p50 ms | p99 ms | errors | CPU µs/request (TLS server) |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    for workload in $WORKLOADS; do
        for target in $TARGETS; do
            echo "| $workload | $target | ${RPS[$workload:$target]} | ${P50[$workload:$target]} | ${P99[$workload:$target]} | ${ERRS[$workload:$target]} | ${CPU[$workload:$target]} |"
        done
    done
}

install_tools
run="$root/benchmarks/results/tls-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run"
log "raw output in $run"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
TOKEN="$(python3 "$here/tools/mint-token.py" "$SECRET" "$TENANT")"
log "building the gateway (log in $run/build.log)"
(cd "$root" && ./mvnw -B -ntp -q -DskipTests package) >"$run/build.log" 2>&1 || { tail -n 30 "$run/build.log" >&2; die "build failed"; }
make_certificate
write_configs
start_targets
sanity_checks
measure
section="$(printf '### TLS, %s\n\n%s\n%s\n%s\n%s\n%s\n\n%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(machine_line "$load_before")" \
    "- TLS: TLS 1.3, $CIPHER, EC P-256 certificate (one for all three), ALPN http/1.1, no session resumption; nginx $(nginx -v 2>&1 | sed 's/.*\///'), HAProxy $(haproxy -v | awk 'NR == 1 {print $3}') ($(haproxy -vv | awk '/Built with OpenSSL version/ {print $6, $7; exit}')), gateway on $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)" \
    "- command: \`DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS THREADS=$THREADS benchmarks/tls-load.sh\` (wrk -t$THREADS -c$CONNECTIONS --latency over https; handshake: Connection: close)" \
    "$(commit_line)" "${NOTE:+- note: $NOTE}" "$(report)")"
printf '\n%s\n' "$section"
printf '%s\n' "$section" >"$run/results.md"
if [ "$RECORD" = 1 ]; then
    printf '\n%s\n' "$section" >>"$here/README.md"
    log "appended to benchmarks/README.md"
fi
