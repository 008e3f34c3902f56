package io.authgateway.jdkclient;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ClientBodyPublisherTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void aReadThatFailsWhileNoBufferIsWantedStillEndsInOnError() throws Exception {
        // The JDK's BodyPublishers.ofInputStream (through JDK 25) fails this: it reads ahead once
        // the demand is spent, loses the failure, and answers the next request with onComplete.
        IOException broken = new IOException("chunk framing broken");
        ClientBodyPublisher body = new ClientBodyPublisher(new FailingAfter("abc", broken), -1, executor);
        Events events = new Events();
        body.subscribe(events);
        events.subscription().request(1);
        assertThat(events.next()).isEqualTo("abc");
        Thread.sleep(50); // room for a read-ahead, were there one
        events.subscription().request(1);
        assertThat(events.next()).isSameAs(broken);
        assertThat(body.failure()).isSameAs(broken);
        assertThat(events.nothingMore()).isTrue();
    }

    @Test
    void theWholeBodyIsPublishedThenCompleted() throws Exception {
        byte[] bytes = "x".repeat(40_000).getBytes(StandardCharsets.US_ASCII);
        ClientBodyPublisher body = new ClientBodyPublisher(new ByteArrayInputStream(bytes), bytes.length, executor);
        assertThat(body.contentLength()).isEqualTo(40_000);
        Events events = new Events();
        body.subscribe(events);
        events.subscription().request(Long.MAX_VALUE);
        StringBuilder received = new StringBuilder();
        for (Object event; !((event = events.next()) instanceof Done); ) {
            received.append((String) event);
        }
        assertThat(received.toString()).isEqualTo("x".repeat(40_000));
        assertThat(body.failure()).isNull();
    }

    @Test
    void nothingIsReadBeforeItIsAskedForNorAfterStop() throws Exception {
        CountingInput in = new CountingInput();
        ClientBodyPublisher body = new ClientBodyPublisher(in, -1, executor);
        Events events = new Events();
        body.subscribe(events);
        Thread.sleep(50);
        assertThat(in.reads.get()).isZero();
        events.subscription().request(1);
        assertThat(events.next()).isEqualTo("y");
        body.stop();
        events.subscription().request(1);
        assertThat(events.nothingMore()).isTrue();
        assertThat(in.reads.get()).isEqualTo(1);
    }

    @Test
    void aNonPositiveRequestIsAnError() throws Exception {
        ClientBodyPublisher body = new ClientBodyPublisher(new CountingInput(), -1, executor);
        Events events = new Events();
        body.subscribe(events);
        events.subscription().request(0);
        assertThat(events.next()).isInstanceOf(IllegalArgumentException.class);
    }

    private record Done() {
    }

    /** Records every signal: a buffer as its text, onComplete as {@link Done}, onError as the error. */
    private static final class Events implements Flow.Subscriber<ByteBuffer> {
        private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private final BlockingQueue<Flow.Subscription> subscription = new LinkedBlockingQueue<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.add(s);
        }

        @Override
        public void onNext(ByteBuffer item) {
            events.add(StandardCharsets.US_ASCII.decode(item).toString());
        }

        @Override
        public void onError(Throwable throwable) {
            events.add(throwable);
        }

        @Override
        public void onComplete() {
            events.add(new Done());
        }

        Flow.Subscription subscription() {
            return subscription.element();
        }

        Object next() throws InterruptedException {
            Object event = events.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("a signal within 10 s").isNotNull();
            return event;
        }

        boolean nothingMore() throws InterruptedException {
            return events.poll(100, TimeUnit.MILLISECONDS) == null;
        }
    }

    /** Gives {@code text}, then fails every read. */
    private static final class FailingAfter extends InputStream {
        private final byte[] text;
        private final IOException failure;
        private boolean given;

        FailingAfter(String text, IOException failure) {
            this.text = text.getBytes(StandardCharsets.US_ASCII);
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (given) {
                throw failure;
            }
            given = true;
            System.arraycopy(text, 0, buffer, offset, text.length);
            return text.length;
        }
    }

    /** An endless body of 'y', one byte per read, counting the reads. */
    private static final class CountingInput extends InputStream {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            reads.incrementAndGet();
            buffer[offset] = 'y';
            return 1;
        }
    }
}
