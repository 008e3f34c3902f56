package io.authgateway.observability;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes {@link AuditRecord}s as JSON lines straight into bytes: one object per line, fields in a
 * fixed order, a field that does not apply left out, strings escaped as the log escapes them. One
 * per writer thread, which owns its buffer, the text of the last second it formatted (lines come
 * in bursts) and the random source of request ids that tracing did not give: all of this work
 * stays off the request path. Printable ASCII, almost every value, is copied byte for byte; any
 * other value goes through {@link Log#escape} and UTF-8.
 */
final class AuditLines {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final SplittableRandom random = new SplittableRandom();
    private byte[] bytes = new byte[64 * 1024];
    private int size;
    private long lastEpochSecond = Long.MIN_VALUE;
    private byte[] lastSecondText;

    /** Appends the record as one JSON object and a newline. */
    void append(AuditRecord record) {
        ascii("{\"ts\":\"");
        timestamp(record.ts());
        ascii("\",\"request_id\":\"");
        if (record.requestId() == null) {
            randomId();
        } else {
            string(record.requestId());
        }
        put('"');
        field("client_ip", record.clientIp());
        field("method", record.method());
        field("path", record.path());
        field("route_class", record.routeClass());
        field("upstream", record.upstream());
        field("tenant", record.tenant());
        field("sub", record.sub());
        field("jti", record.jti());
        field("kid", record.kid());
        field("alg", record.alg());
        field("cert_subject", record.certSubject());
        field("cert_serial", record.certSerial());
        field("decision", record.decision());
        field("reason", record.reason());
        ascii(",\"status\":");
        number(record.status());
        ascii(",\"bytes_in\":");
        number(record.bytesIn());
        ascii(",\"bytes_out\":");
        number(record.bytesOut());
        long micros = record.durationMicros();
        ascii(",\"duration_ms\":");
        number(micros / 1000);
        put('.');
        threeDigits((int) (micros % 1000));
        ascii("}\n");
    }

    /** The lines appended since the last {@link #clear}, for one write. */
    ByteBuffer lines() {
        return ByteBuffer.wrap(bytes, 0, size);
    }

    /** Starts a new batch; a buffer grown past 1 MiB by a burst of long lines is let go. */
    void clear() {
        size = 0;
        if (bytes.length > 1024 * 1024) {
            bytes = new byte[64 * 1024];
        }
    }

    /** The lines as text (tests). */
    String text() {
        return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }

    /** RFC 3339, UTC, always with milliseconds. */
    private void timestamp(Instant ts) {
        if (ts.getEpochSecond() != lastEpochSecond) {
            String whole = Log.timestamp(Instant.ofEpochSecond(ts.getEpochSecond()));
            lastSecondText = whole.substring(0, whole.length() - 1).getBytes(StandardCharsets.US_ASCII);
            lastEpochSecond = ts.getEpochSecond();
        }
        room(lastSecondText.length);
        System.arraycopy(lastSecondText, 0, bytes, size, lastSecondText.length);
        size += lastSecondText.length;
        put('.');
        threeDigits(ts.getNano() / 1_000_000);
        put('Z');
    }

    /** 128 random bits as 32 hex digits: the request id of a request that was not traced. */
    private void randomId() {
        room(32);
        for (long part : new long[] {random.nextLong(), random.nextLong()}) {
            for (int shift = 60; shift >= 0; shift -= 4) {
                bytes[size++] = HEX[(int) (part >>> shift) & 0xf];
            }
        }
    }

    private void field(String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        ascii(",\"");
        ascii(name);
        ascii("\":\"");
        string(value);
        put('"');
    }

    /** A JSON string's content: printable ASCII copied as it is, anything else escaped and UTF-8 encoded. */
    private void string(String value) {
        int length = value.length();
        room(length);
        int start = size;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                size = start;
                StringBuilder escaped = new StringBuilder(length + 16);
                Log.escape(escaped, value);
                byte[] utf8 = escaped.toString().getBytes(StandardCharsets.UTF_8);
                room(utf8.length);
                System.arraycopy(utf8, 0, bytes, size, utf8.length);
                size += utf8.length;
                return;
            }
            bytes[size++] = (byte) c;
        }
    }

    /** Text known to be ASCII without anything to escape (names and punctuation). */
    private void ascii(String text) {
        int length = text.length();
        room(length);
        for (int i = 0; i < length; i++) {
            bytes[size++] = (byte) text.charAt(i);
        }
    }

    private void number(long value) {
        if (value < 0) {
            put('-');
            value = -value;
        }
        if (value < 10) {
            put((char) ('0' + value));
            return;
        }
        room(20);
        int end = size + digits(value);
        for (int i = end - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size = end;
    }

    private static int digits(long value) {
        int digits = 1;
        for (long limit = 10; value >= limit && digits < 19; limit *= 10) {
            digits++;
        }
        return digits;
    }

    private void threeDigits(int value) {
        room(3);
        bytes[size++] = (byte) ('0' + value / 100);
        bytes[size++] = (byte) ('0' + value / 10 % 10);
        bytes[size++] = (byte) ('0' + value % 10);
    }

    private void put(char c) {
        room(1);
        bytes[size++] = (byte) c;
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
