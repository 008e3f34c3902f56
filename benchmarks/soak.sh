#!/usr/bin/env bash
# Soak test: DURATION [10m] of mixed traffic, all at once, against one gateway started by
# bin/mimir-gateway with the launcher's defaults, in front of the nginx upstream stand-in that
# load.sh uses. Four wrk processes, each CONNECTIONS [32] keep-alive connections, run in parallel:
#   push1k    POST /api/v1/push, 1 KiB body, good token          every answer must be 200
#   push64k   POST /api/v1/push, 64 KiB body, good token         200
#   query     GET /prometheus/api/v1/query?query=up, good token  200
#   badtoken  POST /api/v1/push, 1 KiB body, token signed with another secret   401
# wrk/request.lua counts every answer with another status (WRK_EXPECT). The gateway's RSS is
# sampled every SAMPLE [10] s into rss.csv; the verdict compares the RSS at the end with the RSS at
# EARLY [2m]: it must stay within RSS_GROWTH_LIMIT_PCT [10] %, and every answer must be right.
# Appends the figures, the machine and this command to benchmarks/README.md (RECORD=0 skips) and
# exits non-zero when a target is missed, after recording it.
#
# DIAGNOSE=1 also starts the gateway with a GC log (-Xlog:gc*) and Native Memory Tracking, and at
# EARLY and at the end saves `jcmd` GC.heap_info, VM.native_memory summary and
# GC.class_histogram (which runs a full collection: the RSS after EARLY is then not the
# undisturbed curve). Everything in benchmarks/results/soak-<timestamp>/ (not in git).
#
# Environment (defaults in brackets): DURATION [10m] and EARLY [2m] (s, m or h), SAMPLE [10],
#   CONNECTIONS [32] per stream, RSS_GROWTH_LIMIT_PCT [10], PORT_BASE [18600],
#   GATEWAY_JAVA_OPTS [] (after the launcher's defaults), GATEWAY_FLAGS [], DIAGNOSE [0],
#   RECORD [1], NOTE [], JAVA_HOME (a JDK >= 21, for jcmd; else the newest under /usr/lib/jvm).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

DURATION="${DURATION:-10m}"
EARLY="${EARLY:-2m}"
SAMPLE="${SAMPLE:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
RSS_GROWTH_LIMIT_PCT="${RSS_GROWTH_LIMIT_PCT:-10}"
PORT_BASE="${PORT_BASE:-18600}"
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-}"
GATEWAY_FLAGS="${GATEWAY_FLAGS:-}"
DIAGNOSE="${DIAGNOSE:-0}"
bench=soak
# log, die, processes, the upstream stand-in, wrk parsing and the JDK ($run is set before use)
. "$here/tools/common.sh"

UPSTREAM_PORT=$((PORT_BASE + 1))
GATEWAY_PORT=$((PORT_BASE + 2))
SECRET="soak-secret-$(date +%s)-$RANDOM"
TENANT="soak-tenant"
STREAMS="push1k push64k query badtoken"

# seconds 10m -> 600 (s, m, h or a plain number of seconds)
seconds() {
    case "$1" in
        *h) echo $(( ${1%h} * 3600 )) ;;
        *m) echo $(( ${1%m} * 60 )) ;;
        *s) echo "${1%s}" ;;
        *) echo "$1" ;;
    esac
}

# stream_env NAME -> "METHOD BYTES PATH EXPECTED-STATUS TOKEN-VARIABLE"
stream_env() {
    case "$1" in
        push1k) echo "POST 1024 /api/v1/push 200 TOKEN" ;;
        push64k) echo "POST 65536 /api/v1/push 200 TOKEN" ;;
        query) echo "GET 0 /prometheus/api/v1/query?query=up 200 TOKEN" ;;
        badtoken) echo "POST 1024 /api/v1/push 401 BAD_TOKEN" ;;
    esac
}

# Before the soak: each stream's request, sent once with curl, gets the status it must get.
sanity_checks() {
    local stream method bytes path expect token code
    for stream in $STREAMS; do
        read -r method bytes path expect token <<<"$(stream_env "$stream")"
        code="$(head -c "$bytes" /dev/zero | curl -s -o /dev/null -w '%{http_code}' -m 5 -X "$method" \
            $([ "$bytes" = 0 ] || echo --data-binary @-) -H "Authorization: Bearer ${!token}" \
            "http://127.0.0.1:$GATEWAY_PORT$path")"
        [ "$code" = "$expect" ] || die "$stream: answered $code instead of $expect"
    done
    log "each stream's request gets its expected status (200, or 401 for the bad token)"
}

start_streams() {
    local stream method bytes path expect token
    for stream in $STREAMS; do
        read -r method bytes path expect token <<<"$(stream_env "$stream")"
        WRK_METHOD="$method" WRK_BODY_BYTES="$bytes" WRK_TOKEN="${!token}" WRK_EXPECT="$expect" \
            start "wrk_$stream" wrk -t1 -c"$CONNECTIONS" -d"${duration_s}s" --timeout 10s --latency \
            -s "$here/wrk/request.lua" "http://127.0.0.1:$GATEWAY_PORT$path"
    done
}

# snapshot LABEL: the gateway's heap, native memory (as the JVM counts it, and glibc's malloc
# arenas) and live objects, into $run/LABEL-*.txt (DIAGNOSE=1 only). The early snapshot sets the
# Native Memory Tracking baseline the end one is compared with.
snapshot() {
    [ "$DIAGNOSE" = 1 ] || return 0
    local command nmt_diff="VM.native_memory summary.diff"
    [ "$1" = early ] && nmt_diff="VM.native_memory baseline"
    for command in GC.heap_info "VM.native_memory summary" "$nmt_diff" System.native_heap_info GC.class_histogram; do
        # shellcheck disable=SC2086
        "$JAVA_HOME/bin/jcmd" "$pid_gateway" $command >"$run/$1-${command// /-}.txt" 2>&1 ||
            log "jcmd $command failed, see $run/$1-${command// /-}.txt"
    done
    cp "/proc/$pid_gateway/smaps_rollup" "$run/$1-smaps_rollup.txt"
    log "heap, native memory and class histogram at $1 in $run/$1-*.txt"
}

# Samples the gateway's RSS every SAMPLE s until every wrk has finished; rss.csv has elapsed
# seconds, VmRSS KiB and its parts RssAnon (heap, stacks, malloc) and RssFile (mapped files: the
# JVM's code, the CDS archive). Takes the EARLY snapshot on the way.
sample_rss() {
    local started="$1" next="$1" elapsed rss early_done=0 stream running
    echo "elapsed_s,rss_kib,rss_anon_kib,rss_file_kib" >"$run/rss.csv"
    while true; do
        elapsed=$(($(date +%s) - started))
        rss="$(rss_kib "$pid_gateway")"
        [ -n "$rss" ] || die "the gateway exited during the soak (see $run/gateway.log)"
        echo "$elapsed,$rss,$(rss_kib "$pid_gateway" RssAnon),$(rss_kib "$pid_gateway" RssFile)" >>"$run/rss.csv"
        if [ "$early_done" = 0 ] && [ "$elapsed" -ge "$early_s" ]; then
            snapshot early
            early_done=1
        fi
        running=0
        for stream in $STREAMS; do
            kill -0 "$(eval echo "\$pid_wrk_$stream")" 2>/dev/null && running=1
        done
        [ "$running" = 1 ] || break
        next=$((next + SAMPLE))
        sleep "$(( next > $(date +%s) ? next - $(date +%s) : 0 ))"
    done
}

# stream_rows OUT: the streams' table into OUT; sets total_answers and total_wrong.
stream_rows() {
    local stream method bytes path expect token out answers wrong sockerr rps request
    total_answers=0
    total_wrong=0
    {
        echo "| stream | request | expected | answers | requests/s | p50 ms | p99 ms | other statuses | socket errors |"
        echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    } >"$1"
    for stream in $STREAMS; do
        read -r method bytes path expect token <<<"$(stream_env "$stream")"
        out="$run/wrk_$stream.log"
        read -r wrong answers <<<"$(awk '/^UNEXPECTED / {print $2, $4}' "$out")"
        [ -n "${answers:-}" ] || die "$stream: wrk printed no UNEXPECTED line, see $out"
        sockerr="$(wrk_socket_errors "$out")"
        rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
        request="$method $path"
        [ "$bytes" = 0 ] || request="$request, $bytes B"
        [ "$token" = TOKEN ] || request="$request, wrongly signed token"
        echo "| $stream | $request | $expect | $answers | $rps | $(wrk_percentile "$out" 50) |" \
            "$(wrk_percentile "$out" 99) | $wrong | $sockerr |" >>"$1"
        total_answers=$((total_answers + answers))
        total_wrong=$((total_wrong + wrong + sockerr))
    done
}

# rss_summary -> "early_mib end_mib max_mib change_pct"
rss_summary() {
    awk -F, -v early="$early_s" 'NR > 1 {
            if (e == "" && $1 >= early) e = $2;
            last = $2; if ($2 > max) max = $2 }
        END { printf "%.1f %.1f %.1f %+.1f\n", e / 1024, last / 1024, max / 1024, (last - e) * 100 / e }' "$run/rss.csv"
}

# RSS once a minute, for the README: "1m 101.2, 2m 117.0, ..."
rss_per_minute() {
    awk -F, 'NR > 1 && int($1 / 60) > m { m = int($1 / 60); printf "%s%dm %.1f", sep, m, $2 / 1024; sep = ", " }
        END { print "" }' "$run/rss.csv"
}

# ---------------------------------------------------------------- main
command -v wrk >/dev/null && command -v nginx >/dev/null || die "wrk and nginx are needed (benchmarks/load.sh installs them)"
command -v python3 >/dev/null || die "python3 is needed to mint the test tokens"
duration_s="$(seconds "$DURATION")"
early_s="$(seconds "$EARLY")"
[ "$early_s" -lt "$duration_s" ] || die "EARLY ($EARLY) must be shorter than DURATION ($DURATION)"
run="$root/benchmarks/results/soak-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run"
log "logs in $run"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
TOKEN="$(python3 "$here/tools/mint-token.py" "$SECRET" "$TENANT")"
BAD_TOKEN="$(python3 "$here/tools/mint-token.py" "not-the-secret" "$TENANT")"
# Build first, so the launcher does not build inside the start-up wait and the current tree is measured.
log "building the gateway (log in $run/build.log)"
(cd "$root" && ./mvnw -B -ntp -q -DskipTests package) >"$run/build.log" 2>&1 || { tail -n 30 "$run/build.log" >&2; die "build failed"; }

start_upstream "$UPSTREAM_PORT"
java_opts="$GATEWAY_JAVA_OPTS"
if [ "$DIAGNOSE" = 1 ]; then
    java_opts="$java_opts -Xlog:gc*:file=$run/gc.log:uptime,level,tags -XX:NativeMemoryTracking=summary"
fi
# shellcheck disable=SC2086
JAVA_OPTS="$java_opts" start_gateway gateway "$GATEWAY_PORT" "$UPSTREAM_PORT" "$SECRET" $GATEWAY_FLAGS
sanity_checks
log "soaking for $DURATION: $STREAMS, $CONNECTIONS connections each; RSS every ${SAMPLE}s in $run/rss.csv"
started="$(date +%s)"
start_streams
sample_rss "$started"
snapshot end
hwm_kib="$(rss_kib "$pid_gateway" VmHWM)"
for stream in $STREAMS; do
    wait "$(eval echo "\$pid_wrk_$stream")" || die "wrk for $stream failed, see $run/wrk_$stream.log"
done

stream_rows "$run/streams.md"
read -r early_mib end_mib max_mib change_pct <<<"$(rss_summary)"
rss_ok="$(awk -v c="$change_pct" -v l="$RSS_GROWTH_LIMIT_PCT" 'BEGIN {print (c <= l && c >= -l) ? "yes" : "NO"}')"
answers_ok="$([ "$total_wrong" = 0 ] && echo yes || echo NO)"
section="$(cat <<EOF
### soak $(date -u '+%Y-%m-%d %H:%M UTC')

$(machine_line "$load_before")
- JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p); gateway started by bin/mimir-gateway: launcher defaults${java_opts:+ + \`${java_opts# }\`}${GATEWAY_FLAGS:+; gateway flags: $GATEWAY_FLAGS}
- command: \`DURATION=$DURATION EARLY=$EARLY CONNECTIONS=$CONNECTIONS DIAGNOSE=$DIAGNOSE${GATEWAY_JAVA_OPTS:+ GATEWAY_JAVA_OPTS=\"$GATEWAY_JAVA_OPTS\"} benchmarks/soak.sh\` (four wrk -t1 -c$CONNECTIONS -d${duration_s}s at once, upstream: the nginx stand-in)
$(commit_line; [ -z "$NOTE" ] || echo "- note: $NOTE")

$(cat "$run/streams.md")

| RSS at $EARLY MiB | at the end | max (every ${SAMPLE}s) | VmHWM | change from $EARLY | within ${RSS_GROWTH_LIMIT_PCT} % | answers | every answer right |
|---:|---:|---:|---:|---:|---|---:|---|
| $early_mib | $end_mib | $max_mib | $(mib "$hwm_kib") | $change_pct % | $rss_ok | $total_answers | $answers_ok |

RSS per minute (MiB): $(rss_per_minute)
EOF
)"
printf '\n%s\n' "$section"
printf '%s\n' "$section" >"$run/results.md"
if [ "$RECORD" = 1 ]; then
    printf '\n%s\n' "$section" >>"$here/README.md"
    log "appended to benchmarks/README.md"
fi
[ "$answers_ok" = yes ] || die "$total_wrong answers had an unexpected status or a socket error"
[ "$rss_ok" = yes ] || die "RSS changed by $change_pct % between $EARLY and the end (limit ${RSS_GROWTH_LIMIT_PCT} %)"
log "soak passed"
