package dev.unlearning.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The operator's own metrics, next to the reconcile metrics of the operator SDK: unlearning requests by outcome
 * and the duration of each kind of Job run (train, publish, unlearn, finalize) by outcome.
 */
public class OperatorMetrics {

    private final MeterRegistry registry;
    /**
     * What was counted already: a reconcile that runs on a status not yet showing the previous one's write
     * observes the same finished Job again, and must not count it twice.
     */
    private final Set<String> counted = Collections.newSetFromMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 10_000;
                }
            });

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** outcome: started, verified, completed, failed, fallback; {@code key} names the event, to count it once. */
    public synchronized void request(String outcome, String key, int count) {
        if (!counted.add("request/" + outcome + "/" + key)) {
            return;
        }
        Counter.builder("unlearning.requests").description("UnlearningRequests by outcome").tag("outcome", outcome)
                .register(registry).increment(count);
    }

    public synchronized void jobFinished(String job, String role, boolean succeeded, String startedAt, Instant now) {
        if (startedAt == null || !counted.add("job/" + job)) {
            return;
        }
        Timer.builder("unlearning.job.duration").description("Wall time of operator Jobs").tag("role", role)
                .tag("outcome", succeeded ? "succeeded" : "failed").register(registry)
                .record(Duration.between(Instant.parse(startedAt), now));
    }
}
