#!/usr/bin/env bash
# Proves the jlink image beyond the build's training run (about 1 minute):
#  1. the gateway on the image proxying to HTTPS upstreams with EC P-256 and RSA-2048
#     certificates (TLS 1.3, ECDSA and RSA-PSS signature checks, trust store handling);
#  2. the whole test suite with the image's java (its gateway processes run on the image too).
# Run after ./mvnw package: jlink/check-image.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="$root/target/image"
[ -x "$image/bin/java" ] || { echo "check-image: no $image, run ./mvnw -DskipTests package first" >&2; exit 1; }
# shellcheck source=../bin/lib/jdk.sh
. "$root/bin/lib/jdk.sh"
find_jdk
"$JAVA_HOME/bin/java" "$root/jlink/TrainingRun.java" --tls "$image" "$root/target/jlink-work/tls" \
    -XX:SharedArchiveFile="$image/lib/auth-gateway.jsa" -Xshare:auto
echo "check-image: HTTPS upstreams (EC and RSA certificates) work through the image"
cd "$root"
./mvnw -B -ntp -q surefire:test -Djvm="$image/bin/java"
echo "check-image: test suite passed on $image/bin/java"
