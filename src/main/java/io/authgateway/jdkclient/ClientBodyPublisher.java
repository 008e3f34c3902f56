package io.authgateway.jdkclient;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client's request body as java.net.http sends it upstream: one buffer read per buffer asked
 * for, on a virtual thread per subscription, and a read that fails always ends the upstream
 * request with {@code onError}, never {@code onComplete}, so the upstream never takes a truncated
 * or malformed body for a whole one.
 *
 * <p>Why not {@code BodyPublishers.ofInputStream}: up to JDK 25 its publisher reads ahead once
 * no buffer is wanted, outside the block that turns a failed read into {@code onError}; the
 * failure is lost and the next demand completes the body normally (the chunked body's last chunk
 * goes upstream). JDK-8367067 reworks that code in JDK 26; the gateway runs on 21 and later.
 */
final class ClientBodyPublisher implements HttpRequest.BodyPublisher {

    private static final int BUFFER_SIZE = 16 * 1024;

    private final InputStream in;
    private final long length;
    private final Executor executor;
    private volatile IOException failure;
    private volatile Pump current;

    /** {@code length} is the fixed body length, or -1 for a chunked body. */
    ClientBodyPublisher(InputStream in, long length, Executor executor) {
        this.in = in;
        this.length = length;
        this.executor = executor;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        Pump pump = new Pump(subscriber);
        current = pump;
        subscriber.onSubscribe(pump);
        try {
            executor.execute(pump);
        } catch (RejectedExecutionException e) {
            pump.cancel();
            subscriber.onError(e);
        }
    }

    /** The failure reading the client's body, or null. */
    IOException failure() {
        return failure;
    }

    /** Stops the pump waiting for demand, if any: nothing is read from the client after this. */
    void stop() {
        Pump pump = current;
        if (pump != null) {
            pump.cancel();
        }
    }

    private final class Pump implements Flow.Subscription, Runnable {

        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private long demand;
        private boolean cancelled;
        private boolean invalidRequest;

        Pump(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            lock.lock();
            try {
                if (n <= 0) {
                    invalidRequest = true; // reactive-streams rule 3.9: the pump answers with onError
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                cancelled = true;
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        /** All signals after onSubscribe come from this one thread, so they never overlap. */
        @Override
        public void run() {
            try {
                while (awaitDemand()) {
                    byte[] buffer = new byte[BUFFER_SIZE]; // java.net.http keeps it until written: never reused
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (IOException e) {
                        failure = e;
                        subscriber.onError(e);
                        return;
                    }
                    if (n < 0) {
                        subscriber.onComplete();
                        return;
                    }
                    subscriber.onNext(ByteBuffer.wrap(buffer, 0, n));
                }
                if (invalidRequest && !cancelled) { // read under the lock by awaitDemand, which just returned
                    subscriber.onError(new IllegalArgumentException("non-positive request for the request body"));
                }
            } catch (InterruptedException e) {
                subscriber.onError(new IOException("interrupted while sending the request body"));
            }
        }

        /** Waits until a buffer is wanted and takes one from the demand; false once there is nothing more to send. */
        private boolean awaitDemand() throws InterruptedException {
            lock.lock();
            try {
                while (demand == 0 && !cancelled && !invalidRequest) {
                    changed.await();
                }
                if (cancelled || invalidRequest) {
                    return false;
                }
                demand--;
                return true;
            } finally {
                lock.unlock();
            }
        }
    }
}
