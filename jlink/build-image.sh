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
    # The JDK's native libraries keep their full symbol tables (.symtab); libjvm.so alone carries
    # 5 MB of them. Only the dynamic symbols are needed to run; without the rest a JVM crash log
    # (hs_err) names HotSpot's own frames by address instead of by function. Java frames, thread
    # dumps and all JVM diagnostics stay as they are.
    if command -v strip >/dev/null; then
        find "$image/lib" -name '*.so' -exec strip --strip-unneeded {} +
    else
        echo "build-image: no strip (binutils) on this machine, the image keeps 5 MB of native symbols" >&2
    fi
    # Not used at run time: the JDK's default CDS class list (the archive below has its own), the
    # jrt file system for other JDKs, the jwebserver demo command of jdk.httpserver, and the
    # AVX-512 sort kernels of Arrays.sort (optional: without them the JVM sorts in Java).
    rm -f "$image/lib/classlist" "$image/lib/jrt-fs.jar" "$image/bin/jwebserver" "$image/lib/libsimdsort.so"
    echo "$stamp" >"$work/runtime.stamp"
fi

rm -rf "$image/app" "$image/lib/auth-gateway.jsa"
mkdir -p "$image/app/lib"
cp "$target/auth-gateway.jar" "$image/app/"
# Exactly the jars the manifest's Class-Path names: target/lib keeps jars of dependencies removed
# since the last clean build.
rm -rf "$work/manifest" && mkdir -p "$work/manifest"
(cd "$work/manifest" && "$JAVA_HOME/bin/jar" xf "$target/auth-gateway.jar" META-INF/MANIFEST.MF)
classpath="$(tr -d '\r' <"$work/manifest/META-INF/MANIFEST.MF" | sed -n '/^Class-Path:/,/^[^ ]/p' |
    sed -e '/^Class-Path:/!{/^ /!d}' -e 's/^Class-Path: //' -e 's/^ //' | tr -d '\n')"
for jar in $classpath; do
    cp "$target/$jar" "$image/app/lib/"
done

# Code in third-party jars the gateway cannot reach (jlink/jar-diet.txt says what and why) is left
# out of the image's copies.
grep -v '^#' "$root/jlink/jar-diet.txt" | grep . | while read -r prefix path; do
    for jar in "$image/app/lib/$prefix"-[0-9]*.jar; do
        [ -f "$jar" ] || { echo "build-image: jar-diet names $prefix, not in the image" >&2; exit 1; }
        echo "$path" >>"$work/diet-$(basename "$jar")"
    done
done
for list in "$work"/diet-*.jar; do
    [ -f "$list" ] || continue
    jar="$image/app/lib/${list##*/diet-}"
    rm -rf "$work/diet" && mkdir -p "$work/diet"
    (cd "$work/diet" && "$JAVA_HOME/bin/jar" xf "$jar")
    while read -r path; do
        rm -rf "${work:?}/diet/$path"
    done <"$list"
    rm -f "$list" "$jar"
    "$JAVA_HOME/bin/jar" --create --file "$jar" --manifest "$work/diet/META-INF/MANIFEST.MF" -C "$work/diet" .
done

# AppCDS with AOT class linking (JEP 483), in three steps: the gateway is started on the image,
# probed until ready and stopped while the JVM records the classes it loads; the list loses what
# jlink/archive-exclude.txt names; -Xshare:dump -XX:+AOTClassLinking writes the rest, loaded and
# linked, into one static archive. The classpath is the single jar, whose manifest fixes the order
# of the others; the JVM checks it when mapping the archive and accepts the whole image moved
# elsewhere (the Containerfile copies it to /opt/auth-gateway).
# The archive's module options must equal the launchers' and the Containerfile's (none: the
# gateway reaches into no JDK module): on a mismatch the JVM prints three [error][cds] lines on
# stdout (breaking `token > file`) and drops the archived module graph.
# The archive records the jars' and lib/modules' modification times, and `podman build` rounds
# them to whole seconds (measured: 41.82 s became 42 s), which made the archive refuse to map in
# the container half of the time. Whole-second times survive the copy.
find "$image" -exec touch -h -d "@$(date +%s)" {} +
rm -f "$work/classes.lst" "$work/archive.lst"
"$JAVA_HOME/bin/java" "$root/jlink/TrainingRun.java" --startup-only "$image" "$work" \
    -XX:+UseSerialGC -Xshare:off -XX:DumpLoadedClassList="$work/classes.lst"
grep -v -E -f <(grep -v '^#' "$root/jlink/archive-exclude.txt" | grep .) "$work/classes.lst" >"$work/archive.lst"
"$image/bin/java" -Xshare:dump -XX:+AOTClassLinking -XX:SharedClassListFile="$work/archive.lst" \
    -XX:SharedArchiveFile="$image/lib/auth-gateway.jsa" -cp "$image/app/auth-gateway.jar" \
    >"$work/cds-dump.log" 2>&1 || { cat "$work/cds-dump.log" >&2; exit 1; }

# The proof: the whole training run (proxying, 401, 404, shutdown) on the finished image, with
# -Xshare:on so that an archive the JVM cannot map fails the build instead of slowing start-up.
"$JAVA_HOME/bin/java" "$root/jlink/TrainingRun.java" "$image" "$work" \
    -XX:+UseSerialGC -XX:SharedArchiveFile="$image/lib/auth-gateway.jsa" -Xshare:on

echo "build-image: $(du -sh "$image" | cut -f1) in $image (modules: $modules)"
