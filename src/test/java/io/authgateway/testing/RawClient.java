package io.authgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A client that speaks raw bytes to the gateway, for requests no HTTP client would send. */
public final class RawClient implements AutoCloseable {

    private final Socket socket;

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
    }

    /** Sends ISO-8859-1 text as it is. */
    public RawClient send(String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** One answer: the head as sent, then the body without chunk framing. */
    public String answer() throws IOException {
        return RawHttp.readAnswer(socket.getInputStream());
    }

    /** Only the head of an answer (to HEAD, which has no body whatever its Content-Length says). */
    public String head() throws IOException {
        StringBuilder head = new StringBuilder();
        InputStream in = socket.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside the head");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** True if the gateway closed the connection (EOF or reset) within the read timeout. */
    public boolean closedByPeer() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    public InputStream in() throws IOException {
        return socket.getInputStream();
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
