package io.authgateway.upstream;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.codec.BodyFraming;
import io.authgateway.codec.BufferPool;
import io.authgateway.observability.Log;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Streams an upstream's answer into the exchange: status, end-to-end headers, then the body as it
 * arrives, flushed whenever nothing more is waiting so streamed answers reach the client part by
 * part. The one relay loop, for the pooled client, the JDK client and refused WebSocket upgrades.
 * Failures become {@link ProxyOutcome.Aborted}, told apart by who broke off.
 */
public final class AnswerRelay {

    /** Answers up to this size get a buffer of their own; larger ones stream through a pooled one. */
    private static final int SMALL_BODY = 16 * 1024;

    private final BufferPool buffers;

    public AnswerRelay(BufferPool buffers) {
        this.buffers = buffers;
    }

    /** An answer whose head is read and checked; its body not yet. */
    public record Answer(int status, Map<String, List<String>> headers, BodyFraming framing, InputStream body,
                         Duration headersAfter) {
    }

    /**
     * @param finished whether the body's last byte has been read (before the stream says EOF)
     * @param bodyEnded runs once the whole body is in hand, before its last bytes go to the client,
     *                  so that a pooled connection is back in the pool when the client can send
     *                  its next request; not at all when reading the body fails
     */
    public ProxyOutcome relay(HttpExchange exchange, Answer answer, BooleanSupplier finished, Runnable bodyEnded) {
        ProxyHeaders.forResponse(answer.headers(), exchange.getResponseHeaders());
        OutputStream out;
        try {
            exchange.sendResponseHeaders(answer.status(), answer.framing().exchangeLength());
            out = exchange.getResponseBody();
        } catch (IOException e) {
            return clientGone(answer, "before the answer", e);
        }
        if (answer.framing() instanceof BodyFraming.None) {
            bodyEnded.run();
            return closeAnswer(out, answer);
        }
        boolean small = answer.framing() instanceof BodyFraming.Fixed fixed && fixed.length() < SMALL_BODY;
        byte[] buffer = small ? new byte[(int) ((BodyFraming.Fixed) answer.framing()).length()] : buffers.take();
        try {
            return copy(answer, out, buffer, finished, bodyEnded);
        } finally {
            if (!small) {
                buffers.give(buffer);
            }
        }
    }

    private static ProxyOutcome copy(Answer answer, OutputStream out, byte[] buffer, BooleanSupplier finished,
                                     Runnable bodyEnded) {
        InputStream body = answer.body();
        boolean ended = false;
        while (!ended) {
            int n;
            try {
                n = body.read(buffer);
            } catch (IOException e) {
                return new ProxyOutcome.Aborted(answer.status(), true, "upstream broke off its answer: " + Log.describe(e));
            }
            ended = n < 0 || finished.getAsBoolean();
            if (ended) {
                bodyEnded.run();
            }
            try {
                if (n > 0) {
                    out.write(buffer, 0, n);
                }
                // Flush whenever nothing more is waiting; not after the last bytes, where close() flushes.
                if (!ended && body.available() == 0) {
                    out.flush();
                }
            } catch (IOException e) {
                return clientGone(answer, "during the answer", e);
            }
        }
        return closeAnswer(out, answer);
    }

    private static ProxyOutcome closeAnswer(OutputStream out, Answer answer) {
        try {
            out.close();
        } catch (IOException e) {
            return clientGone(answer, "at the end of the answer", e);
        }
        return new ProxyOutcome.Relayed(answer.status(), answer.headersAfter());
    }

    private static ProxyOutcome clientGone(Answer answer, String when, IOException e) {
        return new ProxyOutcome.Aborted(answer.status(), false, "client went away " + when + ": " + Log.describe(e));
    }
}
