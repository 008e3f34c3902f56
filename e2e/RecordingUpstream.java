import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * A stand-in for the Mimir/Loki components behind the gateway, for e2e/prometheus-e2e.sh: one
 * listener per role (distributor, query-frontend) on 127.0.0.1, port 0. Every request becomes one
 * line in {@code requests.log}:
 * {@code role=R method=M target=PATH?QUERY tenant=T authorization=present|absent content-type=C
 * content-encoding=E bytes=N sha256=H series=S}. A Prometheus remote-write body (snappy block
 * format around a protobuf {@code WriteRequest}) is decoded and every series is appended to
 * {@code series.log} as {@code tenant name {label="value",...} lastSampleValue}; {@code series=-} means the body
 * was not a write request, {@code series=undecodable} (answered 400) that it did not decode. Ports go to {@code ports} as {@code role=port} lines once both listen.
 *
 * <p>Run as a single-file program: {@code java e2e/RecordingUpstream.java DIR}. No dependencies:
 * the snappy decoder and the protobuf reader below cover just what remote write uses.
 */
public final class RecordingUpstream {

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java RecordingUpstream.java DIR");
            System.exit(2);
        }
        var dir = Path.of(args[0]);
        var ports = new StringBuilder();
        for (var role : List.of("distributor", "query-frontend")) {
            var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> record(dir, role, exchange));
            server.start();
            ports.append(role).append('=').append(server.getAddress().getPort()).append('\n');
        }
        // Written last and renamed, so the script never reads a half-written file.
        var tmp = dir.resolve("ports.tmp");
        Files.writeString(tmp, ports);
        Files.move(tmp, dir.resolve("ports"));
    }

    private static void record(Path dir, String role, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            String tenant = String.join(",", headers.getOrDefault("X-Scope-OrgID", List.of("-")));
            String series = "-";
            if (role.equals("distributor") && exchange.getRequestURI().getRawPath().equals("/api/v1/push")) {
                series = recordSeries(dir, tenant, body);
            }
            append(dir.resolve("requests.log"), "role=%s method=%s target=%s tenant=%s authorization=%s content-type=%s content-encoding=%s bytes=%d sha256=%s series=%s\n"
                    .formatted(role, exchange.getRequestMethod(), exchange.getRequestURI().toString(), tenant,
                            headers.containsKey("Authorization") ? "present" : "absent",
                            headers.getFirst("Content-Type"), headers.getFirst("Content-Encoding"),
                            body.length, sha256(body), series));
            if (series.equals("undecodable")) {
                exchange.sendResponseHeaders(400, -1); // as a distributor would
            } else if (role.equals("query-frontend")) {
                byte[] answer = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } else {
                exchange.sendResponseHeaders(204, -1);
            }
        }
    }

    /** Appends the decoded series to series.log; returns their count, or "undecodable". */
    private static String recordSeries(Path dir, String tenant, byte[] body) {
        List<String> names;
        try {
            names = decodeWriteRequest(body);
        } catch (RuntimeException e) {
            System.err.println("recording-upstream: not a snappy WriteRequest: " + e);
            return "undecodable";
        }
        var lines = new StringBuilder();
        names.forEach(s -> lines.append(tenant).append(' ').append(s).append('\n'));
        append(dir.resolve("series.log"), lines.toString());
        return Integer.toString(names.size());
    }

    private static synchronized void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns each series of a snappy-compressed WriteRequest as {@code name {labels}}. */
    static List<String> decodeWriteRequest(byte[] compressed) {
        var request = new Protobuf(Snappy.decompress(compressed));
        var series = new ArrayList<String>();
        while (request.hasMore()) {
            int tag = request.varintAsInt();
            if (tag >>> 3 == 1 && (tag & 7) == 2) { // repeated TimeSeries timeseries = 1
                series.add(timeSeries(new Protobuf(request.bytes())));
            } else {
                request.skip(tag & 7); // metadata = 3 and anything newer
            }
        }
        return series;
    }

    private static String timeSeries(Protobuf series) {
        var labels = new TreeMap<String, String>();
        String value = "-"; // the last sample's
        while (series.hasMore()) {
            int tag = series.varintAsInt();
            if (tag >>> 3 == 1 && (tag & 7) == 2) { // repeated Label labels = 1
                var label = new Protobuf(series.bytes());
                String name = "", labelValue = "";
                while (label.hasMore()) {
                    int labelTag = label.varintAsInt();
                    switch (labelTag >>> 3) {
                        case 1 -> name = label.string();
                        case 2 -> labelValue = label.string();
                        default -> label.skip(labelTag & 7);
                    }
                }
                labels.put(name, labelValue);
            } else if (tag >>> 3 == 2 && (tag & 7) == 2) { // repeated Sample samples = 2
                var sample = new Protobuf(series.bytes());
                while (sample.hasMore()) {
                    int sampleTag = sample.varintAsInt();
                    if (sampleTag == (1 << 3 | 1)) { // double value = 1
                        value = Double.toString(Double.longBitsToDouble(sample.fixed64()));
                    } else {
                        sample.skip(sampleTag & 7); // int64 timestamp = 2
                    }
                }
            } else {
                series.skip(tag & 7); // exemplars = 3, histograms = 4
            }
        }
        String name = labels.remove("__name__");
        var text = new StringBuilder(name == null ? "-" : name).append(" {");
        String separator = "";
        for (Map.Entry<String, String> label : labels.entrySet()) {
            text.append(separator).append(label.getKey()).append("=\"").append(label.getValue()).append('"');
            separator = ",";
        }
        return text.append("} ").append(value).toString();
    }

    /** Reads protobuf wire format: varints, length-delimited fields, fixed 32/64-bit fields. */
    static final class Protobuf {
        private final byte[] data;
        private int position;

        Protobuf(byte[] data) {
            this.data = data;
        }

        boolean hasMore() {
            return position < data.length;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = data[position++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes at " + position);
        }

        int varintAsInt() {
            return Math.toIntExact(varint());
        }

        byte[] bytes() {
            int length = varintAsInt();
            if (length < 0 || length > data.length - position) {
                throw new IllegalArgumentException("length " + length + " past the end at " + position);
            }
            byte[] field = java.util.Arrays.copyOfRange(data, position, position + length);
            position += length;
            return field;
        }

        long fixed64() {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value |= (long) (data[position++] & 0xff) << (8 * i);
            }
            return value;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> position += 8;
                case 2 -> bytes();
                case 5 -> position += 4;
                default -> throw new IllegalArgumentException("wire type " + wireType + " at " + position);
            }
        }
    }

    /** Decodes the snappy block format (not the framing format), as Prometheus remote write sends it. */
    static final class Snappy {
        static byte[] decompress(byte[] in) {
            var header = new Protobuf(in); // the uncompressed length is a protobuf-style varint
            int length = header.varintAsInt();
            int p = header.position;
            byte[] buffer = new byte[length];
            int written = 0;
            while (p < in.length) {
                int tag = in[p++] & 0xff;
                int copyLength, offset;
                switch (tag & 3) {
                    case 0 -> { // literal; lengths above 60 follow in 1-4 little-endian bytes
                        int literal = tag >>> 2;
                        if (literal >= 60) {
                            int count = literal - 59;
                            literal = 0;
                            for (int i = 0; i < count; i++) {
                                literal |= (in[p++] & 0xff) << (8 * i);
                            }
                        }
                        literal += 1;
                        System.arraycopy(in, p, buffer, written, literal);
                        p += literal;
                        written += literal;
                        continue;
                    }
                    case 1 -> {
                        copyLength = 4 + ((tag >>> 2) & 7);
                        offset = ((tag >>> 5) << 8) | (in[p++] & 0xff);
                    }
                    case 2 -> {
                        copyLength = (tag >>> 2) + 1;
                        offset = (in[p] & 0xff) | (in[p + 1] & 0xff) << 8;
                        p += 2;
                    }
                    default -> {
                        copyLength = (tag >>> 2) + 1;
                        offset = (in[p] & 0xff) | (in[p + 1] & 0xff) << 8 | (in[p + 2] & 0xff) << 16 | (in[p + 3] & 0xff) << 24;
                        p += 4;
                    }
                }
                if (offset <= 0 || offset > written) {
                    throw new IllegalArgumentException("snappy copy offset " + offset + " at output " + written);
                }
                for (int i = 0; i < copyLength; i++) { // byte by byte: copies may overlap themselves
                    buffer[written + i] = buffer[written - offset + i];
                }
                written += copyLength;
            }
            if (written != length) {
                throw new IllegalArgumentException("snappy: " + written + " bytes decoded, header said " + length);
            }
            return buffer;
        }
    }
}
