#!/usr/bin/env bash
# Memory checks of issue 8, target 3:
#   1. a 1 GiB push streamed through a gateway run with -Xmx64m to an upstream that discards the
#      body and counts it, once chunked and once with a Content-Length: must answer 200 and the
#      upstream must have received exactly 1 GiB; the gateway's peak RSS is recorded;
#   2. 1,000 concurrent keep-alive connections, each sending a 1 KiB push, held open, then a second
#      push on each: the gateway's RSS while they are held must stay under 200 MiB. Done for each
#      JVM setting in CONN_JAVA_OPTS_LIST (default: -Xmx64m, then the launcher's defaults).
# Appends the figures, the machine and this command to benchmarks/README.md (RECORD=0 skips).
# Everything listens on 127.0.0.1 only and is stopped on exit; logs in benchmarks/results/.
#
# Environment: PORT_BASE [18500], PUSH_BYTES [1073741824], CONNECTIONS [1000], HOLD [5] seconds,
#   RSS_LIMIT_MIB [200], STREAM_JAVA_OPTS [-Xmx64m], CONN_JAVA_OPTS_LIST ["-Xmx64m|"] (|-separated),
#   RECORD [1], NOTE [], JAVA_HOME (a JDK >= 21; else the newest under /usr/lib/jvm).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

PORT_BASE="${PORT_BASE:-18500}"
PUSH_BYTES="${PUSH_BYTES:-1073741824}"
CONNECTIONS="${CONNECTIONS:-1000}"
HOLD="${HOLD:-5}"
RSS_LIMIT_MIB="${RSS_LIMIT_MIB:-200}"
STREAM_JAVA_OPTS="${STREAM_JAVA_OPTS:--Xmx64m}"
CONN_JAVA_OPTS_LIST="${CONN_JAVA_OPTS_LIST:--Xmx64m|}"
RECORD="${RECORD:-1}"
NOTE="${NOTE:-}"
bench=memory
# log, die, wait_port, commit_line and the JDK ($run is set before any of them runs)
. "$here/tools/common.sh"

SINK_PORT=$((PORT_BASE + 1))
GATEWAY_PORT=$((PORT_BASE + 2))
SECRET="memory-secret-$(date +%s)-$RANDOM"
TENANT="memory-tenant"


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
        stop_pid "$pid"
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# rss_mib PID: resident set size in MiB, "-" when the process is gone
rss_mib() {
    local kib
    kib="$(ps -o rss= -p "$1" 2>/dev/null | tr -d ' ' || true)"
    if [ -n "$kib" ]; then awk -v k="$kib" 'BEGIN {printf "%.1f", k / 1024}'; else echo "-"; fi
}

# start_gateway NAME JAVA_OPTS -> sets gateway_pid
start_gateway() {
    JAVA_OPTS="$2" "$root/bin/mimir-gateway" \
        -server.http-listen-address=127.0.0.1 -server.http-listen-port="$GATEWAY_PORT" \
        -gateway.distributor.address="http://127.0.0.1:$SINK_PORT" \
        -gateway.query-frontend.address="http://127.0.0.1:$SINK_PORT" \
        -gateway.auth.jwt-secret="$SECRET" -log.level=warn >"$run/$1.log" 2>&1 &
    gateway_pid=$!
    pids+=("$gateway_pid")
    wait_port "$1" "$GATEWAY_PORT" "$gateway_pid"
}

# sample_peak PID WHILE_PID OUTFILE: max RSS of PID (KiB) while WHILE_PID runs, bounded to 30 min
sample_peak() {
    local pid="$1" while_pid="$2" out="$3" peak=0 rss
    for _ in $(seq 1 9000); do
        kill -0 "$while_pid" 2>/dev/null || break
        rss="$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
        [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak="$rss"
        sleep 0.2
    done
    echo "$peak" >"$out"
}

# ---------------------------------------------------------------- 1. streamed push
# push_once KIND: KIND is chunked or length
push_once() {
    local kind="$1" out="$run/push-$1.txt" curl_pid result status received seconds peak_kib
    if [ "$kind" = chunked ]; then
        head -c "$PUSH_BYTES" /dev/zero | curl -sS -m 600 -o "$out.body" -w '%{http_code} %{time_total}\n' \
            -X POST -T - -H 'Transfer-Encoding: chunked' -H "Authorization: Bearer $TOKEN" \
            "http://127.0.0.1:$GATEWAY_PORT/api/v1/push" >"$out" 2>&1 &
    else
        truncate -s "$PUSH_BYTES" "$run/push.bin"
        curl -sS -m 600 -o "$out.body" -w '%{http_code} %{time_total}\n' \
            -X POST -T "$run/push.bin" -H "Authorization: Bearer $TOKEN" \
            "http://127.0.0.1:$GATEWAY_PORT/api/v1/push" >"$out" 2>&1 &
    fi
    curl_pid=$!
    sample_peak "$gateway_pid" "$curl_pid" "$run/push-$kind.peak"
    wait "$curl_pid" || die "$kind push: curl failed: $(cat "$out")"
    rm -f "$run/push.bin"
    read -r status seconds <<<"$(tail -n 1 "$out")"
    received="$(sed -n 's/^received=//p' "$out.body")"
    peak_kib="$(cat "$run/push-$kind.peak")"
    [ "$status" = 200 ] || die "$kind push answered $status"
    [ "$received" = "$PUSH_BYTES" ] || die "$kind push: upstream received ${received:-nothing}, expected $PUSH_BYTES bytes"
    kill -0 "$gateway_pid" 2>/dev/null || die "gateway died during the $kind push"
    result="| $kind | $status | $received | $seconds | $(awk -v b="$PUSH_BYTES" -v s="$seconds" 'BEGIN {printf "%.0f", b / 1048576 / s}') | $(awk -v k="$peak_kib" 'BEGIN {printf "%.1f", k / 1024}') |"
    log "$kind push: $result"
    push_rows+="$result"$'\n'
}

# ---------------------------------------------------------------- 2. many connections
# hold_connections LABEL JAVA_OPTS
hold_connections() {
    local label="$1" opts="$2" client_pid ready="" established rss_idle rss_held peak_kib status=0 verdict
    start_gateway "gateway-conn-$label" "$opts"
    # One warm-up request so the idle figure includes a used, not a cold, gateway.
    curl -s -o /dev/null -m 10 -H "Authorization: Bearer $TOKEN" --data-binary x \
        "http://127.0.0.1:$GATEWAY_PORT/api/v1/push" || die "warm-up request failed"
    rss_idle="$(rss_mib "$gateway_pid")"
    "$JAVA_HOME/bin/java" -cp "$run/classes" ConnectionHolder "$GATEWAY_PORT" "$CONNECTIONS" "$HOLD" "$TOKEN" \
        >"$run/holder-$label.log" 2>&1 &
    client_pid=$!
    pids+=("$client_pid")
    sample_peak "$gateway_pid" "$client_pid" "$run/holder-$label.peak" &
    local sampler=$!
    for _ in $(seq 1 600); do
        ready="$(sed -n 's/^READY ok=//p' "$run/holder-$label.log")"
        [ -n "$ready" ] && break
        kill -0 "$client_pid" 2>/dev/null || break
        sleep 0.2
    done
    [ -n "$ready" ] || { cat "$run/holder-$label.log" >&2; die "$label: the client never reported READY"; }
    sleep 1
    established="$(ss -Htn state established "( sport = :$GATEWAY_PORT )" | wc -l)"
    rss_held="$(rss_mib "$gateway_pid")"
    wait "$client_pid" || status=$?
    wait "$sampler" || true
    peak_kib="$(cat "$run/holder-$label.peak")"
    local done_line
    done_line="$(grep '^DONE' "$run/holder-$label.log" || echo 'DONE missing')"
    verdict="$(awk -v p="$peak_kib" -v l="$RSS_LIMIT_MIB" 'BEGIN {print (p / 1024 < l) ? "yes" : "NO"}')"
    if [ "$status" != 0 ]; then
        # Recorded, not hidden: the row says what failed, the script exits non-zero at the end.
        cat "$run/holder-$label.log" >&2
        kill -0 "$gateway_pid" 2>/dev/null && verdict="NO: not every request got 200" ||
            verdict="NO: gateway exited ($(grep -m1 -o 'OutOfMemoryError[^"]*' "$run/gateway-conn-$label.log" || tail -n 1 "$run/gateway-conn-$label.log"))"
    fi
    local row="| ${opts:-launcher defaults} | $CONNECTIONS | $ready | ${done_line#DONE } | $established | $rss_idle | $rss_held | $(awk -v k="$peak_kib" 'BEGIN {printf "%.1f", k / 1024}') | $verdict |"
    log "$label: $row"
    conn_rows+="$row"$'\n'
    [ "$verdict" = yes ] || conn_failed=1
    stop_pid "$gateway_pid"
}

machine_lines() {
    echo "- machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM; load average before: $load_before"
    echo "- JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p); gateway started by bin/mimir-gateway (launcher defaults + the options shown)"
    echo "- command: \`benchmarks/memory.sh\` (PUSH_BYTES=$PUSH_BYTES CONNECTIONS=$CONNECTIONS HOLD=$HOLD STREAM_JAVA_OPTS=\"$STREAM_JAVA_OPTS\" CONN_JAVA_OPTS_LIST=\"$CONN_JAVA_OPTS_LIST\")"
    commit_line
    [ -z "$NOTE" ] || echo "- note: $NOTE"
}

# ---------------------------------------------------------------- main
command -v curl >/dev/null || die "curl is needed"
command -v python3 >/dev/null || die "python3 is needed to mint the test token"
run="$root/benchmarks/results/memory-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run/classes"
log "logs in $run"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
TOKEN="$(python3 "$here/tools/mint-token.py" "$SECRET" "$TENANT")"
# Build first, so the launcher does not build inside the start-up wait and the current tree is measured.
log "building the gateway (log in $run/build.log)"
(cd "$root" && ./mvnw -B -ntp -q -DskipTests package) >"$run/build.log" 2>&1 || { tail -n 30 "$run/build.log" >&2; die "build failed"; }
"$JAVA_HOME/bin/javac" -d "$run/classes" "$here/tools/BareServer.java" "$here/tools/ConnectionHolder.java"

"$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$run/classes" BareServer "$SINK_PORT" >"$run/sink.log" 2>&1 &
sink_pid=$!
pids+=("$sink_pid")
wait_port sink "$SINK_PORT" "$sink_pid"

push_rows=""
start_gateway gateway-stream "$STREAM_JAVA_OPTS"
log "streaming $PUSH_BYTES bytes through a gateway with ${STREAM_JAVA_OPTS}"
push_once chunked
push_once length
stop_pid "$gateway_pid"

conn_rows=""
conn_failed=0
IFS='|' read -r -a conn_settings <<<"$CONN_JAVA_OPTS_LIST"
[ "${CONN_JAVA_OPTS_LIST: -1}" = '|' ] && conn_settings+=("")
i=0
for opts in "${conn_settings[@]}"; do
    i=$((i + 1))
    log "holding $CONNECTIONS keep-alive connections, gateway options: '${opts:-launcher defaults}'"
    hold_connections "$i" "$opts"
done

section="$(cat <<EOF
### memory $(date -u '+%Y-%m-%d %H:%M UTC')

$(machine_lines)

Streamed push through a gateway with \`$STREAM_JAVA_OPTS\` (upstream counts and discards the body):

| framing | status | bytes the upstream received | seconds | MiB/s | gateway peak RSS MiB |
|---|---:|---:|---:|---:|---:|
${push_rows%$'\n'}

$CONNECTIONS concurrent keep-alive connections, a 1 KiB push on each, held ${HOLD}s, then a second push on each:

| gateway JVM options | connections | first pushes 200 | second pushes | established at the gateway | RSS idle MiB | RSS held MiB | peak RSS MiB | < $RSS_LIMIT_MIB MiB |
|---|---:|---:|---|---:|---:|---:|---:|---|
${conn_rows%$'\n'}
EOF
)"
printf '\n%s\n' "$section"
printf '%s\n' "$section" >"$run/results.md"
if [ "$RECORD" = 1 ]; then
    printf '\n%s\n' "$section" >>"$here/README.md"
    log "appended to benchmarks/README.md"
fi
[ "$conn_failed" = 0 ] || die "the $CONNECTIONS-connection check failed for at least one setting (see the table)"
log "all memory checks passed"
