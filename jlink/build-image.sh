#!/usr/bin/env bash
# Builds target/image, the runtime the launchers and the Containerfile use:
#   target/image/bin/java ...            a jlink runtime with the modules in jlink/modules.txt
#   target/image/app/auth-gateway.jar    the gateway (its manifest Class-Path names app/lib/*.jar)
#   target/image/app/lib/*.jar           runtime dependencies
#   target/image/lib/auth-gateway.jsa    a static AppCDS archive (JDK and app classes), trained
#                                        by jlink/TrainingRun.java on this very image
# Runs in `mvn package` (after the jar and target/lib exist) and alone: jlink/build-image.sh.
# The jlink step (about 4 s) is skipped when the JDK and the module list did not change.
# Needs a JDK >= 24 that can link from its run-time image (JEP 493) or has jmods/; JAVA_HOME
# or the newest JDK under /usr/lib/jvm.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/target"
image="$target/image"
work="$target/jlink-work"

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/jlink" ]; then
    # shellcheck source=../bin/lib/jdk.sh
    . "$root/bin/lib/jdk.sh"
    find_jdk
fi
for needed in "$target/auth-gateway.jar" "$target/lib"; do
    [ -e "$needed" ] || { echo "build-image: $needed missing, run ./mvnw package first" >&2; exit 1; }
done
mkdir -p "$work"

modules="$(grep -v '^#' "$root/jlink/modules.txt" | grep . | paste -sd, -)"
stamp="$("$JAVA_HOME/bin/java" -version 2>&1 | paste -sd' ' -) | $JAVA_HOME | $modules"
if [ ! -x "$image/bin/java" ] || [ "$(cat "$work/runtime.stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$image" "$work/runtime.stamp"
    # No --generate-cds-archive: its two JDK-only archives add 28 MB; the AppCDS archive below
    # replaces them and also holds the app's classes.
    "$JAVA_HOME/bin/jlink" --add-modules "$modules" \
        --strip-debug --no-man-pages --no-header-files --compress zip-6 \
        --output "$image"
    echo "$stamp" >"$work/runtime.stamp"
fi

rm -rf "$image/app" "$image/lib/auth-gateway.jsa"
mkdir -p "$image/app/lib"
cp "$target/auth-gateway.jar" "$image/app/"
cp "$target"/lib/*.jar "$image/app/lib/"

# AppCDS, in two steps: a training run on the image records the classes it loads (start-up, the
# proxy path, the 401/404 answers, shutdown), then -Xshare:dump writes them into one static
# archive. The classpath is the single jar, whose manifest fixes the order of the others; the
# JVM checks it when mapping the archive and accepts the whole image moved elsewhere (the
# Containerfile copies it to /opt/auth-gateway).
# The archive's module options must equal the launchers' and the Containerfile's (--add-opens): on
# a mismatch the JVM prints three [error][cds] lines on stdout (breaking `token > file`) and drops
# the archived module graph.
add_opens="--add-opens=jdk.httpserver/sun.net.httpserver=ALL-UNNAMED"
rm -f "$work/classes.lst"
"$JAVA_HOME/bin/java" "$root/jlink/TrainingRun.java" "$image" "$work" \
    "$add_opens" -XX:+UseSerialGC -XX:DumpLoadedClassList="$work/classes.lst"
"$image/bin/java" "$add_opens" -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" \
    -XX:SharedArchiveFile="$image/lib/auth-gateway.jsa" -cp "$image/app/auth-gateway.jar" \
    >"$work/cds-dump.log" 2>&1 || { cat "$work/cds-dump.log" >&2; exit 1; }

echo "build-image: $(du -sh "$image" | cut -f1) in $image (modules: $modules)"
