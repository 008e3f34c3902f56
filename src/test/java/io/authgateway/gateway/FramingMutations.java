package io.authgateway.gateway;

import io.authgateway.testing.RawClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Mutations of the HTTP/1.1 framing for {@link FuzzWireTest}, each known by construction to keep
 * the message valid or to break it (RFC 9112 §5, §6, §7.1): the oracle is the mutation, not a
 * second parser. A message with at least one breaking mutation is invalid.
 */
final class FramingMutations {

    static final int CASES = 300;
    static final String ANSWER_BODY = "hello";

    private FramingMutations() {
    }

    record Body(String wire, String payload, boolean valid, List<String> mutations) {
        @Override
        public String toString() {
            return mutations + " " + wire.replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    record Answer(String wire, boolean valid, List<String> mutations) {
        @Override
        public String toString() {
            return mutations + " " + wire.replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    /** Two to four chunks of a known payload, with zero to two mutations of their framing. */
    static Body chunkedBody(Random random) {
        List<String> mutations = new ArrayList<>();
        boolean valid = true;
        StringBuilder wire = new StringBuilder();
        StringBuilder payload = new StringBuilder();
        int chunks = 2 + random.nextInt(3);
        for (int c = 0; c < chunks; c++) {
            String data = "chunk" + c + "-" + "x".repeat(random.nextInt(20));
            String size = Integer.toHexString(data.length());
            String line = size;
            String end = "\r\n";
            String body = data;
            if (random.nextInt(3) == 0) {
                int kind = random.nextInt(CHUNK_MUTATIONS.length);
                String[] mutation = CHUNK_MUTATIONS[kind];
                mutations.add(mutation[0]);
                valid &= mutation[1].equals("valid");
                switch (mutation[0]) {
                    case "leading zeros" -> line = "000" + size;
                    case "upper-case hex" -> line = size.toUpperCase();
                    case "extension" -> line = size + ";name=value";
                    case "quoted extension" -> line = size + ";n=\"a;b\"";
                    case "white space before extension" -> line = size + " ;n";
                    case "sign" -> line = "+" + size;
                    case "0x prefix" -> line = "0x" + size;
                    case "leading space" -> line = " " + size;
                    case "trailing space" -> line = size + " ";
                    case "overflow" -> line = "1" + "0".repeat(16);
                    case "bare LF after size" -> line = size;
                    case "extension without name" -> line = size + ";=x";
                    case "oversized extension" -> line = size + ";" + "e".repeat(5000);
                    case "one byte too many" -> body = data + "!";
                    case "missing CRLF after data" -> end = "";
                    case "LF after data" -> end = "\n";
                    default -> throw new IllegalStateException(mutation[0]);
                }
                if (mutation[0].equals("bare LF after size")) {
                    wire.append(line).append('\n').append(body).append(end);
                    payload.append(data);
                    continue;
                }
            }
            wire.append(line).append("\r\n").append(body).append(end);
            payload.append(data);
        }
        wire.append("0\r\n");
        if (random.nextInt(4) == 0) {
            boolean folded = random.nextBoolean();
            mutations.add(folded ? "folded trailer" : "trailer");
            valid &= !folded;
            wire.append(folded ? "X-T: 1\r\n 2\r\n" : "X-T: 1\r\n");
        }
        wire.append("\r\n");
        return new Body(wire.toString(), payload.toString(), valid, mutations);
    }

    private static final String[][] CHUNK_MUTATIONS = {
            {"leading zeros", "valid"}, {"upper-case hex", "valid"}, {"extension", "valid"},
            {"quoted extension", "valid"}, {"white space before extension", "valid"},
            {"sign", "invalid"}, {"0x prefix", "invalid"}, {"leading space", "invalid"}, {"trailing space", "invalid"},
            {"overflow", "invalid"}, {"bare LF after size", "invalid"}, {"extension without name", "invalid"},
            {"oversized extension", "invalid"}, {"one byte too many", "invalid"}, {"missing CRLF after data", "invalid"},
            {"LF after data", "invalid"},
    };

    /** A 200 answer with body {@link #ANSWER_BODY}, with zero to two mutations of its head or framing. */
    static Answer answer(Random random) {
        String statusLine = "HTTP/1.1 200 OK";
        List<String> fields = new ArrayList<>(List.of("Content-Type: text/plain", "Content-Length: 5"));
        String lineEnd = "\r\n";
        String after = "";
        List<String> mutations = new ArrayList<>();
        boolean valid = true;
        for (int n = random.nextInt(3); n > 0; n--) {
            String[] mutation = ANSWER_MUTATIONS[random.nextInt(ANSWER_MUTATIONS.length)];
            mutations.add(mutation[0]);
            valid &= mutation[1].equals("valid");
            switch (mutation[0]) {
                case "lower-case names" -> fields.replaceAll(field -> field.substring(0, field.indexOf(':')).toLowerCase()
                        + field.substring(field.indexOf(':')));
                case "extra field" -> fields.add(1, "X-Extra: a, b;c=\"d\"");
                case "white space around a value" -> fields.set(lengthIndex(fields), "Content-Length: \t5 ");
                case "empty reason" -> statusLine = statusLine.substring(0, 13);
                case "bare LF" -> lineEnd = "\n";
                case "folded field" -> fields.add(0, "X-Folded: a\r\n b");
                case "both framings" -> fields.add("Transfer-Encoding: chunked");
                case "second length" -> fields.add("Content-Length: 5");
                case "length list" -> fields.set(lengthIndex(fields), "Content-Length: 5, 5");
                case "signed length" -> fields.set(lengthIndex(fields), "Content-Length: +5");
                case "control byte" -> fields.add("X-Ctl: a\u0001b");
                case "space before colon" -> fields.add("X-Space : a");
                case "status digits" -> statusLine = "HTTP/1.1 2x0" + statusLine.substring(12);
                case "bytes after the body" -> after = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nLEAKS";
                default -> throw new IllegalStateException(mutation[0]);
            }
        }
        StringBuilder wire = new StringBuilder(statusLine).append(lineEnd);
        for (String field : fields) {
            wire.append(field).append(lineEnd);
        }
        wire.append(lineEnd).append(ANSWER_BODY).append(after);
        return new Answer(wire.toString(), valid, mutations);
    }

    private static int lengthIndex(List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).toLowerCase().startsWith("content-length")) {
                return i;
            }
        }
        throw new IllegalStateException("no Content-Length in " + fields);
    }

    private static final String[][] ANSWER_MUTATIONS = {
            {"lower-case names", "valid"}, {"extra field", "valid"}, {"white space around a value", "valid"},
            {"empty reason", "valid"},
            {"bare LF", "invalid"}, {"folded field", "invalid"}, {"both framings", "invalid"}, {"second length", "invalid"},
            {"length list", "invalid"}, {"signed length", "invalid"}, {"control byte", "invalid"},
            {"space before colon", "invalid"}, {"status digits", "invalid"}, {"bytes after the body", "invalid"},
    };

    /**
     * Sends a request, half-closes (so a body that needs more bytes ends instead of waiting for the
     * read timeout) and returns the answer, or "" when the connection closed without one.
     */
    static String exchange(int port, String request) throws IOException {
        try (RawClient client = new RawClient(port)) {
            client.send(request);
            client.socket().shutdownOutput();
            try {
                return client.answer();
            } catch (IOException closedWithoutAnswer) {
                return "";
            }
        }
    }
}
