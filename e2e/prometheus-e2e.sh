#!/usr/bin/env bash
# End to end with real clients, everything on 127.0.0.1 (run from the repo; root only if the
# Debian package prometheus must be installed):
#  1. starts e2e/RecordingUpstream.java (a distributor that decodes Prometheus' snappy+protobuf
#     WriteRequest and a query-frontend, both recording X-Scope-OrgID, path, query and body hash);
#  2. starts bin/mimir-gateway with a secret file and mints a token with its token command into a
#     credentials file;
#  3. runs a real Prometheus that scrapes itself and the gateway every second and remote-writes
#     through the gateway with authorization.credentials_file; checks the series (up,
#     prometheus_build_info, the gateway's own counters) reach the distributor with the token's
#     tenant and without the token;
#  4. swaps the credentials file for a token signed with another secret: the gateway logs and
#     counts token_not_valid, Prometheus logs non-recoverable 401s and retries nothing, the
#     distributor receives nothing; swaps the good token back: pushes resume, no restart;
#  5. PromQL through /prometheus/api/v1/query (GET and Grafana's form POST) reaches the
#     query-frontend unchanged (path, query, body) with the tenant;
#  6. bin/loki-gateway: a JSON push, a gzip JSON push and a protobuf push
#     (application/x-protobuf) arrive byte-identical with the tenant; a LogQL query_range
#     reaches the query-frontend unchanged;
#  7. TLS (certificates made here with the openssl commands of docs/tls.md): bin/mimir-gateway
#     with an HTTPS listener that verifies client certificates if given and takes a certificate's
#     CN as its tenant; openssl s_client shows the chain and ALPN http/1.1; curl over HTTPS with a
#     token and with a client certificate; a second Prometheus remote-writes over TLS twice, once
#     with a token and once with a client certificate and no token, each arriving with its tenant.
# Also checks examples/prometheus.yml with promtool. Stops everything it started (Prometheus first, so it does not hang flushing), also on failure;
# logs are kept in the printed directory when a check fails. Every wait is bounded.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
started=$(date +%s%N)
work="$(mktemp -d /tmp/auth-gateway-e2e.XXXXXX)"
tenant="team-e2e"
loki_tenant="team-logs"
upstream_pid="" gateway_pid="" loki_pid="" prometheus_pid="" tls_pid="" tls_prometheus_pid="" gateway_port="" gateway="" loki="" ready_port=""

elapsed() { echo "$(( ($(date +%s%N) - started) / 1000000 )) ms"; }
say() { echo "prometheus-e2e [$(elapsed)]: $*"; }
fail() {
    say "FAIL: $*"
    for log in gateway.log loki-gateway.log prometheus.log tls-gateway.log tls-prometheus.log upstream.log requests.log; do
        [ -s "$work/$log" ] && { echo "--- $log (last 15 lines)"; tail -n 15 "$work/$log"; }
    done
    keep_work=yes
    exit 1
}

stop() { # stop PID [SECONDS]: SIGTERM, bounded wait, then SIGKILL
    local pid="$1" tries=$(( ${2:-10} * 10 ))
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ "$tries" -gt 0 ]; do sleep 0.1; tries=$((tries - 1)); done
    kill -0 "$pid" 2>/dev/null && { echo "prometheus-e2e: $pid ignored SIGTERM, killing it"; kill -9 "$pid" 2>/dev/null; }
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    set +e
    stop "$prometheus_pid" 10 # before its receiver, or it keeps retrying its flush
    stop "$tls_prometheus_pid" 10
    stop "$tls_pid"
    stop "$gateway_pid"
    stop "$loki_pid"
    stop "$upstream_pid"
    if [ "${keep_work:-no}" = yes ]; then echo "prometheus-e2e: logs kept in $work"; else rm -rf "$work"; fi
}
trap 'keep_work=yes; cleanup' ERR
trap cleanup EXIT

# wait_for DESCRIPTION SECONDS COMMAND...: polls every 0.1 s
wait_for() {
    local what="$1" tries=$(( $2 * 10 ))
    shift 2
    until "$@"; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || fail "timed out waiting for $what"
        sleep 0.1
    done
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Below the ephemeral range (32768 and up on Linux), so no outgoing connection takes it between
# the check and the bind. Only Prometheus needs this: the gateways bind port 0 and log their port.
free_port() {
    local port
    for _ in $(seq 50); do
        port=$(( 20000 + RANDOM % 12000 ))
        port_free "$port" && { echo "$port"; return; }
    done
    fail "no free port found"
}
listening_port() { # listening_port LOG: the port of the gateway's "server listening" line
    sed -n 's/.*msg="server listening on addresses" http=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$1" | head -n 1
}
# start_gateway MODE LOG: bin/MODE-gateway on port 0 with the recording upstreams and the secret
# file, in the background ($! is its pid)
start_gateway() {
    "$root/bin/$1-gateway" -server.http-listen-address=127.0.0.1 -server.http-listen-port=0 \
        -gateway.distributor.address="http://127.0.0.1:$distributor_port" \
        -gateway.query-frontend.address="http://127.0.0.1:$frontend_port" \
        -gateway.auth.jwt-secret-file="$work/jwt-secrets" >"$2" 2>&1 &
}
# ready PID LOG: true once that gateway answers /ready; sets $ready_port; fails if it exited
ready() {
    kill -0 "$1" 2>/dev/null || fail "gateway exited, see $2"
    ready_port=$(listening_port "$2")
    [ -n "$ready_port" ] && [ "$(curl -s "http://127.0.0.1:$ready_port/ready")" = ready ]
}
count() { local n; n=$(grep -c "$1" "$2" 2>/dev/null) || true; echo "${n:-0}"; }
metric() { # metric URL NAME{LABELS}: the sample's value, 0 when absent
    curl -s "$1/metrics" | awk -v name="$2" 'index($0, name " ") == 1 {print $2; found=1} END {if (!found) print 0}' | head -n 1
}

# tools: prometheus from Debian, a JDK >= 21 for the single-file upstream and the gateway
if ! command -v prometheus >/dev/null; then
    [ "$(id -u)" = 0 ] || fail "prometheus is not installed and installing it needs root (apt-get install prometheus)"
    say "installing prometheus from Debian"
    apt-get update -qq
    # The package's init script does not start without an init system (policy-rc.d/runlevel).
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >"$work/apt.log" 2>&1 ||
        fail "apt-get install prometheus: $(tail -3 "$work/apt.log")"
fi
# shellcheck source=../bin/lib/jdk.sh
. "$root/bin/lib/jdk.sh"
find_jdk
say "$(prometheus --version 2>&1 | head -n 1), JDK $JAVA_HOME"
promtool check config "$root/examples/prometheus.yml" >"$work/promtool.log" 2>&1 ||
    fail "examples/prometheus.yml: $(tail -3 "$work/promtool.log")"

# 1. recording upstream
"$JAVA_HOME/bin/java" "$root/e2e/RecordingUpstream.java" "$work" >"$work/upstream.log" 2>&1 &
upstream_pid=$!
wait_for "the recording upstream" 30 test -s "$work/ports"
distributor_port=$(awk -F= '$1 == "distributor" {print $2}' "$work/ports")
frontend_port=$(awk -F= '$1 == "query-frontend" {print $2}' "$work/ports")
say "recording upstream: distributor 127.0.0.1:$distributor_port, query-frontend 127.0.0.1:$frontend_port"

# 2. gateway with a secret file, token from its token command
printf '# first line signs\ne2e-secret-%s\n' "$RANDOM$RANDOM" >"$work/jwt-secrets"
chmod 600 "$work/jwt-secrets"
start_gateway mimir "$work/gateway.log"
gateway_pid=$!
wait_for "the mimir gateway's /ready" 120 ready "$gateway_pid" "$work/gateway.log" # first run builds the project
gateway_port=$ready_port
gateway="http://127.0.0.1:$gateway_port"
say "mimir gateway ready on $gateway"

mint() { "$root/bin/mimir-gateway" token "$@" 2>"$work/token.err" || fail "token command: $(tail -3 "$work/token.err")"; }
mint -tenant="$tenant" -gateway.auth.jwt-secret-file="$work/jwt-secrets" >"$work/good.token"
mint -tenant="$tenant" -gateway.auth.jwt-secret=not-the-gateways-secret >"$work/bad.token"
mint -tenant="$loki_tenant" -gateway.auth.jwt-secret-file="$work/jwt-secrets" >"$work/loki.token"
credentials="$work/prometheus.credentials"
# The token command's output as it is, trailing newline included (Prometheus trims it), written
# atomically like a Kubernetes Secret volume.
use_token() { cp "$work/$1" "$credentials.tmp" && mv "$credentials.tmp" "$credentials"; }
use_token good.token
chmod 600 "$credentials"
say "minted tokens for $tenant (and one signed with another secret) with bin/mimir-gateway token"

# 3. Prometheus remote_write through the gateway
prometheus_port=$(free_port)
prometheus_url="http://127.0.0.1:$prometheus_port"
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: prometheus
    static_configs: [{targets: ["127.0.0.1:$prometheus_port"]}]
  - job_name: auth-gateway
    static_configs: [{targets: ["127.0.0.1:$gateway_port"]}]
remote_write:
  - url: $gateway/api/v1/push
    authorization:
      type: Bearer
      credentials_file: $credentials
    # One shard and short deadlines: batches go out one at a time, twice a second, so the token
    # swap below has a clear before and after.
    queue_config: {min_shards: 1, max_shards: 1, batch_send_deadline: 500ms, min_backoff: 100ms, max_backoff: 1s}
    metadata_config: {send: false}
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus-data" \
    --web.listen-address="127.0.0.1:$prometheus_port" --storage.remote.flush-deadline=1s \
    >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!
series_arrived() {
    kill -0 "$prometheus_pid" 2>/dev/null || fail "prometheus exited"
    grep -qF "$tenant up {instance=\"127.0.0.1:$prometheus_port\",job=\"prometheus\"} 1.0" "$work/series.log" 2>/dev/null &&
        grep -qF "$tenant up {instance=\"127.0.0.1:$gateway_port\",job=\"auth-gateway\"} 1.0" "$work/series.log" &&
        grep -q "^$tenant prometheus_build_info {" "$work/series.log" &&
        grep -q "^$tenant cortex_gateway_succeeded_authentications_total {" "$work/series.log"
}
wait_for "up, prometheus_build_info and the gateway's counters at the distributor" 60 series_arrived
pushes=$(count 'role=distributor method=POST target=/api/v1/push ' "$work/requests.log")
good_pushes=$(count "role=distributor method=POST target=/api/v1/push tenant=$tenant authorization=absent content-type=application/x-protobuf content-encoding=snappy " "$work/requests.log")
! grep -q 'series=undecodable' "$work/requests.log" || fail "a push did not decode: $(grep -m1 'not a snappy' "$work/upstream.log")"
[ "$pushes" -gt 0 ] && [ "$pushes" = "$good_pushes" ] ||
    fail "$good_pushes of $pushes pushes had X-Scope-OrgID $tenant, no Authorization, snappy protobuf"
say "Prometheus remote_write: $pushes pushes, $(wc -l <"$work/series.log") series decoded, all with X-Scope-OrgID: $tenant and no Authorization header; up=1 for Prometheus and for the gateway's /metrics"

# 4. a bad token: 401s, nothing retried, nothing at the distributor; then the good token again
failed_metric='cortex_gateway_failed_authentications_total{reason="token_not_valid"}'
remote_failed='prometheus_remote_storage_samples_failed_total{remote_name='
rejected_before=$(metric "$gateway" "$failed_metric")
retried_before=$(curl -s "$prometheus_url/metrics" | awk '/^prometheus_remote_storage_samples_retried_total/ {s += $2} END {print s + 0}')
use_token bad.token
rejected_more() { [ "$(metric "$gateway" "$failed_metric" | cut -d. -f1)" -ge "$1" ]; }
wait_for "the first 401 for the swapped token" 20 rejected_more $(( ${rejected_before%.*} + 1 ))
pushes_at_first_401=$(count 'role=distributor' "$work/requests.log")
wait_for "three more rejected batches" 20 rejected_more $(( ${rejected_before%.*} + 4 ))
pushes_after=$(count 'role=distributor' "$work/requests.log")
[ "$pushes_after" = "$pushes_at_first_401" ] || fail "the distributor got $((pushes_after - pushes_at_first_401)) requests while the token was bad"
grep -q 'reason=token_not_valid' "$work/gateway.log" || fail "the gateway did not log reason=token_not_valid"
grep -q 'non-recoverable error.*401' "$work/prometheus.log" || fail "prometheus did not log a non-recoverable 401"
samples_failed=$(curl -s "$prometheus_url/metrics" | awk -v p="$remote_failed" 'index($0, p) == 1 {s += $2} END {print s + 0}')
retried_after=$(curl -s "$prometheus_url/metrics" | awk '/^prometheus_remote_storage_samples_retried_total/ {s += $2} END {print s + 0}')
[ "${samples_failed%.*}" -gt 0 ] || fail "prometheus_remote_storage_samples_failed_total is $samples_failed"
[ "$retried_after" = "$retried_before" ] || fail "prometheus retried samples: $retried_before -> $retried_after"
say "bad token: gateway counted $(metric "$gateway" "$failed_metric") token_not_valid and logged them; Prometheus logged: $(grep -m1 -o 'err="server returned HTTP status 401[^"]*"' "$work/prometheus.log"); $samples_failed samples dropped, 0 retried; the distributor got nothing"
use_token good.token
resumed() { [ "$(count "role=distributor method=POST target=/api/v1/push tenant=$tenant " "$work/requests.log")" -gt "$pushes_after" ]; }
wait_for "pushes to resume with the good token" 20 resumed
say "good token back in the credentials file: pushes resume without restarting anything"

# 5. the read path
# PromQL: sum by (job) (rate(prometheus_http_requests_total{handler="/api/v1/query"}[5m]))
query_target='/prometheus/api/v1/query?query=sum%20by%20%28job%29%20%28rate%28prometheus_http_requests_total%7Bhandler%3D%22%2Fapi%2Fv1%2Fquery%22%7D%5B5m%5D%29%29&time=1700000000.5'
answer=$(curl -s -w ' %{http_code}' -H "Authorization: Bearer $(cat "$work/good.token")" -H 'X-Scope-OrgID: forged' "$gateway$query_target")
[ "$answer" = '{"status":"success","data":{"resultType":"vector","result":[]}} 200' ] || fail "query answered: $answer"
grep -qxF "role=query-frontend method=GET target=$query_target tenant=$tenant authorization=absent content-type=null content-encoding=null bytes=0 sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 series=-" "$work/requests.log" ||
    fail "query-frontend saw: $(grep role=query-frontend "$work/requests.log" | tail -n 1)"
form='query=sum+by+%28job%29+%28rate%28prometheus_http_requests_total%7Bhandler%3D%22%2Fapi%2Fv1%2Fquery%22%7D%5B5m%5D%29%29&start=1700000000&end=1700003600&step=60'
printf '%s' "$form" >"$work/form.txt"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$work/good.token")" --data-binary "@$work/form.txt" \
    -H 'Content-Type: application/x-www-form-urlencoded' "$gateway/prometheus/api/v1/query_range")
[ "$status" = 200 ] || fail "form POST query_range answered $status"
grep -qF "role=query-frontend method=POST target=/prometheus/api/v1/query_range tenant=$tenant authorization=absent content-type=application/x-www-form-urlencoded content-encoding=null bytes=${#form} sha256=$(sha256sum <"$work/form.txt" | cut -d' ' -f1) " "$work/requests.log" ||
    fail "query-frontend saw: $(grep role=query-frontend "$work/requests.log" | tail -n 1)"
say "PromQL: GET /prometheus/api/v1/query and a form POST query_range reach the query-frontend with path, query and body unchanged, X-Scope-OrgID: $tenant (the client's forged one replaced)"

# 6. Loki pushes through bin/loki-gateway
start_gateway loki "$work/loki-gateway.log"
loki_pid=$!
wait_for "the loki gateway's /ready" 60 ready "$loki_pid" "$work/loki-gateway.log"
loki="http://127.0.0.1:$ready_port"
printf '{"streams":[{"stream":{"job":"e2e","level":"info"},"values":[["%s","hello from prometheus-e2e"],["%s","caf\\u00e9 \\"quoted\\""]]}]}' \
    "$(date +%s%N)" "$(date +%s%N)" >"$work/push.json"
gzip -c "$work/push.json" >"$work/push.json.gz"
head -c 65536 /dev/urandom >"$work/push.pb" # any bytes: the gateway must not look inside
loki_push() { # loki_push FILE CONTENT-TYPE [CONTENT-ENCODING]
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$work/loki.token")" -H 'X-Scope-OrgID: forged' \
        -H "Content-Type: $2" ${3:+-H "Content-Encoding: $3"} --data-binary "@$work/$1" "$loki/loki/api/v1/push")
    [ "$status" = 204 ] || fail "loki push of $1 answered $status"
    grep -qF "role=distributor method=POST target=/loki/api/v1/push tenant=$loki_tenant authorization=absent content-type=$2 content-encoding=${3:-null} bytes=$(stat -c %s "$work/$1") sha256=$(sha256sum <"$work/$1" | cut -d' ' -f1) " "$work/requests.log" ||
        fail "distributor did not get $1 byte-identical: $(grep 'target=/loki' "$work/requests.log" | tail -n 1)"
}
loki_push push.json application/json
loki_push push.json.gz application/json gzip
loki_push push.pb application/x-protobuf
logql_target='/loki/api/v1/query_range?query=%7Bjob%3D%22e2e%22%7D%20%7C%3D%20%22hello%22&limit=10&direction=backward'
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$work/loki.token")" "$loki$logql_target")
[ "$status" = 200 ] || fail "LogQL query answered $status"
grep -qF "role=query-frontend method=GET target=$logql_target tenant=$loki_tenant authorization=absent " "$work/requests.log" ||
    fail "query-frontend saw: $(grep role=query-frontend "$work/requests.log" | tail -n 1)"
say "Loki: JSON ($(stat -c %s "$work/push.json") B), gzip JSON and protobuf (64 KiB) pushes arrive byte-identical (sha256) with X-Scope-OrgID: $loki_tenant; LogQL query_range unchanged"

stop "$prometheus_pid" 10
prometheus_pid=""

# 7. TLS: HTTPS listener, client certificates as credentials, Prometheus over TLS
pki="$work/pki"
mkdir -p "$pki"
(
    cd "$pki"
    # the commands of docs/tls.md, "A test CA with openssl"
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
        -subj /CN=gateway-test-ca -days 365
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout gateway.key -out gateway.csr \
        -subj /CN=gateway.example
    printf 'subjectAltName=DNS:gateway.example,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >gateway.ext
    openssl x509 -req -in gateway.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 90 -extfile gateway.ext -out gateway.crt
    cat gateway.crt ca.crt >gateway-chain.crt
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout agent.key -out agent.csr -subj /CN=team-agent
    printf 'extendedKeyUsage=clientAuth\n' >agent.ext
    openssl x509 -req -in agent.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile agent.ext -out agent.crt
) >"$work/openssl.log" 2>&1 || fail "openssl: $(tail -3 "$work/openssl.log")"
"$root/bin/mimir-gateway" -server.http-listen-address=127.0.0.1 -server.http-listen-port=0 \
    -server.http-tls-cert-path="$pki/gateway-chain.crt" -server.http-tls-key-path="$pki/gateway.key" \
    -server.http-tls-ca-path="$pki/ca.crt" -server.http-tls-client-auth=VerifyClientCertIfGiven \
    -gateway.auth.client-cert-tenant=cn \
    -gateway.distributor.address="http://127.0.0.1:$distributor_port" \
    -gateway.query-frontend.address="http://127.0.0.1:$frontend_port" \
    -gateway.auth.jwt-secret-file="$work/jwt-secrets" >"$work/tls-gateway.log" 2>&1 &
tls_pid=$!
ready_tls() {
    kill -0 "$tls_pid" 2>/dev/null || fail "TLS gateway exited, see tls-gateway.log"
    ready_port=$(listening_port "$work/tls-gateway.log")
    [ -n "$ready_port" ] && [ "$(curl -s --cacert "$pki/ca.crt" "https://localhost:$ready_port/ready")" = ready ]
}
wait_for "the TLS gateway's /ready" 60 ready_tls
tls_port=$ready_port
tls_gateway="https://localhost:$tls_port"
openssl s_client -connect "127.0.0.1:$tls_port" -servername localhost -alpn http/1.1 -CAfile "$pki/ca.crt" \
    -showcerts </dev/null >"$work/s_client.log" 2>&1 || fail "openssl s_client: $(tail -3 "$work/s_client.log")"
grep -q 'ALPN protocol: http/1.1' "$work/s_client.log" || fail "s_client saw no ALPN http/1.1"
grep -q 'Verify return code: 0 (ok)' "$work/s_client.log" || fail "s_client did not verify the chain"
[ "$(grep -c 'BEGIN CERTIFICATE' "$work/s_client.log")" = 2 ] || fail "s_client did not see a chain of two"
say "openssl s_client: $(grep -m1 -o 'New, .*Cipher is .*' "$work/s_client.log" | sed 's/^New, //'), chain of 2 ($(grep -o 's:CN = [^,]*' "$work/s_client.log" | head -2 | paste -sd' ' -)), ALPN http/1.1, verify ok"
answer=$(curl -s -w ' %{http_code}' --cacert "$pki/ca.crt" -H "Authorization: Bearer $(cat "$work/good.token")" "$tls_gateway$query_target")
[ "$answer" = '{"status":"success","data":{"resultType":"vector","result":[]}} 200' ] || fail "query over HTTPS answered: $answer"
status=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$pki/ca.crt" --cert "$pki/agent.crt" --key "$pki/agent.key" "$tls_gateway$query_target")
[ "$status" = 200 ] || fail "query with a client certificate answered $status"
grep -qF "role=query-frontend method=GET target=$query_target tenant=team-agent authorization=absent " "$work/requests.log" ||
    fail "query-frontend saw: $(grep role=query-frontend "$work/requests.log" | tail -n 1)"
status=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$pki/ca.crt" "$tls_gateway$query_target")
[ "$status" = 401 ] || fail "a query with neither token nor certificate answered $status"
say "curl over HTTPS: with the token 200 ($tenant), with the client certificate and no token 200 (tenant team-agent from its CN), with neither 401"
tls_prometheus_port=$(free_port)
cat >"$work/tls-prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: prometheus-tls
    static_configs: [{targets: ["127.0.0.1:$tls_prometheus_port"]}]
remote_write:
  - url: $tls_gateway/api/v1/push
    authorization: {type: Bearer, credentials_file: $credentials}
    tls_config: {ca_file: $pki/ca.crt}
    queue_config: {batch_send_deadline: 500ms, min_backoff: 100ms, max_backoff: 1s}
    metadata_config: {send: false}
  - url: $tls_gateway/api/v1/push
    tls_config: {ca_file: $pki/ca.crt, cert_file: $pki/agent.crt, key_file: $pki/agent.key}
    queue_config: {batch_send_deadline: 500ms, min_backoff: 100ms, max_backoff: 1s}
    metadata_config: {send: false}
YAML
prometheus --config.file="$work/tls-prometheus.yml" --storage.tsdb.path="$work/tls-prometheus-data" \
    --web.listen-address="127.0.0.1:$tls_prometheus_port" --storage.remote.flush-deadline=1s \
    >"$work/tls-prometheus.log" 2>&1 &
tls_prometheus_pid=$!
tls_series_arrived() {
    kill -0 "$tls_prometheus_pid" 2>/dev/null || fail "the TLS prometheus exited"
    grep -qF "$tenant up {instance=\"127.0.0.1:$tls_prometheus_port\",job=\"prometheus-tls\"} 1.0" "$work/series.log" &&
        grep -qF "team-agent up {instance=\"127.0.0.1:$tls_prometheus_port\",job=\"prometheus-tls\"} 1.0" "$work/series.log"
}
wait_for "remote_write over TLS with a token and with a client certificate" 60 tls_series_arrived
say "Prometheus remote_write over TLS: series arrive as $tenant (token) and as team-agent (client certificate, no token)"
stop "$tls_prometheus_pid" 10
tls_prometheus_pid=""
say "PASS"
