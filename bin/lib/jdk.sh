# Sourced by the launchers and bin/test. Sets JAVA_HOME to a JDK >= 21:
# $JAVA_HOME if it is new enough, else the newest JDK under /usr/lib/jvm.

java_feature_version() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
        awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

find_jdk() {
    local candidate version best="" best_version=0
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        version=$(java_feature_version "$JAVA_HOME")
        if [ "${version:-0}" -ge 21 ] 2>/dev/null; then
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/*; do
        [ -x "$candidate/bin/javac" ] || continue
        version=$(java_feature_version "$candidate")
        if [ "${version:-0}" -ge 21 ] 2>/dev/null && [ "$version" -gt "$best_version" ]; then
            best="$candidate"
            best_version="$version"
        fi
    done
    if [ -z "$best" ]; then
        echo "auth-gateway: no JDK >= 21 found (checked JAVA_HOME and /usr/lib/jvm/*)" >&2
        return 1
    fi
    export JAVA_HOME="$best"
}
