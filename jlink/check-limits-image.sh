#!/usr/bin/env bash
# The shared limits store on the jlink image itself: the image's jars lose Jedis' module-command
# packages (jlink/jar-diet.txt) and org.json (pom.xml), which the test suite, running on the full
# class path, cannot prove harmless. Starts redis-server (Debian's; bin/lib/test-tools.sh installs it)
# and the image's gateway with -gateway.limits.store=redis, then checks that a push passes the
# limiter (and meets no upstream: 502), the next one is refused (429 with Retry-After) and the
# bucket is in Redis. About 2 s once target/image exists (it is built when missing).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/auth-gateway-limits-image.XXXXXX)"
redis_pid="" gateway_pid=""

say() { echo "check-limits-image: $*"; }
fail() { say "FAIL: $*"; [ -f "$work/gateway.log" ] && tail -20 "$work/gateway.log"; keep=yes; exit 1; }
cleanup() {
    set +e # every process goes, whatever the others' exit codes
    for pid in $gateway_pid $redis_pid; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [ "${keep:-no}" = yes ]; then say "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$root/bin/lib/test-tools.sh"
command -v redis-server >/dev/null || fail "redis-server missing (apt-get install redis-server)"
. "$root/jlink/podman-env.sh"
ensure_jlink_image "$root"

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
redis_pid=$!
gateway_port=$(free_port)
dead_port=$(free_port) # nothing listens there: an admitted push gets 502
"$root/target/image/bin/java" -XX:SharedArchiveFile="$root/target/image/lib/auth-gateway.jsa" \
    -jar "$root/target/image/app/auth-gateway.jar" mimir \
    -server.http-listen-address=127.0.0.1 -server.http-listen-port="$gateway_port" \
    -gateway.distributor.address="http://127.0.0.1:$dead_port" -gateway.query-frontend.address="http://127.0.0.1:$dead_port" \
    -gateway.auth.tenant-name=smoke -gateway.limits.store=redis -gateway.limits.redis-address="127.0.0.1:$redis_port" \
    -gateway.limits.redis-timeout=1s -gateway.limits.write-requests-per-second=0.1 -gateway.limits.write-burst=1 \
    >"$work/gateway.log" 2>&1 &
gateway_pid=$!
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$gateway_port/ready" >/dev/null && break
    sleep 0.1
done
push() { curl -s -o /dev/null -D "$work/head" -w '%{http_code}' --data-binary x "http://127.0.0.1:$gateway_port/api/v1/push"; }
first=$(push) || true
[ "$first" = 502 ] || fail "first push: expected 502 (admitted, no upstream), got $first"
second=$(push) || true
[ "$second" = 429 ] || fail "second push: expected 429, got $second"
grep -qi '^retry-after: [0-9]' "$work/head" || fail "429 without Retry-After"
keys=$(redis-cli -p "$redis_port" --scan --pattern 'auth-gateway:limits:smoke:*' | wc -l)
[ "$keys" -ge 1 ] || fail "no bucket of tenant smoke in Redis"
errors=$(curl -s "http://127.0.0.1:$gateway_port/metrics" | awk '/^cortex_gateway_limits_store_errors_total/ {print $2}')
[ "${errors%.*}" = 0 ] || fail "limits store errors: $errors"
grep -qE "Exception in thread|NoClassDefFoundError|level=error" "$work/gateway.log" && fail "errors in the gateway log"
grep -q "^SLF4J" "$work/gateway.log" && fail "slf4j wrote to the log on its own (no binding on the class path?)"
size="$(du -sb "$root/target/image" | cut -f1)"
# Issue 18: the runtime image stays under 60 MB with the Redis client in it.
[ "$size" -lt 60000000 ] || { say "FAIL: the image is $size bytes, over 60,000,000"; exit 1; }
say "OK: admitted 502, refused 429 with Retry-After, $keys bucket(s) in Redis, no store errors (image $size bytes, under 60,000,000)"
