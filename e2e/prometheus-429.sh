#!/usr/bin/env bash
# How Prometheus' remote_write reacts to the gateway's 429 (docs/limits.md): a real Prometheus
# (Debian's package) pushes through the image's gateway, whose tenant may push 0.5 times a second
# (burst 1), into e2e/RecordingUpstream.java, for SECONDS, with queue_config.retry_on_http_429 as
# given. Prints the pushes that reached the distributor, the gateway's refusals, Prometheus'
# failed/retried sample counters and its log lines about the 429s. Not part of CI (about 40 s a run).
# Usage: e2e/prometheus-429.sh true|false [SECONDS, default 30]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
retry="${1:?usage: $0 true|false [seconds]}"
seconds="${2:-30}"
work="$(mktemp -d /tmp/auth-gateway-rw.XXXXXX)"
pids=()
# Every process goes, whatever the others do (a failing kill or wait must not end the trap early).
cleanup() {
    set +e
    for pid in "${pids[@]}"; do
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
. "$root/bin/lib/jdk.sh"
find_jdk
. "$root/jlink/podman-env.sh"
ensure_jlink_image "$root"

"$JAVA_HOME/bin/java" "$root/e2e/RecordingUpstream.java" "$work" >"$work/upstream.log" 2>&1 &
pids+=($!)
for _ in $(seq 150); do [ -s "$work/ports" ] && break; sleep 0.2; done
distributor=$(awk -F= '$1 == "distributor" {print $2}' "$work/ports")
gateway_port=$(free_port)
prometheus_port=$(free_port)
"$root/target/image/bin/java" -XX:SharedArchiveFile="$root/target/image/lib/auth-gateway.jsa" \
    -jar "$root/target/image/app/auth-gateway.jar" mimir -server.http-listen-address=127.0.0.1 \
    -server.http-listen-port="$gateway_port" -gateway.distributor.address="http://127.0.0.1:$distributor" \
    -gateway.query-frontend.address="http://127.0.0.1:$distributor" -gateway.auth.tenant-name=prometheus-429 \
    -gateway.limits.write-requests-per-second=0.5 -gateway.limits.write-burst=1 >"$work/gateway.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$gateway_port/ready" >/dev/null && break; sleep 0.1; done
cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: prometheus
    static_configs: [{targets: ["127.0.0.1:$prometheus_port"]}]
remote_write:
  - url: http://127.0.0.1:$gateway_port/api/v1/push
    queue_config: {min_shards: 1, max_shards: 1, batch_send_deadline: 500ms, retry_on_http_429: $retry}
    metadata_config: {send: false}
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
    --web.listen-address="127.0.0.1:$prometheus_port" --storage.remote.flush-deadline=1s >"$work/prometheus.log" 2>&1 &
pids+=($!)
sleep "$seconds"
echo "== $(prometheus --version 2>&1 | head -n 1); retry_on_http_429: $retry; $seconds s; about 2 batches a second offered, 0.5 a second allowed"
echo "pushes that reached the distributor: $(grep -c 'method=POST target=/api/v1/push' "$work/requests.log" || true)"
curl -s "http://127.0.0.1:$gateway_port/metrics" | grep '^cortex_gateway_limited_requests_total' || true
curl -s "http://127.0.0.1:$prometheus_port/metrics" |
    grep -E '^prometheus_remote_storage_samples_(failed|retried|dropped)_total' | sed 's/{.*}//' || true
echo "Prometheus log, first lines about the 429s:"
grep -m3 -E '429|Retry-After' "$work/prometheus.log" | sed 's/^.*msg=/  msg=/' || true
