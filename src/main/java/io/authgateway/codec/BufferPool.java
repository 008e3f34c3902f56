package io.authgateway.codec;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Reuses the buffers that heads and bodies are gathered in. Allocating (and zeroing) 64 KiB for
 * every large push made the young generation fill several times faster than everything else a
 * request allocates, and a buffer per open connection would make thousands of idle keep-alive
 * connections cost their buffers' worth of heap. Bounded: a buffer beyond {@code capacity} is
 * left to the garbage collector. Lock-free (a take or give per request on every carrier thread;
 * a queue's lock showed in profiles): slots are claimed with compare-and-set.
 */
public final class BufferPool {

    private final int size;
    private final AtomicReferenceArray<byte[]> slots;

    public BufferPool(int size, int capacity) {
        this.size = size;
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    public byte[] take() {
        for (int i = 0; i < slots.length(); i++) {
            byte[] buffer = slots.getPlain(i);
            if (buffer != null && slots.compareAndSet(i, buffer, null)) {
                return buffer;
            }
        }
        return new byte[size];
    }

    /** Returns a buffer taken from this pool; its contents are never cleared, only overwritten. */
    public void give(byte[] buffer) {
        if (buffer.length != size) {
            return;
        }
        for (int i = 0; i < slots.length(); i++) {
            if (slots.getPlain(i) == null && slots.compareAndSet(i, null, buffer)) {
                return;
            }
        }
    }
}
