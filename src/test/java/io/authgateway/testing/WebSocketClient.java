package io.authgateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link java.net.http.WebSocket} client that records what it receives as events, for tests.
 * Text messages are delivered whole; pongs to the upstream's pings are sent by the JDK itself.
 */
public final class WebSocketClient implements WebSocket.Listener {

    /** One thing the client received. */
    public sealed interface Event {
        record Text(String text) implements Event {
        }

        record Binary(byte[] bytes) implements Event {
        }

        record Ping(byte[] bytes) implements Event {
        }

        record Pong(byte[] bytes) implements Event {
        }

        record Close(int code, String reason) implements Event {
        }

        record Error(Throwable error) implements Event {
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StringBuilder partialText = new StringBuilder();
    private WebSocket socket;

    private WebSocketClient() {
    }

    /** Connects; fails with the handshake's {@link java.net.http.WebSocketHandshakeException} as cause. */
    public static WebSocketClient connect(URI uri, String... headers) {
        return connect(CLIENT, uri, headers);
    }

    /** Connects with {@code http}, e.g. one that trusts a test CA for {@code wss}. */
    public static WebSocketClient connect(HttpClient http, URI uri, String... headers) {
        WebSocketClient client = new WebSocketClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        client.socket = builder.buildAsync(uri, client).orTimeout(15, TimeUnit.SECONDS).join();
        return client;
    }

    public WebSocket socket() {
        return socket;
    }

    public Event next() throws InterruptedException {
        Event event = events.poll(10, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("the client received nothing within 10s");
        }
        return event;
    }

    public void sendText(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partialText.append(data);
        if (last) {
            events.add(new Event.Text(partialText.toString()));
            partialText.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        events.add(new Event.Binary(bytes));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.duplicate().get(bytes);
        events.add(new Event.Ping(bytes));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        events.add(new Event.Pong(bytes));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        events.add(new Event.Close(statusCode, reason));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(new Event.Error(error));
    }
}
