#!/usr/bin/env bash
# Start time of the image: from launching the JVM to the first 200 from /ready, probed every 5 ms.
# Usage: jlink/measure-startup.sh [runs, default 10] [extra JVM options...]
# The JVM gets the launchers' default options (bin/lib/launch.sh). The probe uses bash's own
# /dev/tcp and a read timeout as its pause, so it starts no process while it waits: a curl every
# 5 ms would take CPU from the JVM it measures. Prints one line per run, then min/median/max and the
# load average (other work on the machine shows up directly in these numbers).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="$root/target/image"
runs="${1:-10}"
shift || true
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pause_fifo="$(mktemp -u)"
mkfifo "$pause_fifo"
exec {pause}<>"$pause_fifo"
rm -f "$pause_fifo"

ready() {
    local probe status
    exec {probe}<>"/dev/tcp/127.0.0.1/$port" || return 1
    printf 'GET /ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&"$probe"
    read -r -t 2 -u "$probe" status || status=""
    exec {probe}>&-
    [[ "$status" == "HTTP/1.1 200"* ]]
}

times=()
for run in $(seq "$runs"); do
    started=$(date +%s%N)
    "$image/bin/java" \
        ${STARTUP_ARCHIVE_OPTS:--XX:SharedArchiveFile=$image/lib/auth-gateway.jsa -Xshare:auto} \
        -XX:MaxRAMPercentage=50 -Xms32m -Xmn24m -Xss512k -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -XX:+UseSerialGC "$@" \
        -cp "$image/app/auth-gateway.jar" io.authgateway.Main mimir \
        -server.http-listen-address=127.0.0.1 -server.http-listen-port="$port" \
        -gateway.distributor.address=http://127.0.0.1:1 -gateway.query-frontend.address=http://127.0.0.1:1 \
        -gateway.auth.jwt-secret=secret >/dev/null 2>&1 &
    pid=$!
    until ready 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { echo "gateway exited" >&2; exit 1; }
        read -r -t 0.005 -u "$pause" _ || true
    done
    ms=$(( ($(date +%s%N) - started) / 1000000 ))
    times+=("$ms")
    echo "run $run: $ms ms"
    kill "$pid"
    wait "$pid" || true
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "min $(echo "$sorted" | head -1) ms, median $(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p") ms, max $(echo "$sorted" | tail -1) ms over $runs runs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
