package io.authgateway.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal blocking HTTP/1.1 client over one keep-alive socket, so that the round-trip benchmark
 * measures the server side and not {@code java.net.http.HttpClient}. Reads a response by its
 * Content-Length or chunked framing and fails on anything else; not for general use.
 */
final class KeepAliveClient implements Closeable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] skip = new byte[16 * 1024];

    KeepAliveClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    /** Builds the bytes of one request; the same array is sent again and again. */
    static byte[] request(String method, String target, int port, String token, byte[] body) {
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("User-Agent: Prometheus/2.53.0\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (body.length > 0) {
            head.append("Content-Type: application/x-protobuf\r\nContent-Encoding: snappy\r\n")
                    .append("X-Prometheus-Remote-Write-Version: 0.1.0\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** Sends the request and reads the whole response; returns the status code. */
    int exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("bad status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String header; !(header = line()).isEmpty(); ) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                throw new IOException("server closes the connection; keep-alive expected");
            }
        }
        if (chunked) {
            for (long size; (size = Long.parseLong(line().split(";", 2)[0].trim(), 16)) > 0; ) {
                discard(size);
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length > 0) {
            discard(length);
        }
        return status;
    }

    private void discard(long bytes) throws IOException {
        while (bytes > 0) {
            int n = in.read(skip, 0, (int) Math.min(skip.length, bytes));
            if (n < 0) {
                throw new EOFException("connection closed inside a body");
            }
            bytes -= n;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("connection closed inside a response head");
            }
            if (c != '\r') {
                buffer.write(c);
            }
        }
        return buffer.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
