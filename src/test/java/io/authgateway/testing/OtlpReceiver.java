package io.authgateway.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A real OTLP/HTTP trace receiver on loopback: accepts {@code POST /v1/traces} with an
 * {@code ExportTraceServiceRequest} protobuf and decodes the spans with a small wire-format reader.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One received span. Kind: 2 = server, 3 = client. Attribute values are String, Long, Boolean or Double. */
    public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, int kind,
                               Map<String, Object> attributes, String serviceName) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                spans.addAll(decode(body));
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** Waits up to 10 s for spans matching the predicate. */
    public List<ReceivedSpan> await(Predicate<ReceivedSpan> match, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<ReceivedSpan> found = spans.stream().filter(match).toList();
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + count + " matching spans, got " + spans);
    }

    static List<ReceivedSpan> decode(byte[] request) {
        List<ReceivedSpan> out = new ArrayList<>();
        for (byte[] resourceSpans : fields(request).getOrDefault(1, List.of()).stream().map(byte[].class::cast).toList()) {
            Map<Integer, List<Object>> rs = fields(resourceSpans);
            String service = "";
            for (Object resource : rs.getOrDefault(1, List.of())) {
                Object name = attributes(fields((byte[]) resource).getOrDefault(1, List.of())).get("service.name");
                service = name == null ? service : name.toString();
            }
            for (Object scopeSpans : rs.getOrDefault(2, List.of())) {
                for (Object span : fields((byte[]) scopeSpans).getOrDefault(2, List.of())) {
                    Map<Integer, List<Object>> s = fields((byte[]) span);
                    out.add(new ReceivedSpan(hex(s, 1), hex(s, 2), hex(s, 4), text(s, 5),
                            ((Long) s.getOrDefault(6, List.of(0L)).getFirst()).intValue(),
                            attributes(s.getOrDefault(9, List.of())), service));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> attributes(List<Object> keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object kv : keyValues) {
            Map<Integer, List<Object>> pair = fields((byte[]) kv);
            Map<Integer, List<Object>> value = fields((byte[]) pair.get(2).getFirst());
            Object decoded;
            if (value.containsKey(1)) {
                decoded = new String((byte[]) value.get(1).getFirst(), StandardCharsets.UTF_8);
            } else if (value.containsKey(2)) {
                decoded = ((Long) value.get(2).getFirst()) != 0;
            } else if (value.containsKey(3)) {
                decoded = value.get(3).getFirst();
            } else if (value.containsKey(4)) {
                decoded = Double.longBitsToDouble((Long) value.get(4).getFirst());
            } else {
                decoded = null;
            }
            out.put(text(pair, 1), decoded);
        }
        return out;
    }

    private static String hex(Map<Integer, List<Object>> message, int field) {
        List<Object> values = message.get(field);
        return values == null ? "" : HexFormat.of().formatHex((byte[]) values.getFirst());
    }

    private static String text(Map<Integer, List<Object>> message, int field) {
        List<Object> values = message.get(field);
        return values == null ? "" : new String((byte[]) values.getFirst(), StandardCharsets.UTF_8);
    }

    /** Protobuf wire format: field number → values (Long for varint/fixed, byte[] for length-delimited). */
    static Map<Integer, List<Object>> fields(byte[] message) {
        Map<Integer, List<Object>> out = new LinkedHashMap<>();
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            long key = varint(in);
            int field = (int) (key >>> 3);
            Object value = switch ((int) (key & 7)) {
                case 0 -> varint(in);
                case 1 -> in.getLong();
                case 2 -> {
                    byte[] bytes = new byte[(int) varint(in)];
                    in.get(bytes);
                    yield bytes;
                }
                case 5 -> (long) in.getInt();
                default -> throw new IllegalArgumentException("unsupported wire type in " + key);
            };
            out.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static long varint(ByteBuffer in) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
