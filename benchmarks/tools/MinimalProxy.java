import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The ceiling of the gateway's threading model, for the load test: one virtual thread per client
 * connection, blocking JDK sockets, one upstream connection per client connection, and nothing
 * else. It copies each request (head and Content-Length body, byte for byte) to the upstream and
 * the answer back: no token check, no header rewriting, no metrics, no chunked bodies, no limits.
 * Not a proxy anyone should run; it shows what the same two sockets per request cost with no
 * gateway work at all.
 *
 * <p>Usage: {@code java MinimalProxy.java PORT UPSTREAM_PORT}. Binds 127.0.0.1 only.
 */
public final class MinimalProxy {

    public static void main(String[] args) throws IOException {
        int upstreamPort = Integer.parseInt(args[1]);
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 1024);
        System.out.println("minimal proxy listening on 127.0.0.1:" + args[0]);
        while (true) {
            Socket client = listener.accept();
            Thread.ofVirtual().start(() -> serve(client, upstreamPort));
        }
    }

    private static void serve(Socket client, int upstreamPort) {
        try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            Messages fromClient = new Messages(client.getInputStream());
            Messages fromUpstream = new Messages(upstream.getInputStream());
            OutputStream toUpstream = upstream.getOutputStream();
            OutputStream toClient = client.getOutputStream();
            for (byte[] request; (request = fromClient.next()) != null; ) {
                toUpstream.write(request);
                byte[] answer = fromUpstream.next();
                if (answer == null) {
                    return;
                }
                toClient.write(answer);
            }
        } catch (IOException e) {
            // the load generator closed its connection
        }
    }

    /** Reads HTTP/1.1 messages framed by Content-Length (or without a body) off one socket. */
    private static final class Messages {
        private final InputStream in;
        private byte[] buffer = new byte[16 * 1024];
        private int start;
        private int end;

        Messages(InputStream in) {
            this.in = in;
        }

        /** The next message's bytes, or null at EOF. */
        byte[] next() throws IOException {
            int headEnd;
            while ((headEnd = headEnd()) < 0) {
                if (!fill()) {
                    return null;
                }
            }
            String head = new String(buffer, start, headEnd - start, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            int at = head.indexOf("\r\ncontent-length:");
            long length = 0;
            if (at >= 0) {
                int lineEnd = head.indexOf('\r', at + 2);
                length = Long.parseLong(head.substring(at + 17, lineEnd < 0 ? head.length() : lineEnd).trim());
            }
            int total = headEnd + 4 - start + (int) length;
            while (end - start < total) {
                if (!fill()) {
                    return null;
                }
            }
            byte[] message = Arrays.copyOfRange(buffer, start, start + total);
            start += total;
            return message;
        }

        private int headEnd() {
            for (int i = start; i + 3 < end; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private boolean fill() throws IOException {
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                return false;
            }
            end += n;
            return true;
        }
    }
}
