package io.authgateway.jdkclient;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.codec.BodyFraming;
import io.authgateway.codec.BufferPool;
import io.authgateway.codec.HttpProtocolException;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.observability.Log;
import io.authgateway.upstream.AnswerRelay;
import io.authgateway.upstream.ForwardRequest;
import io.authgateway.upstream.ProxyFailure;
import io.authgateway.upstream.ProxyHeaders;
import io.authgateway.upstream.ProxyOutcome;
import io.authgateway.upstream.UpstreamTls;
import io.authgateway.upstream.UpstreamTransport;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Proxies over one shared {@link HttpClient} (HTTP/1.1, no redirects, no proxy), selected with
 * {@code -gateway.upstream.client=jdk}, with the same TLS settings as the pooled client. The request body is streamed
 * to the upstream as the client sends it; the answer's head is checked with the codec's rules as
 * far as java.net.http shows it ({@link CheckedAnswer}) before anything is relayed, and a doubtful
 * answer is a 502 whose connection the client closes, never reuses.
 */
public final class JdkClientTransport implements UpstreamTransport {

    private final HttpClient client;
    private final ExecutorService executor;
    private final UpstreamSettings settings;
    private final AnswerRelay relay = new AnswerRelay(new BufferPool(64 * 1024, 64));

    /** @param tls TLS for https upstreams, the pooled client's own ({@link JdkTls} says what without) */
    public JdkClientTransport(UpstreamSettings settings, Optional<UpstreamTls> tls) {
        this.settings = settings;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.dialTimeout())
                .executor(executor);
        tls.ifPresentOrElse(upstreamTls -> JdkTls.configure(builder, upstreamTls),
                () -> builder.sslContext(JdkTls.contextFor(settings.addresses().values())));
        this.client = builder.build();
    }

    @Override
    public ProxyOutcome forward(HttpExchange exchange, ForwardRequest request) {
        ClientBodyPublisher body;
        HttpRequest upstreamRequest;
        try {
            body = bodyOf(exchange);
            upstreamRequest = buildRequest(exchange, request, body);
        } catch (IllegalArgumentException | HttpProtocolException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_REQUEST, "request not expressible upstream: " + e.getMessage());
        }
        try {
            return send(exchange, request, upstreamRequest, body);
        } finally {
            if (body != null) {
                body.stop();
            }
        }
    }

    private ProxyOutcome send(HttpExchange exchange, ForwardRequest request, HttpRequest upstreamRequest,
                              ClientBodyPublisher body) {
        long started = System.nanoTime();
        CheckedAnswer answer = new CheckedAnswer(exchange.getRequestMethod());
        HttpResponse<InputStream> response;
        try {
            response = client.send(upstreamRequest, answer);
        } catch (HttpConnectTimeoutException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "dial timeout after " + settings.dialTimeout());
        } catch (HttpTimeoutException e) {
            return clientFailure(body, new ProxyOutcome.Failed(ProxyFailure.GATEWAY_TIMEOUT,
                    "no response headers within " + settings.timeoutFor(request.upstream())));
        } catch (ConnectException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "connect failed: " + Log.describe(e));
        } catch (IOException | RuntimeException e) {
            return clientFailure(body, new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "upstream failed: " + Log.describe(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProxyOutcome.Aborted(0, false, "interrupted while waiting for the upstream");
        }
        if (answer.refusal() != null) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_ANSWER, "upstream answer: " + answer.refusal().getMessage());
        }
        try (InputStream answerBody = response.body()) {
            return relay.relay(exchange, new AnswerRelay.Answer(response.statusCode(), response.headers().map(),
                    answer.framing(), answerBody, Duration.ofNanos(System.nanoTime() - started)), () -> false, () -> { });
        } catch (IOException e) {
            return new ProxyOutcome.Aborted(response.statusCode(), false, "closing the answer failed: " + Log.describe(e));
        }
    }

    private HttpRequest buildRequest(HttpExchange exchange, ForwardRequest request, ClientBodyPublisher body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.target())
                .timeout(settings.timeoutFor(request.upstream()))
                .method(exchange.getRequestMethod(), body == null ? HttpRequest.BodyPublishers.noBody() : body);
        ProxyHeaders.forRequest(exchange.getRequestHeaders(), request.tenant(),
                exchange.getRemoteAddress().getAddress().getHostAddress(), request.withheldHeaders(), builder::header);
        request.addedHeaders().forEach(builder::header);
        return builder.build();
    }

    /** The client's body as the upstream request's body, or null when the request has none. */
    private ClientBodyPublisher bodyOf(HttpExchange exchange) throws HttpProtocolException {
        return switch (BodyFraming.ofRequest(exchange.getRequestHeaders(), exchange.getProtocol().equals("HTTP/1.0"))) {
            case BodyFraming.Fixed fixed -> new ClientBodyPublisher(exchange.getRequestBody(), fixed.length(), executor);
            case BodyFraming.Chunked chunked -> new ClientBodyPublisher(exchange.getRequestBody(), -1, executor);
            default -> null;
        };
    }

    /** A send that failed because reading the client's body failed is the client's doing, not the upstream's. */
    private static ProxyOutcome clientFailure(ClientBodyPublisher body, ProxyOutcome upstreamFailure) {
        IOException failure = body == null ? null : body.failure();
        if (failure instanceof HttpProtocolException malformed) {
            return ProxyOutcome.Malformed.of(malformed);
        }
        if (failure != null) {
            return new ProxyOutcome.Aborted(0, false, "client went away: " + Log.describe(failure));
        }
        return upstreamFailure;
    }

    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }
}
