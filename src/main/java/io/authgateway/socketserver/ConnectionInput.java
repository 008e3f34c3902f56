package io.authgateway.socketserver;

import io.authgateway.proxy.SocketInput;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A client connection's input. Every read from the socket honours the current deadline: the read
 * timeout of the request being received, or the idle timeout between requests.
 */
final class ConnectionInput extends SocketInput {

    private final Socket socket;
    /** System.nanoTime() by which the current read must complete; 0 for none. */
    private long deadline;

    ConnectionInput(Socket socket, int size) throws IOException {
        super(socket.getInputStream(), size);
        this.socket = socket;
    }

    /** Reads from now on must complete by {@code nanoTime}; 0 removes the deadline. */
    void deadline(long nanoTime) {
        deadline = nanoTime;
    }

    @Override
    protected void beforeRead() throws IOException {
        if (deadline == 0) {
            socket.setSoTimeout(0);
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("read deadline passed");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
    }
}
