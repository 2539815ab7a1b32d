package dev.unlearning.operator;

import dev.unlearning.api.UnlearningMethod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's own metrics, next to the reconcile metrics of the operator SDK: unlearning requests by outcome,
 * open requests by phase and their deadlines, request latency, runs by method and outcome, the duration of each
 * kind of Job run by outcome, and each model's serving version and health. The chart's Grafana dashboard and
 * alerts query exactly these ({@code DashboardQueriesTest}).
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

    /** Open requests (uid → phase) and their deadline gauges, for queue depth and near-deadline alerts. */
    private final Map<String, String> openPhases = new ConcurrentHashMap<>();
    private final Set<String> gaugedPhases = ConcurrentHashMap.newKeySet();
    private final Map<String, Gauge> deadlineGauges = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> deadlines = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> servingVersions = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> degraded = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> modelMeters = new ConcurrentHashMap<>();

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A request not yet ended, in {@code phase}; {@code deadline} null when it has none. */
    public void requestOpen(String uid, String namespace, String name, String phase, Instant deadline) {
        openPhases.put(uid, phase);
        // One gauge per phase ever seen, counting the open requests in it (registered once: Micrometer warns on more).
        if (gaugedPhases.add(phase)) {
            Gauge.builder("unlearning.requests.open", openPhases, m -> m.values().stream().filter(phase::equals)
                    .count()).description("UnlearningRequests not yet ended, by phase").tag("phase", phase)
                    .register(registry);
        }
        if (deadline != null) {
            deadlines.computeIfAbsent(uid, u -> {
                AtomicLong value = new AtomicLong();
                deadlineGauges.put(u, Gauge.builder("unlearning.request.deadline", value, AtomicLong::get)
                        .description("Deadline of an open UnlearningRequest, Unix seconds").baseUnit("seconds")
                        .tags("namespace", namespace, "request", name).register(registry));
                return value;
            }).set(deadline.getEpochSecond());
        }
    }

    /**
     * Forgets open requests that no longer exist (deleted before they ended: requests carry no finalizer, so
     * nobody is told), so queue depth and deadline gauges never count ghosts.
     */
    public synchronized void retainOpenRequests(Set<String> existingUids) {
        for (String uid : List.copyOf(openPhases.keySet())) {
            if (!existingUids.contains(uid)) {
                forgetOpen(uid);
            }
        }
    }

    /** A request ended ({@code outcome} completed or failed): its latency is recorded once, its gauges go. */
    public synchronized void requestEnded(String uid, String outcome, Instant created, Instant now) {
        forgetOpen(uid);
        if (created == null || !counted.add("request-ended/" + uid)) {
            return;
        }
        Timer.builder("unlearning.request.duration").description("Time from an UnlearningRequest's creation to "
                + "its end").tag("outcome", outcome).publishPercentileHistogram().register(registry)
                .record(Duration.between(created, now));
    }

    private void forgetOpen(String uid) {
        openPhases.remove(uid);
        deadlines.remove(uid);
        Gauge gauge = deadlineGauges.remove(uid);
        if (gauge != null) {
            registry.remove(gauge);
        }
    }

    /** An unlearning run ended: published or failed, by method. */
    public synchronized void run(String key, UnlearningMethod method, String outcome) {
        if (!counted.add("run/" + key)) {
            return;
        }
        Counter.builder("unlearning.runs").description("Unlearning runs by method and outcome")
                .tag("method", String.valueOf(method)).tag("outcome", outcome).register(registry).increment();
    }

    /** A model's serving version (0: none yet) and whether it is Degraded, as of its last reconcile. */
    public void model(String namespace, String name, Integer servingVersion, boolean isDegraded) {
        String key = namespace + "/" + name;
        AtomicLong version = servingVersions.computeIfAbsent(key, k -> gauge(k, "unlearning.model.serving.version",
                "The model version its Deployment serves", namespace, name));
        AtomicLong health = degraded.computeIfAbsent(key, k -> gauge(k, "unlearning.model.degraded",
                "1 while the model is Degraded", namespace, name));
        version.set(servingVersion == null ? 0 : servingVersion);
        health.set(isDegraded ? 1 : 0);
    }

    /** The model is gone: its gauges go with it. */
    public void modelDeleted(String namespace, String name) {
        String key = namespace + "/" + name;
        servingVersions.remove(key);
        degraded.remove(key);
        List<Meter> meters = modelMeters.remove(key);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    private AtomicLong gauge(String key, String metric, String description, String namespace, String name) {
        AtomicLong value = new AtomicLong();
        Gauge gauge = Gauge.builder(metric, value, AtomicLong::get).description(description)
                .tags("namespace", namespace, "model", name).register(registry);
        modelMeters.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(gauge);
        return value;
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
