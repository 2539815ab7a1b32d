package dev.unlearning.serving;

import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One admitted inference and its slot. The slot is freed exactly once: when the call is abandoned (timed out,
 * refused or its client gone) before its computation starts, or else when the computation ends. A running
 * computation cannot be stopped, so abandoning it frees nothing: its core stays busy and the slot with it,
 * which keeps the number of computations running within the limit whatever clients do.
 */
final class InferenceCall {

    private enum Stage { RECEIVING, QUEUED, RUNNING, ENDED, ABANDONED }

    private final InferenceSlots slots;
    private final AtomicReference<Stage> stage = new AtomicReference<>(Stage.RECEIVING);
    /**
     * Held here only, never by the handlers or the task waiting in the worker queue: a call abandoned while it
     * waits drops its body at once, even if the queue reaches its task much later (behind a computation that
     * overran its timeout), so the memory of bodies stays within the admitted calls.
     */
    private volatile Buffer body;

    InferenceCall(InferenceSlots slots, int expectedBytes) {
        this.slots = slots;
        this.body = Buffer.buffer(expectedBytes);
    }

    boolean receiving() {
        return stage.get() == Stage.RECEIVING;
    }

    /** Adds a chunk of the body; false, keeping nothing, if the body would exceed {@code limit}. */
    boolean receive(Buffer chunk, int limit) {
        Buffer received = body;
        if (received == null || (long) received.length() + chunk.length() > limit) {
            return false;
        }
        received.appendBuffer(chunk);
        return true;
    }

    /** The whole body is in; the call waits for a worker. */
    void queued() {
        stage.compareAndSet(Stage.RECEIVING, Stage.QUEUED);
    }

    /** On the worker: the body to answer, or null if the call was abandoned while it waited and must not run. */
    Buffer start() {
        return stage.compareAndSet(Stage.QUEUED, Stage.RUNNING) ? body : null;
    }

    /** On the worker, after a started computation, whatever its outcome. */
    void end() {
        body = null;
        if (stage.compareAndSet(Stage.RUNNING, Stage.ENDED)) {
            slots.free();
        }
    }

    void abandon() {
        if (stage.compareAndSet(Stage.RECEIVING, Stage.ABANDONED) || stage.compareAndSet(Stage.QUEUED, Stage.ABANDONED)) {
            body = null;
            slots.free();
        }
    }
}
