package io.authgateway.tls;

import java.util.Arrays;

/**
 * {@code -server.http-tls-client-auth}, with Go's {@code tls.ClientAuthType} names and meaning: whether
 * the listener asks for a client certificate, whether it must get one, and whether it verifies it
 * against the CA bundle. Only a verified certificate can ever stand for a tenant.
 */
public enum ClientAuth {
    NO_CLIENT_CERT("NoClientCert", false, false, false),
    REQUEST_CLIENT_CERT("RequestClientCert", true, false, false),
    REQUIRE_ANY_CLIENT_CERT("RequireAnyClientCert", true, true, false),
    VERIFY_CLIENT_CERT_IF_GIVEN("VerifyClientCertIfGiven", true, false, true),
    REQUIRE_AND_VERIFY_CLIENT_CERT("RequireAndVerifyClientCert", true, true, true);

    private final String goName;
    private final boolean requests;
    private final boolean requires;
    private final boolean verifies;

    ClientAuth(String goName, boolean requests, boolean requires, boolean verifies) {
        this.goName = goName;
        this.requests = requests;
        this.requires = requires;
        this.verifies = verifies;
    }

    public static ClientAuth parse(String text) {
        return Arrays.stream(values()).filter(mode -> mode.goName.equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(text));
    }

    public String goName() {
        return goName;
    }

    public boolean requests() {
        return requests;
    }

    public boolean requires() {
        return requires;
    }

    /** Whether a certificate the client sends is checked against the CA bundle (which is then needed). */
    public boolean verifies() {
        return verifies;
    }
}
