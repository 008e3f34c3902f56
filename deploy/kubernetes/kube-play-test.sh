#!/usr/bin/env bash
# Runs deploy/kubernetes/mimir-gateway.yaml and loki-gateway.yaml with `podman kube play` (podman
# 4.3 from Debian, as root, from the repo), one after the other, and sends authenticated traffic
# through each. Usage: deploy/kubernetes/kube-play-test.sh [mimir|loki ...] (default: both).
#  1. podman set-up, jlink image, glibc-only base and podman build as jlink/container-test.sh
#     (shared: jlink/podman-env.sh); catatonit from Debian for podman's pause image;
#  2. starts e2e/RecordingUpstream.java on 127.0.0.1 as distributor and query-frontend;
#  3. feeds podman only the kinds it understands, the Secret and the Deployment (it does not know
#     Service, PodDisruptionBudget or HorizontalPodAutoscaler), with test values put in by plain
#     text substitution: a random secret, the test image, the upstream addresses, replicas: 1, a
#     127.0.0.1 listen address and no ports list (--network host keeps all traffic on loopback;
#     podman would publish containerPort on the host, which host networking refuses, and two
#     replicas would both want the port);
#  4. checks: the pod runs as uid 65532, read-only root, no capabilities, no privilege escalation,
#     the Secret mounted as the -gateway.auth.jwt-secret-file; /health and /ready; a push with a
#     token minted by bin/mimir-gateway token from the same secret reaches the distributor with
#     the token's tenant (the client's forged X-Scope-OrgID replaced), a PromQL (LogQL) query
#     reaches the query-frontend, no token gets 401;
#  5. podman pod stop (the gateway exits 0 on SIGTERM), podman kube down, and removes the
#     secret, its volume, the images and the processes it made, also on failure.
set -Eeuo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
started=$(date +%s%N)
tag="kp$$"
base_image="localhost/auth-gateway-base:$tag"
test_image="localhost/auth-gateway:$tag"
modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(mimir loki)
work="$(mktemp -d /tmp/auth-gateway-kube-play.XXXXXX)"
tenant="tenant-$tag"
upstream_pid=""
played="" # the mode whose pod, secret and volume are up
pause_existed=yes

elapsed() { echo "$(( ($(date +%s%N) - started) / 1000000 )) ms"; }
say() { echo "kube-play-test [$(elapsed)]: $*"; }
fail() { say "FAIL: $*"; keep_work=yes; exit 1; }

cleanup() {
    set +e
    trap - ERR # with -E, every failing command below would re-run the ERR trap
    [ -n "$played" ] && tear_down "$played"
    if command -v podman >/dev/null; then
        podman rmi -f "$test_image" "$base_image" >/dev/null 2>&1
        [ "$pause_existed" = no ] && podman rmi -f "localhost/podman-pause:$(podman version -f '{{.Client.Version}}')-0" >/dev/null 2>&1
    fi
    [ -n "$upstream_pid" ] && { kill "$upstream_pid" 2>/dev/null; wait "$upstream_pid" 2>/dev/null; }
    if [ "${keep_work:-no}" = yes ]; then
        for log in "$work"/*-gateway.log; do [ -s "$log" ] && { echo "--- $log (last 10 lines)"; tail -n 10 "$log"; }; done
        say "logs kept in $work"
    else
        rm -rf "$work"
    fi
}
tear_down() { # tear_down MODE: what podman kube play made, also after a failure
    podman logs "$1-gateway-pod-0-gateway" >"$work/$1-gateway.log" 2>&1
    podman kube down "$work/$1-kube-play.yaml" >"$work/$1-kube-down.log" 2>&1 # "no systemd for healthchecks" lines
    podman secret rm "$1-gateway-jwt" >/dev/null 2>&1
    podman volume rm -f "$1-gateway-jwt" >/dev/null 2>&1
    played=""
}
trap 'keep_work=yes' ERR # set -e then exits, and the EXIT trap cleans up
trap cleanup EXIT

[ "$(id -u)" = 0 ] || fail "run as root (rootful podman, apt-get)"

# 1. podman, image
# shellcheck source=../../jlink/podman-env.sh
. "$root/jlink/podman-env.sh"
podman_env "$work"
if ! command -v catatonit >/dev/null; then
    say "installing catatonit (podman builds its pod pause image from it)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends catatonit >/dev/null
fi
for mode in "${modes[@]}"; do
    [ -f "$root/deploy/kubernetes/$mode-gateway.yaml" ] || fail "no deploy/kubernetes/$mode-gateway.yaml (modes: mimir, loki)"
    podman secret inspect "$mode-gateway-jwt" >/dev/null 2>&1 && fail "a podman secret $mode-gateway-jwt exists already; not touching it"
    podman pod exists "$mode-gateway-pod-0" && fail "a pod $mode-gateway-pod-0 exists already; not touching it"
done
podman image exists "localhost/podman-pause:$(podman version -f '{{.Client.Version}}')-0" || pause_existed=no
ensure_jlink_image "$root"
make_base_image "$root" "$work/rootfs" "$base_image"
say "$podman_env_report"
build_gateway_image "$root" "$base_image" "$test_image"
say "$podman_env_report"

# 2. upstream on the host
# shellcheck source=../../bin/lib/jdk.sh
. "$root/bin/lib/jdk.sh"
find_jdk
"$JAVA_HOME/bin/java" "$root/e2e/RecordingUpstream.java" "$work" >"$work/upstream.log" 2>&1 &
upstream_pid=$!
for _ in $(seq 300); do [ -s "$work/ports" ] && break; sleep 0.1; done
[ -s "$work/ports" ] || fail "recording upstream did not start: $(tail -3 "$work/upstream.log")"
distributor_port=$(awk -F= '$1 == "distributor" {print $2}' "$work/ports")
frontend_port=$(awk -F= '$1 == "query-frontend" {print $2}' "$work/ports")

# 3. the manifest's Secret and Deployment, with test values
play_mode() {
    local mode="$1" manifest="$root/deploy/kubernetes/$1-gateway.yaml" kube play_started container gateway pid uid caps nnp
    local token push_path push_type push_encoding query_target status answer exit_code
    kube="$work/$mode-kube-play.yaml"
    awk -v RS='\n---\n' '/\nkind: (Secret|Deployment)\n/ {printf "%s---\n", $0 "\n"}' "$manifest" |
        sed -e "s|^  jwt-secrets: .*|  jwt-secrets: $secret|" \
            -e "s|^          image: .*|          image: $test_image|" \
            -e 's|^  replicas: 2$|  replicas: 1|' \
            -e "s|-server.http-listen-port=8080|-server.http-listen-port=$gateway_port\n            - -server.http-listen-address=127.0.0.1|" \
            -e "s|-gateway.distributor.address=.*|-gateway.distributor.address=http://127.0.0.1:$distributor_port|" \
            -e "s|-gateway.query-frontend.address=.*|-gateway.query-frontend.address=http://127.0.0.1:$frontend_port|" \
            -e "s|-gateway.ruler.address=.*|-gateway.ruler.address=http://127.0.0.1:$frontend_port|" \
            -e "s|-gateway.alertmanager.address=.*|-gateway.alertmanager.address=http://127.0.0.1:$frontend_port|" \
            -e "s|-gateway.querier.address=.*|-gateway.querier.address=http://127.0.0.1:$frontend_port|" \
            -e "s|port: 8080}|port: $gateway_port}|" |
        # No ports: podman turns containerPort into a host port mapping, which host networking refuses.
        awk '/^          ports:$/ {skip = 1; next} skip && /^          [a-zA-Z]/ {skip = 0} !skip' >"$kube"
    for expected in '^kind: Secret$' '^kind: Deployment$' "jwt-secrets: $secret" "image: $test_image" \
        'replicas: 1$' '-server.http-listen-address=127.0.0.1' "address=http://127.0.0.1:$distributor_port" \
        "address=http://127.0.0.1:$frontend_port" 'readOnlyRootFilesystem: true' 'runAsNonRoot: true' 'drop: \[ALL\]' \
        '-gateway.auth.jwt-secret-file=/etc/auth-gateway/jwt-secrets'; do
        grep -q -e "$expected" "$kube" || fail "the podman copy of $manifest lacks '$expected' (did the manifest change?)"
    done
    ! grep -qE '^kind: (Service|PodDisruptionBudget|HorizontalPodAutoscaler)$' "$kube" || fail "podman would get kinds it does not know"

    # 4. play and check
    play_started=$(date +%s%N)
    played=$mode
    podman kube play --network host "$kube" >"$work/$mode-kube-play.log" 2>&1 || fail "podman kube play: $(grep -v systemd "$work/$mode-kube-play.log" | tail -5)"
    container=$mode-gateway-pod-0-gateway
    gateway="http://127.0.0.1:$gateway_port"
    for _ in $(seq 300); do
        [ "$(curl -s "$gateway/ready")" = ready ] && break
        [ "$(podman container inspect -f '{{.State.Running}}' "$container")" = true ] ||
            fail "container exited: $(podman logs "$container" 2>&1 | tail -5)"
        sleep 0.05
    done
    [ "$(curl -s "$gateway/ready")" = ready ] || fail "/ready never answered 'ready'"
    say "$mode: podman kube play (Secret + Deployment) to /ready: $(( ($(date +%s%N) - play_started) / 1000000 )) ms"

    [ "$(curl -s -w ' %{http_code}' "$gateway/health" | tr -d '\n')" = "ok 200" ] || fail "/health did not answer 200 ok"
    pid=$(podman container inspect -f '{{.State.Pid}}' "$container")
    uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
    caps=$(awk '/^CapEff:/ {print $2}' "/proc/$pid/status")
    nnp=$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$pid/status")
    [ "$uid" = 65532 ] || fail "gateway runs as uid $uid"
    [ "$caps" = 0000000000000000 ] || fail "gateway has capabilities $caps"
    [ "$nnp" = 1 ] || fail "allowPrivilegeEscalation: false did not set no_new_privs"
    [ "$(podman container inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$container")" = true ] || fail "root file system is writable"
    podman logs "$container" >"$work/$mode-gateway.log" 2>&1
    grep -q 'msg="JWT secret file loaded" path=/etc/auth-gateway/jwt-secrets secrets=1' "$work/$mode-gateway.log" ||
        fail "the Secret was not loaded as the secret file: $(tail -3 "$work/$mode-gateway.log")"
    say "$mode: pod runs as uid $uid, no capabilities, no_new_privs, read-only root; Secret mounted and loaded as /etc/auth-gateway/jwt-secrets; /health and /ready answer"

    token=$("$root/bin/$mode-gateway" token -tenant="$tenant" -gateway.auth.jwt-secret-file="$work/jwt-secrets" 2>"$work/token.err") ||
        fail "token command: $(tail -3 "$work/token.err")"
    if [ "$mode" = mimir ]; then
        push_path=/api/v1/push push_type=application/x-protobuf push_encoding=snappy
        printf '\0' >"$work/push-body" # snappy of an empty WriteRequest: length 0, no elements
        query_target='/prometheus/api/v1/query?query=up'
    else
        push_path=/loki/api/v1/push push_type=application/json push_encoding=""
        printf '{"streams":[{"stream":{"job":"kube-play"},"values":[["%s","hello"]]}]}' "$(date +%s%N)" >"$work/push-body"
        query_target='/loki/api/v1/query_range?query=%7Bjob%3D%22kube-play%22%7D'
    fi
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'X-Scope-OrgID: forged' \
        -H "Content-Type: $push_type" ${push_encoding:+-H "Content-Encoding: $push_encoding"} --data-binary "@$work/push-body" "$gateway$push_path")
    [ "$status" = 204 ] || fail "push answered $status"
    grep -qF "role=distributor method=POST target=$push_path tenant=$tenant authorization=absent content-type=$push_type content-encoding=${push_encoding:-null} bytes=$(stat -c %s "$work/push-body") sha256=$(sha256sum <"$work/push-body" | cut -d' ' -f1) " "$work/requests.log" ||
        fail "distributor saw: $(tail -n 1 "$work/requests.log")"
    answer=$(curl -s -H "Authorization: Bearer $token" "$gateway$query_target")
    [ "$answer" = '{"status":"success","data":{"resultType":"vector","result":[]}}' ] || fail "query answered '$answer'"
    grep -qF "role=query-frontend method=GET target=$query_target tenant=$tenant " "$work/requests.log" ||
        fail "query-frontend saw: $(tail -n 1 "$work/requests.log")"
    status=$(curl -s -o /dev/null -w '%{http_code}' --data-binary 'x' "$gateway$push_path")
    [ "$status" = 401 ] || fail "push without a token answered $status"
    say "$mode: through the pod, a push with a token reaches the distributor byte-identical with X-Scope-OrgID: $tenant (forged one replaced), a query the query-frontend; no token -> 401"

    # 5. stop and tear down
    podman pod stop -t 30 "$mode-gateway-pod-0" >/dev/null 2>"$work/pod-stop.log"
    exit_code=$(podman container inspect -f '{{.State.ExitCode}}' "$container")
    [ "$exit_code" = 0 ] || fail "gateway exited $exit_code on SIGTERM"
    tear_down "$mode"
    ! podman pod exists "$mode-gateway-pod-0" || fail "pod still there after podman kube down"
    ! podman secret inspect "$mode-gateway-jwt" >/dev/null 2>&1 || fail "secret still there"
    say "$mode: SIGTERM: exit 0; podman kube down removed the pod; secret and its volume removed"
}

gateway_port=8080
port_free 8080 || gateway_port=$(free_port)
# Podman 4.3 writes a Secret's data value into the mounted file as the base64 text, without
# decoding it (and ignores stringData). So the test secret is itself valid base64, put into the
# Secret verbatim: podman accepts it and the gateway reads that text as the secret. A kubelet
# decodes data values; on a real cluster the manifest's base64 is right.
secret=$(head -c 33 /dev/urandom | base64 -w0)
printf '%s\n' "$secret" >"$work/jwt-secrets"
for mode in "${modes[@]}"; do
    play_mode "$mode"
done
say "PASS (${modes[*]})"
