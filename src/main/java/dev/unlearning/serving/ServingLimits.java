package dev.unlearning.serving;

import java.time.Duration;

/**
 * How much one serving process takes on at a time, so that no client, however abusive, can exhaust its memory
 * or threads: inferences running and waiting, records per request, body size and how long a request or an idle
 * connection may hold on.
 *
 * @param maxConcurrent inferences running at once (each parses its body and runs the ensemble on a worker thread)
 * @param maxQueued requests admitted beyond those, receiving their body or waiting for a worker; more get 429
 * @param maxBatch records per request; also sizes the default body limit
 * @param maxBodyBytes the body limit, or null to derive it from the model's input ({@link #bodyBytesFor})
 * @param requestTimeout from a request's head to its answer: receiving the body, waiting and inference
 * @param idleTimeout how long a connection may go without sending a complete request head, silent or trickling
 */
public record ServingLimits(int maxConcurrent, int maxQueued, int maxBatch, Long maxBodyBytes, Duration requestTimeout,
        Duration idleTimeout) {

    /**
     * Room for one JSON number: a float written with the 17 significant digits of a double in exponent form
     * ({@code -1.1754943508222875e-38}, 23 characters, what Python's json writes for a numpy float32) plus a
     * {@code ", "} separator, rounded up for indentation.
     */
    public static final int BYTES_PER_NUMBER = 32;
    /** Room for everything around the data: id, names, datatype, shape, parameters. */
    public static final int ENVELOPE_BYTES = 64 * 1024;
    /** A derived limit never exceeds this: a large input needs a smaller --max-batch, not a gigabyte body. */
    public static final long MAX_DERIVED_BODY_BYTES = 1L << 30;

    public static final int DEFAULT_MAX_BATCH = 256;
    public static final int QUEUED_PER_WORKER = 4;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    public ServingLimits {
        if (maxConcurrent < 1 || maxQueued < 0 || maxBatch < 1) {
            throw new IllegalArgumentException("limits must be positive (queue: zero or more)");
        }
        // A body is buffered in one array before it is parsed.
        if (maxBodyBytes != null && (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8)) {
            throw new IllegalArgumentException("the body limit must be between 1 byte and 2 GiB");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /**
     * One inference per processor the JVM sees (the container's CPU limit), since each keeps a core busy, and
     * four waiting per worker: a burst a few batches deep is absorbed, a flood is refused at once.
     */
    public static ServingLimits defaults(int processors) {
        int workers = Math.max(1, processors);
        return new ServingLimits(workers, QUEUED_PER_WORKER * workers, DEFAULT_MAX_BATCH, null,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * The body limit for this model: the override if set, else
     * {@code maxBatch × features per record × BYTES_PER_NUMBER + ENVELOPE_BYTES}, at most 1 GiB.
     */
    public long bodyBytesFor(LoadedModel model) {
        if (maxBodyBytes != null) {
            return maxBodyBytes;
        }
        long derived = (long) maxBatch * model.featuresPerRecord() * BYTES_PER_NUMBER + ENVELOPE_BYTES;
        return Math.min(derived, MAX_DERIVED_BODY_BYTES);
    }

    /**
     * PyTorch threads for each inference: the processors shared among the inferences that run at once. With the
     * default of one inference per processor that is one thread each; two threads each on the same cores made
     * OpenMP spin against itself and cost about a sixth of the throughput under load (README, serving benchmark).
     */
    public int threadsPerInference(int processors) {
        return Math.max(1, processors / maxConcurrent);
    }

    /** Requests admitted at once: running plus waiting. */
    int admitted() {
        return maxConcurrent + maxQueued;
    }
}
