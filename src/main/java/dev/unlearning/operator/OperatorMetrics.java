package dev.unlearning.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * The operator's own metrics, next to the reconcile metrics of the operator SDK: unlearning requests by outcome
 * and the duration of each kind of Job run (train, publish, unlearn, finalize) by outcome.
 */
public class OperatorMetrics {

    private final MeterRegistry registry;

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** outcome: started, verified, completed, failed, fallback. */
    public void request(String outcome, int count) {
        Counter.builder("unlearning.requests").description("UnlearningRequests by outcome").tag("outcome", outcome)
                .register(registry).increment(count);
    }

    public void jobFinished(String role, boolean succeeded, String startedAt, Instant now) {
        if (startedAt == null) {
            return;
        }
        Timer.builder("unlearning.job.duration").description("Wall time of operator Jobs").tag("role", role)
                .tag("outcome", succeeded ? "succeeded" : "failed").register(registry)
                .record(Duration.between(Instant.parse(startedAt), now));
    }

    public MeterRegistry registry() {
        return registry;
    }
}
