package dev.unlearning.operator;

import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.api.JobRun;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.TrainingPhase;
import dev.unlearning.api.worker.TrainingResult;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.operator.jobs.JobObserver;
import dev.unlearning.operator.planning.ExclusiveWork;
import dev.unlearning.operator.planning.JobOutcome;
import dev.unlearning.operator.planning.TrainingRun;
import dev.unlearning.store.Digests;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Training of a model: an Indexed Job with one shard per index, then a publish Job that makes the shards
 * version N. Starts when the model has never been trained or when what determines its training (data,
 * architecture, sharding, optimisation) changed, once {@link ExclusiveWork} gives it the model. What a Job's
 * end means is {@link TrainingRun}'s decision.
 */
public class TrainingStep implements ExclusiveStep {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final JobFactory factory;
    private final Jobs jobs;
    private final JobObserver observer;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final DatasetLedgers ledgers;

    public TrainingStep(StepTools tools, DatasetLedgers ledgers) {
        this.ledgers = ledgers;
        this.factory = tools.factory();
        this.jobs = tools.jobs();
        this.observer = tools.observer();
        this.events = tools.events();
        this.metrics = tools.metrics();
        this.clock = tools.clock();
    }

    /** A digest of the spec parts that decide what training produces. */
    public static String fingerprint(ShardedModel model) {
        var spec = model.getSpec();
        String relevant = JSON.asJson(List.of(spec.getDataset(), spec.getArchitecture(), spec.getSharding(),
                spec.getTraining()));
        return Digests.sha256(relevant.getBytes(StandardCharsets.UTF_8)).substring(0, 10);
    }

    /**
     * Advances training while it holds the model ({@link ExclusiveWork}): starts a run for a changed spec, follows
     * the one in flight, or clears a failure the spec has since been reverted from.
     */
    @Override
    public ExclusiveWork.Lane lane() {
        return ExclusiveWork.Lane.TRAINING;
    }

    @Override
    public Optional<Duration> advance(ModelReconcile reconcile) {
        ShardedModel model = reconcile.model();
        ShardedModelStatus status = reconcile.status();
        String fingerprint = fingerprint(model);
        switch (ExclusiveWork.training(status, fingerprint)) {
            case SETTLED, FAILED -> {
            }
            case STALE_FAILURE -> status.trainingLane().setRun(null);
            case WANTED -> start(model, status, fingerprint);
            case RUNNING -> follow(model, status, status.trainingLane().getRun(), fingerprint);
        }
        return Optional.empty();
    }

    /** Whether a training or publish Job runs: what the model's Training condition shows. */
    public static boolean running(ShardedModelStatus status) {
        JobRun run = status.trainingLane().getRun();
        return run != null && run.getPhase() != TrainingPhase.FAILED;
    }

    private void follow(ShardedModel model, ShardedModelStatus status, JobRun run, String fingerprint) {
        boolean publishing = run.getPhase() == TrainingPhase.PUBLISHING;
        JobOutcome<TrainingResult> outcome = observer.observe(jobs.recorded(model.getMetadata().getNamespace(),
                run), publishing ? TrainingResult.class : null);
        if (outcome.finished()) {
            metrics.jobFinished(run.getJobName(), publishing ? "publish" : "train",
                    outcome.phase() == JobOutcome.JobPhase.SUCCEEDED, run.getStartedAt(), Instant.now(clock));
        }
        TrainingRun.Transition next = TrainingRun.next(run.getPhase(), run.getJobName(), outcome);
        if (next instanceof TrainingRun.StartPublish && !Objects.equals(ledgers.digestNow(model), run.getLedger())) {
            // A request was recorded against the dataset while the shards trained: they may hold its records.
            events.normal(model, EventReason.TrainingRestarted, "the dataset's ledger gained entries while run "
                    + run.getRun() + " trained; training again without them instead of publishing");
            start(model, status, fingerprint);
            return;
        }
        if (next instanceof TrainingRun.StartPublish) {
            run.setPhase(TrainingPhase.PUBLISHING);
            run.setStartedAt(Instant.now(clock).toString());
            jobs.start(model, factory.publish(model, run.getRun()), run);
        } else if (next instanceof TrainingRun.Published published) {
            VersionPublication.trained(status, published.result(), Instant.now(clock));
            events.normal(model, EventReason.VersionPublished, "version " + published.result().version()
                    + " trained and published");
            status.trainingLane().setFingerprint(fingerprint);
            status.trainingLane().setRun(null);
        } else if (next instanceof TrainingRun.Fail fail) {
            run.setPhase(TrainingPhase.FAILED);
            run.setFailure(fail.message());
            events.warning(model, fail.reason(), fail.message());
        }
    }

    /** Run ids count every training ever started, so a reverted spec never adopts an old run's Jobs. */
    private void start(ShardedModel model, ShardedModelStatus status, String fingerprint) {
        JobRun run = new JobRun();
        run.setRun(fingerprint + "-" + (status.trainingLane().getStarted() + 1));
        run.setPhase(TrainingPhase.TRAINING);
        run.setStartedAt(Instant.now(clock).toString());
        Optional<DatasetLedgers.Copy> ledger = ledgers.copyForTraining(model, run.getRun());
        run.setLedger(ledger.map(DatasetLedgers.Copy::entries).orElse(null));
        jobs.start(model, factory.training(model, run.getRun(), ledger.map(DatasetLedgers.Copy::files)), run);
        status.trainingLane().setRun(run);
        status.trainingLane().setStarted(status.trainingLane().getStarted() + 1);
        events.normal(model, EventReason.TrainingStarted, "training " + model.getSpec().getSharding().getShards()
                + " shards in Job " + run.getJobName() + (ledger.isPresent() ? ", leaving out what the dataset's ledger "
                + "records as forgotten" : ""));
    }
}
