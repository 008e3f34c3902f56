package io.authgateway.proxy;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.config.UpstreamSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Proxies over one shared {@link HttpClient} (HTTP/1.1, no redirects, no proxy). The request body
 * is streamed to the upstream as the client sends it, with its Content-Length when known and
 * chunked otherwise; the answer is streamed back as it arrives, flushed after every read so
 * long-running and chunked answers reach the client part by part.
 */
public final class JdkClientTransport implements UpstreamTransport {

    private static final int BUFFER_SIZE = 16 * 1024;

    private final HttpClient client;
    private final ExecutorService executor;
    private final UpstreamSettings settings;

    public JdkClientTransport(UpstreamSettings settings) {
        this.settings = settings;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.dialTimeout())
                .sslContext(UpstreamTls.contextFor(settings.addresses().values()))
                .executor(executor)
                .build();
    }

    @Override
    public ProxyOutcome forward(HttpExchange exchange, ForwardRequest request) {
        CountingInputStream requestBody = new CountingInputStream(exchange.getRequestBody());
        HttpRequest upstreamRequest;
        try {
            upstreamRequest = buildRequest(exchange, request, requestBody);
        } catch (IllegalArgumentException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_REQUEST, "request not expressible upstream: " + e.getMessage());
        }
        HttpResponse<InputStream> response;
        long started = System.nanoTime();
        try {
            response = client.send(upstreamRequest, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "dial timeout after " + settings.dialTimeout());
        } catch (HttpTimeoutException e) {
            return requestBody.failed() ? clientGone(requestBody)
                    : new ProxyOutcome.Failed(ProxyFailure.GATEWAY_TIMEOUT, "no response headers within " + settings.timeoutFor(request.upstream()));
        } catch (ConnectException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "connect failed: " + describe(e));
        } catch (IOException e) {
            return requestBody.failed() ? clientGone(requestBody)
                    : new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "upstream failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProxyOutcome.Aborted(0, false, "interrupted while waiting for the upstream");
        }
        return relay(exchange, response, Duration.ofNanos(System.nanoTime() - started));
    }

    private HttpRequest buildRequest(HttpExchange exchange, ForwardRequest request, InputStream body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.target())
                .timeout(settings.timeoutFor(request.upstream()))
                .method(exchange.getRequestMethod(), publisherFor(exchange, body));
        ProxyHeaders.forRequest(exchange.getRequestHeaders(), request.tenant(),
                exchange.getRemoteAddress().getAddress().getHostAddress(), request.withheldHeaders(), builder::header);
        request.addedHeaders().forEach(builder::header);
        return builder.build();
    }

    private static HttpRequest.BodyPublisher publisherFor(HttpExchange exchange, InputStream body) {
        var headers = exchange.getRequestHeaders();
        String transferEncoding = headers.getFirst("Transfer-Encoding");
        if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return HttpRequest.BodyPublishers.ofInputStream(() -> body);
        }
        String contentLength = headers.getFirst("Content-Length");
        long length = contentLength == null ? 0 : Long.parseLong(contentLength.trim());
        if (length == 0) {
            return HttpRequest.BodyPublishers.noBody();
        }
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), length);
    }

    private static ProxyOutcome relay(HttpExchange exchange, HttpResponse<InputStream> response, Duration headersAfter) {
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            ProxyHeaders.forResponse(response.headers().map(), exchange.getResponseHeaders());
            long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
            OutputStream out;
            try {
                exchange.sendResponseHeaders(status, responseLength(exchange.getRequestMethod(), status, declared));
                out = exchange.getResponseBody();
            } catch (IOException e) {
                return new ProxyOutcome.Aborted(status, false, "client went away before the answer: " + describe(e));
            }
            byte[] buffer = new byte[BUFFER_SIZE];
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    return new ProxyOutcome.Aborted(status, true, "upstream broke off its answer: " + describe(e));
                }
                if (n < 0) {
                    break;
                }
                try {
                    out.write(buffer, 0, n);
                    out.flush();
                } catch (IOException e) {
                    return new ProxyOutcome.Aborted(status, false, "client went away during the answer: " + describe(e));
                }
            }
            out.close();
            return new ProxyOutcome.Relayed(status, headersAfter);
        } catch (IOException e) {
            return new ProxyOutcome.Aborted(status, false, "client went away at the end of the answer: " + describe(e));
        }
    }

    /** The length argument of {@code sendResponseHeaders}: -1 for no body, 0 for chunked. */
    static long responseLength(String method, int status, long declared) {
        if (method.equalsIgnoreCase("HEAD") || status == 204 || status == 304 || status < 200) {
            return -1;
        }
        if (declared == 0) {
            return -1;
        }
        return declared > 0 ? declared : 0;
    }

    private static ProxyOutcome clientGone(CountingInputStream body) {
        return new ProxyOutcome.Aborted(0, false, "client went away after sending " + body.count() + " body bytes");
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }
}
