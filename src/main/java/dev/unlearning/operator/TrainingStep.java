package dev.unlearning.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unlearning.api.JobRun;
import dev.unlearning.api.ShardStatus;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.VersionRecord;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.operator.jobs.JobObserver;
import dev.unlearning.store.Digests;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Training of a model: an Indexed Job with one shard per index, then a publish Job that makes the shards
 * version N. Starts when the model has never been trained or when what determines its training (data,
 * architecture, sharding, optimisation) changed; never while an unlearning run is active.
 */
public class TrainingStep {

    static final String TRAINING = "Training";
    static final String PUBLISHING = "Publishing";
    static final String FAILED = "Failed";
    static final int KEPT_VERSIONS = 10;

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final JobFactory factory;
    private final Jobs jobs;
    private final JobObserver observer;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Clock clock;

    public TrainingStep(JobFactory factory, Jobs jobs, JobObserver observer, EventRecorder events,
            OperatorMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.factory = factory;
        this.jobs = jobs;
        this.observer = observer;
        this.events = events;
        this.clock = clock;
    }

    /** A digest of the spec parts that decide what training produces. */
    public static String fingerprint(ShardedModel model) {
        var spec = model.getSpec();
        String relevant = JSON.asJson(List.of(spec.getDataset(), spec.getArchitecture(), spec.getSharding(),
                spec.getTraining()));
        return Digests.sha256(relevant.getBytes(StandardCharsets.UTF_8)).substring(0, 10);
    }

    /** Advances training; returns true while training is in progress. */
    public boolean step(ShardedModel model, ShardedModelStatus status) {
        JobRun run = status.getTraining();
        String fingerprint = fingerprint(model);
        if (run == null || (FAILED.equals(run.getPhase()) && !run.getRun().startsWith(fingerprint))) {
            if (fingerprint.equals(status.getTrainedFingerprint()) || status.getActiveBatch() != null) {
                return false;
            }
            run = new JobRun();
            run.setRun(fingerprint + "-" + (status.getVersions().size() + 1));
            run.setPhase(TRAINING);
            run.setStartedAt(Instant.now(clock).toString());
            run.setJobName(jobs.ensure(factory.training(model, run.getRun())).getMetadata().getName());
            status.setTraining(run);
            events.normal(model, "TrainingStarted", "training " + model.getSpec().getSharding().getShards()
                    + " shards in Job " + run.getJobName());
            return true;
        }
        if (FAILED.equals(run.getPhase())) {
            return false;
        }
        String namespace = model.getMetadata().getNamespace();
        JobObserver.Outcome outcome = observer.observe(jobs.get(namespace, run.getJobName()));
        switch (outcome.phase()) {
            case RUNNING -> {
                return true;
            }
            case MISSING, FAILED -> {
                metrics.jobFinished(run.getJobName(), TRAINING.equals(run.getPhase()) ? "train" : "publish", false,
                        run.getStartedAt(),
                        Instant.now(clock));
                run.setPhase(FAILED);
                status.setLastFailure("Job " + run.getJobName() + " failed: "
                        + (outcome.message() == null ? "it no longer exists" : outcome.message()));
                events.warning(model, "TrainingFailed",
                        status.getLastFailure());
                return false;
            }
            case SUCCEEDED -> {
                metrics.jobFinished(run.getJobName(), TRAINING.equals(run.getPhase()) ? "train" : "publish", true,
                        run.getStartedAt(),
                        Instant.now(clock));
                if (TRAINING.equals(run.getPhase())) {
                    run.setPhase(PUBLISHING);
                    run.setStartedAt(Instant.now(clock).toString());
                    run.setJobName(jobs.ensure(factory.publish(model, run.getRun())).getMetadata().getName());
                    return true;
                }
                if (outcome.result() == null || !outcome.result().hasNonNull("version")) {
                    // A Job that succeeded without saying which version it published: never guess.
                    run.setPhase(FAILED);
                    status.setLastFailure("Job " + run.getJobName() + " succeeded but reported no version "
                            + "(no termination message from its worker)");
                    events.warning(model, "ResultMissing", status.getLastFailure());
                    return false;
                }
                published(model, status, outcome.result());
                status.setTrainedFingerprint(fingerprint);
                status.setTraining(null);
                status.setLastFailure(null);
                return false;
            }
            default -> throw new IllegalStateException(outcome.phase().name());
        }
    }

    void published(ShardedModel model, ShardedModelStatus status, JsonNode result) {
        int version = result.get("version").asInt();
        status.setCurrentVersion(version);
        VersionRecord record = new VersionRecord();
        record.setVersion(version);
        record.setDigest(text(result, "ensembleDigest"));
        record.setCreatedAt(Instant.now(clock).toString());
        record.setCause("train");
        addVersion(status, record);
        List<ShardStatus> shards = new ArrayList<>();
        if (result.has("shards")) {
            for (JsonNode shard : result.get("shards")) {
                ShardStatus s = new ShardStatus();
                s.setShard(shard.get("shard").asInt());
                s.setRecords(shard.get("records").asInt());
                s.setTrainedInVersion(version);
                s.setExact(true);
                if (shard.hasNonNull("testAccuracy")) {
                    s.setTestAccuracy(shard.get("testAccuracy").asDouble());
                }
                shards.add(s);
            }
        }
        status.setShards(shards);
        events.normal(model, "VersionPublished", "version " + version + " trained and published");
    }

    static void addVersion(ShardedModelStatus status, VersionRecord record) {
        List<VersionRecord> versions = new ArrayList<>(status.getVersions());
        versions.removeIf(v -> v.getVersion() == record.getVersion());
        versions.add(record);
        while (versions.size() > KEPT_VERSIONS) {
            versions.remove(0);
        }
        status.setVersions(versions);
    }

    static String text(JsonNode node, String field) {
        return node != null && node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
