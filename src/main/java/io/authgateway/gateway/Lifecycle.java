package io.authgateway.gateway;

/** Whether the gateway still takes traffic: {@code /ready} answers 503 once draining has begun. */
public final class Lifecycle {

    private volatile boolean draining;

    public boolean ready() {
        return !draining;
    }

    public void startDraining() {
        draining = true;
    }
}
