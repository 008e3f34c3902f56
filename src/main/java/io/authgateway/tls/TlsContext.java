package io.authgateway.tls;

import io.authgateway.observability.Log;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One side's TLS: an {@link SSLContext} whose certificate and CA bundle reload from their files
 * ({@link TlsReloader}) while it serves. The listener's presents its certificate and checks client
 * certificates as the client-auth mode says; the upstream client's checks upstreams against the
 * CA bundle (or the JDK's default trust store without one, or nothing when told to skip
 * verification) and presents a client certificate when it has one. Close it to stop the polling.
 */
public final class TlsContext implements AutoCloseable {

    private final KeyManager[] keys;
    private final TrustManager[] trust;
    private volatile SSLContext context;
    private final TlsReloader reloader;
    private final ScheduledExecutorService poller;

    /** {@code reloader} is made here, from {@code parts}, so that it can renew this context. */
    private TlsContext(KeyManager[] keys, TrustManager[] trust, ReloaderParts parts) {
        this.keys = keys;
        this.trust = trust;
        this.context = context(keys, trust);
        this.reloader = parts.make(this);
        this.poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("tls-reload-" + reloader.side()).daemon().factory());
        long every = TlsReloader.POLL_INTERVAL.toMillis();
        poller.scheduleWithFixedDelay(reloader::poll, every, every, TimeUnit.MILLISECONDS);
    }

    /** What a {@link TlsReloader} needs but the context it renews. */
    private interface ReloaderParts {
        TlsReloader make(TlsContext context);
    }

    /**
     * A new context with the same managers: sessions of the old one cannot be resumed in it (its
     * ticket keys are new), so every client is verified against the new CA bundle, including one
     * whose CA was just removed and that would otherwise resume a session for up to a day.
     */
    private void renew() {
        context = context(keys, trust);
    }

    /** Never throws: a scheduled task that throws is never run again. */
    private void sweep(ClientSessions sessions) {
        try {
            sessions.sweep();
        } catch (RuntimeException e) {
            reloader.sweepFailed(e);
        }
    }

    /** The listener's context; the CA bundle is read when the mode verifies or when it is given. */
    public static TlsContext forListener(TlsReloader.KeyFiles pair, Optional<Path> ca, ClientAuth clientAuth, Log log)
            throws TlsMaterialException {
        ReloadingKeyManager keys = new ReloadingKeyManager(CertifiedKey.load(pair.certificate(), pair.key()));
        Optional<ReloadingTrustManager> authorities = clientAuth.verifies() ? Optional.of(trust(ca.orElseThrow(
                () -> new TlsMaterialException(TlsMaterialException.Part.CA, clientAuth.goName() + " needs a CA bundle"))))
                : Optional.empty();
        X509ExtendedTrustManager trust = authorities.isPresent() ? authorities.get() : new TrustingAnyPeer();
        return new TlsContext(new KeyManager[] {keys}, new TrustManager[] {trust}, self -> new TlsReloader("server",
                log, Optional.of(pair), Optional.of(keys), authorities.isPresent() ? ca : Optional.empty(), authorities,
                self::renew));
    }

    /**
     * The upstream client's context. With a server name, chains are checked against the CA bundle
     * (or the JDK's trust store) and the name by {@link ServerNameTrustManager}; skipping
     * verification is warned about now and every hour.
     */
    public static TlsContext forUpstream(Optional<TlsReloader.KeyFiles> pair, Optional<Path> ca,
                                         Optional<String> serverName, boolean skipVerify, Log log)
            throws TlsMaterialException {
        Optional<ReloadingKeyManager> keys = pair.isPresent()
                ? Optional.of(new ReloadingKeyManager(CertifiedKey.load(pair.get().certificate(), pair.get().key())))
                : Optional.empty();
        Optional<ReloadingTrustManager> authorities = !skipVerify && ca.isPresent()
                ? Optional.of(trust(ca.get())) : Optional.empty();
        TrustManager[] trust = null; // the JDK's trust store, and its name check
        if (skipVerify) {
            trust = new TrustManager[] {new TrustingAnyPeer()};
        } else if (serverName.isPresent()) {
            X509ExtendedTrustManager chains = authorities.isPresent() ? authorities.get() : CaBundle.jdkDefault();
            trust = new TrustManager[] {new ServerNameTrustManager(chains, serverName.get())};
        } else if (authorities.isPresent()) {
            trust = new TrustManager[] {authorities.get()};
        }
        TlsContext context = new TlsContext(keys.<KeyManager[]>map(manager -> new KeyManager[] {manager})
                .orElse(new KeyManager[0]), trust, self -> new TlsReloader("upstream", log, pair, keys,
                authorities.isPresent() ? ca : Optional.empty(), authorities, () -> { }));
        ClientSessions sessions = new ClientSessions(context.context.getClientSessionContext(), keys, authorities);
        long every = TlsReloader.POLL_INTERVAL.toMillis();
        context.poller.scheduleWithFixedDelay(() -> context.sweep(sessions), every, every, TimeUnit.MILLISECONDS);
        if (skipVerify) {
            Runnable warning = () -> log.warn("-gateway.upstream.tls-insecure-skip-verify is set: https upstreams'"
                    + " certificates and names are not verified; anyone on the path can read and change the traffic");
            context.poller.scheduleAtFixedRate(warning, 0, 1, TimeUnit.HOURS);
        }
        return context;
    }

    private static ReloadingTrustManager trust(Path ca) throws TlsMaterialException {
        return new ReloadingTrustManager(CaBundle.load(ca));
    }

    /** {@code trust} null: the JDK's default trust store. */
    private static SSLContext context(KeyManager[] keys, TrustManager[] trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no usable TLS implementation", e);
        }
    }

    /** The context for new connections; the listener's is renewed when its CA bundle changes. */
    public SSLContext sslContext() {
        return context;
    }

    public TlsReloader reloader() {
        return reloader;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
