package io.authgateway.connection;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;

/**
 * A client connection taken from the JDK server after the request head was read: bytes the client
 * sends next (starting with any it already sent past the head), the raw output under the HTTP
 * framing, and the socket channel for closing and socket options. Writes must be flushed.
 */
public record RawConnection(InputStream in, OutputStream out, SocketChannel channel) {
}
