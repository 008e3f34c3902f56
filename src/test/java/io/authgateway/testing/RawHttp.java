package io.authgateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads one HTTP/1.1 answer off a raw socket, for tests that cannot use an HTTP client. */
public final class RawHttp {

    private RawHttp() {
    }

    /** The head as sent, followed by the body with any chunked framing removed. */
    public static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        long length = -1;
        boolean chunked = false;
        for (String line; !(line = line(in)).isEmpty(); ) {
            head.append(line).append("\r\n");
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        head.append("\r\n");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int status = Integer.parseInt(head.substring(9, 12));
        if (status < 200 || status == 204 || status == 304) {
            return head.toString();
        }
        if (chunked) {
            for (int size; (size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        } else {
            body.write(in.readAllBytes());
        }
        return head + body.toString(StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed inside the answer");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
