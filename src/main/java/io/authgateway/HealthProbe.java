package io.authgateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * The container's health check, for images without shell or curl:
 * {@code HealthProbe [URL]} exits 0 when the URL (default {@code http://127.0.0.1:8080/ready})
 * answers 200 within two seconds, else 1 with the reason on stderr. Uses
 * {@link HttpURLConnection} (java.base) because a probe JVM should start as little as possible.
 */
public final class HealthProbe {

    static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8080/ready");
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private HealthProbe() {
    }

    public static void main(String[] args) {
        System.exit(probe(args.length > 0 ? URI.create(args[0]) : DEFAULT_URL, TIMEOUT, System.err));
    }

    static int probe(URI url, Duration timeout, PrintStream err) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setUseCaches(false);
            int status = connection.getResponseCode();
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (body != null) {
                    body.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            if (status == 200) {
                return 0;
            }
            err.println("health probe: " + url + " answered " + status);
            return 1;
        } catch (IOException | IllegalArgumentException e) {
            err.println("health probe: " + url + " failed: " + e);
            return 1;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
