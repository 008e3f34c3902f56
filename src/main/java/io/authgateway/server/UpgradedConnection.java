package io.authgateway.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A {@link ClientConnection} taken out of HTTP: its buffered streams (the input starts with any
 * bytes the client sent right after the request head), its socket (plain, or TLS, whose half-close
 * sends {@code close_notify}) and the connection's own close.
 */
record UpgradedConnection(InputStream in, OutputStream out, Socket socket, Runnable closer) implements RawConnection {

    @Override
    public void shutdownOutput() throws IOException {
        out.flush();
        socket.shutdownOutput();
    }

    @Override
    public void close() {
        closer.run();
    }
}
