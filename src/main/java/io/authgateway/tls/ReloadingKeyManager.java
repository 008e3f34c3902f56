package io.authgateway.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Presents one certificate and key, replaceable while connections are open: a handshake asks for
 * an alias and then for that alias's chain and key, so each pair gets an alias of its own and the
 * pair before the last swap stays reachable, so a handshake that chose just before a swap still
 * completes with the pair it chose. Established connections are never touched.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private record Generation(String alias, CertifiedKey pair) {
    }

    private volatile Generation current;
    private volatile Generation previous;
    private int generations;

    public ReloadingKeyManager(CertifiedKey initial) {
        this.current = new Generation("pair-0", initial);
        this.previous = current;
    }

    /** Serves {@code next} to every handshake from now on. */
    public synchronized void replace(CertifiedKey next) {
        previous = current;
        current = new Generation("pair-" + ++generations, next);
    }

    public CertifiedKey current() {
        return current.pair();
    }

    private Generation byAlias(String alias) {
        Generation now = current;
        if (now.alias().equals(alias)) {
            return now;
        }
        Generation before = previous;
        return before.alias().equals(alias) ? before : null;
    }

    /** JSSE asks by key type: RSA, EC, RSASSA-PSS, EdDSA, and for TLS 1.2 also "EC_EC"-style pairs. */
    private String aliasFor(String... keyTypes) {
        Generation now = current;
        String algorithm = now.pair().key().getAlgorithm();
        boolean fits = keyTypes == null || Arrays.stream(keyTypes).anyMatch(type -> type != null
                && (type.equals(algorithm) || type.startsWith(algorithm + "_")
                || type.equals("EdDSA") && algorithm.startsWith("Ed")));
        return fits ? now.alias() : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Generation generation = byAlias(alias);
        return generation == null ? null : generation.pair().chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Generation generation = byAlias(alias);
        return generation == null ? null : generation.pair().key();
    }
}
