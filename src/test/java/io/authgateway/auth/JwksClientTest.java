package io.authgateway.auth;

import io.authgateway.testing.TestKeys;
import io.jsonwebtoken.security.Jwks;
import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwksClientTest {

    @Test
    void keepsOnlyPublicSignatureKeysWithAKid() throws Exception {
        TestKeys rsa = TestKeys.generate("rsa", "RS256");
        TestKeys enc = TestKeys.generate("enc", "ES256");
        String secretJwk = Jwks.UNSAFE_JSON(Jwks.builder().key(new SecretKeySpec(new byte[32], "HmacSHA256")).id("oct").build());
        String privateJwk = Jwks.UNSAFE_JSON(Jwks.builder().key(rsa.pair().getPrivate()).publicKey(
                (java.security.interfaces.RSAPublicKey) rsa.pair().getPublic()).id("private").build());
        String encJwk = enc.publicJwkJson().replace("{", "{\"use\":\"enc\",");
        String noKid = Jwks.json(Jwks.builder().key(TestKeys.generate("x", "ES256").pair().getPublic()).build());
        String unsupported = "{\"kty\":\"XYZ\",\"kid\":\"odd\"}";
        String document = "{\"keys\":[" + String.join(",", rsa.publicJwkJson(), secretJwk, privateJwk, encJwk, noKid, unsupported) + "]}";

        Map<String, JwksKey> keys = JwksClient.parse(document);
        assertThat(keys).containsOnlyKeys("rsa");
        assertThat(keys.get("rsa").fits(AsymmetricAlgorithm.RS256)).isTrue();
        assertThat(keys.get("rsa").fits(AsymmetricAlgorithm.ES256)).isFalse();
    }

    @Test
    void aJwkThatPinsAnAlgorithmOnlyFitsThatAlgorithm() throws Exception {
        TestKeys rsa = TestKeys.generate("pinned", "RS256");
        Map<String, JwksKey> keys = JwksClient.parse("{\"keys\":[" + rsa.publicJwkJson().replace("{", "{\"alg\":\"PS256\",") + "]}");
        assertThat(keys.get("pinned").fits(AsymmetricAlgorithm.PS256)).isTrue();
        assertThat(keys.get("pinned").fits(AsymmetricAlgorithm.RS256)).isFalse();
    }

    @Test
    void documentsWithoutUsableKeysAreFailures() {
        assertThatThrownBy(() -> JwksClient.parse("not json")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JwksClient.parse("{\"keys\":[]}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JwksClient.parse("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\",\"kid\":\"x\"}]}"))
                .isInstanceOf(IOException.class);
    }
}
