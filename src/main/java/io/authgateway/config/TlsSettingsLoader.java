package io.authgateway.config;

import io.authgateway.tls.CaBundle;
import io.authgateway.tls.CertifiedKey;
import io.authgateway.tls.ClientAuth;
import io.authgateway.tls.TlsMaterialException;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the TLS flags ({@link TlsFlags}) and loads every file they name once, so that a bad path,
 * an unreadable or mismatched key or a mode without the CA it needs stops start-up with a problem
 * naming the flag, rather than the first handshake failing.
 */
final class TlsSettingsLoader {

    /** Go's TLS 1.3 suites, which its cipher-suite list never turns off. */
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    private final ParsedFlags flags;
    private final List<String> problems;

    TlsSettingsLoader(ParsedFlags flags, List<String> problems) {
        this.flags = flags;
        this.problems = problems;
    }

    Optional<ListenerTlsSettings> listener() {
        Optional<Path> certificate = path(TlsFlags.CERT);
        Optional<Path> key = path(TlsFlags.KEY);
        Optional<Path> ca = path(TlsFlags.CA);
        ClientAuth clientAuth = clientAuth();
        ClientCertTenant tenant = clientCertTenant();
        if (certificate.isEmpty() && key.isEmpty()) {
            for (String flag : List.of(TlsFlags.CA, TlsFlags.CLIENT_AUTH, TlsFlags.CLIENT_CERT_TENANT)) {
                if (!Set.of("", "off", "NoClientCert").contains(flags.string(flag).trim())) {
                    problems.add("-" + flag + " needs TLS on the listener: set -" + TlsFlags.CERT + " and -" + TlsFlags.KEY);
                }
            }
            return Optional.empty();
        }
        pair(certificate, key, TlsFlags.CERT, TlsFlags.KEY);
        if (clientAuth.verifies() && ca.isEmpty()) {
            problems.add("-" + TlsFlags.CLIENT_AUTH + "=" + clientAuth.goName() + " verifies client certificates: set -"
                    + TlsFlags.CA + " to the PEM bundle of their CAs");
        }
        ca.ifPresent(file -> caBundle(file, TlsFlags.CA));
        if (tenant != ClientCertTenant.OFF && !clientAuth.verifies()) {
            problems.add("-" + TlsFlags.CLIENT_CERT_TENANT + "=" + tenant.flagValue() + " needs -" + TlsFlags.CLIENT_AUTH
                    + "=VerifyClientCertIfGiven or RequireAndVerifyClientCert: an unverified certificate is never a credential");
        }
        return Optional.of(new ListenerTlsSettings(certificate.orElse(Path.of("")), key.orElse(Path.of("")), ca, clientAuth,
                protocols(), cipherSuites(), tenant));
    }

    UpstreamTlsSettings upstream() {
        Optional<Path> certificate = path(TlsFlags.UPSTREAM_CERT);
        Optional<Path> key = path(TlsFlags.UPSTREAM_KEY);
        Optional<Path> ca = path(TlsFlags.UPSTREAM_CA);
        if (certificate.isPresent() || key.isPresent()) {
            pair(certificate, key, TlsFlags.UPSTREAM_CERT, TlsFlags.UPSTREAM_KEY);
        }
        ca.ifPresent(file -> caBundle(file, TlsFlags.UPSTREAM_CA));
        String serverName = flags.string(TlsFlags.UPSTREAM_SERVER_NAME).trim();
        return new UpstreamTlsSettings(ca, certificate, key,
                serverName.isEmpty() ? Optional.empty() : Optional.of(serverName), flags.bool(TlsFlags.UPSTREAM_SKIP_VERIFY));
    }

    private Optional<Path> path(String flag) {
        String value = flags.string(flag).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
    }

    /** Both files or neither; both load, and the key is the certificate's. */
    private void pair(Optional<Path> certificate, Optional<Path> key, String certFlag, String keyFlag) {
        if (certificate.isEmpty() || key.isEmpty()) {
            problems.add("-" + certFlag + " and -" + keyFlag + " go together: set "
                    + (certificate.isEmpty() ? "-" + certFlag : "-" + keyFlag) + " as well");
            return;
        }
        try {
            CertifiedKey.load(certificate.get(), key.get());
        } catch (TlsMaterialException e) {
            String flag = switch (e.part()) {
                case CERTIFICATE -> certFlag;
                case KEY, PAIR, CA -> keyFlag;
            };
            problems.add("invalid value \"" + (flag.equals(certFlag) ? certificate.get() : key.get()) + "\" for flag -"
                    + flag + ": " + e.getMessage());
        }
    }

    private void caBundle(Path file, String flag) {
        try {
            CaBundle.load(file);
        } catch (TlsMaterialException e) {
            problems.add("invalid value \"" + file + "\" for flag -" + flag + ": " + e.getMessage());
        }
    }

    private ClientAuth clientAuth() {
        String text = flags.string(TlsFlags.CLIENT_AUTH).trim();
        try {
            return text.isEmpty() ? ClientAuth.NO_CLIENT_CERT : ClientAuth.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add("invalid value \"" + text + "\" for flag -" + TlsFlags.CLIENT_AUTH + ": expected one of "
                    + String.join(", ", Arrays.stream(ClientAuth.values()).map(ClientAuth::goName).toList()));
            return ClientAuth.NO_CLIENT_CERT;
        }
    }

    private ClientCertTenant clientCertTenant() {
        String text = flags.string(TlsFlags.CLIENT_CERT_TENANT).trim();
        try {
            return ClientCertTenant.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add("invalid value \"" + text + "\" for flag -" + TlsFlags.CLIENT_CERT_TENANT
                    + ": expected cn, san-dns, san-uri or off");
            return ClientCertTenant.OFF;
        }
    }

    private List<String> protocols() {
        String text = flags.string(TlsFlags.MIN_VERSION).trim();
        return switch (text) {
            case "VersionTLS12", "" -> List.of("TLSv1.3", "TLSv1.2");
            case "VersionTLS13" -> List.of("TLSv1.3");
            case "VersionTLS10", "VersionTLS11" -> {
                problems.add("invalid value \"" + text + "\" for flag -" + TlsFlags.MIN_VERSION
                        + ": TLS 1.0 and 1.1 are refused, use VersionTLS12 or VersionTLS13");
                yield List.of();
            }
            default -> {
                problems.add("invalid value \"" + text + "\" for flag -" + TlsFlags.MIN_VERSION
                        + ": expected VersionTLS12 or VersionTLS13");
                yield List.of();
            }
        };
    }

    /** IANA names, and Go's short names of the ChaCha20 suites; each must be one this Java runtime has. */
    private List<String> cipherSuites() {
        String text = flags.string(TlsFlags.CIPHER_SUITES).trim();
        if (text.isEmpty()) {
            return List.of();
        }
        Set<String> supported = supportedSuites();
        List<String> suites = new ArrayList<>();
        for (String name : text.split(",")) {
            String suite = name.trim().endsWith("_CHACHA20_POLY1305") ? name.trim() + "_SHA256" : name.trim();
            if (supported.contains(suite)) {
                suites.add(suite);
            } else {
                problems.add("invalid value \"" + name.trim() + "\" for flag -" + TlsFlags.CIPHER_SUITES
                        + ": not a cipher suite this Java runtime supports");
            }
        }
        if (suites.stream().noneMatch(TLS13_SUITES::contains)) {
            suites.addAll(TLS13_SUITES);
        }
        return suites;
    }

    private static Set<String> supportedSuites() {
        try {
            return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no usable TLS implementation", e);
        }
    }
}
