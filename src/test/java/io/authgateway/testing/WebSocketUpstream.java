package io.authgateway.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real WebSocket server on a loopback port, written from RFC 6455 for the tests: it answers the
 * handshake with {@code Sec-WebSocket-Accept = base64(sha1(key + GUID))}, reads masked client
 * frames, echoes text and binary frames, answers pings, returns a close frame with the client's
 * code, and records everything it sees. Tests can also make it send frames, close with a code, or
 * refuse the upgrade with a raw HTTP answer.
 */
public final class WebSocketUpstream implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    /** What one connection's handshake looked like. Header names are lower case. */
    public record Handshake(String requestLine, Map<String, List<String>> headers) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.getFirst();
        }

        public List<String> headerValues(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        public String target() {
            return requestLine.split(" ")[1];
        }
    }

    /** A frame received from the gateway (unmasked), or the end of its stream (opcode -1). */
    public record Frame(int opcode, byte[] payload, boolean masked) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    private volatile String refusal;
    private volatile String greeting;

    public WebSocketUpstream() throws IOException {
        this(null);
    }

    /** An upstream over TLS with this context's certificate ({@code https://localhost:port}), or plain when null. */
    public WebSocketUpstream(javax.net.ssl.SSLContext tls) throws IOException {
        server = tls == null ? new ServerSocket(0, 200, InetAddress.getLoopbackAddress())
                : tls.getServerSocketFactory().createServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public URI base() {
        return server instanceof javax.net.ssl.SSLServerSocket
                ? URI.create("https://localhost:" + server.getLocalPort())
                : URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Answer every handshake with this raw HTTP response instead of 101, then close. */
    public void refuseWith(String rawResponse) {
        this.refusal = rawResponse;
    }

    /** Send this text frame in the same write as the 101 head. */
    public void greetWith(String text) {
        this.greeting = text;
    }

    /** TCP connections accepted so far, upgraded or not. */
    public int accepted() {
        return accepted.get();
    }

    public Connection nextConnection() throws InterruptedException {
        Connection connection = connections.poll(10, TimeUnit.SECONDS);
        if (connection == null) {
            throw new AssertionError("no WebSocket handshake reached the upstream within 10s");
        }
        return connection;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            List<String> lines = new ArrayList<>();
            for (String line; !(line = readLine(in)).isEmpty(); ) {
                lines.add(line);
            }
            Map<String, List<String>> headers = new TreeMap<>();
            for (String header : lines.subList(1, lines.size())) {
                int colon = header.indexOf(':');
                headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(header.substring(colon + 1).trim());
            }
            Connection connection = new Connection(new Handshake(lines.getFirst(), headers), socket, out);
            String refused = refusal;
            if (refused != null) {
                out.write(refused.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                connections.add(connection);
                return;
            }
            connection.accept(greeting);
            connections.add(connection);
            connection.readFrames(in);
        } catch (IOException e) {
            // the gateway or the test closed the connection
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException();
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** One upgraded (or refused) connection. */
    public static final class Connection {

        private final Handshake handshake;
        private final Socket socket;
        private final OutputStream out;
        private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        private volatile boolean closeSent;

        Connection(Handshake handshake, Socket socket, OutputStream out) {
            this.handshake = handshake;
            this.socket = socket;
            this.out = out;
        }

        public Handshake handshake() {
            return handshake;
        }

        /** The next frame from the gateway, with pings, pongs and closes included; opcode -1 at end of stream. */
        public Frame nextFrame() throws InterruptedException {
            Frame frame = frames.poll(10, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("no frame reached the upstream within 10s");
            }
            return frame;
        }

        public void sendText(String text) throws IOException {
            send(TEXT, text.getBytes(StandardCharsets.UTF_8));
        }

        public void sendBinary(byte[] payload) throws IOException {
            send(BINARY, payload);
        }

        public void sendPing(byte[] payload) throws IOException {
            send(PING, payload);
        }

        /** Starts the closing handshake; the socket closes once the client answers. */
        public void sendClose(int code, String reason) throws IOException {
            closeSent = true;
            send(CLOSE, closePayload(code, reason));
        }

        void accept(String greeting) throws IOException {
            String key = handshake.header("Sec-WebSocket-Key");
            String answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + acceptFor(key) + "\r\n\r\n";
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write(answer.getBytes(StandardCharsets.ISO_8859_1));
            if (greeting != null) {
                bytes.write(frame(TEXT, greeting.getBytes(StandardCharsets.UTF_8)));
            }
            synchronized (this) {
                out.write(bytes.toByteArray());
                out.flush();
            }
        }

        void readFrames(InputStream in) throws IOException {
            try {
                while (true) {
                    Frame frame = readFrame(in);
                    frames.add(frame);
                    switch (frame.opcode()) {
                        case TEXT, BINARY -> send(frame.opcode(), frame.payload());
                        case PING -> send(PONG, frame.payload());
                        case CLOSE -> {
                            if (!closeSent) {
                                send(CLOSE, frame.payload());
                            }
                            return;
                        }
                        default -> {
                        }
                    }
                }
            } catch (EOFException e) {
                frames.add(new Frame(-1, new byte[0], false));
            }
        }

        private synchronized void send(int opcode, byte[] payload) throws IOException {
            out.write(frame(opcode, payload));
            out.flush();
        }

        public void closeSocket() throws IOException {
            socket.close();
        }

        private static Frame readFrame(InputStream in) throws IOException {
            int b0 = readByte(in);
            int b1 = readByte(in);
            boolean masked = (b1 & 0x80) != 0;
            long length = b1 & 0x7f;
            if (length == 126) {
                length = ((long) readByte(in) << 8) | readByte(in);
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte(in);
                }
            }
            byte[] mask = masked ? in.readNBytes(4) : new byte[4];
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                throw new EOFException();
            }
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            return new Frame(b0 & 0x0f, payload, masked);
        }

        private static int readByte(InputStream in) throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            return b;
        }
    }

    /** An unmasked server frame with FIN set. */
    public static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 10);
        out.write(0x80 | opcode);
        if (payload.length < 126) {
            out.write(payload.length);
        } else if (payload.length < 65536) {
            out.write(126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        } else {
            out.write(127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    public static byte[] closePayload(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array();
    }

    public static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
