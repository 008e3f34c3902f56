#!/usr/bin/env bash
# Summarises the CPU samples of a JFR recording of the gateway, for two kinds of sample:
#   - jdk.CPUTimeSample (JDK 25, Linux): threads sampled by the CPU time they use, including time
#     in system calls, so socket writes and reads show up as what they cost;
#   - jdk.ExecutionSample (settings=profile): Java frames of running threads only, no system calls.
# For each: the top frames, then self time by owner (each sample goes to the first frame, from the
# top, that is a socket system call, epoll, the JDK HTTP client or server, the gateway, gson or JCA
# crypto code; "JDK core" when none is), then inclusive shares of frames on the request path.
# Usage: jfr-summary.sh FILE.jfr
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/bin/lib/jdk.sh"
find_jdk
file="$1"

summarise() {
    local event="$1"
    "$JAVA_HOME/bin/jfr" print --events "$event" --stack-depth 256 "$file" | awk -v event="$event" '
    BEGIN {
        no = split("sun.nio.ch.SocketDispatcher.write=socket writes (system call: loopback TCP, waking the reader)|sun.nio.ch.SocketDispatcher.read=socket reads (system call)|sun.nio.ch.EPoll=epoll (system call)|jdk.internal.vm.Continuation=virtual-thread park/unpark|jdk.internal.net.http.=JDK HttpClient (jdk.internal.net.http)|java.net.http.=JDK HttpClient (jdk.internal.net.http)|sun.net.httpserver.=JDK HttpServer (sun.net.httpserver)|com.sun.net.httpserver.=JDK HttpServer (sun.net.httpserver)|io.micrometer.=metrics (Micrometer)|io.authgateway.=gateway code (io.authgateway)|com.google.gson.=gson (token JSON)|javax.crypto.=HMAC (JCA)|com.sun.crypto.=HMAC (JCA)|sun.security.=HMAC (JCA)", owners, "|")
        for (i = 1; i <= no; i++) { split(owners[i], kv, "="); opat[i] = kv[1]; oname[i] = kv[2] }
        ni = split("io.authgateway.server.ClientConnection.serveOne|io.authgateway.gateway.GatewayHandler.handle|io.authgateway.auth.JwtTenantResolver.resolve|io.authgateway.upstream.SocketTransport.forward|io.authgateway.upstream.SocketTransport.send|io.authgateway.upstream.SocketTransport.answer|io.authgateway.upstream.AnswerRelay.relay|io.authgateway.codec.ResponseHead.read|io.authgateway.codec.RequestHead.read|io.authgateway.upstream.ProxyHeaders.forRequest|io.authgateway.observability.GatewayMetrics.|io.authgateway.jdkclient.JdkClientTransport.forward|jdk.internal.net.http.HttpClientImpl.send(", incl, "|")
    }
    $0 ~ "^" event { if (inside) flush(); inside = 1; nf = 0; next }
    inside && /line:/ { frame[++nf] = $1 }
    function flush(   i, j, who) {
        total++
        who = "JDK core (java.*, scheduler, NIO)"
        for (i = 1; i <= nf && who ~ /^JDK core/; i++)
            for (j = 1; j <= no; j++) if (index(frame[i], opat[j]) == 1) { who = oname[j]; break }
        self[who]++
        for (j = 1; j <= ni; j++)
            for (i = 1; i <= nf; i++) if (index(frame[i], incl[j]) == 1) { inc[incl[j]]++; break }
    }
    END {
        if (inside) flush()
        if (total == 0) { printf "\n(no %s samples)\n", event; exit }
        printf "\n== %s: self time by owner (%d samples)\n", event, total
        for (k in self) printf "%6.1f%%  %s\n", 100 * self[k] / total, k | "sort -rn"
        close("sort -rn")
        printf "\n== %s: inclusive, samples whose stack contains\n", event
        for (k in inc) printf "%6.1f%%  %s\n", 100 * inc[k] / total, k | "sort -rn"
        close("sort -rn")
    }'
}

echo "== CPU time: top frames (jdk.CPUTimeSample, includes system calls)"
"$JAVA_HOME/bin/jfr" view --width 160 cpu-time-hot-methods "$file" 2>/dev/null | head -n 25 || true
summarise jdk.CPUTimeSample
echo
echo "== execution samples: top frames (jdk.ExecutionSample, Java frames only)"
"$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$file" | head -n 25
summarise jdk.ExecutionSample
