package io.authgateway.auth;

import io.authgateway.config.AuthSettings;
import io.authgateway.config.JwksSettings;
import io.authgateway.observability.Log;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * Authentication as configured, running: the {@link TenantResolver} plus what keeps its keys
 * current (secret-file polling, JWKS fetches) on one daemon scheduler thread and one
 * {@link DocumentFetcher} shared by every JWKS fetch. {@link #start} never blocks on the network;
 * {@link #close} stops the background work.
 */
public final class AuthRuntime implements AutoCloseable {

    private final TenantResolver resolver;
    private final Optional<JwksKeySet> jwks;
    private final ScheduledExecutorService scheduler;
    private final DocumentFetcher fetcher;
    private final Optional<RevocationWatcher> revocations;
    private final Optional<SecretFileWatcher> secretFile;

    private AuthRuntime(TenantResolver resolver, Optional<JwksKeySet> jwks, ScheduledExecutorService scheduler,
                        DocumentFetcher fetcher, Optional<RevocationWatcher> revocations,
                        Optional<SecretFileWatcher> secretFile) {
        this.resolver = resolver;
        this.jwks = jwks;
        this.scheduler = scheduler;
        this.fetcher = fetcher;
        this.revocations = revocations;
        this.secretFile = secretFile;
    }

    /** @param fetchers makes the JWKS fetcher, with the fetch timeout, only when a JWKS is configured */
    public static AuthRuntime start(AuthSettings auth, Clock clock, Log log, Function<Duration, DocumentFetcher> fetchers) {
        if (auth.staticTenant().isPresent()) {
            return new AuthRuntime(new StaticTenantResolver(auth.staticTenant().get()), Optional.empty(), null, null,
                    Optional.empty(), Optional.empty());
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("auth-keys").factory());
        HmacKeySource hmac = HmacKeySource.fixed(HmacKeys.of(auth.jwtSecrets()));
        Optional<SecretFileWatcher> secretFile = Optional.empty();
        if (auth.jwtSecretFile().isPresent()) {
            SecretFileWatcher watcher = new SecretFileWatcher(auth.jwtSecretFile().get(), auth.jwtSecrets(), log);
            watcher.start(scheduler);
            hmac = watcher;
            secretFile = Optional.of(watcher);
        }
        DocumentFetcher fetcher = null;
        Optional<JwksKeySet> jwks = Optional.empty();
        if (auth.jwks().isPresent()) {
            JwksSettings settings = auth.jwks().get();
            fetcher = fetchers.apply(settings.timeout());
            JwksKeySet keySet = new JwksKeySet(new JwksClient(fetcher, settings.url()), settings, clock, log);
            keySet.start(scheduler);
            jwks = Optional.of(keySet);
        }
        Optional<RevocationWatcher> revocations = auth.revokedTokensFile().map(file -> new RevocationWatcher(file, log));
        revocations.ifPresent(watcher -> watcher.start(scheduler));
        TokenVerifier verifier = new TokenVerifier(hmac, jwks, new ClaimValidator(auth.claims()),
                (auth.claims().clockSkew().toMillis() + 999) / 1000, clock,
                revocations.<RevocationSource>map(watcher -> watcher).orElse(RevocationSource.NONE));
        TenantResolver resolver = new JwtTenantResolver(
                new TokenExtractor(auth.extraHeaders(), auth.access().basicEnabled()), verifier,
                new TenantClaim(auth.tenantIdClaim(), auth.access().tenantFederation()), auth.forwardToken());
        return new AuthRuntime(resolver, jwks, scheduler, fetcher, revocations, secretFile);
    }

    /** The revocation list's watcher, for its metrics; empty without {@code -gateway.auth.revoked-tokens-file}. */
    public Optional<RevocationWatcher> revocations() {
        return revocations;
    }

    public TenantResolver resolver() {
        return resolver;
    }

    /** JWKS fetch counts for metrics; empty when no JWKS is configured. */
    public Optional<KeyFetchCounters> jwksCounters() {
        return jwks.map(KeyFetchCounters.class::cast);
    }

    /** Failed polls of {@code -gateway.auth.jwt-secret-file}; 0 without one. */
    public long secretReloadFailures() {
        return secretFile.map(SecretFileWatcher::reloadFailures).orElse(0L);
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (fetcher != null) {
            fetcher.close();
        }
    }
}
