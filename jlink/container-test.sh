#!/usr/bin/env bash
# Proves the Containerfile without a registry or a Docker engine (run as root, from the repo):
#  1. installs podman and runc from Debian when missing (apt-get update first);
#  2. builds target/image when missing (./mvnw package);
#  3. makes a glibc-only base image from the host's Debian files (the libraries ldd lists for
#     the runtime, /etc/passwd with nonroot 65532, nsswitch.conf, an empty /tmp);
#  4. podman build --build-arg BASE_IMAGE=<that base>, podman run --read-only (no tmpfs either)
#     in mimir mode with --network host, next to a Python upstream on 127.0.0.1 that records
#     X-Scope-OrgID;
#  5. checks: non-root uid, read-only root, a token-authenticated push answered by the upstream
#     with the token's tenant in X-Scope-OrgID, 401 without a token, the HEALTHCHECK, the CDS
#     archive mapping inside the container (-Xshare:on), loki mode via GATEWAY_MODE;
#  6. removes its containers, images (the base too) and processes, also on failure.
# Podman here needs runc and explicit ulimits (crun fails on setrlimit and on hybrid cgroups), set
# through a private CONTAINERS_CONF; no system file is changed. Shared steps: jlink/podman-env.sh.
set -Eeuo pipefail # -E: the ERR trap (keep the logs) also fires inside the sourced functions
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
started=$(date +%s)
tag="ct$$"
base_image="localhost/auth-gateway-base:$tag"
test_image="localhost/auth-gateway:$tag"
container="auth-gateway-$tag"
work="$(mktemp -d /tmp/auth-gateway-container-test.XXXXXX)"
secret="container-test-secret"
tenant="tenant-$tag"
upstream_pid=""

say() { echo "container-test: $*"; }
fail() { say "FAIL: $*"; exit 1; }

cleanup() {
    set +e
    trap - ERR # with -E, every failing command below would re-run the ERR trap
    if command -v podman >/dev/null; then
        if [ -n "$container" ] && podman container exists "$container" 2>/dev/null; then
            podman logs "$container" >"$work/gateway.log" 2>&1
            podman rm -f "$container" >/dev/null 2>&1
        fi
        podman rm -f "$container-loki" >/dev/null 2>&1
        podman rmi -f "$test_image" "$base_image" >/dev/null 2>&1
    fi
    [ -n "$upstream_pid" ] && kill "$upstream_pid" 2>/dev/null
    if [ "${keep_work:-no}" = yes ]; then say "logs kept in $work"; else rm -rf "$work"; fi
}
trap 'keep_work=yes; cleanup' ERR
trap cleanup EXIT

[ "$(id -u)" = 0 ] || fail "run as root (rootful podman, apt-get)"

# shellcheck source=podman-env.sh
. "$root/jlink/podman-env.sh"
# 1. tools
podman_env "$work"

# 2. the jlink image
ensure_jlink_image "$root"

# 3. glibc-only base
make_base_image "$root" "$work/rootfs" "$base_image"
say "$podman_env_report"

# 4. build and run
build_gateway_image "$root" "$base_image" "$test_image"
say "$podman_env_report"

upstream_port=$(free_port)
cat >"$work/upstream.py" <<'PY'
import http.server, sys
class Recorder(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "a") as seen:
            seen.write("%s %s\n" % (self.path, self.headers.get("X-Scope-OrgID")))
        body = b"upstream-ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Recorder).serve_forever()
PY
python3 "$work/upstream.py" "$upstream_port" "$work/seen.txt" &
upstream_pid=$!

# The image's default port is 8080; the HEALTHCHECK probes it. Should 8080 be taken on this host
# (network host), use another one and probe that instead.
gateway_port=8080
port_free 8080 || gateway_port=$(free_port)
run_started=$(date +%s%N)
# --health-interval=disable: no systemd timer here; the check is run once by hand below.
podman run -d -q --name "$container" --network host --read-only --read-only-tmpfs=false --health-interval=disable \
    "$test_image" \
    -server.http-listen-address=127.0.0.1 -server.http-listen-port="$gateway_port" \
    -gateway.distributor.address="http://127.0.0.1:$upstream_port" \
    -gateway.query-frontend.address="http://127.0.0.1:$upstream_port" \
    -gateway.auth.jwt-secret="$secret" >/dev/null 2>"$work/podman-run.log" # podman 4.3 logs that it has no systemd for health timers
gateway="http://127.0.0.1:$gateway_port"
for _ in $(seq 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$gateway/ready")" = 200 ] && break
    podman container inspect -f '{{.State.Running}}' "$container" | grep -q true || fail "container exited: $(podman logs "$container" 2>&1 | tail -5)"
    sleep 0.02
done
say "podman run to first 200 /ready: $(( ($(date +%s%N) - run_started) / 1000000 )) ms"

# 5. checks
pid=$(podman container inspect -f '{{.State.Pid}}' "$container")
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
[ "$uid" = 65532 ] || fail "gateway runs as uid $uid, expected 65532"
[ "$(podman container inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$container")" = true ] || fail "root file system is writable"
say "runs as uid $uid on a read-only root file system without a /tmp tmpfs"

token=$(python3 - "$secret" "$tenant" <<'PY'
import base64, hashlib, hmac, json, sys
b64 = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
signing_input = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps({"tenant_id": sys.argv[2]}).encode())
print(signing_input + "." + b64(hmac.new(sys.argv[1].encode(), signing_input.encode(), hashlib.sha256).digest()))
PY
)
answer=$(curl -s -w ' %{http_code}' -X POST --data-binary 'sample 1' -H "Authorization: Bearer $token" \
    -H 'X-Scope-OrgID: forged' "$gateway/api/v1/push")
[ "$answer" = "upstream-ok 200" ] || fail "authenticated push answered '$answer'"
grep -qx "/api/v1/push $tenant" "$work/seen.txt" || fail "upstream saw: $(cat "$work/seen.txt")"
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary 'sample 1' "$gateway/api/v1/push")
[ "$status" = 401 ] || fail "push without token answered $status"
say "push with a token: 200 from the upstream, which saw X-Scope-OrgID: $tenant (client's forged value replaced); without: 401"

if [ "$gateway_port" = 8080 ]; then
    podman healthcheck run "$container" >/dev/null || fail "HEALTHCHECK failed"
    say "HEALTHCHECK (HealthProbe, no shell) passes"
fi
podman exec "$container" /opt/auth-gateway/bin/java -Xshare:on -XX:SharedArchiveFile=/opt/auth-gateway/lib/auth-gateway.jsa \
    -cp /opt/auth-gateway/app/auth-gateway.jar io.authgateway.HealthProbe "$gateway/ready" 2>/dev/null ||
    fail "CDS archive does not map in the container (or /ready failed): $(podman exec "$container" /opt/auth-gateway/bin/java -Xshare:on \
        -XX:SharedArchiveFile=/opt/auth-gateway/lib/auth-gateway.jsa -cp /opt/auth-gateway/app/auth-gateway.jar io.authgateway.HealthProbe "$gateway/ready" 2>&1 | tail -2)"
say "CDS archive maps inside the container (-Xshare:on) and HealthProbe sees /ready"

podman run --rm --name "$container-loki" --network none --read-only -e GATEWAY_MODE=loki "$test_image" -help >"$work/loki-help.txt" 2>&1 ||
    fail "loki -help failed: $(tail -3 "$work/loki-help.txt")"
grep -q 'gateway.querier.address' "$work/loki-help.txt" || fail "GATEWAY_MODE=loki did not select loki: $(head -3 "$work/loki-help.txt")"
say "GATEWAY_MODE=loki selects the loki flags"

podman stop -t 10 "$container" >/dev/null 2>"$work/podman-stop.log"
[ "$(podman container inspect -f '{{.State.ExitCode}}' "$container")" = 0 ] || fail "gateway did not exit 0 on SIGTERM"
say "SIGTERM: exit 0"
say "PASS in $(( $(date +%s) - started )) s"
