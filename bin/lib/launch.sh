#!/usr/bin/env bash
# Starts the gateway in the mode given as $1 (mimir or loki); the other arguments are its flags.
# Uses the jlink runtime under target/image when it exists, else a JDK >= 21, building the
# project first if it is not built yet (or its sources changed since).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mode="$1"
shift

jar="$root/target/auth-gateway.jar"
needs_build() {
    [ ! -f "$jar" ] || [ ! -d "$root/target/lib" ] ||
        [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]
}

if [ -x "$root/target/image/bin/java" ] && ! needs_build; then
    java="$root/target/image/bin/java"
    classpath="$root/target/image/app/*"
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
    classpath="$jar:$root/target/lib/*"
fi

# Defaults for a proxy: small heap, low-pause GC, container-aware; JAVA_OPTS overrides.
default_opts="-XX:+UseContainerSupport -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -Xss512k -XX:+ExitOnOutOfMemoryError"
# Always needed, not overridable: WebSocket tails and the write-stall limit take the connection from
# the JDK server (docs/websocket.md). Without it tails answer 501 and the write timeout is not enforced.
required_opts="--add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED"
# shellcheck disable=SC2086
exec "$java" $default_opts ${JAVA_OPTS:-} $required_opts -cp "$classpath" io.authgateway.Main "$mode" "$@"
