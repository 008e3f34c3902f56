package io.authgateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The raw-bytes mode of {@link RecordingUpstream}: reads each request head (and a Content-Length
 * body), records it, and lets the script write whatever answer it likes. Counts connections.
 */
final class RawServer implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger connections = new AtomicInteger();
    private final Consumer<RecordingUpstream.Recorded> recorder;
    private volatile RecordingUpstream.Script script;

    RawServer(RecordingUpstream.Script script, Consumer<RecordingUpstream.Recorded> recorder) throws IOException {
        this.script = script;
        this.recorder = recorder;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        executor.submit(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    void script(RecordingUpstream.Script script) {
        this.script = script;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                int number = connections.incrementAndGet();
                executor.submit(() -> serve(socket, number));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int number) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (int request = 1; ; request++) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                recorder.accept(record(head, in));
                boolean keepOpen = script.answer(number, request, head, in, out);
                out.flush();
                if (!keepOpen) {
                    return;
                }
            }
        } catch (IOException e) {
            // the gateway closed the connection; nothing to do
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    /** The request as recorded, its Content-Length body read (a chunked one is left to the script). */
    private static RecordingUpstream.Recorded record(String head, InputStream in) throws IOException {
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        String target = requestLine.length > 1 ? requestLine[1] : "";
        int question = target.indexOf('?');
        Map<String, List<String>> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body = new byte[0];
        List<String> length = headers.get("content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length.getFirst()));
        }
        return new RecordingUpstream.Recorded(requestLine[0], question < 0 ? target : target.substring(0, question),
                question < 0 ? null : target.substring(question + 1), headers, body.length, "", body, true);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing during test teardown
        }
        executor.shutdownNow();
    }
}
