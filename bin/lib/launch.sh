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
#  - Xms16m: start small and grow; the JVM's default initial heap (1/64 of the host's memory) makes
#    SerialGC touch a large young generation before its first collection, which shows as RSS.
#  - SerialGC: a proxy keeps almost nothing live, so young collections are short and Serial costs
#    the least memory and CPU on the 1-2 cores a gateway pod gets. Only added when JAVA_OPTS
#    picks no collector, since the JVM refuses two ("Multiple garbage collectors selected").
#  - ExitOnOutOfMemoryError: crash and get restarted rather than limp along.
#  - -XX:-UsePerfData: no hsperfdata file in /tmp (read-only root file systems), no jstat.
default_opts="-XX:MaxRAMPercentage=50 -Xms16m -Xss512k -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData"
case " ${JAVA_OPTS:-} " in
    *" -XX:+Use"*"GC "*) ;;
    *) default_opts="$default_opts -XX:+UseSerialGC" ;;
esac
# shellcheck disable=SC2086
exec "$java" $default_opts $image_opts ${JAVA_OPTS:-} -cp "$classpath" io.authgateway.Main "$mode" "$@"
