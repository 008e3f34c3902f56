#!/usr/bin/env bash
# Builds and runs the JMH benchmarks (issue 8) against the working tree's gateway:
#   1. installs the gateway jar into the local Maven repository (tests skipped),
#   2. builds benchmarks/jmh (JMH 1.37, annotation processor) and copies its classpath,
#   3. runs org.openjdk.jmh.Main with the arguments given (none: every benchmark, with the
#      iterations set on each class).
# Examples:
#   benchmarks/jmh/run.sh                                     # full run (~6 minutes)
#   benchmarks/jmh/run.sh -f 1 -wi 1 -i 1 -w 1s -r 1s         # smoke run
#   benchmarks/jmh/run.sh RouteBenchmark -p modeAndPath=mimir:/api/v1/push
#   benchmarks/jmh/run.sh RoundTripBenchmark -t 4             # 4 concurrent keep-alive connections
#   benchmarks/jmh/run.sh -lprof                              # JMH's list of profilers
# Environment: JAVA_HOME (a JDK >= 21; else the newest under /usr/lib/jvm),
#   SKIP_BUILD=1 to run what was built last.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# A JDK >= 21 the same way the launchers find one (JAVA_HOME if new enough, else /usr/lib/jvm/*).
. "$root/bin/lib/jdk.sh"
find_jdk

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    (cd "$root" && ./mvnw -B -ntp -q -DskipTests install)
    (cd "$root" && ./mvnw -B -ntp -q -f benchmarks/jmh/pom.xml package)
fi
exec "$JAVA_HOME/bin/java" -cp "$here/target/classes:$here/target/lib/*" org.openjdk.jmh.Main "$@"
