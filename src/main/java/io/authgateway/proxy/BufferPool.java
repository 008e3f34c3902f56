package io.authgateway.proxy;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reuses the large buffers that bodies stream through. Allocating (and zeroing) 64 KiB for every
 * large push made the young generation fill several times faster than everything else a request
 * allocates; a few dozen buffers cover the requests a small gateway has in flight with large bodies.
 * Bounded: a buffer beyond {@code capacity} is left to the garbage collector.
 */
final class BufferPool {

    private final int size;
    private final ArrayBlockingQueue<byte[]> free;

    BufferPool(int size, int capacity) {
        this.size = size;
        this.free = new ArrayBlockingQueue<>(capacity);
    }

    byte[] take() {
        byte[] buffer = free.poll();
        return buffer != null ? buffer : new byte[size];
    }

    /** Returns a buffer taken from this pool; its contents are never cleared, only overwritten. */
    void give(byte[] buffer) {
        if (buffer.length == size) {
            free.offer(buffer);
        }
    }
}
