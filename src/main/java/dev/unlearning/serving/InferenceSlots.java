package dev.unlearning.serving;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests admitted to inference, whether receiving their body, waiting for a worker or running. Taken
 * when a request's head arrives, so a request beyond capacity is refused before its body costs anything.
 */
final class InferenceSlots {

    private final int capacity;
    private final AtomicInteger taken = new AtomicInteger();

    InferenceSlots(int capacity) {
        this.capacity = capacity;
    }

    /** A call holding one slot, its body buffer sized for {@code expectedBytes}, or null when all are taken. */
    InferenceCall take(int expectedBytes) {
        while (true) {
            int now = taken.get();
            if (now >= capacity) {
                return null;
            }
            if (taken.compareAndSet(now, now + 1)) {
                return new InferenceCall(this, expectedBytes);
            }
        }
    }

    void free() {
        taken.decrementAndGet();
    }

    /** Read by the gauge of admitted requests. */
    int taken() {
        return taken.get();
    }
}
