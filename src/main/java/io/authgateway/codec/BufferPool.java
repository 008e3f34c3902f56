package io.authgateway.codec;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reuses the buffers that heads and bodies are gathered in. Allocating (and zeroing) 64 KiB for
 * every large push made the young generation fill several times faster than everything else a
 * request allocates, and a buffer per open connection would make thousands of idle keep-alive
 * connections cost their buffers' worth of heap. Bounded: a buffer beyond {@code capacity} is
 * left to the garbage collector. Thread-safe.
 */
public final class BufferPool {

    private final int size;
    private final ArrayBlockingQueue<byte[]> free;

    public BufferPool(int size, int capacity) {
        this.size = size;
        this.free = new ArrayBlockingQueue<>(capacity);
    }

    public byte[] take() {
        byte[] buffer = free.poll();
        return buffer != null ? buffer : new byte[size];
    }

    /** Returns a buffer taken from this pool; its contents are never cleared, only overwritten. */
    public void give(byte[] buffer) {
        if (buffer.length == size) {
            free.offer(buffer);
        }
    }

    public int bufferSize() {
        return size;
    }
}
