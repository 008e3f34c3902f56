package io.authgateway.jdkclient;

import io.authgateway.auth.DocumentFetcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JWKS downloads over the JDK's {@link HttpClient}: redirects followed (identity providers move
 * their key sets behind redirects), the default TLS trust store, one timeout for connecting and
 * for the whole answer, and a size cap read without buffering more than it allows.
 */
public final class JdkDocumentFetcher implements DocumentFetcher {

    private final HttpClient client;
    private final Duration timeout;

    public JdkDocumentFetcher(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public byte[] fetch(URI url, int maxBytes) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("endpoint answered HTTP " + response.statusCode());
            }
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IOException("document larger than " + maxBytes + " bytes");
            }
            return bytes;
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
