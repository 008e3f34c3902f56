package io.authgateway.proxy;

import java.io.IOException;

/** The upstream's bytes do not form a valid HTTP/1.1 message; the connection is closed, never reused. */
public final class HttpFramingException extends IOException {

    public HttpFramingException(String message) {
        super(message);
    }
}
