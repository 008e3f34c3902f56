package io.authgateway.auth;

import io.authgateway.config.ClientCertTenant;

import javax.security.auth.x500.X500Principal;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The tenant IDs a client certificate names in the field {@code -gateway.auth.client-cert-tenant}
 * chooses: the subject's common name (the most specific one, as Go's {@code Subject.CommonName}),
 * every DNS name, or the last path segment of every URI (SPIFFE style:
 * {@code spiffe://domain/ns/prod/sa/team-a} gives {@code team-a}). Values that are not valid tenant
 * IDs are left out. Several values are several tenants: the list feeds the tenant-list rules;
 * until those exist the first one is the request's tenant.
 */
public final class CertificateTenants {

    private static final int DNS_NAME = 2;
    private static final int URI_NAME = 6;

    private CertificateTenants() {
    }

    /** The valid tenant IDs in the chosen field, in the certificate's order; empty if none. */
    public static List<String> of(X509Certificate certificate, ClientCertTenant field) {
        List<String> candidates = switch (field) {
            case OFF -> List.of();
            case CN -> commonName(certificate.getSubjectX500Principal());
            case SAN_DNS -> alternativeNames(certificate, DNS_NAME);
            case SAN_URI -> alternativeNames(certificate, URI_NAME).stream().map(CertificateTenants::lastSegment).toList();
        };
        return candidates.stream().filter(tenant -> TenantIds.problem(tenant) == null).toList();
    }

    /**
     * The first {@code CN} of the RFC 2253 form, which lists the most specific name first. A value
     * with escapes or hex keeps its backslash or {@code #} and so fails the tenant-ID check, as it should.
     */
    private static List<String> commonName(X500Principal subject) {
        for (String part : subject.getName(X500Principal.RFC2253).split("(?<!\\\\)[,+]")) {
            if (part.startsWith("CN=")) {
                return List.of(part.substring(3));
            }
        }
        return List.of();
    }

    private static List<String> alternativeNames(X509Certificate certificate, int type) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        if (names != null) {
            for (List<?> name : names) {
                if (name.size() >= 2 && name.get(0) instanceof Integer kind && kind == type
                        && name.get(1) instanceof String value) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    /** The URI's last path segment, raw (a percent escape fails the tenant-ID check); "" if none. */
    private static String lastSegment(String uri) {
        try {
            String path = new URI(uri).getRawPath();
            return path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        } catch (URISyntaxException e) {
            return "";
        }
    }
}
