package io.authgateway.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A client connection taken out of HTTP after an upgrade ({@link ConnectionControl#upgrade}): the
 * bytes the client sends next (starting with any it sent right after the request head), and the
 * output under the HTTP framing, still under the write-stall deadline. Writes must be flushed.
 */
public interface RawConnection {

    InputStream in();

    OutputStream out();

    /** Half-closes: the client reads the end of the stream while it may still send. */
    void shutdownOutput() throws IOException;

    /** Closes the socket now, from any thread; a blocked read or write fails. */
    void close();
}
