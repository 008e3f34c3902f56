#!/usr/bin/env bash
# Starts the gateway in the mode given as $1 (mimir or loki); the other arguments are its flags.
# Uses the jlink runtime under target/image when it exists, else a JDK >= 21, building the
# project first if it is not built yet (or its sources changed since).
# AUTH_GATEWAY_RUNTIME=jdk skips the image, e.g. to profile with JFR (the image has no jdk.jfr).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mode="$1"
shift

jar="$root/target/auth-gateway.jar"
needs_build() {
    [ ! -f "$jar" ] || [ ! -d "$root/target/lib" ] ||
        [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]
}

image_opts=""
if [ "${AUTH_GATEWAY_RUNTIME:-}" != jdk ] && [ -x "$root/target/image/bin/java" ] && ! needs_build; then
    java="$root/target/image/bin/java"
    # The one jar; its manifest Class-Path lists app/lib/*.jar in the order the CDS archive recorded.
    classpath="$root/target/image/app/auth-gateway.jar"
    if [ -f "$root/target/image/lib/auth-gateway.jsa" ]; then
        # -Xshare:auto: should the archive not match (other JVM flags, moved jars), start without it.
        image_opts="-XX:SharedArchiveFile=$root/target/image/lib/auth-gateway.jsa -Xshare:auto"
    fi
else
    # shellcheck source=jdk.sh
    . "$root/bin/lib/jdk.sh"
    find_jdk
    if needs_build; then
        echo "auth-gateway: building the project (first run or sources changed), log in target/build.log" >&2
        mkdir -p "$root/target"
        if ! (cd "$root" && ./mvnw -B -ntp -q -DskipTests package >"$root/target/build.log.tmp" 2>&1); then
            mv "$root/target/build.log.tmp" "$root/target/build.log" 2>/dev/null || true
            tail -n 30 "$root/target/build.log" >&2
            echo "auth-gateway: build failed, see target/build.log" >&2
            exit 1
        fi
        mv "$root/target/build.log.tmp" "$root/target/build.log"
    fi
    java="$JAVA_HOME/bin/java"
    # The jar alone: its manifest Class-Path names the lib/*.jar it needs (target/lib can hold
    # jars of dependencies dropped since the last clean build).
    classpath="$jar"
fi

# Defaults for a proxy (same as the Containerfile's JDK_JAVA_OPTIONS); JAVA_OPTS comes later and wins.
#  - MaxRAMPercentage=50: heap from the container/host memory limit (container support is on by
#    default); the other half is for metaspace, thread stacks, socket and direct buffers.
#  - Xmn24m: a fixed young generation (eden 19.2 MiB, two survivor spaces of 2.4 MiB). What the
#    requests in flight hold at a young collection must fit a survivor space, or it is promoted
#    after one collection; SerialGC then grows the old generation rather than collecting it, up to
#    the maximum heap, and RSS rises for as long as the load lasts. The young generation used to be
#    a third of the current heap (5 MiB from -Xms16m, 512 KiB survivors): under 128 busy
#    connections RSS rose by 2 MiB/s (benchmarks/README.md, 2026-12-01). Fixed, it does not grow
#    with the host's memory either (the JVM's default is a third of 1/64 of it).
#  - Xms32m: the young generation and 8 MiB of old generation to start (the CDS archive's objects
#    go there); the old generation grows with what really lives (connections, pools, caches).
#    JAVA_OPTS with -Xmx below 32m must lower -Xms and -Xmn too.
#  - SerialGC: a proxy keeps almost nothing live, so young collections are short and Serial costs
#    the least memory and CPU on the 1-2 cores a gateway pod gets. Only added when JAVA_OPTS
#    picks no collector, since the JVM refuses two ("Multiple garbage collectors selected").
#  - ExitOnOutOfMemoryError: crash and get restarted rather than limp along.
#  - -XX:-UsePerfData: no hsperfdata file in /tmp (read-only root file systems), no jstat.
default_opts="-XX:MaxRAMPercentage=50 -Xms32m -Xmn24m -Xss512k -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData"
case " ${JAVA_OPTS:-} " in
    *" -XX:+Use"*"GC "*) ;;
    *) default_opts="$default_opts -XX:+UseSerialGC" ;;
esac
# shellcheck disable=SC2086
exec "$java" $default_opts $image_opts ${JAVA_OPTS:-} -cp "$classpath" io.authgateway.Main "$mode" "$@"
