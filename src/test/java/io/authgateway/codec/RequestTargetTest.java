package io.authgateway.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestTargetTest {

    @ParameterizedTest
    @CsvSource({"/api/v1/push, /api/v1/push", "//api/x, /api/x", "///api/v1/push, /api/v1/push", "/a/../b, /b",
            "/a/./b/, /a/b/", "/.., /", "/a/b/.., /a", "/api//v1///push, /api/v1/push", "/, /", "/a/b/../../.., /",
            "/api/v1/pu%73h, /api/v1/push", "/%2E%2E/api, /api", "/a/%2e/b, /a/b", "/rules/my%2Fns, /rules/my%2Fns",
            "/rules/%7e, /rules/~"})
    void canonicalPathIsGoPathCleanOfThePathWithUnreservedCharactersDecoded(String path, String canonical) throws Exception {
        RequestTarget target = RequestTarget.parse(path);

        assertThat(target.canonicalPath()).isEqualTo(canonical);
        assertThat(target.isCanonical()).isEqualTo(path.equals(canonical));
    }

    @Test
    void splitsPathAndQueryKeepingBothRaw() throws Exception {
        RequestTarget target = RequestTarget.parse("/prometheus/api/v1/query?query=rate(x%5B5m%5D)&a=b?c");

        assertThat(target.path()).isEqualTo("/prometheus/api/v1/query");
        assertThat(target.query()).isEqualTo("query=rate(x%5B5m%5D)&a=b?c");
        assertThat(target.raw()).isEqualTo("/prometheus/api/v1/query?query=rate(x%5B5m%5D)&a=b?c");
    }

    @Test
    void acceptsBracketsInTheQueryAsPromqlClientsSendThem() throws Exception {
        assertThat(RequestTarget.parse("/api/v1/query?query=rate(x[5m])").query()).isEqualTo("query=rate(x[5m])");
    }

    @Test
    void asteriskIsItsOwnForm() throws Exception {
        assertThat(RequestTarget.parse("*").isAsterisk()).isTrue();
        assertThat(RequestTarget.parse("/*").isAsterisk()).isFalse();
    }

    @Test
    void everyTargetItAcceptsIsAJavaNetUriThatKeepsItAsSent() throws Exception {
        for (char c = 0x21; c < 0x7f; c++) {
            for (String raw : new String[] {"/a" + c + "b", "/a?q=" + c + "b"}) {
                boolean accepted;
                try {
                    RequestTarget.parse(raw);
                    accepted = true;
                } catch (HttpProtocolException e) {
                    accepted = false;
                }
                if (accepted) {
                    assertThat(java.net.URI.create(raw).toString()).as(raw).isEqualTo(raw);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"%2Fapi%2Fv1%2Fpush", "http://mimir/api/v1/push", "mimir:8080", "api/v1/push", "",
            "/a%zz", "/a%2", "/a[b]", "/a{b}", "/a|b", "/a\\b", "/a#b", "/q?x=a#b", "/q?x={a}", "/q?x=\"a\"",
            "/q?x=a^b", "/q?x=a`b"})
    void refusesWhatIsNotOriginFormOrBreaksRfc3986(String raw) {
        assertThatThrownBy(() -> RequestTarget.parse(raw)).isInstanceOfSatisfying(HttpProtocolException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }
}
