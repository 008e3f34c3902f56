#!/usr/bin/env bash
# Installs the programs the test suite runs for real, from Debian, when they are missing:
#   redis-server  the shared limits store (RedisSharedLimitsTest starts its own on a free port)
#   promtool      checks and unit-tests the monitoring mixin's rules (package prometheus)
# Sourced by bin/test and run by .ci/run. Needs root to install; without root it only says what is missing
# (the tests that need a program then fail with the same hint).
ensure_test_tools() {
    local missing=() packages=()
    command -v redis-server >/dev/null || { missing+=(redis-server); packages+=(redis-server); }
    command -v promtool >/dev/null || { missing+=(promtool); packages+=(prometheus); }
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "auth-gateway: ${missing[*]} missing; install with: apt-get install ${packages[*]}" >&2
        return 0
    fi
    echo "auth-gateway: installing ${packages[*]} from Debian" >&2
    # The packages' init scripts do not start a service without an init system; the tests start their own.
    # A failed install is reported, not fatal: the tests that need the program then fail with this hint.
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${packages[@]}" >/dev/null; }; then
        echo "auth-gateway: could not install ${packages[*]} (apt-get install ${packages[*]})" >&2
    fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    ensure_test_tools
fi
