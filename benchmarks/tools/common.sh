# Sourced by benchmarks/load.sh and benchmarks/memory.sh. Before sourcing, set bench (the log
# prefix) and run (the results folder, where NAME.log files are); the JDK is found like the
# launchers find it (JAVA_HOME if new enough, else /usr/lib/jvm/*).

log() { printf '[%s] %s\n' "$bench" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# wait_port NAME PORT PID: up to 30 s for an HTTP listener, failing early if the process died
wait_port() {
    local name="$1" port="$2" pid="$3"
    for _ in $(seq 1 300); do
        curl -s -o /dev/null -m 1 "http://127.0.0.1:$port/" && return 0
        kill -0 "$pid" 2>/dev/null || { tail -n 20 "$run/$name.log" >&2; die "$name exited during start-up"; }
        sleep 0.1
    done
    tail -n 20 "$run/$name.log" >&2
    die "$name did not listen on 127.0.0.1:$port within 30 s"
}

# The results line naming the measured commit, and whether the sources had local changes.
commit_line() {
    echo "- gateway commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- src 2>/dev/null || echo ' (+ local changes)')"
}

# shellcheck source=../../bin/lib/jdk.sh
. "$root/bin/lib/jdk.sh"
find_jdk
