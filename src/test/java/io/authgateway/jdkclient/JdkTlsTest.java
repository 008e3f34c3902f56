package io.authgateway.jdkclient;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JdkTlsTest {

    @Test
    void usesTheJdkDefaultContextWhenAnyUpstreamIsHttps() throws Exception {
        SSLContext context = JdkTls.contextFor(List.of(URI.create("http://d:8080"), URI.create("HTTPS://q.example")));

        assertThat(context).isSameAs(SSLContext.getDefault());
    }

    @Test
    void plainHttpUpstreamsGetTheirOwnContextThatAClientAccepts() throws Exception {
        SSLContext context = JdkTls.contextFor(List.of(URI.create("http://d:8080"), URI.create("http://q:8080")));

        assertThat(context).isNotSameAs(SSLContext.getDefault());
        try (HttpClient client = HttpClient.newBuilder().sslContext(context).build()) {
            assertThat(client.sslContext()).isSameAs(context);
        }
    }
}
