#!/usr/bin/env bash
# Start time of the image: from launching the JVM to the first 200 from /ready, polled with curl
# every 5 ms. Usage: jlink/measure-startup.sh [runs, default 10] [extra JVM options...]
# Prints one line per run, then min/median/max, and the load average (other work on the machine
# shows up directly in these numbers).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="$root/target/image"
runs="${1:-10}"
shift || true
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
times=()
for run in $(seq "$runs"); do
    started=$(date +%s%N)
    "$image/bin/java" --add-opens=jdk.httpserver/sun.net.httpserver=ALL-UNNAMED -XX:SharedArchiveFile="$image/lib/auth-gateway.jsa" -Xshare:auto -XX:+UseSerialGC -XX:-UsePerfData "$@" \
        -cp "$image/app/auth-gateway.jar" io.authgateway.Main mimir \
        -server.http-listen-address=127.0.0.1 -server.http-listen-port="$port" \
        -gateway.distributor.address=http://127.0.0.1:1 -gateway.query-frontend.address=http://127.0.0.1:1 \
        -gateway.auth.jwt-secret=secret 2>/dev/null &
    pid=$!
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")" = 200 ]; do
        kill -0 "$pid" 2>/dev/null || { echo "gateway exited" >&2; exit 1; }
        sleep 0.005
    done
    ms=$(( ($(date +%s%N) - started) / 1000000 ))
    times+=("$ms")
    echo "run $run: $ms ms"
    kill "$pid"
    wait "$pid" || true
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "min $(echo "$sorted" | head -1) ms, median $(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p") ms, max $(echo "$sorted" | tail -1) ms over $runs runs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
