package io.authgateway.config;

/**
 * {@code -gateway.auth.client-cert-tenant}: which field of a verified client certificate names the
 * tenant; {@code OFF} (the default) leaves every request to token authentication.
 */
public enum ClientCertTenant {
    OFF("off"), CN("cn"), SAN_DNS("san-dns"), SAN_URI("san-uri");

    private final String flagValue;

    ClientCertTenant(String flagValue) {
        this.flagValue = flagValue;
    }

    public static ClientCertTenant parse(String text) {
        for (ClientCertTenant value : values()) {
            if (value.flagValue.equals(text)) {
                return value;
            }
        }
        throw new IllegalArgumentException(text);
    }

    public String flagValue() {
        return flagValue;
    }
}
