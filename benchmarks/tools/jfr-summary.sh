#!/usr/bin/env bash
# Summarises the CPU samples of a JFR recording of the gateway:
#   1. the JDK's hot-methods view (top frame of each sample);
#   2. self time by owner: each sample goes to the first frame, from the top, that belongs to the
#      JDK HTTP client, the JDK HTTP server, the gateway, gson or the JCA crypto code ("JDK core"
#      when none does), which says whose code the CPU is spent in;
#   3. inclusive shares of a few frames on the request path.
# Usage: jfr-summary.sh FILE.jfr
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/bin/lib/jdk.sh"
find_jdk
file="$1"
echo "== hot methods (top frame of each execution sample)"
"$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$file" | head -n 30
"$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample --stack-depth 256 "$file" | awk '
    BEGIN {
        no = split("jdk.internal.net.http.=JDK HttpClient (jdk.internal.net.http)|java.net.http.=JDK HttpClient (jdk.internal.net.http)|sun.net.httpserver.=JDK HttpServer (sun.net.httpserver)|com.sun.net.httpserver.=JDK HttpServer (sun.net.httpserver)|io.authgateway.=gateway code (io.authgateway)|com.google.gson.=gson (token JSON)|javax.crypto.=HMAC (JCA)|com.sun.crypto.=HMAC (JCA)|sun.security.=HMAC (JCA)", owners, "|")
        for (i = 1; i <= no; i++) { split(owners[i], kv, "="); opat[i] = kv[1]; oname[i] = kv[2] }
        ni = split("sun.net.httpserver.ServerImpl$Exchange.run|io.authgateway.server.GatewayHandler.handle|io.authgateway.auth.JwtTenantResolver.resolve|io.authgateway.proxy.JdkClientTransport.forward|jdk.internal.net.http.HttpClientImpl.send(|io.authgateway.proxy.JdkClientTransport.relay|io.authgateway.proxy.ProxyHeaders.forRequest|sun.net.httpserver.ServerImpl$Dispatcher.run|jdk.internal.net.http.HttpClientImpl$SelectorManager.run", incl, "|")
    }
    /^jdk.ExecutionSample/ { if (inside) flush(); inside = 1; nf = 0; next }
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
        printf "\n== self time by owner (%d samples)\n", total
        for (k in self) printf "%6.1f%%  %s\n", 100 * self[k] / total, k | "sort -rn"
        close("sort -rn")
        printf "\n== inclusive: samples whose stack contains\n"
        for (k in inc) printf "%6.1f%%  %s\n", 100 * inc[k] / total, k | "sort -rn"
    }'
