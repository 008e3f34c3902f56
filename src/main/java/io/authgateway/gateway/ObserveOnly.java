package io.authgateway.gateway;

import com.sun.net.httpserver.Headers;
import io.authgateway.config.AuthFlags;
import io.authgateway.observability.Log;
import io.authgateway.upstream.ProxyHeaders;

import java.time.Duration;

/**
 * {@code -gateway.auth.observe-only}: for a migration from a pass-through proxy, where clients set
 * their own {@code X-Scope-OrgID}. Every request is decided as usual, but one that authentication
 * or authorization would refuse is forwarded anyway (and recorded by {@link Outcomes#observed}).
 * This class holds what the mode adds: which tenant such a request is forwarded with, and the
 * warning, at start-up and every {@link #REMINDER_INTERVAL} while it runs, that nothing is enforced.
 */
final class ObserveOnly implements AutoCloseable {

    static final Duration REMINDER_INTERVAL = Duration.ofMinutes(1);
    private static final String WARNING = "observe-only mode: authentication and authorization are NOT enforced,"
            + " refused requests are forwarded; turn -" + AuthFlags.OBSERVE_ONLY + " off once"
            + " cortex_gateway_observed_rejections_total stays flat";

    /** The thread that repeats the warning; null when the mode is off. */
    private final Thread reminder;

    private ObserveOnly(Thread reminder) {
        this.reminder = reminder;
    }

    static ObserveOnly off() {
        return new ObserveOnly(null);
    }

    /** Logs the warning now and every {@code interval} until {@link #close}. */
    static ObserveOnly start(Log log, Duration interval) {
        log.warn(WARNING);
        Thread reminder = Thread.ofVirtual().name("observe-only-reminder").start(() -> {
            try {
                while (true) {
                    Thread.sleep(interval);
                    log.warn(WARNING);
                }
            } catch (InterruptedException e) {
                // closed: the gateway stops
            }
        });
        return new ObserveOnly(reminder);
    }

    boolean enabled() {
        return reminder != null;
    }

    /**
     * The {@code X-Scope-OrgID} of a refused request forwarded anyway: the verified tenant when
     * there is one, else the client's own header as a pass-through proxy forwarded it (the first
     * one, if it sent several), else null: no header.
     */
    static String tenant(String verified, Headers client) {
        return verified != null ? verified : client.getFirst(ProxyHeaders.ORG_ID);
    }

    @Override
    public void close() {
        if (reminder != null) {
            reminder.interrupt();
        }
    }
}
