package io.authgateway.auth;

import io.authgateway.config.AuthSettings;
import io.authgateway.config.JwksSettings;
import io.authgateway.observability.Log;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Authentication as configured, running: the {@link TenantResolver} plus what keeps its keys
 * current (secret-file polling, JWKS fetches) on one daemon scheduler thread and one
 * {@link HttpClient} shared by every JWKS fetch. {@link #start} never blocks on the network;
 * {@link #close} stops the background work.
 */
public final class AuthRuntime implements AutoCloseable {

    private final TenantResolver resolver;
    private final Optional<JwksKeySet> jwks;
    private final ScheduledExecutorService scheduler;
    private final HttpClient httpClient;

    private AuthRuntime(TenantResolver resolver, Optional<JwksKeySet> jwks, ScheduledExecutorService scheduler,
                        HttpClient httpClient) {
        this.resolver = resolver;
        this.jwks = jwks;
        this.scheduler = scheduler;
        this.httpClient = httpClient;
    }

    public static AuthRuntime start(AuthSettings auth, Clock clock, Log log) {
        if (auth.staticTenant().isPresent()) {
            return new AuthRuntime(new StaticTenantResolver(auth.staticTenant().get()), Optional.empty(), null, null);
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("auth-keys").factory());
        HmacKeySource hmac = HmacKeySource.fixed(HmacKeys.of(auth.jwtSecrets()));
        if (auth.jwtSecretFile().isPresent()) {
            SecretFileWatcher watcher = new SecretFileWatcher(auth.jwtSecretFile().get(), auth.jwtSecrets(), log);
            watcher.start(scheduler);
            hmac = watcher;
        }
        HttpClient httpClient = null;
        Optional<JwksKeySet> jwks = Optional.empty();
        if (auth.jwks().isPresent()) {
            JwksSettings settings = auth.jwks().get();
            httpClient = HttpClient.newBuilder().connectTimeout(settings.timeout())
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            JwksKeySet keySet = new JwksKeySet(new JwksClient(httpClient, settings.url(), settings.timeout()), settings, clock, log);
            keySet.start(scheduler);
            jwks = Optional.of(keySet);
        }
        TokenVerifier verifier = new TokenVerifier(hmac, jwks, new ClaimValidator(auth.claims()),
                (auth.claims().clockSkew().toMillis() + 999) / 1000, clock);
        TenantResolver resolver = new JwtTenantResolver(new TokenExtractor(auth.extraHeaders()), verifier,
                auth.tenantIdClaim(), auth.forwardToken());
        return new AuthRuntime(resolver, jwks, scheduler, httpClient);
    }

    public TenantResolver resolver() {
        return resolver;
    }

    /** JWKS fetch counts for metrics; empty when no JWKS is configured. */
    public Optional<KeyFetchCounters> jwksCounters() {
        return jwks.map(KeyFetchCounters.class::cast);
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (httpClient != null) {
            httpClient.shutdownNow();
        }
    }
}
