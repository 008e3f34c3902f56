#!/usr/bin/env bash
# Memory checks of issue 8, target 3:
#   1. a 1 GiB push streamed through a gateway run with -Xmx64m to an upstream that discards the
#      body and counts it, once chunked and once with a Content-Length: must answer 200 and the
#      upstream must have received exactly 1 GiB; the gateway's peak RSS is recorded;
#   2. 1,000 concurrent keep-alive connections, each sending a 1 KiB push, held open, then a second
#      push on each: the gateway's RSS while they are held must stay under 200 MiB. Done for each
#      JVM setting in CONN_JAVA_OPTS_LIST (default: -Xmx64m, then the launcher's defaults).
#   3. 10,000 keep-alive connections held open, 64 of them busy: a gateway with the launcher's
#      defaults in front of the nginx upstream stand-in; wrk -c64 pushes 1 KiB for BUSY_DURATION
#      alone, then 10,000 connections are opened (one push each) and held idle while the same wrk
#      runs again, then each pushes once more. The gateway's peak RSS (VmHWM) must stay under
#      300 MiB and the busy connections' p99 must be no worse than alone.
# Appends the figures, the machine and this command to benchmarks/README.md (RECORD=0 skips).
# Everything listens on 127.0.0.1 only and is stopped on exit; logs in benchmarks/results/.
#
# Environment: CHECKS ["push connections busy"] (which of 1., 2., 3. to run), PORT_BASE [18500],
#   PUSH_BYTES [1073741824], CONNECTIONS [1000], HOLD [5] seconds, RSS_LIMIT_MIB [200],
#   STREAM_JAVA_OPTS [-Xmx64m], CONN_JAVA_OPTS_LIST ["-Xmx64m|"] (|-separated),
#   IDLE_CONNECTIONS [10000], BUSY_CONNECTIONS [64], BUSY_DURATION [30s], BUSY_WARMUP [5s] (keep
#   both under the gateway's 120 s idle timeout), BUSY_RSS_LIMIT_MIB [300], OPENING [64]
#   (connections opened at a time), BUSY_JAVA_OPTS [] (gateway JVM options for 3.), RECORD [1],
#   NOTE [], JAVA_HOME (a JDK >= 21; else the newest under /usr/lib/jvm).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

CHECKS="${CHECKS:-push connections busy}"
PORT_BASE="${PORT_BASE:-18500}"
PUSH_BYTES="${PUSH_BYTES:-1073741824}"
CONNECTIONS="${CONNECTIONS:-1000}"
HOLD="${HOLD:-5}"
RSS_LIMIT_MIB="${RSS_LIMIT_MIB:-200}"
STREAM_JAVA_OPTS="${STREAM_JAVA_OPTS:--Xmx64m}"
CONN_JAVA_OPTS_LIST="${CONN_JAVA_OPTS_LIST:--Xmx64m|}"
IDLE_CONNECTIONS="${IDLE_CONNECTIONS:-10000}"
BUSY_CONNECTIONS="${BUSY_CONNECTIONS:-64}"
BUSY_DURATION="${BUSY_DURATION:-30s}"
BUSY_WARMUP="${BUSY_WARMUP:-5s}"
BUSY_RSS_LIMIT_MIB="${BUSY_RSS_LIMIT_MIB:-300}"
OPENING="${OPENING:-64}"
BUSY_JAVA_OPTS="${BUSY_JAVA_OPTS:-}"
bench=memory
# log, die, processes, the upstream stand-in, wrk parsing and the JDK ($run is set before use)
. "$here/tools/common.sh"

SINK_PORT=$((PORT_BASE + 1))
GATEWAY_PORT=$((PORT_BASE + 2))
UPSTREAM_PORT=$((PORT_BASE + 3))
SECRET="memory-secret-$(date +%s)-$RANDOM"
TENANT="memory-tenant"


# run_gateway NAME JAVA_OPTS UPSTREAM_PORT: a gateway with the launcher's defaults + JAVA_OPTS -> gateway_pid
run_gateway() {
    JAVA_OPTS="$2" start_gateway "$1" "$GATEWAY_PORT" "$3" "$SECRET"
    gateway_pid="$(eval echo "\$pid_$1")"
}

# rss_mib PID: resident set size in MiB, "-" when the process is gone
rss_mib() {
    local kib
    kib="$(rss_kib "$1")"
    if [ -n "$kib" ]; then mib "$kib"; else echo "-"; fi
}

# sample_peak PID WHILE_PID OUTFILE: max RSS of PID (KiB) while WHILE_PID runs, bounded to 30 min
sample_peak() {
    local pid="$1" while_pid="$2" out="$3" peak=0 rss
    for _ in $(seq 1 9000); do
        kill -0 "$while_pid" 2>/dev/null || break
        rss="$(rss_kib "$pid")"
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
# await_ready NAME PID: the number of first pushes that got 200, once ConnectionHolder says READY
await_ready() {
    local ready=""
    for _ in $(seq 1 600); do
        ready="$(sed -n 's/^READY ok=//p' "$run/$1.log")"
        [ -n "$ready" ] && break
        kill -0 "$2" 2>/dev/null || break
        sleep 0.2
    done
    [ -n "$ready" ] || { cat "$run/$1.log" >&2; die "$1: the client never reported READY"; }
    echo "$ready"
}

# established: connections the gateway has open with its clients
established() { ss -Htn state established "( sport = :$GATEWAY_PORT )" | wc -l; }

# hold_connections LABEL JAVA_OPTS
hold_connections() {
    local label="$1" opts="$2" client_pid ready="" established rss_idle rss_held peak_kib status=0 verdict
    run_gateway "gateway_conn_$label" "$opts" "$SINK_PORT"
    # One warm-up request so the idle figure includes a used, not a cold, gateway.
    curl -s -o /dev/null -m 10 -H "Authorization: Bearer $TOKEN" --data-binary x \
        "http://127.0.0.1:$GATEWAY_PORT/api/v1/push" || die "warm-up request failed"
    rss_idle="$(rss_mib "$gateway_pid")"
    start "holder_$label" "$JAVA_HOME/bin/java" -cp "$run/classes" ConnectionHolder "$GATEWAY_PORT" "$CONNECTIONS" \
        "$HOLD" "$TOKEN"
    client_pid="$(eval echo "\$pid_holder_$label")"
    sample_peak "$gateway_pid" "$client_pid" "$run/holder_$label.peak" &
    local sampler=$!
    ready="$(await_ready "holder_$label" "$client_pid")"
    sleep 1
    established="$(established)"
    rss_held="$(rss_mib "$gateway_pid")"
    wait "$client_pid" || status=$?
    wait "$sampler" || true
    peak_kib="$(cat "$run/holder_$label.peak")"
    local done_line
    done_line="$(grep '^DONE' "$run/holder_$label.log" || echo 'DONE missing')"
    verdict="$(awk -v p="$peak_kib" -v l="$RSS_LIMIT_MIB" 'BEGIN {print (p / 1024 < l) ? "yes" : "NO"}')"
    if [ "$status" != 0 ]; then
        # Recorded, not hidden: the row says what failed, the script exits non-zero at the end.
        cat "$run/holder_$label.log" >&2
        kill -0 "$gateway_pid" 2>/dev/null && verdict="NO: not every request got 200" ||
            verdict="NO: gateway exited ($(grep -m1 -o 'OutOfMemoryError[^"]*' "$run/gateway_conn_$label.log" || tail -n 1 "$run/gateway_conn_$label.log"))"
    fi
    local row="| ${opts:-launcher defaults} | $CONNECTIONS | $ready | ${done_line#DONE } | $established | $rss_idle | $rss_held | $(awk -v k="$peak_kib" 'BEGIN {printf "%.1f", k / 1024}') | $verdict |"
    log "$label: $row"
    conn_rows+="$row"$'\n'
    [ "$verdict" = yes ] || conn_failed=1
    stop_pid "$gateway_pid"
}

# ---------------------------------------------------------------- 3. many idle, a few busy
# busy_wrk PHASE: wrk -cBUSY_CONNECTIONS, 1 KiB pushes: BUSY_WARMUP unrecorded, then BUSY_DURATION
# measured while the gateway's RSS is sampled; adds a row to busy_rows, sets busy_p99_PHASE
busy_wrk() {
    local phase="$1" out="$run/wrk-busy-$1.txt" wrk_pid rps errors connections
    [ "$BUSY_WARMUP" = 0 ] || run_busy_wrk "$BUSY_WARMUP" "$run/wrk-busy-$phase-warmup.txt"
    run_busy_wrk "$BUSY_DURATION" "$out" &
    wrk_pid=$!
    sleep 1
    connections="$(established)"
    sample_peak "$gateway_pid" "$wrk_pid" "$out.peak"
    wait "$wrk_pid" || die "wrk failed, see $out"
    rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
    errors=$(( $(awk '/Non-2xx or 3xx responses:/ {n = $5} END {print n + 0}' "$out") + $(wrk_socket_errors "$out") ))
    eval "busy_p99_$phase=$(wrk_percentile "$out" 99)"
    busy_errors=$((busy_errors + errors))
    local row
    row="| $BUSY_CONNECTIONS busy$([ "$phase" = alone ] || echo " + $IDLE_CONNECTIONS idle") | $connections |"
    row+=" $rps | $(wrk_percentile "$out" 50) | $(wrk_percentile "$out" 99) | $errors |"
    row+=" $(rss_mib "$gateway_pid") | $(mib "$(cat "$out.peak")") |"
    log "busy ($phase): $row"
    busy_rows+="$row"$'\n'
}

# run_busy_wrk DURATION OUT
run_busy_wrk() {
    WRK_METHOD=POST WRK_BODY_BYTES=1024 WRK_TOKEN="$TOKEN" wrk -t2 -c"$BUSY_CONNECTIONS" -d"$1" --timeout 10s \
        --latency -s "$here/wrk/request.lua" "http://127.0.0.1:$GATEWAY_PORT/api/v1/push" >"$2" 2>&1
}

busy_among_idle() {
    local status=0
    busy_rows=""
    busy_errors=0
    start_upstream "$UPSTREAM_PORT"
    run_gateway gateway_busy "$BUSY_JAVA_OPTS" "$UPSTREAM_PORT"
    log "busy: wrk -c$BUSY_CONNECTIONS alone, $BUSY_WARMUP warm-up + $BUSY_DURATION"
    busy_wrk alone
    log "busy: opening $IDLE_CONNECTIONS keep-alive connections, $OPENING at a time, one push each"
    rm -f "$run/release"
    start holder_busy "$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$run/classes" ConnectionHolder "$GATEWAY_PORT" \
        "$IDLE_CONNECTIONS" "$run/release" "$TOKEN" "$OPENING"
    idle_first_ok="$(await_ready holder_busy "$pid_holder_busy")"
    sleep 1
    idle_established="$(established)"
    idle_rss="$(rss_mib "$gateway_pid")"
    log "busy: $idle_established connections established, gateway RSS $idle_rss MiB; wrk -c$BUSY_CONNECTIONS again"
    busy_wrk idle
    # The peak before the histogram below: its full collection touches memory of its own.
    busy_hwm="$(mib "$(rss_kib "$gateway_pid" VmHWM)")"
    # What the held connections keep on the heap (a full collection first, so live objects only).
    "$JAVA_HOME/bin/jcmd" "$gateway_pid" GC.class_histogram >"$run/busy-histogram.txt" 2>&1 || true
    touch "$run/release"
    wait "$pid_holder_busy" || status=$?
    idle_done="$(grep '^DONE' "$run/holder_busy.log" || echo 'DONE missing')"
    [ "$status" = 0 ] || cat "$run/holder_busy.log" >&2
    kill -0 "$gateway_pid" 2>/dev/null || busy_hwm="gateway exited: $(tail -n 1 "$run/gateway_busy.log")"
    stop_pid "$gateway_pid"
    busy_rss_ok="$(awk -v p="$busy_hwm" -v l="$BUSY_RSS_LIMIT_MIB" 'BEGIN {print (p + 0 > 0 && p < l) ? "yes" : "NO"}')"
    busy_p99_ratio="$(awk -v a="$busy_p99_idle" -v b="$busy_p99_alone" 'BEGIN {printf "%.2f", a / b}')"
    busy_p99_ok="$(awk -v r="$busy_p99_ratio" 'BEGIN {print (r <= 1.0) ? "yes" : "NO"}')"
    busy_answers_ok="$([ "$status" = 0 ] && [ "$busy_errors" = 0 ] && echo yes || echo NO)"
    [ "$busy_rss_ok$busy_p99_ok$busy_answers_ok" = yesyesyes ] || busy_failed=1
}

busy_section() {
    cat <<SECTION

$IDLE_CONNECTIONS keep-alive connections held open, $BUSY_CONNECTIONS of them busy: gateway with ${BUSY_JAVA_OPTS:-launcher defaults}, upstream the nginx stand-in; wrk -t2 -c$BUSY_CONNECTIONS POST 1 KiB, $BUSY_WARMUP unrecorded then $BUSY_DURATION measured, first alone, then with the $IDLE_CONNECTIONS connections open ($OPENING opened at a time, one push each, then idle):

| busy connections | established at the gateway | requests/s | p50 ms | p99 ms | errors | RSS after the run MiB | peak RSS during the run MiB (every 0.2 s) |
|---|---:|---:|---:|---:|---:|---:|---:|
${busy_rows%$'\n'}

- idle connections: first pushes 200: $idle_first_ok of $IDLE_CONNECTIONS; after the busy run: ${idle_done#DONE }; gateway RSS with them open before the busy run: $idle_rss MiB
- the gateway's live heap with them open (\`jcmd GC.class_histogram\` after the busy run): $(awk '/^Total/ {printf "%.1f MiB in %d objects", $3 / 1048576, $2}' "$run/busy-histogram.txt"); largest: $(awk '$1 ~ /^[0-9]+:$/ && NF >= 4 && n < 3 {printf "%s%s %.1f MiB (%d)", sep, $4, $3 / 1048576, $2; sep = ", "; n++}' "$run/busy-histogram.txt")
- gateway peak RSS (VmHWM, before the histogram): **$busy_hwm MiB**, under $BUSY_RSS_LIMIT_MIB MiB: **$busy_rss_ok**
- busy p99 with the idle connections / alone: **$busy_p99_ratio** ($busy_p99_idle ms / $busy_p99_alone ms), no worse: **$busy_p99_ok**; every answer right: $busy_answers_ok
SECTION
}

push_section() {
    cat <<SECTION

Streamed push through a gateway with \`$STREAM_JAVA_OPTS\` (upstream counts and discards the body):

| framing | status | bytes the upstream received | seconds | MiB/s | gateway peak RSS MiB |
|---|---:|---:|---:|---:|---:|
${push_rows%$'\n'}
SECTION
}

conn_section() {
    cat <<SECTION

$CONNECTIONS concurrent keep-alive connections, a 1 KiB push on each, held ${HOLD}s, then a second push on each:

| gateway JVM options | connections | first pushes 200 | second pushes | established at the gateway | RSS idle MiB | RSS held MiB | peak RSS MiB | < $RSS_LIMIT_MIB MiB |
|---|---:|---:|---|---:|---:|---:|---:|---|
${conn_rows%$'\n'}
SECTION
}

has_check() { [[ " $CHECKS " == *" $1 "* ]]; }

machine_lines() {
    machine_line "$load_before"
    echo "- JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p); gateway started by bin/mimir-gateway (launcher defaults + the options shown)"
    echo "- command: \`CHECKS=\"$CHECKS\" benchmarks/memory.sh\` (PUSH_BYTES=$PUSH_BYTES CONNECTIONS=$CONNECTIONS HOLD=$HOLD STREAM_JAVA_OPTS=\"$STREAM_JAVA_OPTS\" CONN_JAVA_OPTS_LIST=\"$CONN_JAVA_OPTS_LIST\" IDLE_CONNECTIONS=$IDLE_CONNECTIONS BUSY_CONNECTIONS=$BUSY_CONNECTIONS BUSY_DURATION=$BUSY_DURATION BUSY_WARMUP=$BUSY_WARMUP OPENING=$OPENING${BUSY_JAVA_OPTS:+ BUSY_JAVA_OPTS=\"$BUSY_JAVA_OPTS\"})"
    commit_line
    [ -z "$NOTE" ] || echo "- note: $NOTE"
}

# ---------------------------------------------------------------- main
command -v curl >/dev/null || die "curl is needed"
command -v python3 >/dev/null || die "python3 is needed to mint the test token"
if has_check busy; then
    command -v wrk >/dev/null && command -v nginx >/dev/null || die "wrk and nginx are needed (benchmarks/load.sh installs them)"
    # The gateway and the connection holder each keep IDLE_CONNECTIONS sockets open.
    [ "$(ulimit -n)" -gt $((IDLE_CONNECTIONS + 1000)) ] || ulimit -n "$(ulimit -Hn)"
    [ "$(ulimit -n)" -gt $((IDLE_CONNECTIONS + 1000)) ] ||
        die "ulimit -n is $(ulimit -n): too few file descriptors for $IDLE_CONNECTIONS connections"
fi
run="$root/benchmarks/results/memory-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run/classes"
log "logs in $run"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
TOKEN="$(python3 "$here/tools/mint-token.py" "$SECRET" "$TENANT")"
# Build first, so the launcher does not build inside the start-up wait and the current tree is measured.
log "building the gateway (log in $run/build.log)"
(cd "$root" && ./mvnw -B -ntp -q -DskipTests package) >"$run/build.log" 2>&1 || { tail -n 30 "$run/build.log" >&2; die "build failed"; }
"$JAVA_HOME/bin/javac" -d "$run/classes" "$here/tools/BareServer.java" "$here/tools/ConnectionHolder.java"

start sink "$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$run/classes" BareServer "$SINK_PORT"
wait_port sink "$SINK_PORT" "$pid_sink"

push_rows=""
if has_check push; then
    run_gateway gateway_stream "$STREAM_JAVA_OPTS" "$SINK_PORT"
    log "streaming $PUSH_BYTES bytes through a gateway with ${STREAM_JAVA_OPTS}"
    push_once chunked
    push_once length
    stop_pid "$gateway_pid"
fi

conn_rows=""
conn_failed=0
if has_check connections; then
    IFS='|' read -r -a conn_settings <<<"$CONN_JAVA_OPTS_LIST"
    [ "${CONN_JAVA_OPTS_LIST: -1}" = '|' ] && conn_settings+=("")
    i=0
    for opts in "${conn_settings[@]}"; do
        i=$((i + 1))
        log "holding $CONNECTIONS keep-alive connections, gateway options: '${opts:-launcher defaults}'"
        hold_connections "$i" "$opts"
    done
fi

busy_failed=0
if has_check busy; then
    busy_among_idle
fi

section="$(cat <<EOF
### memory $(date -u '+%Y-%m-%d %H:%M UTC')

$(machine_lines)
$(! has_check push || push_section)
$(! has_check connections || conn_section)
$(! has_check busy || busy_section)
EOF
)"
printf '\n%s\n' "$section"
printf '%s\n' "$section" >"$run/results.md"
if [ "$RECORD" = 1 ]; then
    printf '\n%s\n' "$section" >>"$here/README.md"
    log "appended to benchmarks/README.md"
fi
[ "$conn_failed" = 0 ] || die "the $CONNECTIONS-connection check failed for at least one setting (see the table)"
[ "$busy_failed" = 0 ] || die "the check with $IDLE_CONNECTIONS idle and $BUSY_CONNECTIONS busy connections missed a target (see above)"
log "all memory checks passed"
