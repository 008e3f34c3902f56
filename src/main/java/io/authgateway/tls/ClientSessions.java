package io.authgateway.tls;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.X509ExtendedTrustManager;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Optional;

/**
 * Keeps the upstream client's resumable sessions in line with its current certificate and CA
 * bundle. A resumed TLS session carries the identities of the handshake that first made it, and
 * each resumption hands out a new ticket with them: without this, an upstream would go on seeing
 * the old client certificate, and an upstream verified under the old bundle would go on being
 * trusted, on every new connection, for as long as the sessions live. Both clients keep one
 * context for good (java.net.http cannot change it), so its cache is swept rather than the
 * context renewed; a sweep runs at every poll, since a connection made just before a reload can
 * cache a stale session just after it.
 */
final class ClientSessions {

    private final SSLSessionContext cache;
    private final Optional<ReloadingKeyManager> keys;
    private final Optional<? extends X509ExtendedTrustManager> authorities;

    ClientSessions(SSLSessionContext cache, Optional<ReloadingKeyManager> keys,
                   Optional<? extends X509ExtendedTrustManager> authorities) {
        this.cache = cache;
        this.keys = keys;
        this.authorities = authorities;
    }

    /** Invalidates every cached session made with another client certificate or a peer the bundle no longer trusts. */
    void sweep() {
        // the ids first: invalidating removes from the cache the enumeration walks
        for (byte[] id : Collections.list(cache.getIds())) {
            SSLSession session = cache.getSession(id);
            if (session != null && stale(session)) {
                session.invalidate();
            }
        }
    }

    private boolean stale(SSLSession session) {
        if (keys.isPresent()) {
            Certificate[] local = session.getLocalCertificates();
            X509Certificate current = keys.get().current().chain().getFirst();
            if (local == null || local.length == 0 || !local[0].equals(current)) {
                return true;
            }
        }
        if (authorities.isPresent()) {
            try {
                Certificate[] peer = session.getPeerCertificates();
                X509Certificate[] chain = new X509Certificate[peer.length];
                for (int i = 0; i < peer.length; i++) {
                    chain[i] = (X509Certificate) peer[i];
                }
                authorities.get().checkServerTrusted(chain, "UNKNOWN");
            } catch (CertificateException | java.io.IOException | ClassCastException e) {
                return true;
            }
        }
        return false;
    }
}
