package io.authgateway.limits;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request the limiter let through, until it is done: then its in-flight counts go back. A body
 * whose size was not known up front (chunked) is charged to the tenants' byte buckets as it
 * streams, through {@link #meter}, every {@link #CHARGE_STEP} bytes and for the rest on
 * {@link #release}: debt that the tenant's next pushes, even those sent while this one still
 * streams, wait for. {@link #release} exactly once.
 */
public final class Permit {

    /** Bytes of a streamed body charged at a time: one store call (a Redis round trip) per 256 KiB. */
    static final int CHARGE_STEP = 256 * 1024;

    private final TenantLimiter limiter;
    private final List<String> tenants;
    private final LimitClass limitClass;
    private final boolean chargesBody;
    /** Atomic: the JDK client reads the body on a thread of its own, release runs on the request's. */
    private final AtomicLong charged = new AtomicLong();

    Permit(TenantLimiter limiter, List<String> tenants, LimitClass limitClass, boolean chargesBody) {
        this.limiter = limiter;
        this.tenants = tenants;
        this.limitClass = limitClass;
        this.chargesBody = chargesBody;
    }

    /** Whether the body is charged as it is read: a chunked write of a tenant with a byte limit. */
    public boolean chargesBody() {
        return chargesBody;
    }

    /** The request body, charging the tenants as it is read (only when {@link #chargesBody}). */
    public InputStream meter(InputStream body) {
        return new FilterInputStream(body) {
            private long uncharged;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    counted(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    counted(n);
                }
                return n;
            }

            private void counted(int n) {
                uncharged += n;
                if (uncharged >= CHARGE_STEP) {
                    charge(uncharged);
                    uncharged = 0;
                }
            }
        };
    }

    private void charge(long bytes) {
        charged.addAndGet(bytes);
        limiter.chargeStreamed(tenants, bytes);
    }

    /** @param bodyBytes request body bytes the gateway read (decoded); what {@link #meter} has not charged yet is charged now */
    public void release(long bodyBytes) {
        limiter.release(tenants, limitClass);
        long left = bodyBytes - charged.get();
        if (chargesBody && left > 0) {
            charge(left);
        }
    }
}
