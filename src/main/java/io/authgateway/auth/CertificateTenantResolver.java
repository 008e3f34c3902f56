package io.authgateway.auth;

import io.authgateway.config.AuthSettings;
import io.authgateway.config.ClientCertTenant;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Client certificates as credentials: a request on a connection whose certificate the listener
 * verified takes its tenant from the certificate ({@link CertificateTenants}) and needs no token;
 * a request without one goes to token authentication. The server hands over only verified
 * certificates, so an unverified one never gets here. The token headers are withheld from the
 * upstream as for a token-authenticated request. Several valid values (SAN entries) are a tenant
 * list, as a token's list claim is (the first 100, distinct; only the first one when
 * {@code -gateway.auth.tenant-federation=false}). A verified certificate carries every scope: the
 * CA that signed it is the operator's policy, so {@code -gateway.auth.require-scopes} does not
 * refuse it.
 */
public final class CertificateTenantResolver {

    private final ClientCertTenant field;
    private final boolean federation;
    private final Set<String> withheldHeaders;

    public CertificateTenantResolver(ClientCertTenant field, AuthSettings auth) {
        this.field = field;
        this.federation = auth.access().tenantFederation();
        this.withheldHeaders = auth.forwardToken() ? Set.of()
                : new TokenExtractor(auth.extraHeaders(), auth.access().basicEnabled()).lowerCaseHeaders();
    }

    /** The certificate's outcome, or empty when there is no certificate (or the field is off): use a token. */
    public Optional<AuthResult> resolve(Optional<X509Certificate> verified) {
        if (field == ClientCertTenant.OFF || verified.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate certificate = verified.get();
        List<String> tenants = CertificateTenants.of(certificate, field);
        if (tenants.isEmpty()) {
            return Optional.of(new AuthResult.Rejected(RejectReason.CERTIFICATE_TENANT_NOT_VALID, "client certificate "
                    + describe(certificate) + " has no valid tenant ID in " + field.flagValue()));
        }
        List<String> distinct = tenants.stream().distinct().limit(federation ? TenantClaim.MAX_TENANTS : 1).toList();
        return Optional.of(new AuthResult.Authenticated(new Grant(distinct, Scopes.ALL), Optional.empty(), withheldHeaders,
                TokenIdentity.NONE));
    }

    /** Subject and serial, for log lines. */
    public static String describe(X509Certificate certificate) {
        return "subject=\"" + certificate.getSubjectX500Principal().getName() + "\" serial=" + serial(certificate);
    }

    public static String serial(X509Certificate certificate) {
        return HexFormat.of().formatHex(certificate.getSerialNumber().toByteArray());
    }
}
