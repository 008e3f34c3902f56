package io.authgateway.auth;

import com.sun.net.httpserver.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TokenExtractorTest {

    private final TokenExtractor basicOn = new TokenExtractor(List.of("X-Token"), true);
    private final TokenExtractor basicOff = new TokenExtractor(List.of(), false);

    private static Headers authorization(String value) {
        Headers headers = new Headers();
        headers.add("Authorization", value);
        return headers;
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theBasicPasswordIsTheTokenAndTheUsernameTheChoice() {
        assertThat(basicOn.extract(authorization(basic("team-a:tok.en.sig"))))
                .isEqualTo(new Credentials.Token("tok.en.sig", "Authorization", Optional.of("team-a")));
        assertThat(basicOn.extract(authorization(basic("a|b:tok"))))
                .isEqualTo(new Credentials.Token("tok", "Authorization", Optional.of("a|b")));
    }

    @Test
    void anEmptyUsernameChoosesNothingAndAPasswordMayHoldColons() {
        assertThat(basicOn.extract(authorization(basic(":tok"))))
                .isEqualTo(new Credentials.Token("tok", "Authorization", Optional.empty()));
        assertThat(basicOn.extract(authorization(basic("a:to:k"))))
                .isEqualTo(new Credentials.Token("to:k", "Authorization", Optional.of("a")));
    }

    @Test
    void theSchemeIsCaseInsensitiveAndUnpaddedBase64IsRead() {
        String unpadded = Base64.getEncoder().withoutPadding().encodeToString("a:tok".getBytes(StandardCharsets.UTF_8));
        assertThat(basicOn.extract(authorization("bAsIc " + unpadded)))
                .isEqualTo(new Credentials.Token("tok", "Authorization", Optional.of("a")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", value = {
            "Basic !!!notbase64 => basic credentials are not base64",
            "Basic dGVuYW50LW9ubHk= => basic credentials without a colon",
            "Basic YTo= => basic credentials without a password (the token)",
            "Basic //46eA== => basic credentials are not UTF-8"})
    void malformedBasicCredentialsAreRefused(String header, String detail) {
        assertThat(basicOn.extract(authorization(header))).isEqualTo(new Credentials.Malformed(detail));
    }

    @Test
    void withBasicOffTheHeaderIsReadAsABearerTokenAsBefore() {
        assertThat(basicOff.extract(authorization(basic("a:tok"))))
                .isEqualTo(new Credentials.Token(basic("a:tok"), "Authorization", Optional.empty()));
    }

    @Test
    void anExtraHeaderStillWinsOverBasic() {
        Headers headers = authorization(basic("a:tok"));
        headers.add("X-Token", "raw");
        assertThat(basicOn.extract(headers)).isEqualTo(new Credentials.Token("raw", "X-Token", Optional.empty()));
    }

    @Test
    void noHeaderIsMissing() {
        assertThat(basicOn.extract(new Headers())).isEqualTo(new Credentials.Missing());
    }
}
